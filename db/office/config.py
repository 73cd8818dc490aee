"""The settings page (设置): the school's details and the settings other ledgers keep in the `setting`
table, read and saved together — validated all at once, written in one transaction, one audit entry
naming what changed.

    config.get() -> OfficeConfig
    config.save(OfficeConfig) -> OfficeConfig          ValidationError({field: 中文}) and nothing saved

Where each setting lives (so that a ledger reading it needs no change): the school row (name … phone),
school.county_hotline (db.registry.paper), aid.nutrition_* (db.aid.settings, the standards dialog edits
them too), aid.notice_days (db.aid.workdays), letters.reply_days (db.letters.common), special.visit_every_days
(db.special.rules, 送教上门 frequency; the special page's own dialog edits it too). A ledger that lands later
adds its field here.
"""
from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import audit, enums
from db.aid.settings import KEYS as AID_KEYS
from db.aid.settings import load_settings, notice_days
from db.aid.workdays import MIN_NOTICE_DAYS, NOTICE_DAYS_KEY
from db.context import ServiceContext
from db.errors import ValidationError
from db.letters.common import REPLY_DAYS_KEY, reply_days
from db.models.core import Setting
from db.models.registry import School
from db.money import format_yuan, parse_yuan
from db.office.dto import OfficeConfig
from db.registry.selection import HOTLINE_KEY
from db.special import rules as special_rules
from db.special.common import visit_settings
from db.validators import normalize_phone

LABELS = {
    "name": "学校名称", "county": "所在县（区）", "township": "所在乡镇", "stages": "办学学段", "code": "学校标识码",
    "officer": "资助专干", "headmaster": "校长", "phone": "监督电话", "county_hotline": "县资助中心电话",
    "nutrition_pilot": "营养改善计划试点", "nutrition_county": "试点县", "nutrition_daily_fen": "膳食补助标准",
    "notice_days": "公示天数", "reply_days": "函件回复期限", "visit_every_days": "送教上门频次",
}
SCHOOL_FIELDS = ("name", "county", "township", "code", "officer", "headmaster", "phone")
MAX_NOTICE_DAYS = 30


def _read(s: Session) -> OfficeConfig:
    sc = s.scalar(select(School).order_by(School.id).limit(1))
    hot = s.get(Setting, HOTLINE_KEY)
    aid = load_settings(s)
    cfg = OfficeConfig(county_hotline=(hot.value if hot else "").strip(), nutrition_pilot=aid.nutrition_pilot,
                       nutrition_county=aid.nutrition_county, nutrition_daily_fen=aid.nutrition_daily_fen,
                       notice_days=notice_days(s), reply_days=reply_days(s),
                       visit_every_days=visit_settings(s).every_days)
    if sc is not None:
        for f in SCHOOL_FIELDS:
            setattr(cfg, f, getattr(sc, f) or "")
        cfg.stages = [x for x in (sc.stages or "").split(",") if x]
    return cfg


def _phone(value: str, field: str, p: dict[str, str]) -> str:
    if not value.strip():
        return ""
    try:
        return normalize_phone(value)
    except ValueError as e:
        p[field] = str(e)
        return value.strip()


def _money(value: int | str, p: dict[str, str]) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        fen = value
    else:
        try:
            fen = parse_yuan(str(value or "0"))
        except ValueError as e:
            p["nutrition_daily_fen"] = f"膳食补助标准：{e}"
            return 0
    if not 0 <= fen <= 10_000:
        p["nutrition_daily_fen"] = "膳食补助标准应在 0–100.00 元/天之间（0：按资助标准表）"
    return fen


def _days(value: object, low: int, high: int, field: str, text: str, p: dict[str, str]) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    p[field] = text
    return low


def validate(cfg: OfficeConfig) -> OfficeConfig:
    """A clean copy, or ValidationError with every problem."""
    p: dict[str, str] = {}
    clean = dataclasses.replace(cfg, **{f: str(getattr(cfg, f) or "").strip() for f in
                                        (*SCHOOL_FIELDS, "county_hotline", "nutrition_county")})
    if not clean.name:
        p["name"] = "请填写学校名称"
    bad = [x for x in cfg.stages if x not in enums.values(enums.Stage)]
    if bad or not cfg.stages:
        p["stages"] = f"未知学段：{'、'.join(bad)}" if bad else "请至少选择一个学段"
    clean.stages = [x for x in enums.values(enums.Stage) if x in cfg.stages]
    clean.phone = _phone(clean.phone, "phone", p)
    clean.county_hotline = _phone(clean.county_hotline, "county_hotline", p)
    clean.nutrition_pilot = bool(cfg.nutrition_pilot)
    clean.nutrition_daily_fen = _money(cfg.nutrition_daily_fen, p)
    if clean.nutrition_pilot and not clean.nutrition_county:
        p["nutrition_county"] = "试点学校请填写所在试点县"
    clean.notice_days = _days(cfg.notice_days, MIN_NOTICE_DAYS, MAX_NOTICE_DAYS, "notice_days",
                              f"公示期应为 {MIN_NOTICE_DAYS}–{MAX_NOTICE_DAYS} 个工作日（不少于 5 个工作日）", p)
    clean.reply_days = _days(cfg.reply_days, 1, 365, "reply_days", "函件回复期限应为 1–365 天", p)
    clean.visit_every_days = _days(cfg.visit_every_days, 1, 60, "visit_every_days", "送教频次应为每 1–60 天一次", p)
    if p:
        raise ValidationError(p)
    return clean


def changes(before: OfficeConfig, after: OfficeConfig) -> dict[str, tuple[object, object]]:
    return {f.name: (getattr(before, f.name), getattr(after, f.name)) for f in dataclasses.fields(OfficeConfig)
            if getattr(before, f.name) != getattr(after, f.name)}


def shown(field: str, value: object) -> str:
    if field == "nutrition_daily_fen":
        return f"{format_yuan(int(value))} 元/天"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(value)
    return str(value)


class ConfigService:
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx

    def get(self) -> OfficeConfig:
        with self._ctx.read() as s:
            return _read(s)

    def save(self, cfg: OfficeConfig) -> OfficeConfig:
        clean = validate(cfg)
        with self._ctx.write() as s:
            before = _read(s)
            diff = changes(before, clean)
            if not diff:
                return before
            sc = s.scalar(select(School).order_by(School.id).limit(1)) or School()
            s.add(sc)
            for f in SCHOOL_FIELDS:
                setattr(sc, f, getattr(clean, f))
            sc.stages = ",".join(clean.stages)
            values = {HOTLINE_KEY: clean.county_hotline, AID_KEYS["nutrition_pilot"]: "1" if clean.nutrition_pilot else "",
                      AID_KEYS["nutrition_county"]: clean.nutrition_county,
                      AID_KEYS["nutrition_daily_fen"]: str(clean.nutrition_daily_fen),
                      NOTICE_DAYS_KEY: str(clean.notice_days), REPLY_DAYS_KEY: str(clean.reply_days),
                      special_rules.VISIT_EVERY_KEY: str(clean.visit_every_days)}
            for key, value in values.items():
                s.merge(Setting(key=key, value=value))
            text = "；".join(f"{LABELS[f]} {shown(f, a)} → {shown(f, b)}" for f, (a, b) in diff.items())
            audit.record(s, self._ctx, "settings", "setting", None, summary=f"设置：{text}",
                         before={f: a for f, (a, _b) in diff.items()}, after={f: b for f, (_a, b) in diff.items()})
        return self.get()
