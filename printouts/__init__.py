"""Printouts: the Mẫu of Nghị định 56/2017 as A4 PDFs (reportlab), filled from a case or blank.

Qt-free and imported only when something is printed (reportlab costs ~120 ms to import).
`admin_layout` is the shared kit for the national administrative format (Nghị định 30/2020);
`fonts` registers Times New Roman or the bundled Liberation Serif; one module per form (`form01`, …)
lays out that form's wording from resources/forms/mauNN.json.
"""
