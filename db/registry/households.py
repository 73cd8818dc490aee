"""Households (户) and the liaison officers to choose from: the household half of RegistryService."""
from __future__ import annotations

from sqlalchemy import or_, select

from db import audit
from db.changes import Changes
from db.context import ServiceContext
from db.errors import LedgerError, NotFound, ValidationError
from db.models.registry import Household, LiaisonOfficer
from db.query import prefix_range
from db.registry.dto import HouseholdChoice, HouseholdForm, OfficerChoice
from db.registry.rules import validate_household
from db.validators import clean_text

HOUSEHOLD_FIELDS = ("household_no", "head_name", "head_id_number", "township", "village", "group_name",
                    "address", "phone", "poverty_status", "poverty_exit_year", "liaison_officer_id", "helper_cadre",
                    "monitored_type", "notes")
_NULLABLE = ("household_no", "head_id_number", "poverty_status", "monitored_type")


class HouseholdsMixin:
    _ctx: ServiceContext

    def get_household(self, household_id: int) -> HouseholdForm:
        with self._ctx.read() as s:
            hh = s.get(Household, household_id)
            if hh is None:
                raise NotFound(f"找不到编号为 {household_id} 的家庭")
            return _household_form(hh)

    def save_household(self, form: HouseholdForm) -> HouseholdForm:
        clean, problems = validate_household(form, today=self._ctx.clock.today())
        with self._ctx.write() as s:
            if clean.household_no:
                other = s.scalar(select(Household).where(Household.household_no == clean.household_no,
                                                         Household.id != (clean.id or -1)))
                if other:
                    problems["household_no"] = f"户编号已被“{other.head_name}”家使用"
            if problems:
                raise ValidationError(problems)
            before = None
            if clean.id is None:
                hh = Household()
                s.add(hh)
            else:
                hh = s.get(Household, clean.id)
                if hh is None:
                    raise NotFound("该家庭已被删除，无法保存")
                before = _snapshot(hh)
            for f in HOUSEHOLD_FIELDS:
                v = getattr(clean, f)
                setattr(hh, f, (v or None) if f in _NULLABLE else v)
            s.flush()
            audit.record(s, self._ctx, "update" if before else "create", "household", hh.id,
                         summary=hh.head_name, before=before, after=_snapshot(hh))
            return _household_form(hh)

    def delete_household(self, household_id: int) -> Changes:
        with self._ctx.write() as s:
            hh = s.get(Household, household_id)
            if hh is None:
                raise NotFound("该家庭已被删除")
            if hh.students:
                raise LedgerError(f"“{hh.head_name}”家还有 {len(hh.students)} 名学生，请先删除或移出这些学生")
            audit.record(s, self._ctx, "delete", "household", hh.id, summary=f"删除家庭 {hh.head_name}",
                         before=_snapshot(hh))
            s.delete(hh)
        return Changes(frozenset({"household"}), frozenset({household_id}))

    def find_households(self, text: str, limit: int = 30) -> list[HouseholdChoice]:
        text = clean_text(text)
        stmt = select(Household).order_by(Household.head_name).limit(limit)
        if text:
            pattern = f"%{text}%"
            stmt = stmt.where(or_(Household.head_name.like(pattern), Household.village.like(pattern),
                                  Household.household_no.like(pattern),
                                  prefix_range(Household.head_id_number, text.upper())))
        with self._ctx.read() as s:
            return [HouseholdChoice(h.id, _household_label(h)) for h in s.scalars(stmt)]

    def list_officers(self) -> list[OfficerChoice]:
        """Liaison officers (联络员) to choose from in the household form."""
        with self._ctx.read() as s:
            return [OfficerChoice(o.id, f"{o.name}（{o.phone}）" if o.phone else o.name)
                    for o in s.scalars(select(LiaisonOfficer).order_by(LiaisonOfficer.name))]

    def household_label(self, household_id: int) -> str:
        with self._ctx.read() as s:
            hh = s.get(Household, household_id)
            return _household_label(hh) if hh else ""


def _household_form(hh: Household) -> HouseholdForm:
    return HouseholdForm(
        id=hh.id, household_no=hh.household_no or "", head_name=hh.head_name,
        head_id_number=hh.head_id_number or "", township=hh.township, village=hh.village,
        group_name=hh.group_name, address=hh.address, phone=hh.phone,
        poverty_status=hh.poverty_status or "", poverty_exit_year=hh.poverty_exit_year,
        liaison_officer_id=hh.liaison_officer_id, helper_cadre=hh.helper_cadre or "",
        monitored_type=hh.monitored_type or "", notes=hh.notes,
        children=[(c.id, c.name, f"{c.grade}{c.class_name}") for c in hh.students])


def _snapshot(hh: Household) -> dict:
    return {f: getattr(hh, f) for f in HOUSEHOLD_FIELDS}


def _household_label(hh: Household) -> str:
    place = " ".join(x for x in (hh.township, hh.village, hh.group_name) if x)
    no = f"，户编号 {hh.household_no}" if hh.household_no else ""
    return f"{hh.head_name}（{place}{no}）"
