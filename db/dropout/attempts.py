"""Persuasion attempts (劝返), the follow-up a month after 复学, what is late (for the home page) and the
ledger's settings (escalation threshold, the editable list of reasons)."""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select

from db import audit
from db.context import ServiceContext
from db.dropout import common, rules
from db.dropout.dto import OPEN_STATES, AttemptForm, CaseDetail, Move, OverdueItem, Person, State
from db.errors import ValidationError
from db.models.core import Setting
from db.models.dropout import DropoutAttempt, DropoutCase
from db.validators import mask_id, normalize_phone


class AttemptsMixin:
    _ctx: ServiceContext

    def record_attempt(self, form: AttemptForm) -> CaseDetail:
        """One more attempt, numbered. The first one on a 辍学 case moves it to 劝返中 (a move of its own,
        in the case's history and the audit log)."""
        today = self._ctx.clock.today()
        people, p = _clean_people(form.people)
        with self._ctx.write() as s:
            c = common.get_case(s, form.case_id)
            p.update(rules.check_attempt(state=c.state, level=form.level, method=form.method, result=form.result,
                                         on=form.on, opened_on=c.opened_on, next_date=form.next_date,
                                         deadline=form.deadline, people=len(people), today=today))
            if p:
                raise ValidationError(p)
            seq = (s.scalar(select(func.max(DropoutAttempt.seq)).where(DropoutAttempt.case_id == c.id)) or 0) + 1
            a = DropoutAttempt(case_id=c.id, seq=seq, on=form.on, level=form.level, method=form.method,
                               people=common.people_json(people), result=form.result,
                               result_note=(form.result_note or "").strip(), next_step=(form.next_step or "").strip(),
                               next_date=form.next_date, deadline=form.deadline, by=self._ctx.actor.name,
                               at=self._ctx.clock.now())
            s.add(a)
            s.flush()
            audit.record(s, self._ctx, "create", "dropout_attempt", a.id,
                         summary=f"{c.name} {mask_id(c.id_number)}：第 {seq} 次劝返（{a.level}，{a.method}）：{a.result}",
                         after={"case_id": c.id, "seq": seq, "on": a.on, "level": a.level, "method": a.method,
                                "people": common.people_text(a.people), "result": a.result,
                                "next_step": a.next_step, "next_date": a.next_date, "deadline": a.deadline})
            if c.state == State.DROPPED:
                move = Move(State.PERSUADING, max(form.on, c.state_since), note=f"第 {seq} 次劝返")
                problems = rules.check_move(common.facts(c, seq), move, today)
                if problems:
                    raise ValidationError(problems)
                self._apply_move(s, c, move)
            return common.detail(s, c)

    def record_follow_up(self, case_id: int, on: dt.date, note: str) -> CaseDetail:
        """The note a month after 复学: is the child still at school?"""
        note = (note or "").strip()
        with self._ctx.write() as s:
            c = common.get_case(s, case_id)
            p = {}
            if c.state != State.RETURNED:
                p["case_id"] = "只有已复学的个案需要复学回访"
            elif on is None or on < c.returned_on:
                p["on"] = f"回访日期不能早于复学日期（{c.returned_on:%Y-%m-%d}）"
            elif on > self._ctx.clock.today():
                p["on"] = "回访日期不能晚于今天"
            if not note:
                p["note"] = "请填写回访情况（是否在校、学习和家庭情况）"
            if p:
                raise ValidationError(p)
            before = common.snapshot(c)
            c.follow_up_on, c.follow_up_note = on, note
            common.record(s, self._ctx, "update", c, f"复学回访（{on:%Y-%m-%d}）", before)
            return common.detail(s, c)

    def overdue(self, today: dt.date | None = None) -> list[OverdueItem]:
        """Every next step past its date, most late first (the home page calls this)."""
        today = today or self._ctx.clock.today()
        with self._ctx.read() as s:
            after = common.escalate_after(s)
            found = list(s.scalars(select(DropoutCase).where(
                DropoutCase.state.in_(tuple(OPEN_STATES)) |
                ((DropoutCase.state == State.RETURNED) & DropoutCase.follow_up_on.is_(None)))))
            attempts = common.attempts_of(s, [c.id for c in found])
            items = [x for c in found for x in common.overdue_items(c, attempts.get(c.id, []), after, today)]
        return sorted(items, key=lambda x: (-x.days_late, x.case_id))

    # ---- settings ----------------------------------------------------------------------------------
    def escalate_after(self) -> int:
        with self._ctx.read() as s:
            return common.escalate_after(s)

    def set_escalate_after(self, n: int) -> None:
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 10:
            raise ValidationError({"escalate_after": "上报前学校劝返的次数应为 1–10"})
        with self._ctx.write() as s:
            s.merge(Setting(key=common.ESCALATE_KEY, value=str(n)))
            audit.record(s, self._ctx, "settings", "setting", None, summary=f"学校劝返 {n} 次未果后上报乡镇")

    def reasons(self) -> list[str]:
        with self._ctx.read() as s:
            return common.reasons(s)

    def set_reasons(self, reasons: list[str]) -> None:
        clean = [r.strip() for r in reasons if r and r.strip()]
        if not clean or len(set(clean)) != len(clean) or any(len(r) > 20 for r in clean):
            raise ValidationError({"reasons": "辍学原因不能为空、不能重复，每项不超过 20 个字"})
        with self._ctx.write() as s:
            s.merge(Setting(key=common.REASONS_KEY, value=json.dumps(clean, ensure_ascii=False)))
            audit.record(s, self._ctx, "settings", "setting", None, summary=f"辍学原因：{'、'.join(clean)}")


def _clean_people(people: list[Person]) -> tuple[list[Person], dict[str, str]]:
    out, p = [], {}
    for i, person in enumerate(people, 1):
        name, role, phone = (person.name or "").strip(), (person.role or "").strip(), (person.phone or "").strip()
        if not (name or role or phone):
            continue
        if not name:
            p["people"] = f"第 {i} 位劝返人员请填写姓名"
            continue
        if phone:
            try:
                phone = normalize_phone(phone)
            except ValueError as e:
                p["people"] = f"{name}的电话：{e}"
        out.append(Person(name[:30], role[:30], phone))
    return out, p
