"""Pieces the aid pages share: the term chooser, the deadline panel, the lines table model, errors."""
from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QMessageBox, QVBoxLayout

from db.aid.dto import DeadlineRow, LineRow
from db.errors import ValidationError
from db.money import format_yuan
from db.terms import Term, parse_term, term_of
from widgets.table_model import LazyTableModel

LATE_COLOR = "#c62828"
DUE_COLOR = "#e65100"
DONE_COLOR = "#2e7d32"
STATUS_COLORS = {"待发放": "#e65100", "已发放": "#1565c0", "已核实": "#2e7d32", "减免": "#6a1b9a", "已作废": "#9e9e9e"}


def recent_terms(today: dt.date, back: int = 5) -> list[Term]:
    """The current term, the next one and `back` before it, newest first."""
    cur = term_of(today)
    return [Term.from_key(cur.key + 1 - i) for i in range(back + 2)]


class TermCombo(QComboBox):
    """An editable term chooser: pick 2020秋 … or type 2020秋 / 2020年秋季学期. `termChanged(short)`
    fires when a valid term is chosen; a bad text is refused with the Chinese message."""

    termChanged = Signal(str)

    def __init__(self, parent=None, *, today: dt.date | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(14)
        self.setToolTip("选择学期，或输入 2020秋、2021春、2020年秋季学期")
        self._term: Term | None = None
        self.set_terms(recent_terms(today or dt.date.today()))
        self.activated.connect(lambda _i: self._commit())
        self.lineEdit().editingFinished.connect(self._commit)

    def set_terms(self, terms) -> None:
        keep = self._term
        self.blockSignals(True)
        self.clear()
        for t in sorted(set(terms), reverse=True):
            self.addItem(t.label, t.short)
        self.blockSignals(False)
        if keep is not None:
            self.set_term(keep, emit=False)

    def term(self) -> Term | None:
        return self._term

    def set_term(self, term: Term | str, *, emit: bool = True) -> None:
        t = parse_term(term)
        i = self.findData(t.short)
        if i < 0:
            self.addItem(t.label, t.short)
            i = self.count() - 1
        self.blockSignals(True)
        self.setCurrentIndex(i)
        self.setEditText(t.label)
        self.blockSignals(False)
        changed = t != self._term
        self._term = t
        if emit and changed:
            self.termChanged.emit(t.short)

    def _commit(self) -> None:
        text = self.currentText().strip()
        try:
            t = parse_term(text)
        except ValidationError as e:
            QMessageBox.warning(self, "学期有误", e.problems["term"])
            if self._term is not None:
                self.setEditText(self._term.label)
            return
        self.set_term(t)


def deadline_html(r: DeadlineRow) -> str:
    """One deadline as rich text: red when late, orange when due, green when done."""
    term = html.escape(r.term)
    if r.state == "已逾期":
        return (f"<span style='color:{LATE_COLOR}; font-weight:bold'>{term} 已逾期 {-r.days_left} 天"
                f"（截止 {r.deadline:%Y-%m-%d}）：未发放 {r.unpaid_lines:,} 笔，"
                f"{format_yuan(r.unpaid_fen)} 元</span>")
    if r.state == "待发放":
        return (f"<span style='color:{DUE_COLOR}; font-weight:bold'>{term} 待发放：还剩 {r.days_left} 天"
                f"（截止 {r.deadline:%Y-%m-%d}），未发放 {r.unpaid_lines:,} 笔，"
                f"{format_yuan(r.unpaid_fen)} 元</span>")
    if r.state == "未生成批次":
        late = f"已过截止日 {-r.days_left} 天" if r.days_left < 0 else f"距截止还有 {r.days_left} 天"
        color = LATE_COLOR if r.days_left < 0 else DUE_COLOR
        return (f"<span style='color:{color}'>{term} 尚未生成发放名单（截止 {r.deadline:%Y-%m-%d}，"
                f"{late}）</span>")
    if r.state == "金额待填写":
        return (f"<span style='color:{DUE_COLOR}'>{term} 已发放 {format_yuan(r.paid_fen)} 元；还有 "
                f"{r.no_amount_lines:,} 笔的标准金额待填写（资助标准…）</span>")
    return (f"<span style='color:{DONE_COLOR}'>{term} 已发放完毕：{format_yuan(r.paid_fen)} 元</span>")


class DeadlinePanel(QFrame):
    """截止提醒 at the top of the aid page: what is due, what is late and by how much money. One line
    per term (late first), at most `max_rows`; a summary line counts the rest."""

    termClicked = Signal(str)

    def __init__(self, parent=None, *, max_rows: int = 2):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("deadlinePanel")
        self._max = max_rows
        self.rows: list[DeadlineRow] = []
        self.labels: list[QLabel] = []
        self.title = QLabel("<b>发放截止提醒</b>")
        self.more = QLabel()
        self.more.setStyleSheet("color: palette(mid);")
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.more)
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(8, 3, 8, 3)
        self._lay.setSpacing(1)
        self._lay.addLayout(head)

    def set_rows(self, rows: list[DeadlineRow]) -> None:
        for lab in self.labels:
            lab.deleteLater()
        self.labels = []
        self.rows = list(rows)
        # late first, then due, then not planned, then done; newest term first within each
        order = {"已逾期": 0, "待发放": 1, "未生成批次": 2, "已完成": 3}
        shown = sorted(rows, key=lambda r: order.get(r.state, 9))[: self._max]
        for r in shown:
            lab = QLabel(deadline_html(r))
            lab.setTextFormat(Qt.TextFormat.RichText)
            lab.setWordWrap(True)
            lab.setToolTip(f"{r.term}：截止 {r.deadline:%Y-%m-%d}；已发放 {format_yuan(r.paid_fen)} 元。点击查看该学期")
            lab.setProperty("state", r.state)
            lab.setCursor(Qt.CursorShape.PointingHandCursor)
            lab.mousePressEvent = lambda _e, t=r.term: self.termClicked.emit(t)
            self._lay.addWidget(lab)
            self.labels.append(lab)
        if not rows:
            self.more.setText("暂无发放批次")
            return
        late = [r for r in rows if r.state == "已逾期"]
        rest = len(rows) - len(shown)
        parts = []
        if late:
            parts.append(f"逾期 {len(late)} 个学期，共 {format_yuan(sum(r.unpaid_fen for r in late))} 元未发放")
        if rest:
            parts.append(f"另有 {rest} 个学期未列出")
        self.more.setText("；".join(parts))
        self.more.setStyleSheet(f"color: {LATE_COLOR}; font-weight: bold;" if late else "color: palette(mid);")


class LinesModel(LazyTableModel):
    """Disbursement lines: money as yuan with two decimals (right-aligned), status in colour."""

    MONEY = {"amount": "amount_fen", "computed": "computed_fen"}

    def value(self, row: LineRow, key: str) -> str:
        if key in self.MONEY:
            return format_yuan(getattr(row, self.MONEY[key]))
        if key == "adjusted":
            return "已调整" if row.adjusted else ""
        if key == "paid_on":
            return f"{row.paid_on:%Y-%m-%d}" if row.paid_on else ""
        if key == "reissue":
            return "补发" if row.reissue_of_id else ""
        v = getattr(row, key, "")
        return "" if v is None else str(v)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= self.rowCount() or index.column() >= self.columnCount():
            return None
        key = self.keys[index.column()]
        row = self.row_at(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole and key in self.MONEY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "status" and row.status in STATUS_COLORS:
                return QBrush(QColor(STATUS_COLORS[row.status]))
            if key == "amount" and row.amount_fen == 0 and row.status == "待发放":
                return QBrush(QColor(DUE_COLOR))        # 金额待填写: set the standard or adjust
        if role == Qt.ItemDataRole.ToolTipRole and key == "amount" and row.amount_fen == 0:
            return "金额为 0（金额待填写）：请在“资助标准…”中填写该项目的金额后刷新名单，或“调整金额”"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.value(row, key)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def to_tsv(self, rows, columns) -> str:
        def clean(v: str) -> str:
            return v.replace("\t", " ").replace("\r", " ").replace("\n", " ")
        keys = self.keys
        lines = ["\t".join(self.header(c) for c in columns)]
        for r in rows:
            row = self.row_at(r)
            lines.append("\t".join(clean(self.value(row, keys[c])) for c in columns))
        return "\r\n".join(lines) + "\r\n"
