"""The audit log as a workbook for an inspector: every entry in order, local time, numbers masked
(snapshots are masked when written; summaries pass the log's mask once more), the chain's verdict
on the first sheet."""
from __future__ import annotations

from pathlib import Path

from db import audit, logs
from db.clock import local_text
from db.context import ServiceContext
from db.sheets import Formats, atomic_output, closing_on_error, column_width, open_workbook, write_header

HEADERS = ["序号", "时间", "操作人", "操作", "对象", "对象编号", "说明", "修改前", "修改后", "结果", "哈希"]
WIDTHS = [8, 18, 10, 8, 14, 9, 50, 40, 40, 6, 18]
ACTIONS = {"create": "新建", "update": "修改", "delete": "删除", "import": "导入", "export": "导出",
           "print": "打印", "pay": "发放", "plan": "生成批次", "void": "作废", "reissue": "补发",
           "settings": "设置", "backup": "备份", "restore": "恢复", "purge": "清理日志", "demo": "演示数据",
           "login": "登录", "login_failed": "登录失败", "reveal": "查看完整号码"}


def export_audit_log(ctx: ServiceContext, out: Path | str) -> int:
    """Write the whole log to `out` (atomically); returns the number of entries. The export is
    itself recorded."""
    out = Path(out)
    with ctx.read() as s:
        report = audit.verify_chain(s)
        with atomic_output(out) as tmp:
            wb = open_workbook(tmp, constant_memory=True)
            with closing_on_error(wb):
                fmt = Formats(wb)
                head = wb.add_worksheet("说明")
                head.set_column(0, 0, 90)
                head.write_string(0, 0, "审计日志（证件号、银行卡号、电话已脱敏）", fmt.bold)
                head.write_string(1, 0, report.text())
                ws = wb.add_worksheet("审计日志")
                write_header(ws, 0, HEADERS, fmt, [column_width(h, lo=w, hi=w) for h, w in zip(HEADERS, WIDTHS)])
                n = 0
                for n, e in enumerate(audit.entries(s), 1):
                    row = (e.id, local_text(e.at, "%Y-%m-%d %H:%M:%S"), e.actor, ACTIONS.get(e.action, e.action),
                           e.entity, "" if e.entity_id is None else str(e.entity_id), logs.mask_text(e.summary),
                           logs.mask_text(e.before), logs.mask_text(e.after), "成功" if e.ok else "失败", e.hash[:16])
                    for c, v in enumerate(row):
                        if isinstance(v, int):
                            ws.write_number(n, c, v)
                        else:
                            ws.write_string(n, c, v)
    audit.log_event(ctx, "export", "audit_log", summary=f"导出审计日志 {n} 条到 {out.name}")
    return n
