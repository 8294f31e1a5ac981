"""The pooled fund: the ledger and budgeting rounds decided by the Method of Equal Shares."""
