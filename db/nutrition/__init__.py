"""nutrition ledger."""
