"""营养改善计划 monthly 公示: the month's figures (供餐方式, 标准, 天数, 人数, 资金) and the real-name list
with name, grade and class only — nothing else about a child. No SQL here."""
from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

from db.docs.blocks import SealBlock
from db.docs.layout import CENTER, RIGHT, XIAO_SI, XIAO_WU, Column, Kit
from db.money import format_yuan
from db.nutrition.dto import MonthNotice
from db.nutrition.rules import month_label

PER_ROW = 4            # pupils per table row (年级 班级 姓名 × 3)


def month_notice(kit: Kit, n: MonthNotice) -> list[Flowable]:
    f = n.funds
    out: list[Flowable] = [
        kit.title("农村义务教育学生营养改善计划资金使用公示"),
        kit.text(f"{n.school}　{month_label(n.month)}（{n.term}）", XIAO_SI, align=CENTER, space_after=6),
        kit.table([Column("供餐方式"), Column("补助标准(元/生·天)", 1.3, RIGHT), Column("供餐天数", 0.8, RIGHT),
                   Column("受益学生(人)", 1, RIGHT), Column("本月资金(元)", 1.2, RIGHT),
                   Column("本学期累计(元)", 1.2, RIGHT)],
                  [[n.meal_model, format_yuan(f.daily_fen), str(f.meal_days), str(f.pupils), format_yuan(f.funds_fen),
                    format_yuan(n.term_total_fen)]], size=XIAO_WU),
        kit.text(f"本月资金 = 供餐天数 {f.meal_days} 天 × 受益学生 {f.pupils} 人 × {format_yuan(f.daily_fen)} 元"
                 f" = {format_yuan(f.funds_fen)} 元。营养膳食补助全部用于学生在校就餐，不发放现金，不打入银行卡。",
                 XIAO_WU, space_before=4, space_after=6, leading=XIAO_WU * 1.5),
        kit.text("受益学生名单", XIAO_SI, align=CENTER, space_after=3),
    ]
    cols = [Column("年级", 1), Column("班级", 0.7), Column("姓名", 1, min_chars=3)] * PER_ROW
    rows = []
    for i in range(0, len(n.pupils), PER_ROW):
        chunk = n.pupils[i:i + PER_ROW]
        rows.append([x for p in chunk for x in p] + [""] * (3 * (PER_ROW - len(chunk))))
    out.append(kit.table(cols, rows or [[""] * 3 * PER_ROW], size=XIAO_WU))
    phone = n.school_phone or "＿＿＿＿＿＿"
    hotline = n.county_hotline or "＿＿＿＿＿＿"
    out += [
        kit.text(f"公示期间如有异议，请向学校反映（电话：{phone}），或拨打县学生资助管理中心电话（{hotline}）。",
                 XIAO_WU, space_before=8, leading=XIAO_WU * 1.5),
        KeepTogether([kit.gap(6), SealBlock(kit, n.school, n.today, size=XIAO_SI)]),
    ]
    return out
