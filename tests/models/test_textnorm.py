import unicodedata

from hypothesis import given, strategies as st

from models.textnorm import clean_name, fold, nfc, vn_sort_key


def test_fold_drops_marks_case_and_maps_d():
    assert fold("Nguyễn Thị Ánh") == "nguyen thi anh"
    assert fold(unicodedata.normalize("NFD", "ĐẶNG  Dũng ")) == "dang dung"
    assert fold("Dụng") == fold("Dũng") == "dung"


def test_clean_name_normalises_what_other_programs_paste():
    assert clean_name(unicodedata.normalize("NFD", "  nguyễn   văn  AN ")) == "Nguyễn Văn An"
    assert unicodedata.is_normalized("NFC", clean_name(unicodedata.normalize("NFD", "Hồ Thị Thuỷ")))


def test_vietnamese_order_given_name_first_letters_then_tones():
    names = ["Nguyễn Văn Ăn", "Trần An", "Lê Anh", "Phạm Ân", "Bùi Bình", "Đỗ Dũng", "Hồ Dụng", "Vũ Đức", "Lý Yến",
             "Ngô Ánh", "Đinh Ảnh", "Hoàng Anh"]
    ordered = sorted(names, key=vn_sort_key)
    givens = [n.split()[-1] for n in ordered]
    assert givens == ["An", "Anh", "Anh", "Ảnh", "Ánh", "Ăn", "Ân", "Bình", "Dũng", "Dụng", "Đức", "Yến"]
    # Same given name: then middle, then family name.
    assert ordered.index("Hoàng Anh") < ordered.index("Lê Anh")


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặ ", min_size=1, max_size=30))
def test_fold_is_stable_and_nfc_is_idempotent(text):
    assert fold(fold(text)) == fold(text)
    assert nfc(nfc(text)) == nfc(text)
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)
