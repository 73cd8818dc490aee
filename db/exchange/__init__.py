"""Exchange with the county: reading messy lists, reconciliation, writing workbooks."""
