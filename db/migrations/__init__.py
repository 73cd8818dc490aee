"""Alembic migrations. REVISIONS lists every revision in order, so that start-up can tell whether a
database is current (or from a newer app) without importing Alembic (~0.1 s); a test keeps this list
equal to the scripts in versions/."""
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011", "0012")
HEAD = REVISIONS[-1]
