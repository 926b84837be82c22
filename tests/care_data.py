"""Test data of alternative care: carers made directly as rows (with a confirmed Mẫu 11) so the placement side does
not wait for the carers' screens, and a child carried from a separation (Mẫu 07) to a placement."""
from __future__ import annotations

from datetime import date, datetime

from models.care_entities import Carer, CarerVerification
from models.clock import VN
from models.textnorm import fold

# A decision signed just before Tết 2027 (mùng 1: 06/02/2027), so that every limit crosses it.
DECIDED = datetime(2027, 2, 1, 10, 0, tzinfo=VN)
AT = datetime(2027, 12, 1, 9, 0, tzinfo=VN)  # "now" of these tests, when every step is past


def vn(text: str) -> datetime:
    return datetime.strptime(text, "%H:%M %d/%m/%Y").replace(tzinfo=VN)


def add_carer(db, *, name="Đặng Thị Lựu", dob=date(1960, 3, 4), verified: bool | None = True,
              relative_of: int | None = None, relation="bà ngoại", lives_in_commune=True, foreigner=False,
              confirmed=True) -> int:
    """A carer on the commune's list. `verified`: True — a confirmed Mẫu 11 concluding "du_dieu_kien"; False —
    concluding "khong_du_dieu_kien"; None — no verification. `relative_of`: a relative's notice for that child."""
    with db.transaction() as s:
        c = Carer(registration="thong_bao_than_thich" if relative_of else "don_dang_ky", kind="ca_nhan",
                  full_name=name, name_key=fold(name), date_of_birth=dob, gender="nu", nationality="Việt Nam",
                  is_foreigner=foreigner, lives_in_commune=lives_in_commune, village="Thôn Phú Lộc",
                  address="Thôn Phú Lộc, xã Cẩm Hưng", relative_of_child_id=relative_of,
                  relation_to_child=relation if relative_of else "", applied_on=date(2026, 10, 1),
                  health_certificate_on=date(2026, 9, 20), family_consent=True, created_by="admin")
        s.add(c)
        s.flush()
        if verified is not None:
            s.add(CarerVerification(carer_id=c.id, verified_on=date(2026, 10, 15), verifier="Trần Thị Lan",
                                    answers={}, findings="Nhà ở ổn định.",
                                    conclusion="du_dieu_kien" if verified else "khong_du_dieu_kien",
                                    confirmed_by="Phạm Văn Hùng" if confirmed else "",
                                    confirmed_at=datetime(2026, 10, 16, 9, 0, tzinfo=VN) if confirmed else None))
        return c.id


def need_raw(child_id: int, case_id: int | None, **overrides) -> dict:
    """A complete Mẫu 10 of the child of `intake_raw` (born 05/09/2015, so her opinion is required)."""
    raw = {
        "child_id": child_id, "case_id": case_id, "source": "cach_ly" if case_id else "cong_dong",
        "grounds": ["62_2"], "assessed_on": "10/12/2026", "assessor": "Trần Thị Lan",
        "situation": "Cháu bị cha dượng đánh nhiều lần; mẹ đi làm xa, không có khả năng bảo vệ cháu.",
        "health": "Sức khỏe bình thường, học lớp 6.", "needs": "Một gia đình an toàn gần trường.",
        "wishes": "Cháu muốn ở với bà ngoại.", "child_opinion": "Cháu đồng ý ở với bà ngoại.",
        "preferred_form": "than_thich", "birth_certificate_on": "01/12/2026", "health_certificate_on": "05/12/2026",
        "photos_taken_on": "05/12/2026",
    }
    raw.update(overrides)
    return raw
