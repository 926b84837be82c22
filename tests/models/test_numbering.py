"""Document numbers: issued once per kind and year, written "NN/KIND-ABBREV" the same way everywhere."""
from __future__ import annotations

from types import SimpleNamespace

from models.numbering import document_number, next_number, office_abbrev


def test_written_numbers():
    assert document_number(7, "BC") == "07/BC-UBND"
    assert document_number(123, "QĐ", "UBND") == "123/QĐ-UBND"
    assert document_number(None, "QĐ") is None  # not issued yet: the paper shows dots
    office = SimpleNamespace(agency_abbrev="UBND-CH")
    assert document_number(5, "KH", office) == "05/KH-UBND-CH"
    assert office_abbrev(SimpleNamespace(agency_abbrev="  ")) == "UBND" and office_abbrev(None) == "UBND"


def test_numbers_per_kind_and_year_never_repeat(db):
    with db.transaction() as session:
        first = [next_number(session, "QĐ", 2026) for _ in range(3)]
        other_kind = next_number(session, "BC", 2026)
        next_year = next_number(session, "QĐ", 2027)
    with db.transaction() as session:
        again = next_number(session, "QĐ", 2026)
    assert first == [1, 2, 3] and other_kind == 1 and next_year == 1 and again == 4
