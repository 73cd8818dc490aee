"""All ORM models. Each ledger keeps its tables in its own module (registered in db.ledgers);
importing this package registers every table on `Base.metadata` (what Alembic compares against).
Code imports a model from its own module: `from db.models.aid import Disbursement`."""
from importlib import import_module

from db.ledgers import LEDGERS
from db.models import core  # noqa: F401  (audit log, settings)
from db.models.base import Base

for _ledger in LEDGERS:
    import_module(_ledger.models)

__all__ = ["Base"]
