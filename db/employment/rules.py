"""The employment ledger's rules (中职毕业生就业; the seed: "加强家庭经济困难中职毕业生就业指导，确保有就业
意向的建档立卡家庭学生全部就业"), pure:

- Who: registered-poor (建档立卡) 中职 students in their last year (中职三年级) or graduated (毕业).
- The target: every graduate whose intention is 就业 has a job. Employed = status 已就业 or 创业; the
  report shows employed ÷ graduates with that intention, and lists those without a job.
- 已就业 needs the employer, the place (省内/省外), the job and the start date; a contract or other
  proof is asked for (listed while missing). 未就业 needs the reason and the next action.
- Only schools that run the 中职 stage keep this ledger.
"""
from __future__ import annotations

from db.employment.dto import EMPLOYED, INTENTIONS, PLACES, STATUSES, GraduateForm

VOCATIONAL, FINAL_GRADE = "中职", "中职三年级"


def problems(f: GraduateForm) -> dict[str, str]:
    p: dict[str, str] = {}
    if f.student_id is None:
        p["student_id"] = "请选择学生"
    if not isinstance(f.grad_year, int) or not 2000 <= f.grad_year <= 2100:
        p["grad_year"] = "请填写毕业年份，如 2020"
    if f.intention not in INTENTIONS:
        p["intention"] = f"就业意向应为：{'、'.join(INTENTIONS)}"
    if f.status not in STATUSES:
        p["status"] = f"去向应为：{'、'.join(STATUSES)}"
    p.update(_outcome_problems(f))
    if f.start_date is not None and isinstance(f.grad_year, int) and f.start_date.year < f.grad_year - 1:
        p["start_date"] = f"入职日期 {f.start_date:%Y-%m-%d} 早于毕业年份 {f.grad_year} 太多，请核对年份"
    return p


def _outcome_problems(f: GraduateForm) -> dict[str, str]:
    """已就业 needs the job; 未就业 the reason and the next action."""
    p: dict[str, str] = {}
    if f.status == "已就业":
        for name, label in (("employer", "就业单位"), ("job", "岗位")):
            if not getattr(f, name).strip():
                p[name] = f"已就业请填写{label}"
        if f.place not in PLACES:
            p["place"] = "已就业请选择就业地点（省内/省外）"
        if f.start_date is None:
            p["start_date"] = "已就业请填写入职日期"
    elif f.place and f.place not in PLACES:
        p["place"] = "就业地点应为省内或省外"
    if f.status == "未就业":
        if not f.reason.strip():
            p["reason"] = "未就业请填写原因"
        if not f.next_action.strip():
            p["next_action"] = "未就业请填写下一步帮扶措施"
    return p


def is_employed(status: str) -> bool:
    return status in EMPLOYED


def lacks_job(intention: str, status: str) -> bool:
    return intention == "就业" and not is_employed(status)
