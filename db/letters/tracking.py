"""Tracking a letter: how and when it was sent, the reply due date, the reply (the receiving school's
回执) and phone follow-ups; the letters waiting past their due date (for the home page); settings."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from db import audit
from db.context import ServiceContext
from db.errors import ValidationError
from db.letters import common, rules
from db.letters.dto import LATE, LetterDetail, LetterRow, ReplyForm, SendForm
from db.models.core import Setting
from db.models.letters import Letter, LetterCall
from db.money import parse_yuan
from db.validators import normalize_phone


class TrackingMixin:
    _ctx: ServiceContext

    def send(self, form: SendForm) -> LetterDetail:
        today = self._ctx.clock.today()
        with self._ctx.write() as s:
            x = common.get_letter(s, form.letter_id)
            tracking = (form.tracking_no or "").strip()
            p = rules.check_send(how=form.how, tracking_no=tracking, sent_on=form.sent_on, reply_due=form.reply_due,
                                 letter_date=x.letter_date, already_sent=x.sent_on is not None, voided=x.voided,
                                 today=today)
            if p:
                raise ValidationError(p)
            before = common.snapshot(x)
            x.sent_how, x.tracking_no, x.sent_on = form.how, tracking[:40], form.sent_on
            x.reply_due = form.reply_due or form.sent_on + dt.timedelta(days=common.reply_days(s))
            audit.record(s, self._ctx, "update", "letter", x.id, before=before, after=common.snapshot(x),
                         summary=f"{x.number} 已{x.sent_how}发出（{x.sent_on:%Y-%m-%d}），回复期限 {x.reply_due:%Y-%m-%d}")
            return common.detail(s, x, today)

    def reply(self, form: ReplyForm) -> LetterDetail:
        """The reply (回执) or, after follow-ups came to nothing, 无回复."""
        today = self._ctx.clock.today()
        amount, p = _amount(form.amount)
        phone = (form.phone or "").strip()
        if phone:
            try:
                phone = normalize_phone(phone)
            except ValueError as e:
                p["phone"] = str(e)
        with self._ctx.write() as s:
            x = common.get_letter(s, form.letter_id)
            p.update(rules.check_reply(result=form.result, reply_on=form.reply_on, sent_on=x.sent_on,
                                       voided=x.voided, amount_fen=amount, today=today))
            if p:
                raise ValidationError(p)
            before = common.snapshot(x)
            x.reply_on, x.result, x.reply_note = form.reply_on, form.result, (form.note or "").strip()
            x.reply_programme, x.reply_term = (form.programme or "").strip()[:60], (form.term or "").strip()[:20]
            x.reply_amount_fen, x.reply_handler, x.reply_phone = amount, (form.handler or "").strip()[:30], phone
            audit.record(s, self._ctx, "update", "letter", x.id, before=before, after=common.snapshot(x),
                         summary=f"{x.number} 回复（{x.reply_on:%Y-%m-%d}）：{x.result}")
            return common.detail(s, x, today)

    def call(self, letter_id: int, on: dt.date, note: str) -> LetterDetail:
        """A phone follow-up (电话跟进) with what was said."""
        today = self._ctx.clock.today()
        note = (note or "").strip()
        with self._ctx.write() as s:
            x = common.get_letter(s, letter_id)
            p = {}
            if x.sent_on is None:
                p["letter_id"] = "函件还没有发出，无需电话跟进"
            elif on is None or on < x.sent_on or on > today:
                p["on"] = f"跟进日期应在发出日期（{x.sent_on:%Y-%m-%d}）和今天之间"
            if not note:
                p["note"] = "请填写跟进情况（联系了谁、对方怎么说）"
            if p:
                raise ValidationError(p)
            c = LetterCall(letter_id=x.id, on=on, by=self._ctx.actor.name, note=note, at=self._ctx.clock.now())
            s.add(c)
            s.flush()
            audit.record(s, self._ctx, "create", "letter_call", c.id, summary=f"{x.number} 电话跟进（{on:%Y-%m-%d}）",
                         after={"letter_id": x.id, "on": on, "note": note})
            return common.detail(s, x, today)

    def overdue(self, today: dt.date | None = None) -> list[LetterRow]:
        """Letters sent, not answered, past their reply date: most late first (the home page calls this)."""
        today = today or self._ctx.clock.today()
        with self._ctx.read() as s:
            found = list(s.scalars(select(Letter).where(
                Letter.voided.is_(False), Letter.sent_on.is_not(None), Letter.result == "", Letter.reply_due < today)))
            calls = dict(s.execute(select(LetterCall.letter_id, func.count()).where(
                LetterCall.letter_id.in_([x.id for x in found])).group_by(LetterCall.letter_id)).all())
            rows = [common.row(x, calls.get(x.id, 0), today) for x in found]
        return sorted((r for r in rows if r.status == LATE), key=lambda r: (-int(r.days_late or 0), r.id))

    # ---- settings ----------------------------------------------------------------------------------
    def reply_days(self) -> int:
        with self._ctx.read() as s:
            return common.reply_days(s)

    def set_reply_days(self, days: int) -> None:
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
            raise ValidationError({"reply_days": "回复期限应为 1–365 天"})
        with self._ctx.write() as s:
            s.merge(Setting(key=common.REPLY_DAYS_KEY, value=str(days)))
            audit.record(s, self._ctx, "settings", "setting", None, summary=f"函件回复期限 {days} 天")

    def prefix(self) -> str:
        with self._ctx.read() as s:
            return common.prefix(s)

    def set_prefix(self, text: str) -> None:
        text = (text or "").strip()
        if not 1 <= len(text) <= 10 or any(ch in text for ch in "〔〕[]0123456789"):
            raise ValidationError({"prefix": "函号前缀为 1–10 个字，不含数字和括号，如“校资函”"})
        with self._ctx.write() as s:
            s.merge(Setting(key=common.PREFIX_KEY, value=text))
            audit.record(s, self._ctx, "settings", "setting", None, summary=f"函号前缀：{text}")


def _amount(value) -> tuple[int | None, dict[str, str]]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, {}
    if isinstance(value, int) and not isinstance(value, bool):
        return value, {}
    try:
        return parse_yuan(value), {}
    except ValueError as e:
        return None, {"amount": str(e)}
