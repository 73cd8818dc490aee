"""The survey's rules, as the seed has them (pure, no session).

- Who is surveyed: every household with a registered-poor (建档立卡) child in school (在校).
- 一看二问三查: 一看 — is there a working TV, smartphone, computer/tablet at home (有 / 无 / unknown);
  二问 — can the child attend online classes, does the child know how; 三查 — does the child operate it
  well, is the teacher's guidance adequate, is homework handed in and marked on time. Unknown stays
  blank (None), never 否.
- **Pass rule**: "确保建档立卡学生家庭必须有可以正常使用的智能手机或者电视机" — the household passes only
  with a working smartphone or TV (a computer alone does not pass it; unknown does not pass it).
- A household that failed is listed (待整改) until it has at least one problem recorded and every
  problem is solved (已整改). Any open problem (无宽带, 信号差, 流量费 …) keeps a household on the list,
  whatever its devices.
- The report counts fixes as the seed does: 电视机 N 台 / 手机 N 部 / 天线 N 个 / 网络电视 N 户 /
  流量 学生 N 教师 N — quantities of solved fixes; 网络电视 counts households.
"""
from __future__ import annotations

from collections.abc import Iterable

NOT_CHECKED, PASSED, FAILING, FIXED = "未排查", "达标", "待整改", "已整改"


def passes(has_tv: bool | None, has_phone: bool | None) -> bool:
    return has_tv is True or has_phone is True


def status(checked: bool, passed: bool, solved: Iterable[bool]) -> str:
    """A household's state in a round from its check and its problems (solved? per problem)."""
    if not checked:
        return NOT_CHECKED
    solved = list(solved)
    if not all(solved):
        return FAILING
    if passed:
        return PASSED
    return FIXED if solved else FAILING


def yes_no(value: bool | None, yes: str = "有", no: str = "无") -> str:
    """有 / 无 / "" (unknown is blank, never 无 or 否)."""
    return yes if value is True else no if value is False else ""


def devices_text(has_tv: bool | None, has_phone: bool | None, has_computer: bool | None) -> str:
    got = [n for v, n in ((has_tv, "电视机"), (has_phone, "智能手机"), (has_computer, "电脑/平板")) if v]
    if got:
        return "、".join(got)
    if all(v is False for v in (has_tv, has_phone, has_computer)):
        return "无"
    return "未知" if all(v is None for v in (has_tv, has_phone, has_computer)) else "无可用设备（部分未知）"


def fix_counts(fixes: Iterable[tuple[str, int, int]]) -> dict[str, int]:
    """(fix kind, quantity, household id) of solved fixes -> report counts (网络电视: households)."""
    out: dict[str, int] = {}
    tv_homes: set[int] = set()
    for kind, qty, hid in fixes:
        if kind == "网络电视":
            tv_homes.add(hid)
        elif kind:
            out[kind] = out.get(kind, 0) + max(1, qty)
    out["网络电视"] = len(tv_homes)
    return out
