"""Demo data, second pass: the case process after intake (Mẫu 02–07, meetings, plans, progress, reviews,
closing and reopening) for the cases models.demo generated."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from .clock import VN
from .demo import DEMO_OFFICE, _next_id, _Numbers, adult_name

# ------------------------------------------------------------------------------------------------
# The case process after intake (Mẫu 02–07, meetings, plans, progress, reviews, closing/reopening)
# ------------------------------------------------------------------------------------------------
#
# Each case gets the records of the stage its age makes plausible: reports of the last day wait for
# Mẫu 02; a few days old ones are being assessed or planned; older ones carry out an approved plan, or
# were reviewed and closed (the closed_at the intake pass chose is moved to the review's moment). About
# one case in seven needed emergency protection; most of those were separated from the parent within the
# 12 hours. Deadlines are mostly met; a few are late by hours or days, as in a real office. The numbers
# "…/QĐ-UBND" and "…/KH-UBND" follow the decisions' dates and continue the counters.

_P_PROBLEMS = [
    "Tổn hại về thể chất, tâm lý, tình cảm cần được chăm sóc, điều trị.",
    "Môi trường chăm sóc có nguy cơ khiến trẻ em tiếp tục bị xâm hại.",
    "Trẻ em có nguy cơ bỏ học, cần hỗ trợ học tập.",
    "Gia đình khó khăn về kinh tế, chưa bảo đảm điều kiện chăm sóc.",
    "Cha, mẹ thiếu kỹ năng nuôi dạy con, hay dùng bạo lực khi dạy con.",
    "Trẻ em chưa có kỹ năng tự bảo vệ, chưa biết tìm người giúp đỡ.",
]
_P_ACTIVITIES = [
    ("y_te_tam_ly", "Khám sức khỏe, điều trị tổn thương tại Trạm y tế xã", "Trưởng trạm y tế xã", "Trạm y tế xã", (0, 800_000)),
    ("y_te_tam_ly", "Tư vấn, trị liệu tâm lý cho trẻ em (6 buổi)", "Cán bộ tư vấn Trung tâm Công tác xã hội tỉnh", "Trung tâm Công tác xã hội tỉnh", (1_200_000, 3_000_000)),
    ("tro_giup_xa_hoi", "Hỗ trợ gia đình hồ sơ đề nghị trợ cấp xã hội hằng tháng", "Công chức Văn hóa - Xã hội", "UBND xã", (0, 0)),
    ("tro_giup_xa_hoi", "Tặng quà, hỗ trợ lương thực cho gia đình", "Chủ tịch Hội Chữ thập đỏ xã", "Hội Chữ thập đỏ xã", (500_000, 1_500_000)),
    ("giao_duc_nghe", "Hỗ trợ sách vở, học phí và kèm học cho trẻ em", "Giáo viên chủ nhiệm", "Nhà trường", (600_000, 2_000_000)),
    ("giao_duc_nghe", "Tập huấn kỹ năng tự bảo vệ cho trẻ em", "Bí thư Đoàn Thanh niên xã", "Đoàn Thanh niên xã", (200_000, 600_000)),
    ("phap_ly", "Trợ giúp pháp lý, đồng hành cùng trẻ em khi làm việc với cơ quan điều tra", "Trợ giúp viên pháp lý", "Trung tâm Trợ giúp pháp lý nhà nước tỉnh", (0, 0)),
    ("dich_vu_khac", "Thăm gia đình định kỳ, theo dõi sự an toàn của trẻ em", "Người làm công tác bảo vệ trẻ em", "Cộng tác viên thôn", (0, 300_000)),
    ("dich_vu_khac", "Tư vấn kỹ năng làm cha mẹ, nuôi dạy con không dùng bạo lực", "Chủ tịch Hội Liên hiệp Phụ nữ xã", "Hội Liên hiệp Phụ nữ xã", (300_000, 900_000)),
]
_P_COORD = ["Trưởng thôn", "Công an xã", "Chi hội Phụ nữ thôn", "Giáo viên chủ nhiệm", "Người làm công tác bảo vệ trẻ em"]
_P_EARLY_CLOSE = [
    "Xác minh không có hành vi xâm hại; trẻ em được chăm sóc bình thường.",
    "Đánh giá ban đầu nguy cơ thấp; chuyển theo dõi qua cộng tác viên thôn.",
    "Gia đình đã chuyển đi nơi khác; đã chuyển thông tin cho UBND xã nơi cư trú mới.",
]
_P_REOPEN = [
    "Nhận tin báo mới: trẻ em tiếp tục bị đánh đập.",
    "Nhà trường báo trẻ em nghỉ học nhiều ngày, có dấu hiệu bị bỏ mặc.",
    "Người chăm sóc thay thế không còn khả năng chăm sóc trẻ em.",
]
_P_LEVEL = ("cao", "trung_binh", "thap")


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN)


def _working_after(day: date, n: int) -> date:
    """n weekdays after `day` (weekends only: the demo need not know the holidays)."""
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


class _ProcessDemo:
    """Builds the process rows of the demo cases; `write` inserts them in bulk."""

    def __init__(self, session, rng: random.Random, today: date, office: dict[str, str]):
        from . import process_entities as pe
        from .process_rules import process_form, rating_items

        self.pe = pe
        self.rng = rng
        self.today = today
        self.end = _aware(today, 0) - timedelta(minutes=1)  # nothing on or after today
        self.worker = office.get("worker_name") or DEMO_OFFICE["worker_name"]
        self.chairman = DEMO_OFFICE["chairman_name"]
        self.vice = DEMO_OFFICE["vice_chairmen"].split("\n")[0]
        self.harm03 = [i["id"] for i in rating_items("03", "harm")]
        self.self03 = [i["id"] for i in rating_items("03", "self_protection")]
        self.harm06 = [i["id"] for i in rating_items("06", "harm")]
        self.questions = process_form("03")["part1"]["questions"]
        self.grounds = [g["id"] for g in process_form("07")["grounds"]["items"]]
        self.printed = [o["id"] for o in process_form("04")["objectives"]["printed"]]
        self.ids = {t: _next_id(session, t.id) for t in (
            pe.InitialAssessment, pe.EmergencyMeasure, pe.Separation, pe.RiskAssessment, pe.CaseMeeting,
            pe.SupportPlan, pe.PlanVersion, pe.PlanObjective, pe.PlanActivity, pe.PlanApproval,
            pe.ActivityProgress, pe.CaseReview, pe.CaseStatusEvent)}
        self.rows: dict[type, list[dict]] = {t: [] for t in self.ids}
        self.activity_key = 1
        # Numbered decisions, numbered once all are known: (moment, row dict, number field, year field)
        self.decisions: list[tuple[datetime, dict]] = []
        self.plans_numbered: list[tuple[datetime, dict]] = []
        self.incident_reports: list[dict] = []  # Báo cáo vụ việc of the cases of abuse, numbered in write()

    def _add(self, table, **row) -> int:
        row["id"] = self.ids[table]
        self.ids[table] += 1
        self.rows[table].append(row)
        return row["id"]

    # -- one case ----------------------------------------------------------------------------------

    def case(self, c: dict, case_row: dict, target: str | None = None) -> None:
        """The records of one case; `target` forces the stage it stops at (the showcase cases)."""
        self.last = c["received_at"]
        self.closed_here = False
        self.target = target
        # Random stalls (a draft left, a meeting not yet held) only in recent cases: old open cases move on.
        self.recent = (self.today - c["received_at"].date()).days <= 20
        self._case(c, case_row)
        if case_row["closed_at"] is not None and not self.closed_here:
            # Closed by the intake pass: the closing comes after the last record, with its history row.
            at = max(case_row["closed_at"], self.last + timedelta(days=1))
            self._close(c, case_row, at, case_row["closed_reason"], None, may_reopen=False)

    def _seen(self, moment: datetime) -> datetime:
        self.last = max(self.last, moment)
        return moment

    def _case(self, c: dict, case_row: dict) -> None:
        rng = self.rng
        t0: datetime = c["received_at"]
        if t0 >= self.end:
            return
        age_days = (self.today - t0.date()).days
        closed = case_row["closed_at"] is not None
        target = self.target
        if c["category"] == "bi_xam_hai":
            self._incident_report(c, t0, age_days)
        emergency = c["category"] == "bi_xam_hai" and rng.random() < 0.45 or rng.random() < 0.04
        if target in ("khan_cap", "cach_ly"):
            emergency = True
        elif target is not None:
            emergency = False
        if target == "tiep_nhan" or (target is None and not closed and age_days <= 1 and rng.random() < 0.5):
            return  # waiting for Mẫu 02 (or in the 12-hour window)
        ia_at = min(t0 + timedelta(minutes=rng.randint(30, 240)), self.end)
        done_at = self._seen(min(ia_at + timedelta(minutes=rng.randint(20, 90)), self.end))
        caregiver = emergency and rng.random() < 0.6
        threat = emergency and not caregiver or (emergency and rng.random() < 0.5)
        self._add(self.pe.InitialAssessment, case_id=c["case_id"], assessor=self.worker, assessed_at=ia_at,
                  threat_life=False, threat_health=threat, threat_dignity=threat and rng.random() < 0.3,
                  threat_description=c["child_condition"] if threat else "",
                  caregiver_is_abuser=caregiver, abuser_can_reach=emergency or rng.random() < 0.3,
                  abuser_access_description="Đối tượng sống cùng thôn, có thể gặp trẻ em hằng ngày." if emergency else "",
                  safety_measures=c["prior_actions"] or "Đã nhắc nhở gia đình, giao cộng tác viên thôn theo dõi.",
                  needs_emergency_by_rule=emergency, needs_emergency=emergency, override_reason="",
                  completed_at=done_at, created_at=done_at, created_by="demo")
        if target == "khan_cap" or (target is None and not closed and age_days <= 1 and emergency):
            return  # khan_cap: the chairman has not decided yet
        sep_row = None
        if emergency:
            late = rng.random() < 0.06
            decided = t0 + timedelta(hours=rng.uniform(12.5, 16) if late else rng.uniform(2.5, 11.5))
            decided = self._seen(min(max(decided, done_at + timedelta(minutes=15)), self.end))
            if rng.random() < 0.7 or target == "cach_ly":
                start = decided + timedelta(minutes=rng.randint(15, 60))
                sep_row = dict(case_id=c["case_id"], grounds=rng.sample(self.grounds[::2], rng.randint(1, 2)),
                               separated_from="Người gây tổn hại cho trẻ em trong gia đình",
                               safe_place="Nhà người thân trong thôn" if rng.random() < 0.7 else "Cơ sở trợ giúp xã hội tỉnh",
                               carer_kind="nguoi_cham_soc_thay_the" if rng.random() < 0.8 else "co_so_tro_giup_xa_hoi",
                               carer_name=adult_name(rng, "nu"), carer_address="", executing_officer="Công an xã",
                               recipients="", start_at=start, duration_days=15 if rng.random() < 0.8 else rng.randint(7, 14),
                               order_number="", order_date=None, order_body="", drafted_by=self.worker,
                               drafted_at=done_at, doc_year=None, doc_number=None, decided_by=self.chairman,
                               signing_capacity="chu_tich", decided_at=decided, decided_by_user="demo",
                               outcome="", outcome_at=None, outcome_note="")
                end = start + timedelta(days=sep_row["duration_days"])
                if target != "cach_ly" and end < self.end and (closed or age_days > sep_row["duration_days"] + 2):
                    sep_row["outcome"] = "huy_bo" if rng.random() < 0.9 else "de_nghi_toa_an"
                    sep_row["outcome_at"] = self._seen(end - timedelta(hours=rng.randint(2, 30)))
                self._add(self.pe.Separation, **sep_row)
                self.decisions.append((decided, self.rows[self.pe.Separation][-1]))
            else:
                self._add(self.pe.EmergencyMeasure, case_id=c["case_id"], kind="ngan_chan",
                          description="Công an xã ngăn chặn hành vi xâm hại, yêu cầu đối tượng không tiếp cận trẻ em.",
                          taken_at=decided, decided_by=self.chairman, carried_out_by="Công an xã",
                          created_at=decided, created_by="demo")
        if target is None and closed and rng.random() < 0.3 and not emergency:
            self._close(c, case_row, done_at + timedelta(days=rng.randint(1, 6)), rng.choice(_P_EARLY_CLOSE), None)
            return
        if target in ("danh_gia_ban_dau", "cach_ly") or (
                target is None and not closed and age_days <= 2 and rng.random() < 0.6):
            return  # danh_gia_ban_dau / cach_ly
        self._round(c, case_row, done_at, closed, plan_no=1)

    def _incident_report(self, c: dict, t0: datetime, age_days: int) -> None:
        """A case of abuse is reported upward by phone at once and in writing within a day; the most recent
        ones (received today or yesterday) sometimes wait for the written report, so the to-do list shows it."""
        rng = self.rng
        phoned = min(t0 + timedelta(minutes=rng.randint(15, 120)), self.end)
        row = dict(case_id=c["case_id"], phoned_at=phoned, phoned_to="Ông Trần Văn Đức, chuyên viên Sở Y tế",
                   phoned_by=self.worker, recipient=DEMO_OFFICE.get("report_recipient") or "Sở Y tế tỉnh",
                   summary=c["child_condition"] or "Trẻ em bị xâm hại; đã tiếp nhận và đánh giá ban đầu.",
                   actions_taken=c["prior_actions"] or "Đã đánh giá nguy cơ ban đầu, phối hợp Công an xã.",
                   proposals="", anonymised=True, signer=self.chairman, signing_capacity="chu_tich",
                   doc_year=None, doc_number=None, report_date=None, issued_at=None, issued_by_user="",
                   untracked=False, created_at=phoned, created_by="demo")
        if age_days > 1 or (age_days == 1 and rng.random() < 0.5):
            day = t0.date() + timedelta(days=1 if rng.random() < 0.8 else 0)
            if day < self.today:
                row["report_date"], row["issued_at"], row["issued_by_user"] = day, _aware(day, 15), "demo"
        self.incident_reports.append(row)

    def _round(self, c: dict, case_row: dict, anchor: datetime, closed: bool, plan_no: int) -> None:
        """Mẫu 03 → meeting → Mẫu 04 → Mẫu 05 → progress → Mẫu 06, as far as time allows."""
        rng = self.rng
        ra_day = _working_after(anchor.date(), rng.randint(1, 2))
        ra_at = _aware(ra_day, rng.randint(8, 16), rng.randint(0, 59))
        if ra_at >= self.end:
            return
        self._seen(ra_at)
        target, stall = self.target, self.target is None and not closed and self.recent
        harm = {k: rng.choice(_P_LEVEL) for k in self.harm03}
        self_ = {k: rng.choice(_P_LEVEL) for k in self.self03}
        caregiver_abuser = rng.random() < 0.3
        ra_id = self._add(
            self.pe.RiskAssessment, case_id=c["case_id"], assessor=self.worker, assessed_on=ra_day,
            answers={q["id"]: {a["id"]: self._answer(q["id"], a["id"], c) for a in q["answers"]} for q in self.questions},
            ratings={"harm": harm, "self_protection": self_},
            problems=rng.sample(_P_PROBLEMS, rng.randint(1, 3)),
            child_opinion=rng.choice(("Cháu muốn được an toàn và tiếp tục đi học.",
                                      "Cháu muốn ở với bà, không muốn về nhà lúc này.",
                                      "Cháu mong bố mẹ không đánh cháu nữa.")),
            parents_opinion="" if caregiver_abuser else "Gia đình mong được hỗ trợ để chăm sóc cháu tốt hơn.",
            parents_opinion_skipped=caregiver_abuser,
            parents_skip_reason="Cha, mẹ, người chăm sóc là người gây tổn hại cho trẻ em." if caregiver_abuser else "",
            service_needs=rng.sample(["cham_soc_chua_tri", "tu_van", "tro_giup_xa_hoi", "ho_tro_giao_duc"], 2),
            service_needs_note="", created_at=ra_at, created_by="demo")
        meet_at = _aware(_working_after(ra_day, rng.randint(0, 1)), 14, rng.choice((0, 30)))
        if target == "da_danh_gia" or meet_at >= self.end or (stall and rng.random() < 0.08):
            return
        self._seen(meet_at)
        self._add(self.pe.CaseMeeting, case_id=c["case_id"], risk_assessment_id=ra_id, purpose="xac_dinh_nhu_cau",
                  held_at=meet_at, ended_at=meet_at + timedelta(minutes=rng.randint(45, 120)),
                  place="Hội trường UBND xã", chair_name=self.chairman, chair_title="Chủ tịch UBND xã",
                  secretary=self.worker,
                  attendees=[{"name": self.chairman, "role": "chu_tich", "position": "Chủ tịch UBND xã"},
                             {"name": self.worker, "role": "can_bo_bvte", "position": "Người làm công tác bảo vệ trẻ em"},
                             {"name": adult_name(rng, "nam"), "role": "cong_an", "position": "Công an xã"},
                             {"name": adult_name(rng, "nu"), "role": "dai_dien_thon", "position": "Trưởng thôn"}],
                  content="Thảo luận kết quả đánh giá nguy cơ cụ thể và nhu cầu của trẻ em.",
                  conclusions="Thống nhất các vấn đề, nhu cầu của trẻ em; giao xây dựng kế hoạch hỗ trợ, can thiệp.",
                  measures="Theo dõi sự an toàn của trẻ em hằng tuần qua cộng tác viên thôn.",
                  created_at=meet_at, created_by="demo")
        if target == "da_hop":
            return
        late_plan = rng.random() < 0.08
        submit_day = _working_after(anchor.date(), rng.randint(6, 8) if late_plan else rng.randint(3, 5))
        submit_day = max(submit_day, meet_at.date() + timedelta(days=1))
        submitted = _aware(submit_day, rng.randint(8, 16), rng.randint(0, 59))
        if target == "du_thao_ke_hoach" or submitted >= self.end or (stall and rng.random() < 0.1):
            submitted = None  # still a draft
        plan_id = self._add(self.pe.SupportPlan, case_id=c["case_id"], plan_no=plan_no, risk_assessment_id=ra_id,
                            created_at=meet_at + timedelta(hours=2), created_by="demo")
        version_id = self._add(self.pe.PlanVersion, plan_id=plan_id, version=1, reason="", drafted_by=self.worker,
                               drafted_on=meet_at.date(), submitted_at=submitted,
                               submitted_by="demo" if submitted else "", created_at=meet_at + timedelta(hours=2),
                               updated_at=submitted or meet_at + timedelta(hours=2))
        for pos, oid in enumerate(rng.sample(self.printed, rng.randint(2, 3)), start=1):
            self._add(self.pe.PlanObjective, version_id=version_id, position=pos, printed_id=oid, text="")
        if submitted is None:
            return
        self._seen(submitted)
        approved = _aware(_working_after(submit_day, rng.randint(3, 4) if rng.random() < 0.07 else rng.randint(0, 2)),
                          rng.randint(8, 16), rng.randint(0, 59))
        approved = max(approved, submitted + timedelta(minutes=rng.randint(40, 180)))
        start = approved.date() + timedelta(days=1)
        length = rng.randint(60, 150)
        acts = []
        for pos, (kind, name, who, provider, (lo, hi)) in enumerate(rng.sample(_P_ACTIVITIES, rng.randint(2, 4)), start=1):
            a_start = start + timedelta(days=rng.randint(0, 20))
            a_end = min(a_start + timedelta(days=rng.randint(14, length)), start + timedelta(days=length))
            cost = rng.randrange(lo, hi + 1, 100_000) if hi else 0
            key = self.activity_key
            self.activity_key += 1
            acts.append((key, name, a_start, a_end))
            self._add(self.pe.PlanActivity, version_id=version_id, key=key, position=pos, kind=kind, name=name,
                      responsible=who, coordinating=rng.choice(_P_COORD), start_on=a_start, end_on=a_end,
                      provider=provider, cost=cost)
        if target == "cho_phe_duyet" or approved >= self.end or (stall and rng.random() < 0.06):
            return  # awaiting the chairman
        self._seen(approved)
        eff_to = start + timedelta(days=length)
        approval = dict(version_id=version_id, doc_year=None, doc_number=None, plan_doc_year=None, plan_doc_number=None,
                        approved_by=self.chairman if rng.random() < 0.8 else self.vice,
                        signing_capacity="chu_tich", approved_at=approved, approved_by_user="demo",
                        effective_from=start, effective_to=eff_to, recipients="")
        if approval["approved_by"] == self.vice:
            approval["signing_capacity"] = "kt_pho_chu_tich"
        self._add(self.pe.PlanApproval, **approval)
        approval = self.rows[self.pe.PlanApproval][-1]  # the row written, numbered in `write`
        self.decisions.append((approved, approval))
        self.plans_numbered.append((approved, approval))
        for key, name, a_start, a_end in acts:  # progress notes up to yesterday
            if a_start >= self.today:
                continue
            self._add(self.pe.ActivityProgress, plan_id=plan_id, activity_key=key, noted_on=a_start,
                      status="dang_thuc_hien", note="Đã triển khai hoạt động.", created_at=self._seen(_aware(a_start, 16)),
                      created_by="demo")
            if a_end < self.today and rng.random() < 0.9:
                self._add(self.pe.ActivityProgress, plan_id=plan_id, activity_key=key, noted_on=a_end,
                          status="hoan_thanh", note="Hoàn thành theo kế hoạch.", created_at=self._seen(_aware(a_end, 16)),
                          created_by="demo")
        review_day = eff_to + timedelta(days=rng.randint(0, 10))
        review_at = _aware(review_day, rng.randint(8, 16))
        if target == "dang_thuc_hien" or review_at >= self.end:
            return  # still running, the review not due yet
        if target is None and not closed and (self.end - review_at).days < 30 and rng.random() < 0.3:
            return  # running with its review a little overdue, as happens
        close = target != "da_ra_soat" and (closed or rng.random() < 0.5 or plan_no >= 3)
        self._seen(review_at)
        harm = {k: ("thap" if close else rng.choice(_P_LEVEL)) for k in self.harm06}
        self_ = {k: ("cao" if close else rng.choice(_P_LEVEL)) for k in self.self03}
        review_id = self._add(
            self.pe.CaseReview, case_id=c["case_id"], plan_id=plan_id, reviewer=self.worker, reviewed_on=review_day,
            ratings={"harm": harm, "self_protection": self_},
            activities_result="Các hoạt động cơ bản đã hoàn thành.",
            family_change="Gia đình đã thay đổi cách chăm sóc, không còn dùng bạo lực." if close else "Gia đình chưa thay đổi nhiều.",
            community_change="Cộng tác viên thôn thường xuyên theo dõi.",
            outcome="ket_thuc" if close else "ke_hoach_moi",
            outcome_reason=("Trẻ em không còn nguy cơ bị xâm hại; tình trạng ổn định." if close
                            else "Trẻ em vẫn còn nguy cơ; cần xây dựng kế hoạch mới."),
            created_at=review_at, created_by="demo")
        if close:
            self._close(c, case_row, review_at, "Trẻ em không còn nguy cơ bị xâm hại; tình trạng ổn định.", review_id)
        else:
            if target != "da_ra_soat":
                self._round(c, case_row, review_at, closed, plan_no + 1)

    def _close(self, c: dict, case_row: dict, at: datetime, reason: str, review_id: int | None, *,
               may_reopen: bool = True) -> None:
        self.closed_here = True
        at = min(at, self.end - timedelta(hours=1))
        case_row["closed_at"], case_row["closed_reason"] = at, reason
        self._add(self.pe.CaseStatusEvent, case_id=c["case_id"], kind="dong", at=at, reason=reason,
                  review_id=review_id, created_by="demo")
        # Reopened cases were reopened lately (an old reopening would have been worked on since).
        reopen = self.end - timedelta(days=self.rng.randint(1, 12), hours=self.rng.randint(1, 8))
        if may_reopen and (self.target == "mo_lai" or self.rng.random() < 0.01) and at < reopen:
            case_row["closed_at"], case_row["closed_reason"] = None, ""
            self._add(self.pe.CaseStatusEvent, case_id=c["case_id"], kind="mo_lai", at=reopen,
                      reason=self.rng.choice(_P_REOPEN), review_id=None, created_by="demo")

    def _answer(self, question: str, answer: str, c: dict) -> str:
        if question == "tinh_trang":
            return c["child_condition"]
        if question == "hoan_canh":
            return c["family_situation"]
        if question == "nguoi_cham_soc":
            return c["current_caregiver"] or "Mẹ của trẻ em"
        if answer == "tich_cuc":
            return "Có người thân quan tâm, nhà trường và thôn sẵn sàng hỗ trợ."
        return "Kinh tế gia đình khó khăn; người gây tổn hại vẫn ở gần trẻ em."

    # -- numbers and writing -----------------------------------------------------------------------

    def write(self, session, write, bc: "_Numbers") -> None:
        from .incident_entities import IncidentReport

        for row in sorted(self.incident_reports, key=lambda r: r["issued_at"] or r["created_at"]):
            if row["issued_at"] is not None:
                row["doc_year"], row["doc_number"] = row["report_date"].year, bc.next(row["report_date"].year)
        write(IncidentReport.__table__, self.incident_reports, 0)
        qd = _Numbers(session, "QĐ", {})
        kh = _Numbers(session, "KH", {})
        for moment, row in sorted(self.decisions, key=lambda t: t[0]):
            row["doc_year"], row["doc_number"] = moment.year, qd.next(moment.year)
        for moment, row in sorted(self.plans_numbered, key=lambda t: t[0]):
            row["plan_doc_year"], row["plan_doc_number"] = moment.year, kh.next(moment.year)
        pe = self.pe
        for table in (pe.InitialAssessment, pe.EmergencyMeasure, pe.Separation, pe.RiskAssessment, pe.CaseMeeting,
                      pe.SupportPlan, pe.PlanVersion, pe.PlanObjective, pe.PlanActivity, pe.PlanApproval,
                      pe.ActivityProgress, pe.CaseReview, pe.CaseStatusEvent):
            write(table.__table__, self.rows[table], 0)
        qd.save(session)
        kh.save(session)


# Stage → the case age (days) that lets its records fit before today; one recent case per stage is forced
# there so that even a small demo shows every stage.
_SHOWCASE_AGES: dict[str, tuple[int, int]] = {
    "tiep_nhan": (1, 3), "khan_cap": (1, 3), "danh_gia_ban_dau": (1, 4), "cach_ly": (2, 10),
    "da_danh_gia": (5, 15), "da_hop": (8, 25), "du_thao_ke_hoach": (8, 25), "cho_phe_duyet": (12, 30),
    "dang_thuc_hien": (25, 90), "da_ra_soat": (200, 420), "mo_lai": (200, 1200),
}


def _showcase(pending_cases: list[dict], case_rows: list[dict], today: date) -> dict[int, str]:
    chosen: dict[int, str] = {}
    newest_first = sorted(zip(pending_cases, case_rows), key=lambda t: t[0]["received_at"], reverse=True)
    for stage, (lo, _usual_hi) in _SHOWCASE_AGES.items():
        for c, row in newest_first:
            age = (today - c["received_at"].date()).days
            wants_closed = stage == "mo_lai"
            # The youngest case old enough for the stage (a small demo may have none inside the usual ages:
            # then an older case stops at that stage, and its deadline shows as overdue).
            if (c["case_id"] not in chosen and lo <= age and (row["closed_at"] is not None) == wants_closed
                    and c["received_at"].hour < 20):
                chosen[c["case_id"]] = stage
                break
    return chosen
