"""`main.py print`: the kinds listed, a PDF written, errors in Chinese with exit status 2."""
from __future__ import annotations

from db.cli import run
from tests.db.docs.conftest import assert_embedded_truetype, pdf_text


def test_print_list_names_every_kind(capsys):
    assert run(["print", "--list"]) == 0
    out = capsys.readouterr().out
    for name in ("card", "visit", "sign", "notice", "family", "cover", "assessment"):
        assert f"{name}\t" in out
    assert "资助政策告知书" in out


def test_print_writes_the_pdf(paid, database, tmp_path, capsys):
    out = tmp_path / "签领表.pdf"
    assert run(["print", "sign", "--term", "2020秋", "--all", "--out", str(out), "--db", str(database.path)]) == 0
    assert "已生成" in capsys.readouterr().out
    assert_embedded_truetype(out)
    assert "发放签领表" in pdf_text(out)


def test_print_errors_exit_2_in_chinese(paid, database, tmp_path, capsys):
    db = ["--db", str(database.path)]
    out = str(tmp_path / "x.pdf")
    cases = [(["print", "card", "--all", "--out", out], "需要指定学期"),
             (["print", "card", "--term", "2020x", "--all", "--out", out], "无法识别学期"),
             (["print", "card", "--term", "2020秋", "--out", out], "打印范围"),
             (["print", "nope", "--out", out], "没有名为"),
             (["print", "card", "--term", "2020秋", "--all"], "--out"),
             (["print", "notice", "--term", "2020秋", "--student", "1", "--out", out], "不能按学生打印"),
             (["print", "sign", "--term", "2019秋", "--all", "--out", out], "还没有发放批次")]
    for argv, message in cases:
        assert run([*argv, *db]) == 2, argv
        assert message in capsys.readouterr().err, argv
    assert not (tmp_path / "x.pdf").exists()
