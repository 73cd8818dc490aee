"""The aid ledger service (issue 4): standards, entitlements, term batches, payments, visits, family
lookup and exports. One session per call; every method returns plain dataclasses (db.aid.dto).

The work is split by topic into mixins (aid_standards, aid_plan, aid_lines, aid_visits, aid_export);
screens and the command line use the one `AidService`.
"""
from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from db.services.aid_export import ExportMixin, aid_sheet_writer
from db.services.aid_lines import LinesMixin
from db.services.aid_plan import PlanMixin
from db.services.aid_standards import StandardsMixin
from db.services.aid_visits import VisitsMixin

__all__ = ["AidService", "aid_sheet_writer"]


class AidService(StandardsMixin, PlanMixin, LinesMixin, VisitsMixin, ExportMixin):
    def __init__(self, session_factory: sessionmaker[Session]):
        self._sf = session_factory
