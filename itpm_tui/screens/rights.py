"""Offering only the keys the acting role may use, on every screen and dialog alike.

A screen or dialog names its write actions and the right each needs in `WRITES`; the
`RoleKeys` mixin answers Textual's `check_action` from it, so the footer does not show a
write key the role may not use and pressing it does nothing. The same answer keeps a hint
line from naming such a key (`key_hints`, `key_line`, `first_hint`) and opens a form the role
may not save read-only (`read_only_reason`). The service layer refuses such a write anyway
(`NotAllowed`); this only keeps the dashboard from offering it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.dom import DOMNode

from itpm_tui.domain.roles import who_may

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
        return may(self, action)


def may(screen: RoleKeys, action: str) -> bool:
    """May the acting role do `screen`'s `action`? (Whatever else `check_action` says of the
    screen's state: a hint that names a key follows the role, not the selection.)"""
    assert isinstance(screen, DOMNode)
    return offered(screen.app, screen.WRITES.get(action))


def read_only_reason(screen: RoleKeys, action: str = "save") -> str:
    """Why the acting role may not do `action` on `screen`, in one line; empty when it may."""
    assert isinstance(screen, DOMNode)
    needed = screen.WRITES.get(action)
    who = getattr(screen.app, "acting", None)
    if needed is None or may(screen, action) or who is None:
        return ""
    return f"Read-only for a {who.role.value}: only {who_may(needed)} may save this."


#: A dialog's key line for a role that may not write there.
READ_ONLY_KEYS = "read-only for your role · esc close"


def key_line(screen: RoleKeys, keys: str, action: str = "add") -> str:
    """`keys` (a dialog's line of write keys) if the acting role may do `action` there, else
    that the dialog is read-only: a key line never names a key that does nothing."""
    return keys if may(screen, action) else READ_ONLY_KEYS


def key_hints(screen: RoleKeys, *hints: tuple[str, str]) -> str:
    """The (hint, action) pairs whose action the acting role may do, as one line: "a add ·
    e edit · s sort" for a project manager, "s sort" for a viewer."""
    return " · ".join(hint for hint, action in hints if may(screen, action))


def first_hint(screen: RoleKeys, text: str, hint: str, action: str = "add") -> str:
    """An empty list's `text` with `hint` ("a adds the first") when the role may add."""
    return f"{text} — {hint}" if may(screen, action) else f"{text}."
