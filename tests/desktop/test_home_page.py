"""工作台 on screen: nothing read while the window is built, items and figures loaded after it shows,
each item opening the page that fixes it, the figures those of `aid summary`."""
from __future__ import annotations

import datetime as dt

import pytest
import shiboken6

from db.clock import FixedClock
from db.money import format_yuan
from desktop.main_window import MainWindow
from desktop.pages.aid import AidPage
from desktop.pages.aid_visits import VisitsPage
from desktop.pages.home import HomePage
from tests.desktop.conftest import settle
from widgets.charts import BarChart, HBarChart

TODAY = dt.date(2020, 11, 20)


@pytest.fixture
def home_ctx(paid_ctx):
    paid_ctx.ctx.clock = FixedClock(dt.datetime(2020, 11, 20, 2), TODAY)
    return paid_ctx


@pytest.fixture
def window(qtbot, home_ctx, settings):
    w = MainWindow(home_ctx, settings)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    yield w
    settle(home_ctx)


def test_the_home_page_is_first_and_reads_nothing_until_it_is_on_screen(qtbot, window, home_ctx):
    page = window.current_page()
    assert isinstance(page, HomePage) and window.nav.currentRow() == 0
    window.start()                                     # started but not yet shown: no query
    assert home_ctx.tasks.pending() == 0 and page.report is None
    with qtbot.waitSignals([page.itemsLoaded, page.figuresLoaded], timeout=20_000):
        window.show()
    assert page.report is not None and page.figures is not None


def test_items_are_shown_as_cards_and_open_the_page_that_fixes_them(qtbot, window, home_ctx):
    home_ctx.aid.plan("2021春")                          # planned, not paid: due by 15 June
    page = window.current_page()
    window.start()
    with qtbot.waitSignal(page.itemsLoaded, timeout=20_000):
        window.show()
    cards = page.cards_shown()
    assert [c.item.title for c in cards] == [x.title for x in page.report.items]
    visits = next(c for c in cards if c.item.title == "已发放未走访核实")
    visits.button.click()
    assert isinstance(window.current_page(), VisitsPage)
    assert window.current_page().term().short == "2020秋"
    window.nav.setCurrentRow(0)
    due = next(c for c in page.cards_shown() if c.item.title == "资助待发放")
    assert "2021年春季学期" in due.item.detail and "距截止日（6 月 15 日）还有 207 天" in due.item.detail
    due.button.click()
    aid = window.current_page()
    assert isinstance(aid, AidPage) and aid.filters["status"].currentData() == "待发放"
    assert aid.term().short == "2021春"


def test_the_figures_on_screen_are_those_of_aid_summary(qtbot, window, home_ctx):
    page = window.current_page()
    window.start()
    with qtbot.waitSignal(page.figuresLoaded, timeout=20_000):
        window.show()
    summary = home_ctx.aid.summary("2020秋", with_missing=False)
    shown = {page.programmes.item(r, 0).text(): page.programmes.item(r, 1).text()
             for r in range(page.programmes.rowCount())}
    for row in summary.by_programme:
        assert shown[row.key] == format_yuan(row.amount_fen)
    assert shown["合计"] == format_yuan(summary.batch_total_fen)
    assert page.money_chart.categories[-1] == "2020年秋"
    assert page.money_chart.values[-1] == [summary.batch_total_fen, summary.waiver_fen]
    assert f"在校学生 <b>{page.figures.students}</b> 人" in page.summary.text()


def test_changes_refresh_the_home_page(qtbot, window, home_ctx):
    from db.changes import Changes
    page = window.current_page()
    window.start()
    with qtbot.waitSignal(page.itemsLoaded, timeout=20_000):
        window.show()
    home_ctx.aid.plan("2021春")
    with qtbot.waitSignal(page.figuresLoaded, timeout=20_000):
        window.broadcast(Changes(frozenset({"aid"})))
    assert "2021年春" in page.money_chart.categories


def test_charts_paint_their_numbers_and_an_empty_state(qtbot):
    bars = BarChart("资助金额", ["现金", "减免"], lambda f: f"{f // 100}")
    bars.resize(320, 200)
    qtbot.addWidget(bars)
    bars.set_data(["2020秋", "2021春"], [[31250, 0], [62500, 100]])
    assert "2021春：现金 625，减免 1" in bars.toolTip()
    img = bars.grab().toImage()
    assert img.width() == 320 and any(img.pixelColor(x, 150).name() == "#2f6fb0" for x in range(320))
    empty = HBarChart("类别")
    empty.resize(200, 120)
    qtbot.addWidget(empty)
    empty.set_data([])
    assert not empty.grab().isNull() and empty.toolTip() == ""


def test_a_refresh_still_reading_when_the_window_closes_is_dropped(qtbot, home_ctx, settings):
    w = MainWindow(home_ctx, settings)
    w.show()
    w.start()
    settle(home_ctx)
    page = w.current_page()
    page.refresh()                       # e.g. the refresh after a change, as the window goes
    shiboken6.delete(w)
    home_ctx.tasks.wait()                # the results land on nothing: no error, nothing shown
