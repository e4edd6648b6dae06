"""Read models: what the screens, reports and commands ask for, as plain frozen dataclasses.

Each function opens a read session, aggregates in SQL and returns values a screen can show
without touching the database again. Nothing here writes, and nothing imports Textual.
"""
