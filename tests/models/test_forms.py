"""The registry of forms (models.forms): one code per form, every spelling a person types turned into it."""
from __future__ import annotations

import pytest

from models import forms
from models.errors import UserError


@pytest.mark.parametrize("typed, code", [
    ("1", "01"), ("01", "01"), (" 7 ", "07"), ("minutes", "bien_ban_hop"), ("BIEN-BAN", "bien_ban_hop"),
    ("bien_ban_hop", "bien_ban_hop"), ("bao-cao-vu-viec", "bao_cao_vu_viec"), ("bcvv", "bao_cao_vu_viec"),
])
def test_every_accepted_spelling_gives_the_one_code(typed, code):
    assert forms.normalise(typed) == code


@pytest.mark.parametrize("typed", ["17", "00", "１", "٣", "", "mau01", "001", "x" * 500])
def test_an_unknown_form_is_a_user_error_with_the_list(typed):
    with pytest.raises(forms.UnknownForm) as caught:
        forms.normalise(typed)
    assert isinstance(caught.value, UserError)
    assert "01 … 07" in str(caught.value) and len(str(caught.value)) < 300  # a long input is not echoed whole


def test_legal_order_of_the_case_file():
    assert forms.legal_order() == ["01", "02", "07", "03", "bien_ban_hop", "04", "05", "06", "bao_cao_vu_viec"]


def test_screens_and_step_buttons_cover_the_process():
    screens = forms.screens()
    assert set(screens) == {"02", "03", "04", "05", "06", "07", "bien_ban_hop", "bao_cao_vu_viec", "hoat_dong", "dong"}
    assert "01" not in screens  # Mẫu 01 is written in the intake wizard
    assert forms.step_buttons()["05"] == "Phê duyệt (Mẫu 05)…"
    assert "dong" not in forms.step_buttons()  # closing has no step button of its own


def test_blank_forms_and_local_wording():
    case_blanks = [f.code for f in forms.blank_forms() if f.subject == "case"]
    assert case_blanks == ["01", "02", "07", "03", "bien_ban_hop", "04", "05", "06"]
    assert {"08", "09", "10", "11", "12", "13", "14", "15", "16"} <= {f.code for f in forms.blank_forms()}  # alternative care's blanks too
    assert "bao_cao_vu_viec" not in forms.forms_with_local_wording()


def test_file_names_and_titles():
    assert forms.get("2").file_name == "mau02" and forms.get("minutes").file_name == "bien-ban-hop"
    assert forms.step_title("hoat_dong") == "Thực hiện kế hoạch"
    assert forms.step_title("03") == "Mẫu số 03"
