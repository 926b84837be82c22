"""Reports for the level above (period workbooks)."""
