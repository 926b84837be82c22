"""Administration: log-in and the idle lock, accounts, the audit log, backups and recovery, office settings,
the holiday calendar, the first start."""
