"""Records of the Nghị định 56 case process after intake: Mẫu 02–07, the case meeting, plan execution.

(Filled in by the case-process work; imported by models.entities so that every table is on Base.metadata.)
"""
from __future__ import annotations
