"""All ORM models. Each ledger keeps its models in its own module; importing this package
registers every table on `Base.metadata` (what Alembic compares against)."""
from db.models.base import Base, TimestampMixin
from db.models.registry import (
    AuditLog, Household, LiaisonOfficer, School, Setting, Student, StudentCategory,
)
from db.models.exchange import CountyList, CountyListEntry  # noqa: F401
from db.models.aid import AidBatch, AidStandard, Disbursement, DisbursementAdjustment, Visit, VisitPayment  # noqa: F401

__all__ = ["Base", "TimestampMixin", "AuditLog", "Household", "LiaisonOfficer", "School", "Setting",
           "Student", "StudentCategory"]
