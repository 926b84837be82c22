"""The register of children in special circumstances: group memberships and support received.

(Filled in by the register work; imported by models.entities so that every table is on Base.metadata.)
"""
from __future__ import annotations
