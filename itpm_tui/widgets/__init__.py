"""Widgets: they show what the services return and post what the user asks for."""
