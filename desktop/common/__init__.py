"""Widgets and helpers every screen uses: the dialog frame, fields with their messages, questions with
Vietnamese buttons, background work with progress, paged list models, the PDF preview, signing."""
