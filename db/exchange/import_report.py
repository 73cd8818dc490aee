"""The import's outcome as one JSON-able dict (CLI --json) and as a short Chinese summary.
Personal numbers are masked: a report may be pasted into a chat or a ticket."""
from __future__ import annotations

import datetime as dt

from db.exchange.dto import ImportPreview, ImportResult
from db.validators import mask_card, mask_id, mask_phone

_MASK = {"id_number": mask_id, "head_id_number": mask_id, "student_no": lambda s: s[:1] + mask_id(s[1:]),
         "bank_card_no": mask_card, "phone": mask_phone}


def _value(field: str, v: object) -> object:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, float):
        v = f"{v:.6G}" if abs(v) >= 1e11 else (int(v) if v.is_integer() else v)
    if field in _MASK and v not in (None, "") and "E+" not in str(v):   # a destroyed number shows as is
        return _MASK[field](str(v))
    return v


def _col(p) -> str:
    return f"{p.column}（{p.column_letter}列）" if p.column else ""


def report_dict(preview: ImportPreview, result: ImportResult | None) -> dict:
    return {
        "file": preview.file,
        "sheet": preview.sheet,
        "header_row": preview.header_row,
        "rows_read": preview.rows_read,
        "importable": preview.importable,
        "imported": (result.imported + result.updated) if result else 0,
        "new": len(preview.new),
        "updates": len(preview.updates),
        "updated": result.updated if result else 0,
        "unchanged": preview.unchanged,
        "rejected": [{"row": p.row, "column": _col(p), "value": _value(p.field, p.value), "reason": p.reason}
                     for p in preview.problems if p.kind in ("rejected", "conflict")],
        "warnings": [{"row": p.row, "column": _col(p), "reason": p.reason}
                     for p in preview.problems if p.kind in ("warning", "same_person")]
                    + [{"row": None, "column": "", "reason": n} for n in preview.notes],
        "duplicates": [{"rows": d.rows, "id_number": mask_id(d.id_number) if len(d.id_number) == 18
                        else _MASK["student_no"](d.id_number), "kind": d.kind} for d in preview.duplicates],
        "unused_columns": list(preview.unused_columns),
        "questions": [{"kind": q.kind, "question": q.text, "rows": q.rows, "answer": dict(q.choices)[q.answer]}
                      for q in preview.questions],
        "value_meanings": [{"column": v.column, "value": v.value, "meaning": v.meaning, "rows": v.rows}
                           for v in preview.value_meanings],
    }


def report_text(preview: ImportPreview, result: ImportResult | None, *, dry_run: bool, limit: int = 50) -> str:
    d = report_dict(preview, result)
    lines = [f"文件：{d['file']}　工作表：{d['sheet']}　表头在第 {d['header_row']} 行",
             f"读取 {d['rows_read']} 行：可导入 {d['importable']}（新增 {d['new']}，有变化的已有学生 {d['updates']}），"
             f"拒绝 {len(preview.rejected_rows)} 行，提示 {len(d['warnings'])} 条，无变化 {d['unchanged']} 人"]
    if result is not None:
        lines.append(f"已导入：新增 {result.imported} 人，更新 {result.updated} 人，新建家庭 {result.households_created} 户")
        if preview.updates and not result.updated:
            lines.append(f"另有 {len(preview.updates)} 名已有学生的信息与文件不同，未更新（如需更新请加 --update-existing）")
    elif dry_run:
        lines.append("试运行（--dry-run）：未写入数据库")
    if preview.unused_columns:
        lines.append(f"未导入的列：{'、'.join(preview.unused_columns)}")
    for q in preview.questions:
        lines.append(f"待确认：{q.text}（按“{dict(q.choices)[q.answer]}”处理）")
    for title, items in (("拒绝", d["rejected"]), ("提示", d["warnings"])):
        if items:
            lines.append(f"—— {title} ——")
            for it in items[:limit]:
                where = f"第 {it['row']} 行 " if it["row"] else ""
                value = f"“{it['value']}” " if it.get("value") not in (None, "") else ""
                lines.append(f"{where}{it['column']} {value}{it['reason']}".strip())
            if len(items) > limit:
                lines.append(f"…… 另有 {len(items) - limit} 条（用 --json 查看全部）")
    if preview.updates:
        lines.append("—— 已有学生的变化 ——")
        for u in preview.updates[:limit]:
            what = "；".join(f"{c.label}：{_value(c.field, c.old) or '（空）'} → {_value(c.field, c.new)}"
                            for c in u.changes)
            lines.append(f"第 {u.row} 行 {u.name}：{what}")
    return "\n".join(lines)
