"""Helpers shared by the letters services (they take the open session)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import NotFound
from db.letters import rules
from db.letters.dto import CallRow, LetterDetail, LetterForm, LetterRow
from db.models.core import Setting
from db.models.letters import Letter, LetterCall
from db.money import format_yuan
from db.terms import Term
from db.validators import mask_id, mask_phone

REPLY_DAYS_KEY = "letters.reply_days"
PREFIX_KEY = "letters.prefix"
CONTENT = ("student_id", "letter_date", "child_name", "child_gender", "child_id_number", "child_stage",
           "child_grade", "head_name", "address", "poverty_status", "poverty_exit_year", "to_school", "to_province",
           "to_city", "to_county", "to_address", "to_contact", "to_phone", "request")


def get_letter(s: Session, letter_id: int) -> Letter:
    x = s.get(Letter, letter_id)
    if x is None:
        raise NotFound(f"找不到编号为 {letter_id} 的函件")
    return x


def reply_days(s: Session) -> int:
    row = s.get(Setting, REPLY_DAYS_KEY)
    try:
        return max(1, int(row.value)) if row and row.value else rules.DEFAULT_REPLY_DAYS
    except ValueError:
        return rules.DEFAULT_REPLY_DAYS


def prefix(s: Session) -> str:
    row = s.get(Setting, PREFIX_KEY)
    return row.value if row and row.value else rules.DEFAULT_PREFIX


def facts(x: Letter) -> rules.LetterFacts:
    return rules.LetterFacts(x.voided, x.letter_date, x.sent_on, x.reply_due, x.result)


def form_of(x: Letter) -> LetterForm:
    f = LetterForm(id=x.id, term=Term.from_key(x.term_key).short)
    for name in CONTENT:
        v = getattr(x, name)
        setattr(f, name, "" if v is None and name not in ("student_id", "letter_date", "poverty_exit_year") else v)
    return f


def snapshot(x: Letter) -> dict:
    """For the audit log (child_id_number and phones are masked by their names)."""
    return {"number": x.number, **{n: getattr(x, n) for n in CONTENT}, "sent_how": x.sent_how,
            "tracking_no": x.tracking_no, "sent_on": x.sent_on, "reply_due": x.reply_due, "reply_on": x.reply_on,
            "result": x.result, "reply_amount_fen": x.reply_amount_fen, "voided": x.voided}


def _day(d: dt.date | None) -> str:
    return f"{d:%Y-%m-%d}" if d else ""


def reply_text(x: Letter) -> str:
    if not x.reply_on:
        return ""
    money = f" {format_yuan(x.reply_amount_fen)} 元" if x.reply_amount_fen is not None else ""
    what = "".join(p for p in (x.reply_programme, money) if p)
    return f"{x.reply_on:%Y-%m-%d} {x.result}" + (f"：{what.strip()}" if what.strip() else "")


def row(x: Letter, calls: int, today: dt.date) -> LetterRow:
    st = rules.status(facts(x), today)
    late = (today - x.reply_due).days if st == "逾期未复" and x.reply_due else 0
    place = "".join(p for p in (x.to_province, x.to_city, x.to_county) if p)
    return LetterRow(x.id, x.number, _day(x.letter_date), x.child_name, mask_id(x.child_id_number),
                     f"{x.child_stage}{x.child_grade}", x.to_school, place, st,
                     f"{x.sent_how} {_day(x.sent_on)}".strip(), _day(x.reply_due), str(late) if late else "",
                     x.result, reply_text(x), calls, x.student_id)


def detail(s: Session, x: Letter, today: dt.date) -> LetterDetail:
    calls = [CallRow(c.id, c.on, c.by, c.note) for c in
             s.scalars(select(LetterCall).where(LetterCall.letter_id == x.id).order_by(LetterCall.on, LetterCall.id))]
    return LetterDetail(form_of(x), x.number, rules.status(facts(x), today), x.sent_how, x.tracking_no, x.sent_on,
                        x.reply_due, x.reply_on, x.result, x.reply_note, x.reply_programme, x.reply_term,
                        x.reply_amount_fen, x.reply_handler, mask_phone(x.reply_phone), x.void_reason, calls)
