"""The service layer: every write runs here, in one transaction, with its activity log entry.

Reads for screens live here too, as functions returning plain dataclasses, so screens never
build SQL. No Textual imports.
"""
