"""employment ledger."""
