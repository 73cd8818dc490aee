"""The school's aid settings, kept in the `setting` table: whether the school is a pilot of the
营养改善计划 (with the county and the daily standard), and what to do with 低保/特困/孤儿/残疾
students who have no 认定 for the year (leave them out until assessed — the default — or count them
as 特别困难). The full settings page is issue 16; the standards dialog edits these for now."""
from __future__ import annotations

from sqlalchemy.orm import Session

from db import audit
from db.aid.common import amount_fen
from db.aid.dto import AidSettings
from db.aid.workdays import MIN_NOTICE_DAYS, NOTICE_DAYS_KEY
from db.context import ServiceContext
from db.errors import ValidationError
from db.models.core import Setting

KEYS = {"nutrition_pilot": "aid.nutrition_pilot", "nutrition_county": "aid.nutrition_county",
        "nutrition_daily_fen": "aid.nutrition_daily_fen", "presumed_special": "aid.presumed_special"}


def notice_days(s: Session) -> int:
    """The 公示 period's working days the school asks for (the 设置 page; never below the law's 5)."""
    row = s.get(Setting, NOTICE_DAYS_KEY)
    try:
        return max(MIN_NOTICE_DAYS, int(row.value)) if row and row.value.strip() else MIN_NOTICE_DAYS
    except ValueError:
        return MIN_NOTICE_DAYS


def load_settings(s: Session) -> AidSettings:
    got = {f: s.get(Setting, k) for f, k in KEYS.items()}
    text = {f: (row.value if row is not None else "") for f, row in got.items()}
    return AidSettings(nutrition_pilot=text["nutrition_pilot"] == "1", nutrition_county=text["nutrition_county"],
                       nutrition_daily_fen=int(text["nutrition_daily_fen"] or 0),
                       presumed_special=text["presumed_special"] == "1")


def _values(a: AidSettings) -> dict[str, str]:
    return {"nutrition_pilot": "1" if a.nutrition_pilot else "", "nutrition_county": a.nutrition_county.strip(),
            "nutrition_daily_fen": str(a.nutrition_daily_fen or 0),
            "presumed_special": "1" if a.presumed_special else ""}


class SettingsMixin:
    _ctx: ServiceContext

    def aid_settings(self) -> AidSettings:
        with self._ctx.read() as s:
            return load_settings(s)

    def save_aid_settings(self, new: AidSettings) -> AidSettings:
        """Validate and store; the daily standard may be int fen or yuan text ("5.00")."""
        try:
            daily = amount_fen(new.nutrition_daily_fen or 0, "nutrition_daily_fen")
        except ValidationError:
            raise ValidationError({"nutrition_daily_fen": "每生每天标准应为金额，如 5.00"}) from None
        if new.nutrition_pilot and not new.nutrition_county.strip():
            raise ValidationError({"nutrition_county": "试点学校请填写所在试点县"})
        clean = AidSettings(bool(new.nutrition_pilot), new.nutrition_county.strip(), daily, bool(new.presumed_special))
        with self._ctx.write() as s:
            before = load_settings(s)
            for f, value in _values(clean).items():
                row = s.get(Setting, KEYS[f]) or Setting(key=KEYS[f])
                row.value = value
                s.add(row)
            audit.record(s, self._ctx, "settings", "setting", None, summary="资助设置（营养改善计划试点、未认定学生）",
                         before=before, after=clean)
        return clean
