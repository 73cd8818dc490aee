"""The recovery-key page: printed once at setup, kept in the headmaster's safe (or at the county
office). Plain data to flowables through the document layer (db.docs); no SQL."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from reportlab.platypus import Flowable

from db.docs.blocks import SignRow
from db.docs.fonts import TITLE
from db.docs.layout import CENTER, SAN_HAO, XIAO_SI, Kit
from db.docs.render import OFFICIAL, RenderResult, Section, render


@dataclass(frozen=True)
class RecoveryPage:
    school: str
    recovery_key: str
    admin: str
    db_path: str
    made: dt.date


def recovery_page(kit: Kit, p: RecoveryPage) -> list[Flowable]:
    groups = p.recovery_key.split("-")
    lines = ["  ".join(groups[i:i + 3]) for i in range(0, len(groups), 3)]
    return [
        kit.title("助学台账 恢复密钥"),
        kit.text(p.school or "（未填写学校名称）", XIAO_SI, align=CENTER, space_after=10),
        kit.body("本页是助学台账数据库的恢复密钥。数据库和它的每一个备份都已加密；忘记管理员密码、"
                 "换了电脑或只剩下U盘上的备份时，只有凭这个密钥才能打开。"),
        kit.gap(10),
        *[kit.text(line, SAN_HAO, TITLE, align=CENTER, space_after=6) for line in lines],
        kit.gap(10),
        kit.pairs([("管理员", p.admin), ("生成日期", p.made.isoformat()), ("数据库", p.db_path)], per_row=1),
        kit.gap(10),
        kit.body("保管要求：1. 打印后密封，交校长放入保险柜（或交县资助中心保管），不要放在电脑旁；"
                 "2. 不要拍照、不要存在电脑或U盘上；3. 使用方法：在登录窗口点“用恢复密钥…”，"
                 "输入上面 9 组字母数字（不分大小写，字母 O 与数字 0 不必区分），为管理员设置新密码；"
                 "4. 谁拿到这个密钥，谁就能打开全部学生资料：遗失时请立即报告。", XIAO_SI),
        kit.gap(24),
        SignRow(kit, [("生成人", False), ("保管人", False)]),
    ]


def write_recovery_page(p: RecoveryPage, out: Path) -> RenderResult:
    return render(Section(lambda kit: recovery_page(kit, p), OFFICIAL, "恢复密钥 — 请密封保管"), out)
