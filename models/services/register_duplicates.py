"""Likely duplicates: the same personal ID, or a similar name (diacritics ignored, fuzzy) with the same date
of birth, or the same year of birth and the same thôn / tổ.

Names are compared on their folded keys (Child.name_key: 'nguyen thi anh') with rapidfuzz. Candidates are
blocked first — by personal ID, by date of birth, by (year of birth, thôn) — so a new child is compared with
a few dozen records, not with 50,000.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz
from rapidfuzz.process import extract
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ..clock import fmt_date
from ..entities import Child
from ..name_search import personal_id_is, village_is
from ..register_entities import NotDuplicate
from ..textnorm import fold

NAME_THRESHOLD = 88  # out of 100, on folded names; 'nguyen thi anh' ~ 'nguyen thi oanh' is 93, siblings score lower


@dataclass(frozen=True)
class ChildKey:
    id: int
    name_key: str
    date_of_birth: date | None
    village_key: str
    personal_id: str | None
    full_name: str = ""
    village: str = ""

    @property
    def birth_year(self) -> int | None:
        return self.date_of_birth.year if self.date_of_birth else None


@dataclass(frozen=True)
class Match:
    child_id: int
    score: int  # 100 for the same personal ID
    reason: str  # in Vietnamese, for the worker
    full_name: str = ""
    date_of_birth: date | None = None
    village: str = ""

    def describe(self) -> str:
        born = f", sinh {fmt_date(self.date_of_birth)}" if self.date_of_birth else ""
        where = f", {self.village}" if self.village else ""
        return f"{self.full_name}{born}{where} — {self.reason}"


def name_score(a: str, b: str) -> int:
    """Similarity of two folded names, 0–100 (word order ignored: 'anh nguyen thi' ~ 'nguyen thi anh')."""
    return int(round(max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))))


def name_scores(name_key: str, others: list[str]) -> dict[int, int]:
    """name_score of one folded name against many, in rapidfuzz's C loops with a cut-off: {index: score} of
    those that reach NAME_THRESHOLD (the others are not returned)."""
    cutoff = NAME_THRESHOLD - 0.5  # name_score rounds: 84.5 counts as 85
    best: dict[int, float] = {}
    for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
        for _choice, score, index in extract(name_key, others, scorer=scorer, score_cutoff=cutoff, limit=None):
            if score > best.get(index, -1.0):
                best[index] = score
    return {i: int(round(score)) for i, score in best.items() if int(round(score)) >= NAME_THRESHOLD}


def _judge(key: ChildKey, name_key: str, dob: date | None, village_key: str, pid: str | None,
           score: int | None = None) -> Match | None:
    if pid and key.personal_id == pid:
        return Match(key.id, 100, "cùng số định danh cá nhân", key.full_name, key.date_of_birth, key.village)
    if pid and key.personal_id and key.personal_id != pid:
        return None  # two different personal IDs: two different children
    score = name_score(name_key, key.name_key) if score is None else score
    if score < NAME_THRESHOLD:
        return None
    same_name = "cùng họ tên" if score == 100 else f"tên gần giống ({score}%)"
    if dob and key.date_of_birth == dob:
        return Match(key.id, score, f"{same_name}, cùng ngày sinh", key.full_name, key.date_of_birth, key.village)
    if dob and key.date_of_birth and key.date_of_birth.year == dob.year and village_key and key.village_key == village_key:
        return Match(key.id, score - 5, f"{same_name}, cùng năm sinh và cùng thôn/tổ", key.full_name,
                     key.date_of_birth, key.village)
    if dob is None and key.date_of_birth is None and score == 100 and village_key and key.village_key == village_key:
        return Match(key.id, 90, "cùng họ tên và cùng thôn/tổ (cả hai chưa có ngày sinh)", key.full_name, None, key.village)
    return None


class DuplicateIndex:
    """Precomputed keys of every child, blocked for quick look-ups; new children can be added as they are
    created (an import of 10,000 rows checks each row against the register and the rows before it)."""

    def __init__(self, keys: list[ChildKey] = ()):  # type: ignore[assignment]
        self.by_pid: dict[str, ChildKey] = {}
        self.by_dob: dict[date, list[ChildKey]] = defaultdict(list)
        self.by_year_village: dict[tuple[int, str], list[ChildKey]] = defaultdict(list)
        self.undated_by_village: dict[str, list[ChildKey]] = defaultdict(list)
        self.by_exact: dict[tuple, ChildKey] = {}
        # beside the blocks of dated keys, their names (scored in C without building a list per look-up), where
        # each key sits in its two blocks, and every key of each personal ID
        self._dob_names: dict[date, list[str]] = defaultdict(list)
        self._year_village_names: dict[tuple[int, str], list[str]] = defaultdict(list)
        self._positions: dict[int, tuple[int, int]] = {}
        self._all_by_pid: dict[str, list[ChildKey]] = defaultdict(list)
        for key in keys:
            self.add(key)

    @classmethod
    def load(cls, session: Session) -> "DuplicateIndex":
        rows = session.execute(select(Child.id, Child.name_key, Child.date_of_birth, Child.village,
                                      Child.personal_id, Child.full_name))
        villages: dict[str | None, str] = {}  # a commune has a few dozen thôn / tổ: each folded once
        keys = []
        for i, nk, dob, vil, pid, name in rows:
            if vil not in villages:
                villages[vil] = fold(vil)
            keys.append(ChildKey(i, nk, dob, villages[vil], pid, name, vil))
        return cls(keys)

    def add(self, key: ChildKey) -> None:
        if key.personal_id:
            self.by_pid.setdefault(key.personal_id, key)
            self._all_by_pid[key.personal_id].append(key)
        if key.date_of_birth:
            block = (key.date_of_birth.year, key.village_key)
            self._positions.setdefault(key.id, (len(self.by_dob[key.date_of_birth]), len(self.by_year_village[block])))
            self.by_dob[key.date_of_birth].append(key)
            self._dob_names[key.date_of_birth].append(key.name_key)
            self.by_year_village[block].append(key)
            self._year_village_names[block].append(key.name_key)
            self.by_exact.setdefault((key.name_key, key.date_of_birth), key)
        else:
            self.undated_by_village[key.village_key].append(key)
            self.by_exact.setdefault((key.name_key, None, key.village_key), key)

    def same_child(self, name_key: str, dob: date | None, village_key: str, pid: str | None) -> ChildKey | None:
        """The record that is certainly this child: same personal ID, or same name and date of birth
        (or same name and thôn when neither has a date of birth) without a conflicting personal ID."""
        if pid and pid in self.by_pid:
            return self.by_pid[pid]
        key = self.by_exact.get((name_key, dob) if dob else (name_key, None, village_key))
        if key is not None and not (pid and key.personal_id and key.personal_id != pid):
            return key
        return None

    def candidates(self, dob: date | None, village_key: str, pid: str | None) -> list[ChildKey]:
        seen: dict[int, ChildKey] = {}
        if pid and pid in self.by_pid:
            seen[self.by_pid[pid].id] = self.by_pid[pid]
        if dob:
            for key in self.by_dob.get(dob, ()):
                seen.setdefault(key.id, key)
            for key in self.by_year_village.get((dob.year, village_key), ()):
                seen.setdefault(key.id, key)
        else:
            for key in self.undated_by_village.get(village_key, ()):
                seen.setdefault(key.id, key)
        return list(seen.values())

    def find(self, full_name: str, dob: date | None, village: str, pid: str | None, *,
             exclude: set[int] | frozenset[int] = frozenset()) -> list[Match]:
        name_key, village_key = fold(full_name), fold(village)
        if dob and not exclude:
            return self._find_dated(name_key, dob, village_key, pid)
        keys = [key for key in self.candidates(dob, village_key, pid) if key.id not in exclude]
        if not keys:
            return []
        # Names scored all at once (in C, cut off below the threshold); only the near ones are judged here.
        scores = name_scores(name_key, [key.name_key for key in keys])
        out = []
        for i, key in enumerate(keys):
            if i in scores or (pid and key.personal_id == pid):
                match = _judge(key, name_key, dob, village_key, pid, scores.get(i, 0))
                if match:
                    out.append(match)
        return sorted(out, key=lambda m: -m.score)

    def _find_dated(self, name_key: str, dob: date, village_key: str, pid: str | None) -> list[Match]:
        """`find` for a date of birth and nothing excluded, the same matches in the same order, without going
        through every candidate in Python: only the names rapidfuzz finds near (and the same personal ID) are
        placed where `candidates` would list them (the personal ID's record, the day's block, then the rest of
        the year-and-thôn block) and judged."""
        block = (dob.year, village_key)
        dob_keys = self.by_dob.get(dob, ())
        block_keys = self.by_year_village.get(block, ())
        picked: dict[int, tuple[tuple, ChildKey, int]] = {}  # id → (place among the candidates, key, name score)

        def take(place: tuple, key: ChildKey, score: int) -> None:
            had = picked.get(key.id)
            if had is None or place < had[0]:
                picked[key.id] = (place, key, score)

        near: dict[int, int] = {}  # key id → name score, for the names that reach the threshold
        if dob_keys:
            for i, score in name_scores(name_key, self._dob_names[dob]).items():
                near[dob_keys[i].id] = score
                take((1, i), dob_keys[i], score)
        if block_keys:
            for i, score in name_scores(name_key, self._year_village_names[block]).items():
                near[block_keys[i].id] = score
                take((2, i), block_keys[i], score)
        if pid:
            first = self.by_pid.get(pid)
            if first is not None:
                take((0,), first, near.get(first.id, 0))
            for key in self._all_by_pid.get(pid, ()):
                if key.date_of_birth is None:
                    continue
                at_dob, at_block = self._positions[key.id]
                if key.date_of_birth == dob:
                    take((1, at_dob), key, near.get(key.id, 0))
                elif (key.date_of_birth.year, key.village_key) == block:
                    take((2, at_block), key, near.get(key.id, 0))
        out = []
        for _place, key, score in sorted(picked.values(), key=lambda p: p[0]):
            match = _judge(key, name_key, dob, village_key, pid, score)
            if match:
                out.append(match)
        return sorted(out, key=lambda m: -m.score)


def find_duplicates(session: Session, full_name: str, dob: date | None, village: str = "", pid: str | None = None,
                    *, exclude_id: int | None = None) -> list[Match]:
    """Likely duplicates of one child (being entered or edited) among the register, best first.

    Only the blocked candidates are read from the database (indexes on personal ID and date of birth)."""
    conds = []
    if pid:
        conds.append(personal_id_is(session, pid))
    if dob:
        conds.append(Child.date_of_birth == dob)
        if village:
            conds.append(and_(Child.date_of_birth >= date(dob.year, 1, 1), Child.date_of_birth <= date(dob.year, 12, 31),
                              village_is(session, village)))
    elif village:
        conds.append(and_(Child.date_of_birth.is_(None), village_is(session, village)))
    if not conds:
        return []
    rows = session.execute(select(Child.id, Child.name_key, Child.date_of_birth, Child.village, Child.personal_id,
                                  Child.full_name).where(or_(*conds)))
    index = DuplicateIndex([ChildKey(i, nk, d, fold(vil), p, n, vil) for i, nk, d, vil, p, n in rows])
    dismissed = _dismissed_with(session, exclude_id) if exclude_id else set()
    return index.find(full_name, dob, village, pid, exclude={exclude_id, *dismissed} - {None})


def _dismissed_with(session: Session, child_id: int) -> set[int]:
    rows = session.execute(select(NotDuplicate.child_a, NotDuplicate.child_b)
                           .where(or_(NotDuplicate.child_a == child_id, NotDuplicate.child_b == child_id)))
    return {a if b == child_id else b for a, b in rows}


@dataclass(frozen=True)
class DuplicatePair:
    a: ChildKey
    b: ChildKey
    score: int
    reason: str


def all_duplicate_pairs(session: Session, limit: int = 500) -> list[DuplicatePair]:
    """Every likely pair in the register (for the 'Trẻ có thể bị trùng' screen), best first; pairs the worker
    marked as different children are left out. Blocks are compared with rapidfuzz's matrix scorer."""
    index = DuplicateIndex.load(session)
    dismissed = {(a, b) for a, b in session.execute(select(NotDuplicate.child_a, NotDuplicate.child_b))}
    found: dict[tuple[int, int], DuplicatePair] = {}

    def consider(x: ChildKey, y: ChildKey) -> None:
        a, b = (x, y) if x.id < y.id else (y, x)
        if (a.id, b.id) in dismissed or (a.id, b.id) in found:
            return
        match = _judge(b, a.name_key, a.date_of_birth, a.village_key, a.personal_id)
        if match:
            found[(a.id, b.id)] = DuplicatePair(a, b, match.score, match.reason)

    # Same personal ID on two records.
    pid_groups: dict[str, list[ChildKey]] = defaultdict(list)
    for key in _all_keys(index):
        if key.personal_id:
            pid_groups[key.personal_id].append(key)
    for keys in pid_groups.values():
        for i in range(len(keys)):
            for j in range(i + 1, len(keys)):
                consider(keys[i], keys[j])
    # Similar names within a block (same date of birth; same year and thôn; no date and same thôn).
    blocks = [*index.by_dob.values(), *index.by_year_village.values(), *index.undated_by_village.values()]
    for block in blocks:
        if len(block) < 2:
            continue
        names = [k.name_key for k in block]
        for i in range(len(block) - 1):
            # rapidfuzz scores one name against the rest of its block in C (no numpy needed).
            for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
                for _name, _score, j in extract(names[i], names[i + 1:], scorer=scorer,
                                                 score_cutoff=NAME_THRESHOLD - 1, limit=None):
                    consider(block[i], block[i + 1 + j])
    return sorted(found.values(), key=lambda p: (-p.score, p.a.name_key))[:limit]


def _all_keys(index: DuplicateIndex):
    seen: set[int] = set()
    for block in (*index.by_dob.values(), *index.undated_by_village.values()):
        for key in block:
            if key.id not in seen:
                seen.add(key.id)
                yield key
