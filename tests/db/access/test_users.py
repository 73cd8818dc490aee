"""T21: users, passwords, lockout and roles at the service level (a moved clock, real argon2id)."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import select

from db.access import keys, lockout, login, passwords
from db.access.dto import AccessSettings
from db.access.keys import WrongPassword
from db.access.roles import PermissionDenied
from db.context import Actor
from db.models.core import AuditLog, User
from db.models.registry import Student
from db.registry.dto import StudentQuery
from tests.db.access.conftest import ADMIN, PASSWORD, open_as


def _hash_of(sv, name):
    with sv.ctx.read() as s:
        return s.scalar(select(User.password_hash).where(User.name == name))


def _audit(sv, action):
    with sv.ctx.read() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def test_passwords_are_argon2id_and_the_policy_is_a_setting(admin_services):
    sv = admin_services
    assert _hash_of(sv, ADMIN).startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    with pytest.raises(Exception, match="至少要 8 位"):
        sv.access.add_user("李老师", "资助专干", "abc123")
    with pytest.raises(Exception, match="不能是用户名"):
        sv.access.add_user("lilaoshi", "资助专干", "LiLaoShi2020")
    sv.access.save_settings(AccessSettings(min_password_length=12, idle_minutes=5))
    assert sv.access.settings() == AccessSettings(12, 5)
    with pytest.raises(Exception, match="至少要 12 位"):
        sv.access.add_user("李老师", "资助专干", "Abcdef123!")
    sv.access.add_user("李老师", "资助专干", "Abcdef123!xyz")
    with pytest.raises(Exception, match="0–240"):
        sv.access.save_settings(AccessSettings(min_password_length=12, idle_minutes=999))
    assert [e.summary for e in _audit(sv, "settings")][-1].startswith("登录设置：密码至少 12 位，5分钟")


def test_a_login_rehashes_a_password_made_with_older_parameters(encrypted, clock, monkeypatch):
    path, _ = encrypted
    monkeypatch.setattr(passwords, "TIME_COST", 1)
    monkeypatch.setattr(passwords, "MEMORY_KIB", 8192)
    db, sv = open_as(path, ADMIN, PASSWORD, clock)
    sv.access.add_user("赵老师", "校长", "Old-params-1")
    old = _hash_of(sv, "赵老师")
    assert "m=8192,t=1" in old and keys.load(path).slots["赵老师"]["m"] == 8192
    db.dispose()
    monkeypatch.undo()
    db, sv = open_as(path, "赵老师", "Old-params-1", clock)
    new = _hash_of(sv, "赵老师")
    assert new != old and "m=65536,t=3" in new and passwords.verify(new, "Old-params-1")
    assert keys.load(path).slots["赵老师"]["m"] == 65536          # the key slot too
    db.dispose()
    assert login.unlock(path, "赵老师", "Old-params-1", clock)


def test_five_failures_lock_the_name_for_15_minutes_across_restarts(encrypted, clock):
    path, _ = encrypted
    for i in range(lockout.MAX_FAILURES):
        with pytest.raises(WrongPassword) as e:
            login.unlock(path, ADMIN, f"wrong-{i}", clock)
    assert "已锁定" in str(e.value) and "15 分钟" in str(e.value)
    # a restart: nothing in memory survives; the file beside the database does
    assert lockout.path_of(path).exists()
    clock.move(minutes=14)
    with pytest.raises(WrongPassword, match="已锁定"):
        login.unlock(path, ADMIN, PASSWORD, clock)              # even the right password
    clock.move(minutes=1, seconds=1)
    db, sv = open_as(path, ADMIN, PASSWORD, clock)
    failed = _audit(sv, "login_failed")
    assert len(failed) == lockout.MAX_FAILURES and all(not e.ok for e in failed)
    assert all(ADMIN in e.summary for e in failed) and not any("wrong" in e.summary for e in failed)
    assert _audit(sv, "login")[-1].actor == ADMIN
    db.dispose()
    assert lockout.failures(path, ADMIN) == 0


def test_the_lock_screen_counts_failures_too(admin_services, clock):
    sv = admin_services
    for _ in range(lockout.MAX_FAILURES):
        with pytest.raises(WrongPassword):
            sv.access.authenticate(ADMIN, "nope-nope-1")
    with pytest.raises(WrongPassword, match="已锁定"):
        sv.access.authenticate(ADMIN, PASSWORD)
    assert len(_audit(sv, "login_failed")) == lockout.MAX_FAILURES
    clock.move(minutes=16)
    assert sv.access.authenticate(ADMIN, PASSWORD).name == ADMIN


def _people(sv, path, clock):
    sv.access.add_user("钱专干", "资助专干", "Officer#2020")
    sv.access.add_user("孙班主任", "班主任", "Teacher#2020", classes="七年级1班")
    sv.access.add_user("周校长", "查阅", "Viewer#2020")


def test_roles_limit_what_the_services_do(admin_services, encrypted, clock):
    path, _ = encrypted
    sv = admin_services
    ids = [r.id for r in sv.registry.page(StudentQuery(), 0, 6)]
    with sv.ctx.write() as s:                                   # the 班主任's own class and another one
        for n, st_id in enumerate(ids):
            st = s.get(Student, st_id)
            st.stage = "初中"
            st.grade, st.class_name = ("七年级", "1班") if n < 3 else ("八年级", "2班")
    _people(sv, path, clock)

    # 校长/查阅: reads, no change, no full number
    db, viewer = open_as(path, "周校长", "Viewer#2020", clock)
    mine = viewer.registry.get_student(ids[0])
    assert "*" in mine.id_number
    with pytest.raises(PermissionDenied, match="只能查阅"):
        viewer.registry.save_student(mine)
    with pytest.raises(PermissionDenied, match="完整"):
        viewer.registry.get_student(ids[0], reveal=True)
    assert viewer.aid.family_record(ids[5]).child.name      # the first read of the standards seeds them
    with pytest.raises(PermissionDenied):
        viewer.access.add_user("x", "校长", "Whatever#1")
    for export in (lambda: viewer.aid.export_bank_list("2020秋", path.parent / "bank.xlsx"),
                   lambda: viewer.exchange.export_workbook(path.parent / "报送.xlsx", term="2020秋"),
                   lambda: viewer.reconcile.export_reconciliation(None, path.parent / "核对.xlsx")):
        with pytest.raises(PermissionDenied, match="完整证件号"):
            export()
    assert not list(path.parent.glob("*.xlsx"))
    db.dispose()

    # 班主任: own class only, masked numbers kept on save, no deletes, no bulk work
    db, clerk = open_as(path, "孙班主任", "Teacher#2020", clock)
    form = clerk.registry.get_student(ids[0])
    assert "*" in form.id_number and "*" in form.bank_card_no
    form.notes = "班主任改的"
    clerk.registry.save_student(form)
    with pytest.raises(PermissionDenied, match="本班"):
        clerk.registry.get_student(ids[5])
    other = sv.registry.get_student(ids[5])
    with pytest.raises(PermissionDenied, match="本班"):
        clerk.registry.save_student(other)
    assert {r.id for r in clerk.registry.page(StudentQuery(), 0, 100)} == set(ids[:3])
    moved = clerk.registry.get_student(ids[1])
    moved.grade, moved.class_name = "八年级", "2班"
    with pytest.raises(PermissionDenied, match="本班"):
        clerk.registry.save_student(moved)
    with pytest.raises(PermissionDenied, match="不能删除"):
        clerk.registry.delete_student(ids[2])
    with pytest.raises(PermissionDenied):
        clerk.aid.plan("2020秋")
    with pytest.raises(PermissionDenied):
        clerk.registry.get_student(ids[0], reveal=True)
    found = {c.student_id for c in clerk.aid.search_family(other.name)}       # 家庭查询: own classes only
    assert ids[5] not in found and ids[5] in {c.student_id for c in sv.aid.search_family(other.name)}
    with pytest.raises(PermissionDenied, match="只能查看本班的学生家庭"):
        clerk.aid.family_record(ids[5])
    assert clerk.aid.family_record(ids[0]).child.name == form.name
    db.dispose()

    # 资助专干: full numbers on request (audited), no users
    db, officer = open_as(path, "钱专干", "Officer#2020", clock)
    full = officer.registry.get_student(ids[0], reveal=True)
    assert "*" not in full.id_number and full.notes == "班主任改的"
    with officer.ctx.read() as s:
        reveal = s.scalar(select(AuditLog).where(AuditLog.action == "reveal"))
        assert reveal.actor == "钱专干" and full.id_number not in reveal.summary
    with pytest.raises(PermissionDenied, match="管理用户"):
        officer.access.add_user("x", "校长", "Whatever#1")
    officer.aid.plan("2020秋")
    officer.aid.pay("2020秋", dt.date(2020, 9, 20))
    everyone = {h.id for g in officer.aid.households_not_visited("2020秋") for h in g.households}
    db.dispose()
    db, clerk = open_as(path, "孙班主任", "Teacher#2020", clock)       # 走访核实: the families of own classes
    mine = {h.id for g in clerk.aid.households_not_visited("2020秋") for h in g.households}
    with sv.ctx.read() as s:
        own = {s.get(Student, i).household_id for i in ids[:3]}
        assert len(everyone) > len(mine) and mine and mine <= own
    db.dispose()


def test_the_office_work_follows_the_role_and_a_bare_name_never_replaces_the_user(admin_services, encrypted, clock):
    path, _ = encrypted
    _people(admin_services, path, clock)
    cfg = admin_services.config.get()
    db, viewer = open_as(path, "周校长", "Viewer#2020", clock)
    viewer.ctx.set_actor(Actor(cfg.officer or "王老师"))      # the officer's name typed in 设置 or at first start
    assert (viewer.ctx.actor.name, viewer.ctx.actor.role) == ("周校长", "校长")
    with pytest.raises(PermissionDenied, match="只能查阅"):
        viewer.config.save(replace(cfg, notice_days=cfg.notice_days + 1))
    with pytest.raises(PermissionDenied):
        viewer.rollover.run(2021, backup=lambda _p, _w: pytest.fail("no backup before a refused rollover"))
    db.dispose()
    db, clerk = open_as(path, "孙班主任", "Teacher#2020", clock)
    with pytest.raises(PermissionDenied):
        clerk.config.save(replace(cfg, notice_days=cfg.notice_days + 1))
    db.dispose()
    assert admin_services.config.get() == cfg


def test_the_stored_numbers_survive_a_masked_save(admin_services):
    sv = admin_services
    full = sv.registry.get_student(1, reveal=True)
    shown = sv.registry.get_student(1)
    shown.notes = "只改备注"
    sv.registry.save_student(shown)
    again = sv.registry.get_student(1, reveal=True)
    assert (again.id_number, again.bank_card_no, again.phone) == (full.id_number, full.bank_card_no, full.phone)


def test_disabled_users_lose_their_key_and_the_last_admin_stays(admin_services, encrypted, clock):
    path, _ = encrypted
    sv = admin_services
    sv.access.add_user("钱专干", "资助专干", "Officer#2020")
    sv.access.set_active("钱专干", False)
    assert "钱专干" not in keys.load(path).slots
    with pytest.raises(WrongPassword):
        login.unlock(path, "钱专干", "Officer#2020", clock)
    with pytest.raises(Exception, match="唯一的管理员"):
        sv.access.set_active(ADMIN, False)
    with pytest.raises(Exception, match="唯一的管理员"):
        sv.access.set_role(ADMIN, "校长")
    sv.access.set_active("钱专干", True)
    sv.access.set_password("钱专干", "Officer#2021")
    assert login.unlock(path, "钱专干", "Officer#2021", clock)


def test_a_user_changes_their_own_password_with_the_old_one(admin_services, encrypted, clock):
    path, _ = encrypted
    sv = admin_services
    sv.access.add_user("周校长", "校长", "Viewer#2020")
    db, viewer = open_as(path, "周校长", "Viewer#2020", clock)
    with pytest.raises(Exception, match="原密码不对"):
        viewer.access.set_password("周校长", "Viewer#2021", old_password="nope")
    viewer.access.set_password("周校长", "Viewer#2021", old_password="Viewer#2020")
    with pytest.raises(PermissionDenied):
        viewer.access.set_password(ADMIN, "Hijack#2021", old_password="x")
    db.dispose()
    assert login.unlock(path, "周校长", "Viewer#2021", clock)
