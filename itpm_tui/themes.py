"""Themes of our own: high contrast for projectors and poor terminals, and the choice of a
theme from what the terminal advertises.

Textual draws its default theme in true colour and lets the terminal driver downgrade it:
on a 16-colour terminal (TERM=xterm over SSH, no COLORTERM) the nearest of the 16 ANSI
colours to the theme's red is magenta and to its amber a bright red. A theme built from the
ANSI colours themselves is drawn as they are, so RED stays red, AMBER yellow, GREEN green.
"""

from __future__ import annotations

from collections.abc import Mapping

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

#: Every colour one of the 16 ANSI ones (the terminal's own palette), nothing to downgrade.
ANSI16 = Theme(
    name="itpm-ansi",
    ansi=True,
    primary="ansi_blue",
    secondary="ansi_cyan",
    accent="ansi_cyan",
    warning="ansi_yellow",
    error="ansi_red",
    success="ansi_green",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    dark=True,
    variables={
        "ansi-background": "ansi_black",
        "ansi-foreground": "ansi_white",
        "border-blurred": "ansi_black",
        "block-cursor-foreground": "ansi_black",
        "block-cursor-background": "ansi_white",
        "input-cursor-background": "ansi_black",
        "input-cursor-foreground": "ansi_bright_white",
        "input-selection-background": "ansi_bright_blue",
        "input-selection-foreground": "ansi_black",
        "screen-selection-background": "ansi_bright_blue",
        "screen-selection-foreground": "ansi_black",
    },
)

THEMES = (CONTRAST, ANSI16)

#: The config value that lets the terminal decide (see `choose_theme`).
AUTO = "auto"
#: What a terminal advertising 256 colours or more gets.
RICH_DEFAULT = "textual-dark"
#: TERM suffixes (after the last hyphen) that promise more than 16 colours, as Rich reads them,
#: plus the true-colour names some terminals use.
_MANY_COLOURS = ("256color", "kitty", "direct", "truecolor", "24bit")


def few_colours(env: Mapping[str, str]) -> bool:
    """True when the terminal does not advertise more than 16 colours, decided as Textual and
    Rich do: TEXTUAL_COLOR_SYSTEM forces it; COLORTERM=truecolor/24bit promises true colour;
    otherwise TERM's suffix (xterm-256color) — a plain xterm, vt100, linux or screen, or no TERM
    at all, is 8/16 colours."""
    forced = env.get("TEXTUAL_COLOR_SYSTEM", "").strip().lower()
    if forced in ("truecolor", "256"):
        return False
    if forced in ("standard", "windows"):
        return True
    if env.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return False
    term = env.get("TERM", "").strip().lower()
    return not term.endswith(_MANY_COLOURS)


def choose_theme(env: Mapping[str, str], configured: str) -> str:
    """The theme to draw with: the user's explicit choice in the config always wins; `auto`
    (the default) is the ANSI theme on a terminal of few colours, else Textual's default.
    Under NO_COLOR Textual greys the default theme out (its selected row stays a lighter
    grey), while the ANSI theme's colours would come out black on black: the default wins."""
    if configured != AUTO:
        return configured
    if env.get("NO_COLOR"):
        return RICH_DEFAULT
    return ANSI16.name if few_colours(env) else RICH_DEFAULT
