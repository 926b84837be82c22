"""Realistic inputs of Mẫu 02–07 and the minutes for the case of tests.conftest.intake_raw (received
08:30 Friday 20/11/2026), shared by the test_process_* modules. (No tests here: the name only keeps the
file among the case-process tests.)"""
from __future__ import annotations

from models.calendar_days import WorkCalendar

# Library + official calendar, no user edits (Tết 2026: 14/02–22/02 off).
CAL = WorkCalendar()

HARM_HIGH = {"muc_do_ton_hai": "cao", "kha_nang_tiep_can": "cao", "tac_dong_phat_trien": "trung_binh",
             "tro_ngai_moi_truong": "cao", "khong_nguoi_bao_ve": "thap"}
SELF_LOW = {"tu_bao_ve": "thap", "biet_nguoi_bao_ve": "trung_binh", "thiet_lap_quan_he": "cao",
            "nho_nguoi_bao_ve": "thap", "duoc_theo_doi": "trung_binh"}


def ia_raw(**overrides) -> dict:
    raw = {
        "assessor": "Trần Thị Lan", "assessed_at": "09:30 20/11/2026",
        "threat_life": False, "threat_health": True, "threat_dignity": False,
        "threat_description": "Nhiều vết bầm ở tay và lưng do cha dượng đánh bằng roi.",
        "caregiver_is_abuser": True, "abuser_can_reach": True,
        "abuser_access_description": "Cha dượng sống cùng nhà với cháu.",
        "safety_measures": "Đưa cháu sang nhà bà ngoại ngay trong buổi sáng; Công an xã đã làm việc với cha dượng.",
    }
    raw.update(overrides)
    return raw


def separation_raw(**overrides) -> dict:
    raw = {
        "grounds": ["bi_xam_hai_boi_cha_me", "nguy_co_tiep_tuc"],
        "separated_from": "Ông Vũ Văn Tài, cha dượng của trẻ em",
        "safe_place": "Nhà bà ngoại Đặng Thị Lựu, thôn Phú Lộc",
        "carer_kind": "nguoi_cham_soc_thay_the", "carer_name": "Bà Đặng Thị Lựu (bà ngoại)",
        "carer_address": "Thôn Phú Lộc, xã Cẩm Hưng", "executing_officer": "Công an xã, người làm công tác bảo vệ trẻ em",
        "recipients": "Như Điều 3;\nCông an xã;\nLưu: VT, VHXH.",
        "start_at": "12:30 20/11/2026", "duration_days": "15",
    }
    raw.update(overrides)
    return raw


def ra_raw(**overrides) -> dict:
    raw = {
        "assessor": "Trần Thị Lan", "assessed_on": "23/11/2026",
        "answers": {
            "tinh_trang": {"mo_ta": "Cháu bị đánh nhiều lần, có vết bầm; cháu sợ hãi, ít nói, ngủ không ngon."},
            "hoan_canh": "Mẹ làm công nhân ca kíp, cha dượng nghiện rượu; bà ngoại chăm cháu tốt.",
            "yeu_to_hien_tai": {"tich_cuc": "Bà ngoại thương cháu, nhà gần trường.",
                                "tieu_cuc": "Cha dượng vẫn sống trong thôn."},
            "nguoi_cham_soc": "Bà ngoại Đặng Thị Lựu",
            "yeu_to_tuong_lai": {"tich_cuc": "Mẹ muốn đưa cháu về ở cùng bà.", "tieu_cuc": "Bà ngoại đã cao tuổi."},
        },
        "ratings": {"harm": dict(HARM_HIGH), "self_protection": dict(SELF_LOW)},
        "problems": ["Tổn hại về thể chất và tâm lý do bị đánh.", "Môi trường chăm sóc có nguy cơ tiếp tục bị bạo lực."],
        "child_opinion": "Cháu muốn ở với bà ngoại và được đi học bình thường.",
        "parents_opinion": "", "parents_opinion_skipped": True,
        "parents_skip_reason": "Cha dượng là người gây tổn hại; mẹ ở cùng cha dượng.",
        "service_needs": ["cham_soc_chua_tri", "tu_van", "ho_tro_giao_duc"],
    }
    raw.update(overrides)
    return raw


def meeting_raw(**overrides) -> dict:
    raw = {
        "purpose": "xac_dinh_nhu_cau", "held_at": "14:00 23/11/2026", "ended_at": "15:30 23/11/2026",
        "place": "Hội trường UBND xã Cẩm Hưng", "chair_name": "Phạm Văn Hùng", "chair_title": "Chủ tịch UBND xã",
        "secretary": "Trần Thị Lan",
        "attendees": [
            {"name": "Phạm Văn Hùng", "role": "chu_tich", "position": "Chủ tịch UBND xã"},
            {"name": "Trần Thị Lan", "role": "can_bo_bvte", "position": "Người làm công tác bảo vệ trẻ em"},
            {"name": "Nguyễn Văn Bình", "role": "cong_an", "position": "Trưởng Công an xã"},
            {"name": "Đặng Thị Hương", "role": "cha_me", "position": "Mẹ của trẻ em"},
        ],
        "content": "Thống nhất đánh giá nguy cơ cao; cần chăm sóc y tế, tư vấn tâm lý và hỗ trợ học tập.",
        "conclusions": "Giao người làm công tác bảo vệ trẻ em xây dựng kế hoạch trong 05 ngày làm việc.",
        "measures": "Cháu tiếp tục ở nhà bà ngoại; Công an xã theo dõi cha dượng.",
    }
    raw.update(overrides)
    return raw


def activity(**overrides) -> dict:
    raw = {"kind": "y_te_tam_ly", "name": "Khám và điều trị vết thương, khám tâm lý tại Trạm y tế",
           "responsible": "Trưởng trạm y tế xã", "coordinating": "Trần Thị Lan", "start_on": "26/11/2026",
           "end_on": "26/02/2027", "provider": "Trạm y tế xã Cẩm Hưng", "cost": "3.700.000"}
    raw.update(overrides)
    return raw


def plan_raw(**overrides) -> dict:
    raw = {
        "drafted_by": "Trần Thị Lan", "drafted_on": "24/11/2026",
        "objectives": [{"printed_id": "phuc_hoi_ton_hai"}, {"printed_id": "khac_phuc_khong_an_toan"},
                       {"text": "Cháu được đi học đều đặn."}],
        "activities": [activity()],
    }
    raw.update(overrides)
    return raw


def review_raw(**overrides) -> dict:
    raw = {
        "reviewer": "Trần Thị Lan", "reviewed_on": "25/11/2026",
        "ratings": {"harm": {"con_nghiem_trong": "thap", "kha_nang_tiep_can": "thap", "tro_ngai_moi_truong": "trung_binh"},
                    "self_protection": {"tu_bao_ve": "trung_binh", "biet_nguoi_bao_ve": "cao", "thiet_lap_quan_he": "cao",
                                        "nho_nguoi_bao_ve": "cao", "duoc_theo_doi": "cao"}},
        "activities_result": "Các hoạt động đã hoàn thành.", "family_change": "Mẹ đã ly thân với cha dượng.",
        "community_change": "Thôn đã cử cộng tác viên theo dõi.", "outcome": "ket_thuc",
        "outcome_reason": "Trẻ em an toàn, không còn nguy cơ bị xâm hại.",
    }
    raw.update(overrides)
    return raw
