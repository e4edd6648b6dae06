"""What a colleague changed since a screen last looked, and whether that screen must fetch.

Every write logs activity rows naming the project and the kind of record it changed. A poll
that finds the change token moved reads those rows (`Database.changes_since`), and each
screen judges from them, with one rule (`ChangeSet.touches`), whether what it shows can have
changed — so a write to another project no longer makes a one-project screen fetch again.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

#: More rows than this since the last look: judging them costs more than it saves.
MOST_CHANGES = 500


@dataclass(frozen=True)
class Change:
    """One activity row: the project it is about (None: none in particular, e.g. a person,
    a common holiday, an import) and the kind of record (`entity`, its table's name)."""

    project_id: int | None
    entity: str


@dataclass(frozen=True)
class ChangeSet:
    """The writes between two change tokens. `everything`: they cannot be judged one by
    one (too many, the token went backwards — a restored file — or nothing was read), so
    every screen fetches again."""

    token: int
    changes: tuple[Change, ...] = ()
    everything: bool = False

    @classmethod
    def unknown(cls, token: int) -> ChangeSet:
        return cls(token, everything=True)

    @property
    def moved(self) -> bool:
        return self.everything or bool(self.changes)

    def touches(self, projects: Collection[int] | None, entities: Collection[str] = ()) -> bool:
        """Whether a screen showing the data of `projects` (None: of every project) and,
        across all projects, the records of kind `entities` can show something else now.

        A change about no project in particular touches every screen: it may be a person
        (names, roles, loads are shown everywhere) or a write that logged no detail."""
        if self.everything:
            return True
        for change in self.changes:
            if change.project_id is None or projects is None:
                return True
            if change.project_id in projects or change.entity in entities:
                return True
        return False
