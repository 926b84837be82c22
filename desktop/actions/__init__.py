"""What a person can ask BVTE to do, once for both front ends.

The window (desktop/main_window.py and its screens) and the command line (desktop/cli.py) call these
functions for every user action that has more than one step — check the permission, load, render or compute,
record it in the audit log, write the file. Nothing here imports Qt: a function takes the signed-in Workspace and
plain values, and returns plain values or raises a models.errors.UserError with a Vietnamese message.

  printing   a form of a case, a blank form, the whole case file, a list
  reports    the period report for the level above, merging communes' reports
  register   importing and exporting the register of children
"""
