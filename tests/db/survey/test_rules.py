from db.survey import rules


def test_only_a_working_tv_or_smartphone_passes():
    assert rules.passes(True, None)
    assert rules.passes(None, True)
    assert not rules.passes(False, False)
    assert not rules.passes(None, None)          # unknown is not a device that works


def test_a_failing_household_stays_listed_until_every_problem_is_solved():
    assert rules.status(False, False, []) == rules.NOT_CHECKED
    assert rules.status(True, True, []) == rules.PASSED
    assert rules.status(True, False, []) == rules.FAILING          # failed, nothing recorded yet
    assert rules.status(True, False, [True, False]) == rules.FAILING
    assert rules.status(True, False, [True, True]) == rules.FIXED
    assert rules.status(True, True, [False]) == rules.FAILING       # an open 流量费 problem keeps it listed


def test_unknown_is_blank_never_no():
    assert rules.yes_no(None) == ""
    assert rules.yes_no(False) == "无"
    assert rules.devices_text(None, None, None) == "未知"
    assert rules.devices_text(False, False, False) == "无"
    assert rules.devices_text(False, None, True) == "电脑/平板"


def test_fix_counts_in_the_seed_form():
    got = rules.fix_counts([("电视机", 1, 1), ("电视机", 2, 2), ("网络电视", 1, 3), ("网络电视", 1, 3),
                            ("流量（学生）", 3, 4), ("流量（教师）", 1, 4)])
    assert got == {"电视机": 3, "网络电视": 1, "流量（学生）": 3, "流量（教师）": 1}
