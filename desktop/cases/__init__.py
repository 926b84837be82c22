"""Cases: the list, one case's view with its next step, the to-do list, and receiving a report (Mẫu 01)."""
