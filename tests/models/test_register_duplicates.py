

def test_names_scored_in_one_batch_equal_the_one_by_one_scores():
    import random

    from models.services.register_duplicates import NAME_THRESHOLD, name_score, name_scores

    rng = random.Random(19)
    words = ["nguyen", "thi", "anh", "oanh", "hanh", "van", "tran", "le", "minh", "ngoc", "an", "binh", "thanh"]
    for _ in range(300):
        name = " ".join(rng.choice(words) for _ in range(rng.randint(2, 4)))
        others = [" ".join(rng.choice(words) for _ in range(rng.randint(2, 4))) for _ in range(30)]
        others += [name, name + "h", " ".join(reversed(name.split()))]
        expected = {i: name_score(name, o) for i, o in enumerate(others) if name_score(name, o) >= NAME_THRESHOLD}
        assert name_scores(name, others) == expected
        assert expected  # the name itself is always among them


def test_find_with_a_date_of_birth_gives_the_matches_of_the_candidate_scan_in_its_order():
    """find() with a date of birth scores the blocks' names at once and places only the near ones; with an id
    excluded it goes through every candidate as before. Both must give the same matches in the same order
    (the report shows the first three), also with a personal ID shared by several records."""
    import random
    from datetime import date, timedelta

    from models.services.register_duplicates import ChildKey, DuplicateIndex

    rng = random.Random(5)
    words = ["nguyen", "thi", "anh", "oanh", "hanh", "van", "tran", "minh", "an"]
    villages = ["thon 1", "thon 2", ""]
    days = [date(2015, 1, 1) + timedelta(days=rng.randrange(0, 700)) for _ in range(40)]
    pids = [f"0010150000{i:02d}" for i in range(12)]

    def name() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(2, 3)))

    index = DuplicateIndex()
    ids = list(range(1, 3001))
    rng.shuffle(ids)  # the register's ids are in no particular order
    for i in ids:
        index.add(ChildKey(i, name(), rng.choice(days + [None]), rng.choice(villages),
                           rng.choice(pids + [None] * 12), "Tên", "Thôn"))
    compared = with_matches = with_pid = 0
    for _ in range(1500):
        dob, village, pid = rng.choice(days), rng.choice(villages), rng.choice(pids + [None, None])
        full_name = name()
        fast = index.find(full_name, dob, village, pid)
        scanned = index.find(full_name, dob, village, pid, exclude={-1})
        assert fast == scanned
        compared += 1
        with_matches += len(fast) > 1
        with_pid += any(m.reason == "cùng số định danh cá nhân" for m in fast)
    assert compared == 1500 and with_matches > 100 and with_pid > 100
