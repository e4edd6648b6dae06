"""Settings: one typed model, a TOML file in the user's config directory, strict validation.

`ITPM_CONFIG` points at another file (tests use it). A file that cannot be read is reported
with its line and never overwritten.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itpm_tui.domain.mail import MAIL_PASSWORD_ENV
from itpm_tui.errors import ConfigError, ItpmError

if TYPE_CHECKING:
    from itpm_tui.domain.risk import RiskThresholds

THEMES = (
    "auto",
    "textual-dark",
    "textual-light",
    "nord",
    "gruvbox",
    "tokyo-night",
    "dracula",
    "solarized-dark",
    "solarized-light",
    "ansi-dark",
    "ansi-light",
    "itpm-contrast",
    "itpm-ansi",
)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d %b %Y")
#: The risk band thresholds: each a whole score 2–25, and together they must ascend.
RISK_KEYS = ("risk_medium", "risk_high", "risk_critical")
MODIFIERS = frozenset({"ctrl", "shift", "alt", "super", "meta", "hyper"})
#: How the connection to the mail server is protected: none (plain, port 25 inside a
#: trusted network), starttls (upgraded after connecting, usually port 587), tls (from the
#: first byte, usually port 465).
MAIL_SECURITY = ("none", "starttls", "tls")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class MailSettings:
    """The `[mail]` table: the SMTP server updates are sent through. The password is never
    here: it comes from ITPM_MAIL_PASSWORD or the system keyring (`mail.smtp.password`)."""

    host: str = field(default="", metadata={"help": "SMTP server name; empty: mail is off"})
    port: int = field(default=587, metadata={"help": "SMTP port, 1–65535 (587, 465 or 25)"})
    security: str = field(
        default="starttls", metadata={"help": f"one of {', '.join(MAIL_SECURITY)}"}
    )
    user: str = field(
        default="",
        metadata={
            "help": f"login name; empty: no login (password from {MAIL_PASSWORD_ENV} or "
            "the system keyring, never this file)"
        },
    )
    sender: str = field(
        default="", metadata={"key": "from", "help": "the From address, name@example.com"}
    )
    digest_day: str = field(
        default="monday", metadata={"help": "weekday `itpm updates send` sends the digest"}
    )
    ca_file: str = field(
        default="",
        metadata={
            "help": "PEM file of the CA certificate(s) to trust for the server's TLS "
            "certificate instead of the system's (a private CA); empty: the system's"
        },
    )

    @staticmethod
    def key_of(name: str) -> str:
        """The TOML key of a field (`sender` is written `from`)."""
        meta = {f.name: f.metadata for f in fields(MailSettings)}[name]
        return str(meta.get("key", name))

    @classmethod
    def keys(cls) -> list[str]:
        return [cls.key_of(f.name) for f in fields(cls)]

    def to_toml_dict(self) -> dict[str, Any]:
        return {self.key_of(f.name): getattr(self, f.name) for f in fields(self)}

    @property
    def digest_weekday(self) -> int:
        """The digest day as `date.weekday()` counts (Monday 0)."""
        return WEEKDAYS.index(self.digest_day)


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


@dataclass
class Settings:
    """Every key, its default, and what it means (shown by `itpm config show`)."""

    user: str = field(
        default_factory=_default_user, metadata={"help": "name recorded in the activity log"}
    )
    theme: str = field(
        default="auto",
        metadata={
            "help": f"one of {', '.join(THEMES)}; auto is itpm-ansi on a terminal of 8/16 "
            "colours (TERM=xterm, no COLORTERM), else textual-dark"
        },
    )
    refresh_seconds: float = field(
        default=2.0, metadata={"help": "how often screens poll for changes (0.5–600)"}
    )
    currency: str = field(default="EUR", metadata={"help": "default currency of new projects"})
    date_format: str = field(
        default="%Y-%m-%d", metadata={"help": f"how dates are shown: {', '.join(DATE_FORMATS)}"}
    )
    database_url: str = field(
        default="", metadata={"help": "SQLAlchemy URL; empty means the default file"}
    )
    risk_medium: int = field(
        default=5, metadata={"help": "lowest risk score (probability × impact) banded medium"}
    )
    risk_high: int = field(default=10, metadata={"help": "lowest risk score banded high"})
    risk_critical: int = field(
        default=16,
        metadata={
            "help": "lowest risk score banded critical (risk_medium < risk_high < this ≤ 25)"
        },
    )
    keymap: dict[str, str] = field(
        default_factory=dict,
        metadata={
            "help": 'a [keymap] table: binding id = keys, e.g. "screen.projects" = "f2" '
            "(`itpm config keys` lists the ids)"
        },
    )
    mail: MailSettings = field(
        default_factory=MailSettings,
        metadata={"help": "a [mail] table: the SMTP server updates are sent through"},
    )

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def to_toml_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["mail"] = self.mail.to_toml_dict()
        return data

    def risk_thresholds(self) -> RiskThresholds:
        """The risk bands these settings ask for (already checked by `check_thresholds`)."""
        from itpm_tui.domain.risk import RiskThresholds

        return RiskThresholds(self.risk_medium, self.risk_high, self.risk_critical)


def config_path() -> Path:
    if env := os.environ.get("ITPM_CONFIG"):
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_config_path("itpm") / "config.toml"


def check_value(key: str, raw: Any) -> Any:
    """Convert and validate one setting, naming the key and the rule when it is refused."""
    from itpm_tui.domain.money import check_currency
    from itpm_tui.domain.validation import ValidationError

    if key not in Settings.names():
        raise ConfigError(f"unknown key '{key}'; known keys: {', '.join(Settings.names())}")
    if key == "refresh_seconds":
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"refresh_seconds: {_shown(raw)} is not a number") from None
        if not 0.5 <= value <= 600:
            raise ConfigError(f"refresh_seconds: must be between 0.5 and 600, got {_shown(raw)}")
        return value
    if key in RISK_KEYS:
        return _check_score(key, raw)
    if key == "keymap":
        return check_keymap(raw)
    if key == "mail":
        return check_mail(raw)
    if not isinstance(raw, str):
        raise ConfigError(f"{key}: must be text, got {_shown(raw)}")
    if key == "user":
        if not raw.strip() or len(raw) > 80:
            raise ConfigError("user: must be 1–80 characters")
        return raw.strip()
    if key == "theme" and raw not in THEMES:
        raise ConfigError(f"theme: must be one of {', '.join(THEMES)}, got '{raw}'")
    if key == "currency":
        try:
            return check_currency(raw)
        except ValidationError as exc:
            raise ConfigError(f"currency: {exc.rule}") from None
    if key == "date_format" and raw not in DATE_FORMATS:
        raise ConfigError(f"date_format: must be one of {', '.join(DATE_FORMATS)}, got '{raw}'")
    if key == "database_url" and len(raw) > MAX_URL:  # parsing a huge one takes minutes
        raise ConfigError(f"database_url: must be at most {MAX_URL} characters")
    if key == "database_url" and raw:
        from itpm_tui.storage.database import sqlite_path

        try:
            sqlite_path(raw)
        except Exception as exc:
            raise ConfigError(f"database_url: {exc}") from None
    return raw


#: The longest `database_url` accepted (a URL, not a document).
MAX_URL = 2048


def getattr_toml(mail: MailSettings, key: str) -> Any:
    """The value of the `[mail]` key `key` (as the file names it: `from`, not `sender`)."""
    return mail.to_toml_dict()[key]


def check_mail(raw: Any, base: MailSettings | None = None) -> MailSettings:
    """The `[mail]` table (or its keys over `base`): every key known and valid; a password
    is refused, it never belongs in the file."""
    if not isinstance(raw, dict):
        raise ConfigError("mail: must be a [mail] table (host, port, security, user, from, …)")
    mail = MailSettings(**asdict(base)) if base is not None else MailSettings()
    by_key = {MailSettings.key_of(f.name): f.name for f in fields(MailSettings)}
    for key, value in raw.items():
        if key == "password":
            raise ConfigError(
                f"mail.password: is never stored in the config file; set {MAIL_PASSWORD_ENV} "
                "or keep it in the system keyring"
            )
        if key not in by_key:
            raise ConfigError(
                f"mail.{key}: unknown key; known keys: {', '.join(MailSettings.keys())}"
            )
        setattr(mail, by_key[key], _check_mail_value(key, value))
    return mail


def _check_mail_value(key: str, raw: Any) -> Any:
    name = f"mail.{key}"
    if key == "port":
        if isinstance(raw, bool) or not isinstance(raw, int | str):
            raise ConfigError(f"{name}: must be a whole number 1–65535, got {_shown(raw)}")
        try:
            port = int(raw.strip()) if isinstance(raw, str) else raw
        except ValueError:
            raise ConfigError(f"{name}: {_shown(raw)} is not a whole number") from None
        if not 1 <= port <= 65535:
            raise ConfigError(f"{name}: must be between 1 and 65535, got {port}")
        return port
    if not isinstance(raw, str):
        raise ConfigError(f"{name}: must be text, got {_shown(raw)}")
    value = raw.strip()
    if len(value) > 254 or any(not ch.isprintable() for ch in value):
        raise ConfigError(f"{name}: must be at most 254 printable characters")
    if key == "security" and value not in MAIL_SECURITY:
        raise ConfigError(f"{name}: must be one of {', '.join(MAIL_SECURITY)}, got {_shown(raw)}")
    if key == "digest_day":
        if value.casefold() not in WEEKDAYS:
            raise ConfigError(f"{name}: must be a weekday (monday … sunday), got {_shown(raw)}")
        return value.casefold()
    if key == "ca_file" and value and not Path(value).expanduser().is_absolute():
        raise ConfigError(f"{name}: must be an absolute path (or start with ~), got {_shown(raw)}")
    if key == "host" and any(ch.isspace() or ch in "/@" for ch in value):
        raise ConfigError(f"{name}: must be a server name or address, got {_shown(raw)}")
    if key == "from" and value:
        from itpm_tui.domain.validation import EMAIL_RE

        if not EMAIL_RE.fullmatch(value):
            raise ConfigError(f"{name}: {_shown(raw)} is not an e-mail address (name@example.com)")
    return value


def check_keymap(raw: Any) -> dict[str, str]:
    """The `[keymap]` table: every id must name a binding of the dashboard and every value a
    comma list of keys Textual knows (`f2`, `ctrl+g`, `question_mark`, `x`)."""
    if not isinstance(raw, dict):
        raise ConfigError(
            'keymap: must be a [keymap] table of binding id = keys, e.g. "screen.projects" = '
            '"f2"; `itpm config keys` lists the ids'
        )
    if not raw:
        return {}
    # Only a file that remaps keys pays for loading the screens that declare them.
    from itpm_tui.screens.registry import binding_ids

    known = binding_ids()
    keymap: dict[str, str] = {}
    for binding_id, keys in raw.items():
        name = f'keymap."{binding_id}"'
        if binding_id not in known:
            raise ConfigError(f"{name}: unknown binding id; `itpm config keys` lists them")
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(f"{name}: must be text naming one or more keys, got {_shown(keys)}")
        parts = [part.strip() for part in keys.split(",")]
        for part in parts:
            if not _is_key(part):
                raise ConfigError(
                    f"{name}: '{part}' is not a key (keys look like x, f2, ctrl+g, "
                    "question_mark; several are separated by commas)"
                )
        keymap[binding_id] = ",".join(parts)
    return keymap


def _shown(raw: Any) -> str:
    """A config value quoted in a message: text (cut at 60 characters) or numbers as they
    are, anything else by its kind — a nested list quoted whole could run to megabytes."""
    if isinstance(raw, str):
        return repr(raw if len(raw) <= 60 else raw[:60] + "…")
    if isinstance(raw, bool | int | float):
        return repr(raw)
    if isinstance(raw, list):
        return "a list"
    return "a table" if isinstance(raw, dict) else f"a {type(raw).__name__}"


def _is_key(text: str) -> bool:
    from textual.keys import Keys, key_to_character

    *modifiers, base = text.split("+")
    if not base or any(m not in MODIFIERS for m in modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base in {k.value for k in Keys} or key_to_character(base) is not None


def _check_score(key: str, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise ConfigError(f"{key}: must be a whole number between 2 and 25, got {_shown(raw)}")
    try:
        value = int(raw.strip()) if isinstance(raw, str) else raw
    except ValueError:
        raise ConfigError(f"{key}: {_shown(raw)} is not a whole number") from None
    if not 2 <= value <= 25:
        raise ConfigError(f"{key}: must be between 2 and 25 (a risk score), got {value}")
    return value


def check_thresholds(settings: Settings) -> None:
    """The three risk keys together: medium < high < critical, or the keys and rule are named."""
    from itpm_tui.domain.validation import ValidationError

    try:
        settings.risk_thresholds()
    except ValidationError:
        values = ", ".join(f"{key} = {getattr(settings, key)}" for key in RISK_KEYS)
        raise ConfigError(
            f"risk_medium, risk_high, risk_critical: must ascend "
            f"(risk_medium < risk_high < risk_critical ≤ 25), got {values}"
        ) from None


def load_settings(path: Path | None = None) -> Settings:
    path = path or config_path()
    if not path.exists():
        return Settings()
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except RecursionError:  # tomllib reads nested arrays by recursion
        raise ConfigError(f"{path}: not valid TOML: values are nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        where = str(exc)
        if "end of document" in where:  # say which line that is
            where = where.replace("end of document", f"end of file, line {text.count(chr(10))}")
        raise ConfigError(f"{path}: not valid TOML: {where}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    settings = Settings()
    for key, raw in data.items():
        try:
            setattr(settings, key, check_value(key, raw))
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None
    try:
        check_thresholds(settings)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return settings


def set_value(key: str, raw: str, path: Path | None = None) -> Settings:
    """Validate and save one key; the file is rewritten only when the whole result is valid."""
    import tomli_w

    path = path or config_path()
    settings = load_settings(path)  # refuses to go on when the existing file is unreadable
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if key.startswith("mail."):  # one key of the [mail] table
        sub = key.removeprefix("mail.")
        settings.mail = check_mail({sub: raw}, settings.mail)
        table = data.get("mail")
        data["mail"] = {
            **(table if isinstance(table, dict) else {}),
            sub: getattr_toml(settings.mail, sub),
        }
        save_text(path, tomli_w.dumps(data))
        return settings
    setattr(settings, key, check_value(key, raw))
    check_thresholds(settings)
    data[key] = getattr(settings, key)
    save_text(path, tomli_w.dumps(data))
    return settings


def save_text(path: Path, text: str) -> None:
    """Write the whole file or nothing (a temporary file beside it, renamed into place),
    private to the user (0600 in 0700 folders, or the mode of the file it replaces); a full
    disk or a read-only folder is a `ConfigError` that leaves the old file as it was."""
    from itpm_tui.private_files import make_private_folders, write_private

    try:
        make_private_folders(path.parent)
        write_private(path, text.encode("utf-8"), replace=True)
    except OSError as exc:
        raise ConfigError(f"cannot save {path}: {exc.strerror or exc}; it is unchanged") from None
    except ItpmError as exc:  # the OSError it says in its own words, or not a regular file
        cause = exc.__context__
        reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else str(exc)
        raise ConfigError(f"cannot save {path}: {reason}; it is unchanged") from None
