"""Cleaning a year folder: every return read, declared corrections applied, the ledger of every row."""
