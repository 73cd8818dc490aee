import datetime as dt
import hashlib

import pytest
from sqlalchemy import text

from db.employment.dto import GraduateForm, GuidanceForm
from db.errors import LedgerError, ValidationError

PDF = b"%PDF-1.4\n% a contract scan\n"


@pytest.fixture
def grads(town, services):
    town.stages("中职")
    hh = town.household()
    ids = {"a": town.student("甲", hh, stage="中职", major="计算机应用"),
           "b": town.student("乙", hh, stage="中职", major="电子商务"),
           "c": town.student("丙", hh, stage="中职", enrolment="毕业", grade="中职三年级"),
           "young": town.student("丁", hh, stage="中职", grade="中职一年级"),
           "rich": town.student("戊", None, stage="中职", categories=("农村低保",))}
    return ids


def test_only_schools_with_a_vocational_stage_keep_it(town, services):
    assert services.employment.applies() is False
    town.stages("初中,中职")
    assert services.employment.applies() is True


def test_candidates_are_registered_poor_final_year_or_graduated(services, grads):
    got = {c.name for c in services.employment.candidates(2020)}
    assert got == {"甲", "乙", "丙"}
    assert services.employment.add_graduates(2020, [grads["a"], grads["b"], grads["c"]]) == 3
    assert services.employment.candidates(2020) == []
    rows = services.employment.graduates(2020)
    assert {r.major for r in rows} == {"计算机应用", "电子商务", ""}
    assert all(r.school == "阚疃镇中心学校" for r in rows)


def test_employed_needs_the_job_and_not_employed_the_reason(services, grads):
    services.employment.add_graduates(2020, [grads["a"]])
    g = services.employment.get(services.employment.graduates()[0].id)
    g.status = "已就业"
    with pytest.raises(ValidationError) as e:
        services.employment.save(g)
    assert set(e.value.problems) == {"employer", "job", "place", "start_date"}
    g.status, g.reason = "未就业", ""
    with pytest.raises(ValidationError) as e:
        services.employment.save(g)
    assert set(e.value.problems) == {"reason", "next_action"}


def test_report_employed_over_those_who_want_a_job(services, grads):
    svc = services.employment
    svc.add_graduates(2020, [grads["a"], grads["b"], grads["c"]])
    by_name = {r.name: r.id for r in svc.graduates()}
    job = svc.get(by_name["甲"])
    job.status, job.employer, job.place, job.job = "已就业", "合肥某厂", "省内", "操作员"
    job.start_date = dt.date(2020, 7, 1)
    svc.save(job)
    study = svc.get(by_name["乙"])
    study.intention, study.status = "升学", "升学"
    svc.save(study)
    look = svc.get(by_name["丙"])
    look.reason, look.next_action = "未找到合适岗位", "推荐招聘会"
    svc.save(look)
    rep = svc.report(2020)
    assert (rep.graduates, rep.want_job, rep.employed) == (3, 2, 1)
    assert rep.rate_text == "1/2（50.0%）"
    assert [r.name for r in rep.without_job] == ["丙"] == [r.name for r in svc.without_job()]
    assert [r.name for r in rep.no_proof] == ["甲"]        # employed, no contract and no file yet
    svc.save_guidance(GuidanceForm(None, by_name["丙"], dt.date(2020, 8, 1), "推荐岗位", "班主任", "两个岗位"))
    assert svc.graduates()[0].guidance + svc.graduates()[1].guidance + svc.graduates()[2].guidance == 1


def test_proof_files_are_checked_and_kept_with_their_hash(services, grads, sf):
    svc = services.employment
    svc.add_graduates(2020, [grads["a"]])
    gid = svc.graduates()[0].id
    with pytest.raises(ValidationError, match="不是 PDF"):
        svc.attach(gid, "合同.docx", b"PK\x03\x04 not a scan")
    with pytest.raises(ValidationError, match="空"):
        svc.attach(gid, "合同.pdf", b"")
    row = svc.attach(gid, "C:/扫描/劳动合同.pdf", PDF)
    assert (row.filename, row.sha256) == ("劳动合同.pdf", hashlib.sha256(PDF).hexdigest())
    assert svc.open_file(row.id) == ("劳动合同.pdf", PDF)
    with sf.begin() as s:
        s.execute(text("UPDATE graduate_file SET data = :d"), {"d": PDF + b"tampered"})
    with pytest.raises(LedgerError, match="SHA-256"):
        svc.open_file(row.id)


def test_one_record_per_student(services, grads):
    services.employment.add_graduates(2020, [grads["a"]])
    with pytest.raises(ValidationError, match="已有就业记录"):
        services.employment.save(GraduateForm(None, grads["a"], 2020, reason="x", next_action="y"))
