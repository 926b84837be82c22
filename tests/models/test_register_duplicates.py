

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
