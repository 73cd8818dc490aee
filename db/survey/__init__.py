"""survey ledger."""
