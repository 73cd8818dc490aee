"""The office's work over every ledger (issue 16): the home page, the self-inspection, the school-year
rollover, the settings and the operation log."""
