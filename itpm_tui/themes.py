"""Themes of our own: high contrast for projectors and poor terminals."""

from __future__ import annotations

from textual.theme import Theme

CONTRAST = Theme(
    name="itpm-contrast",
    primary="#FFD700",
    secondary="#00FFFF",
    accent="#FFFFFF",
    warning="#FFFF00",
    error="#FF4040",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    dark=True,
)
