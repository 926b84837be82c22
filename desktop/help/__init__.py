"""Help where the worker is: the guide window (F1 on every screen), the process drawing, About, What's new."""
