from tests.db.seed_school import town  # noqa: F401  (the fixture)
