"""Periodic reports to the level above (Excel), written safely to a USB stick, and their consolidation at the
receiving end. Entry points: models.reports.cli.export_report / merge_reports."""
