"""Periodic reports to the level above (Excel), written safely to a USB stick, and their consolidation at the
receiving end. Entry points: desktop.actions.reports.export_report / merge_reports."""
