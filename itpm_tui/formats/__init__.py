"""Interchange formats: each module reads or writes one kind of file (JSON, MSPDI, CSV,
iCalendar, vCard). What a file says is checked whole before anything is written."""
