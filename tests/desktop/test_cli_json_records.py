"""`bvte … --json` prints exactly what json.dumps(…, ensure_ascii=False, indent=1) prints (its own faster writer)."""
from __future__ import annotations

import json
import random

import pytest

from desktop.cli import _json_records

LETTERS = ["a", "ệ", "Đ", '"', "\\", "\n", "\t", "\x00", "\x1f", "/", "\u2028", "😀", " "]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(0, 8)))


def _value(rng: random.Random, depth: int = 0):
    kind = rng.randint(0, 6 if depth < 2 else 4)
    if kind == 0:
        return _text(rng)
    if kind == 1:
        return rng.randint(-10**20, 10**20)
    if kind in (2, 3, 4):
        return (None, True, False)[kind - 2]
    if kind == 5:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return [_text(rng) for _ in range(rng.randint(0, 3))]


def test_records_of_texts_numbers_lists_print_as_json_dumps_does():
    rng = random.Random(2026)
    for _ in range(2000):
        records = [{_text(rng) or "k": _value(rng) for _ in range(rng.randint(0, 6))} for _ in range(rng.randint(0, 5))]
        assert _json_records(records) == json.dumps(records, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("records", [
    [], [{}], [{"id": 1, "forms": []}], [{"x": 1.5}], [{"x": {"a": [1, {"b": None}]}}], [{"x": [2.5, "a"]}],
    [{"x": float("inf")}],
])
def test_other_values_are_left_to_json_itself(records):
    assert _json_records(records) == json.dumps(records, ensure_ascii=False, indent=1)
