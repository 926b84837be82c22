"""Who may open the office's data: the key file (data key wrapped per account), roles and the audit trail."""
