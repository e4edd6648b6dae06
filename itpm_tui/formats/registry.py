"""The file formats itpm imports and exports, by name and file suffix.

The CLI dispatches through this table instead of naming each format. Each entry's functions
import their format module when called, so loading the registry (and starting `itpm`) loads
no format module at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from itpm_tui.formats.ledger_csv import CsvOptions
    from itpm_tui.services.context import Context


@dataclass(frozen=True)
class ImportRequest:
    """What the command line gives an import; each format uses the options it needs."""

    path: Path
    code: str | None = None  # the code for a new project
    project: str | None = None  # the project that receives the rows
    category: str | None = None  # for rows that name none
    #: Told how far a long import got: (section, rows, bytes read, file size); see
    #: `portfolio_json.Progress`. Formats that read small files ignore it.
    progress: Callable[[str, int, int, int], None] | None = None
    #: What a ledger .csv cannot say itself (sign convention, date order, encoding, ...).
    csv: CsvOptions | None = None


@dataclass(frozen=True)
class ImportOutcome:
    summary: str  # one line for standard output
    warnings: list[str] = field(default_factory=list)  # what was not mapped, for stderr


Importer = Callable[["Context", ImportRequest], ImportOutcome]
#: Writes the whole portfolio to a path or an open text stream.
PortfolioExporter = Callable[["Context", "Path | IO[str]"], None]
#: One project, named by its code, as the bytes of a file.
ProjectExporter = Callable[["Context", str], bytes]


@dataclass(frozen=True)
class FileFormat:
    name: str  # as `--format` names it
    suffix: str = ""  # the file suffix an import recognises; "" if it is not imported
    importer: Importer | None = None
    needs_project: str = ""  # the usage error when an import lacks --project
    export_portfolio: PortfolioExporter | None = None
    export_project: ProjectExporter | None = None


def _import_json(ctx: Context, request: ImportRequest) -> ImportOutcome:
    from itpm_tui.formats.portfolio_json import import_json

    return ImportOutcome(import_json(ctx, request.path, request.progress).summary)


def _import_mspdi(ctx: Context, request: ImportRequest) -> ImportOutcome:
    from itpm_tui.formats.mspdi.importer import import_mspdi

    report = import_mspdi(ctx, request.path, code=request.code)
    return ImportOutcome(str(report), report.warnings)


def _import_ledger_csv(ctx: Context, request: ImportRequest) -> ImportOutcome:
    from itpm_tui.formats.ledger_csv import import_ledger_csv

    report = import_ledger_csv(
        ctx, request.path, str(request.project), request.category, request.csv, request.progress
    )
    return ImportOutcome(report.summary)


def _export_json(ctx: Context, target: Path | IO[str]) -> None:
    from itpm_tui.formats.portfolio_json import write_json

    write_json(ctx.db, target)


def _export_mspdi(ctx: Context, code: str) -> bytes:
    from itpm_tui.formats.mspdi.exporter import export_mspdi

    return export_mspdi(ctx.db, code, ctx.today())


def _export_vcard(ctx: Context, code: str) -> bytes:
    from itpm_tui.formats.vcard import export_vcard
    from itpm_tui.reports.data import project_id_for_code

    return export_vcard(ctx.db, project_id_for_code(ctx.db, code), ctx.today()).encode("utf-8")


def _export_ics(ctx: Context, code: str) -> bytes:
    from itpm_tui.formats.icalendar import export_ics
    from itpm_tui.reports.data import project_id_for_code

    return export_ics(ctx.db, project_id_for_code(ctx.db, code)).encode("utf-8")


FORMATS: tuple[FileFormat, ...] = (
    FileFormat("json", ".json", importer=_import_json, export_portfolio=_export_json),
    FileFormat("mspdi", ".xml", importer=_import_mspdi, export_project=_export_mspdi),
    FileFormat("vcard", export_project=_export_vcard),
    FileFormat("ics", export_project=_export_ics),
    FileFormat(
        "csv",
        ".csv",
        importer=_import_ledger_csv,
        needs_project="a .csv of expenses needs --project CODE",
    ),
)


def export_names() -> tuple[str, ...]:
    """The names `export --format` accepts, in the order the help lists them."""
    return tuple(
        f.name for f in FORMATS if f.export_portfolio is not None or f.export_project is not None
    )


def export_format(name: str) -> FileFormat:
    """The format `name`, one of `export_names()` (the CLI's choice has checked it)."""
    for candidate in FORMATS:
        if candidate.name == name and candidate.name in export_names():
            return candidate
    raise KeyError(f"no export format '{name}'")


def import_format(path: Path) -> FileFormat | None:
    """The format that imports a file with this suffix (any case), or None."""
    suffix = path.suffix.lower()
    return next((f for f in FORMATS if f.importer is not None and f.suffix == suffix), None)
