"""The children's personal fields and the free-text accounts on the office server (models/field_crypto.py).

What the server holds is read as the server administrator would read it (plain SQL as the database's owner),
and the program is used as a worker uses it: the same searches, the same order, the same files as on one PC.
Tests marked pg_only run when BVTE_TEST_PG is set (CI's PostgreSQL half)."""
from __future__ import annotations

import re
import secrets

import pytest
from hypothesis import given, strategies as st
from sqlalchemy import create_engine, delete, select, text

from models.db import WrongKeyError
from models.entities import Child
from models.field_crypto import (
    FieldCipher, FieldKeyError, Protected, field_key_table, open_fields, protected_columns, token_table, token_texts,
    word_pieces,
)
from models.services.audit_log import AuditFilter, count_events
from models.services.cases import CaseFilter, count_cases, fetch_cases, list_all_cases
from models.services.intake import create_intake, parse_intake
from models.services.register import RegisterFilter, count_children, fetch_children, villages
from models.textnorm import vn_sort_key
from tests.conftest import intake_raw

NAMES = ("Nguyễn Thị Ánh", "Đặng Văn An", "Lê Thị Ánh", "Phạm Thu Hương", "Trần Anh Tuấn", "Nguyễn Văn Bình")


def _add(ws, **overrides) -> int:
    data, errors = parse_intake(intake_raw(**overrides))
    assert errors == {}
    return create_intake(ws.db, data, ws.actor)


def _office(ws) -> None:
    for i, name in enumerate(NAMES):
        _add(ws, child_name=name, personal_id=f"0303150{i:05d}", village=("Thôn Phú Lộc", "Thôn Đông")[i % 2],
             child_condition=f"Cháu {name} có vết bầm ở tay.")


# -- on both engines: the same answers ------------------------------------------------------------------------
def test_searches_and_the_name_order_give_the_same_answers_on_both_engines(workspace):
    _office(workspace)
    with workspace.db.session() as session:
        assert count_cases(session, CaseFilter(text="anh")) == 3  # Ánh, Ánh, Anh (inside a name too)
        assert count_cases(session, CaseFilter(text="nguyen thi")) == 1
        assert count_cases(session, CaseFilter(text="uyen")) == 2  # a piece in the middle of a word
        assert count_cases(session, CaseFilter(text="dang")) == 1  # "d" finds "Đ"
        by_name = sorted(NAMES, key=vn_sort_key)
        assert [r.child_name for r in fetch_cases(session, CaseFilter(order="name"))] == by_name
        assert [r.child_name for r in fetch_cases(session, CaseFilter(order="name_desc"))] == by_name[::-1]
        first = fetch_cases(session, CaseFilter(order="name"), limit=2)
        rest = fetch_cases(session, CaseFilter(order="name"), limit=10, after=first[-1])
        assert [r.child_name for r in first + rest] == by_name  # keyed paging, page after page
        assert [r.child_name for r in list_all_cases(session, CaseFilter(order="name"))] == by_name
        assert count_children(session, RegisterFilter(text="030315000003")) == 1  # a whole ID number
        assert count_children(session, RegisterFilter(text="0303")) == len(NAMES)
        assert count_children(session, RegisterFilter(village="Thôn Đông")) == 3
        assert villages(session) == ["Thôn Đông", "Thôn Phú Lộc"]
        page = fetch_children(session, RegisterFilter(order="name"), limit=4)
        page += fetch_children(session, RegisterFilter(order="name"), limit=4, after=page[-1])
        assert [r.full_name for r in page] == by_name
    assert count_events(workspace, AuditFilter(text="tran thi lan")) >= 1
    # A second intake with the same ID number finds the child already in the register (one child, one file).
    _add(workspace, child_name="Nguyễn Thị Ánh", personal_id="030315000000", village="Thôn Phú Lộc")
    with workspace.db.session() as session:
        assert count_children(session, RegisterFilter()) == len(NAMES)  # found by its ID number, not added again
        assert count_cases(session, CaseFilter()) == len(NAMES) + 1


def test_a_value_opens_only_in_its_own_column_and_its_length_shows_only_to_16_bytes():
    cipher = FieldCipher(secrets.token_bytes(32))
    sealed = cipher.seal("Nguyễn Thị Ánh", b"child.full_name")
    assert sealed.startswith("bvte1:") and "Nguy" not in sealed
    assert cipher.open(sealed, b"child.full_name") == "Nguyễn Thị Ánh"
    assert cipher.seal("Nguyễn Thị Ánh", b"child.full_name") != sealed  # a fresh nonce each time
    with pytest.raises(FieldKeyError, match="không giải mã được"):
        cipher.open(sealed, b"person.full_name")  # moved to another column by someone with the server's rights
    with pytest.raises(FieldKeyError):
        FieldCipher(secrets.token_bytes(32)).open(sealed, b"child.full_name")  # another office's key
    assert len(cipher.seal("An", b"x")) == len(cipher.seal("Bình Minh", b"x"))  # both under 16 bytes
    assert cipher.open(cipher.seal("", b"x"), b"x") == ""


@given(st.lists(st.text(alphabet="abcdeghiklmnopqrstuvxy", min_size=1, max_size=9), min_size=1, max_size=4),
       st.text(alphabet="abcdeghiklmnopqrstuvxy", min_size=1, max_size=6))
def test_a_typed_word_is_found_by_its_token_exactly_when_it_is_in_the_name(words, typed):
    name_key = " ".join(words)
    assert ("n" + typed in token_texts(name_key, None, None)) == (typed in name_key)


def test_pieces_of_a_word_cover_every_substring_and_no_other():
    assert word_pieces("anh") == {"a", "n", "h", "an", "nh", "anh"}
    assert token_texts("", "030315001234", "Thôn Đông") >= {"P030315001234", "p0303", "p030315001234", "vThôn Đông"}
    assert "p030" not in token_texts("", "030315001234", "")  # fewer than 4 digits is not a search


def test_every_personal_and_free_text_column_is_protected():
    names = {f"{t.name}.{c.name}" for t, cols in protected_columns().items() for c in cols}
    for column in ("child.full_name", "child.name_key", "child.sort_key", "child.personal_id", "child.village",
                   "child.address", "person.full_name", "person.phone", "intake.child_condition",
                   "intake.informant_name", "draft.payload", "audit_event.new_value", "carer.full_name",
                   "separation.carer_address", "case_review.family_change", "attachment.file_name"):
        assert column in names
    for t, cols in protected_columns().items():
        for c in cols:
            assert c.type.label == f"{t.name}.{c.name}"  # the value is bound to its own column


# -- on the server: what its administrator sees ----------------------------------------------------------------
def _owner_engine(ws):
    return create_engine(ws.db.engine.url.render_as_string(hide_password=False))


@pytest.mark.pg_only
def test_the_server_holds_no_name_address_id_number_or_account_in_clear(workspace):
    _office(workspace)
    admin = _owner_engine(workspace)
    try:
        with admin.connect() as conn:
            dump = []
            for table, cols in protected_columns().items():
                for col in cols:
                    dump += [v for (v,) in conn.execute(text(f'SELECT "{col.name}" FROM "{table.name}"')) if v]
            assert dump and all(v.startswith("bvte1:") for v in dump)
            every_text = " ".join(str(v) for (v,) in conn.execute(text(
                "SELECT row_to_json(t)::text FROM child t UNION ALL SELECT row_to_json(t)::text FROM intake t "
                "UNION ALL SELECT row_to_json(t)::text FROM person t UNION ALL SELECT row_to_json(t)::text FROM audit_event t")))
            readable = re.sub(r"bvte1:[A-Za-z0-9+/=]+", "", every_text)  # what is left once ciphertexts are cut out
            assert '"date_of_birth":"2015-09-05"' in readable  # (the columns that stay readable are there)
            for secret in ("Ánh", "anh", "Nguy", "nguyen", "030315", "Phú Lộc", "vết bầm", "Xóm 3", "0987"):
                assert secret not in readable, secret
            assert conn.execute(text("SELECT count(*) FROM child_token")).scalar() > 6 * 10
            wrapped = conn.execute(select(field_key_table.c.wrapped)).scalar()
            assert wrapped and len(bytes(wrapped)) == 12 + 32 + 16  # the field key, wrapped, never in clear
    finally:
        admin.dispose()


@pytest.mark.pg_only
def test_a_new_data_key_rewraps_the_field_key_and_everything_still_opens(workspace):
    _office(workspace)
    db = workspace.db
    old = db.key
    new = secrets.token_bytes(32)
    db.rekey(new)
    fresh = type(db)(db.folder, new, server_url=db.server_url)
    try:
        assert open_fields(fresh.engine, (new,)) is False  # found, not made again
        with fresh.session() as session:
            assert sorted(session.scalars(select(Child.full_name))) == sorted(NAMES)
        stale = type(db)(db.folder, old, server_url=db.server_url)
        try:
            with pytest.raises(WrongKeyError):
                open_fields(stale.engine, (old,))  # the revoked key opens nothing any more
        finally:
            stale.dispose()
    finally:
        fresh.dispose()


@pytest.mark.pg_only
def test_a_server_office_written_before_encryption_is_encrypted_at_its_first_opening(workspace):
    _office(workspace)
    db = workspace.db
    admin = _owner_engine(workspace)
    try:
        # As an earlier version left the server: every protected value in clear, no field key, no tokens.
        with admin.begin() as conn, db.engine.connect() as mine:
            for table, cols in protected_columns().items():
                (pk,) = table.primary_key.columns
                sets = ", ".join(f'"{c.name}" = :{c.name}' for c in cols)
                for row in mine.execute(select(pk, *cols)).mappings():
                    conn.execute(text(f'UPDATE "{table.name}" SET {sets} WHERE "{pk.name}" = :pk'),
                                 {**{c.name: row[c.name] for c in cols}, "pk": row[pk.name]})
            conn.execute(delete(token_table))
            conn.execute(delete(field_key_table))
            assert conn.execute(text("SELECT count(*) FROM child WHERE full_name = 'Phạm Thu Hương'")).scalar() == 1
        fresh = type(db)(db.folder, db.key, server_url=db.server_url)
        try:
            assert open_fields(fresh.engine, (db.key,)) is True  # made the key, encrypted what was there
            with admin.connect() as conn:
                assert all(v.startswith("bvte1:") for (v,) in conn.execute(text("SELECT full_name FROM child")))
                assert all(v.startswith("bvte1:") for (v,) in conn.execute(text("SELECT child_condition FROM intake")))
            with fresh.session() as session:
                assert sorted(session.scalars(select(Child.full_name))) == sorted(NAMES)
                assert count_children(session, RegisterFilter(text="huong")) == 1
                from models.security.audit import verify_chain

                assert verify_chain(session).ok  # the chain hashes the values, not their encryption
        finally:
            fresh.dispose()
    finally:
        admin.dispose()


def test_without_the_field_key_nothing_is_written_to_the_server_in_clear():
    class _PG:
        name = "postgresql"

    with pytest.raises(FieldKeyError, match="Chưa mở khoá"):
        Protected(120, "child.full_name").process_bind_param("Nguyễn Thị Ánh", _PG())
    assert Protected(120, "child.full_name").process_bind_param("Nguyễn Thị Ánh", type("S", (), {"name": "sqlite"})()) \
        == "Nguyễn Thị Ánh"


def test_a_password_change_cut_short_after_the_data_got_its_new_key_is_finished_at_the_next_sign_in(
        workspace, data_dir, monkeypatch):
    from models.security.vault import Vault
    from models.services.accounts import change_own_password, login

    _office(workspace)
    real_finish = Vault.finish_rekey

    def power_cut(self):
        raise OSError("mất điện")

    monkeypatch.setattr(Vault, "finish_rekey", power_cut)
    with pytest.raises(OSError):
        change_own_password(workspace, "mat-khau-thu-nghiem", "mat-khau-moi-rat-dai-2026")
    workspace.close()
    monkeypatch.setattr(Vault, "finish_rekey", real_finish)
    assert Vault.load(data_dir).data.get("pending")  # the key file still has the new key only as pending
    ws = login(data_dir, "admin", "mat-khau-moi-rat-dai-2026")
    try:
        assert not Vault.load(data_dir).data.get("pending")  # finished
        with ws.db.session() as session:
            assert count_cases(session, CaseFilter(text="huong")) == 1
            assert sorted(session.scalars(select(Child.full_name))) == sorted(NAMES)
    finally:
        ws.close()
