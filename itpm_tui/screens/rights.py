"""Offering only the keys the acting role may use, on every screen and dialog alike.

A screen or dialog names its write actions and the right each needs in `WRITES`; the
`RoleKeys` mixin answers Textual's `check_action` from it, so the footer does not show a
write key the role may not use and pressing it does nothing. The service layer refuses such
a write anyway (`NotAllowed`); this only keeps the dashboard from offering it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.dom import DOMNode

if TYPE_CHECKING:
    from textual.app import App

    from itpm_tui.domain.roles import Action


def offered(app: App[object] | object, needed: Action | None) -> bool:
    """May the user acting in `app` do what `needed` names? True while nobody is known yet
    (the first fetch has not said who acts) and for what needs no right at all."""
    if needed is None:
        return True
    who = getattr(app, "acting", None)
    return who is None or bool(who.may(needed))


class RoleKeys:
    """Mixin for a `Screen` (live screen, modal dialog or form): `WRITES` maps an action name
    to the right it needs; a key whose action the acting role may not do is not offered."""

    WRITES: ClassVar[dict[str, Action]] = {}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        assert isinstance(self, DOMNode)
        return offered(self.app, self.WRITES.get(action))


#: A dialog's key line for a role that may not write there.
READ_ONLY_KEYS = "read-only for your role · esc close"


def key_line(screen: RoleKeys, keys: str, action: str = "add") -> str:
    """`keys` (a dialog's line of write keys) if the acting role may do `action` there, else
    that the dialog is read-only: a key line never names a key that does nothing."""
    return keys if screen.check_action(action, ()) else READ_ONLY_KEYS


def first_hint(screen: RoleKeys, text: str, hint: str, action: str = "add") -> str:
    """An empty list's `text` with `hint` ("a adds the first") when the role may add."""
    return f"{text} — {hint}" if screen.check_action(action, ()) else f"{text}."
