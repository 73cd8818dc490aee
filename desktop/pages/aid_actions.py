"""资助发放's actions on a term's batch: plan, adjust, void, re-issue, pay, the bank export and the
standards and missing-students dialogs. A part of AidPage (desktop.pages.aid), kept apart for size:
it uses the page's term, selection, summary and task runner."""
from __future__ import annotations

import os

from PySide6.QtWidgets import QFileDialog, QMessageBox

from db.aid.dto import LineRow, LineStatus, PayResult, PlanResult
from db.changes import Changes
from db.money import format_yuan
from desktop.dialogs.aid_line import AdjustDialog, PayDialog, ReissueDialog, VoidDialog
from desktop.dialogs.aid_missing import MissingDialog
from desktop.dialogs.aid_standards import StandardsDialog
from desktop.errors import show_error


class BatchActions:
    """Mixed into AidPage (a Page): needs term(), today(), summary, selected_lines(), _current_line(),
    plan_button, ctx, the signals planned/paid/exported and load_deadlines()."""

    # ---- actions --------------------------------------------------------------------------------
    def plan(self) -> None:
        term = self.term()
        if term is None:
            return
        aid = self.ctx.aid
        self.plan_button.setEnabled(False)
        self.ctx.tasks.run(lambda _p, _c: aid.plan(term), parent=self, title=f"正在生成{term.label}发放名单……",
                           on_done=self._on_planned, on_error=self._on_task_error, cancellable=False)

    def _on_planned(self, r: PlanResult) -> None:
        self.plan_button.setEnabled(True)
        self.planned.emit(r)
        QMessageBox.information(
            self, "已生成发放名单",
            f"{r.term}：共 {r.lines:,} 笔，现金合计 {format_yuan(r.total_fen)} 元"
            + (f"；减免 {r.waiver_lines:,} 笔（不发现金）" if r.waiver_lines else "") + "。\n"
            f"新增 {r.added:,} 笔，按新标准更新 {r.updated:,} 笔，移除 {r.removed:,} 笔，"
            f"保留（已调整/已发放/已作废）{r.kept:,} 笔。")
        self._after_change()

    def _on_task_error(self, exc: BaseException) -> None:
        self.plan_button.setEnabled(True)
        show_error(self, exc)

    def _run_dialog(self, dialog_cls, line: LineRow | None) -> bool:
        if line is None:
            return False
        dlg = dialog_cls(self.ctx, line, self)
        if dlg.exec() and dlg.result_value is not None:
            self._after_change()
            return True
        return False

    def adjust_selected(self) -> bool:
        line = self._current_line()
        if line is not None and line.status not in (LineStatus.PENDING, LineStatus.WAIVER):
            QMessageBox.information(self, "不能调整", f"该记录状态为“{line.status}”，只能调整待发放（或减免）的金额；"
                                                      "已发放的请先作废再补发。")
            return False
        return self._run_dialog(AdjustDialog, line)

    def void_selected(self) -> bool:
        return self._run_dialog(VoidDialog, self._current_line())

    def reissue_selected(self) -> bool:
        return self._run_dialog(ReissueDialog, self._current_line())

    def pay(self) -> None:
        term = self.term()
        if term is None or self.summary is None:
            return
        chosen = [r for r in self.selected_lines() if r.status == LineStatus.PENDING]
        pending = next((r for r in self.summary.by_status if r.key == LineStatus.PENDING), None)
        if pending is None and not chosen:
            QMessageBox.information(self, "没有待发放的记录", f"{term.label}没有待发放的记录。")
            return
        dlg = PayDialog(term.label, len(chosen), sum(r.amount_fen for r in chosen),
                        pending.lines if pending else 0, pending.amount_fen if pending else 0, self,
                        today=self.today(), term=term, deadline=term.deadline(self.ctx.aid.deadlines()[term.season]))
        if not dlg.exec():
            return
        ids = [r.id for r in chosen] if dlg.selected_only() else None
        day, aid = dlg.paid_on(), self.ctx.aid
        self.ctx.tasks.run(lambda _p, _c: aid.pay(term, day, ids), parent=self, title="正在标记已发放……",
                           on_done=self._on_paid, on_error=self._on_task_error, cancellable=False)

    def _on_paid(self, r: PayResult) -> None:
        self.paid.emit(r)
        text = f"已标记 {r.paid:,} 笔已发放，合计 {format_yuan(r.paid_fen)} 元。"
        if r.skipped:
            shown = "\n".join(f"· {name or '记录 ' + str(lid)}：{why}" for lid, name, why in r.skipped[:15])
            more = f"\n……另有 {len(r.skipped) - 15} 笔" if len(r.skipped) > 15 else ""
            text += f"\n\n以下 {len(r.skipped)} 笔未标记：\n{shown}{more}"
        QMessageBox.information(self, "标记已发放", text)
        self._after_change()

    def export_bank(self, path: str | None = None) -> None:
        term = self.term()
        if term is None:
            return
        if path is None:
            start = os.path.join(os.path.expanduser("~"), f"{term.label}资助银行代发名单.xlsx")
            path, _f = QFileDialog.getSaveFileName(self, "导出银行发放表", start, "Excel 工作簿 (*.xlsx)")
            if not path:
                return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        aid = self.ctx.aid
        self.ctx.tasks.run(lambda _p, _c: aid.export_bank_list(term, path), parent=self,
                           title="正在导出银行发放表……", on_done=self._on_exported,
                           on_error=self._on_task_error, write=False, cancellable=False)

    def _on_exported(self, result) -> None:
        path, total = result
        self.exported.emit(str(path), total)
        QMessageBox.information(self, "导出完成", f"已导出：{path}\n合计 {format_yuan(total)} 元")

    def open_standards(self) -> None:
        dlg = StandardsDialog(self.ctx, self)
        dlg.exec()
        if dlg.changed_anything:
            self.load_deadlines()
            self.changed.emit(Changes(frozenset({"aid"})))     # the 营养改善计划 pilot box shows or hides its page
            QMessageBox.information(self, "资助标准已修改",
                                    "新标准只影响之后生成/刷新的名单；已调整、已发放的记录不会改变。"
                                    "如需按新标准重算本学期待发放名单，请点“生成/刷新本学期名单”。")

    def open_missing(self, kind: str = "") -> None:
        if self.term() is not None:
            dlg = MissingDialog(self.ctx, self.term(), self)
            dlg.kind.setCurrentIndex(max(dlg.kind.findData(kind), 0))
            dlg.exec()

