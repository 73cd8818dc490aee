"""assistance ledger."""
