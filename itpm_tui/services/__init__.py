"""Use cases: every write runs here, in one transaction, with its activity log entry.

Reads live in `itpm_tui.queries`; files in `itpm_tui.formats`. No Textual imports.
"""
