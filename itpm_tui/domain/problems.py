"""`Problem`: one broken rule named by its field, on its own so that both the rules
(`domain.limits`) and the checker that gathers them (`domain.validation`) can name it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    rule: str

    def __str__(self) -> str:
        return f"{self.field}: {self.rule}"
