"""`itpm config`: where the settings live, what they are, and changing one safely."""

from __future__ import annotations

import click

from itpm_tui.cli.output import echo


@click.group()
def config() -> None:
    """Show or change settings (the file is TOML; ITPM_CONFIG points at another one)."""


@config.command("path")
def config_path_cmd() -> None:
    """Print where the config file is."""
    from itpm_tui.config import config_path

    echo(str(config_path()))


@config.command("show")
def config_show() -> None:
    """Print every setting with its value and what it means."""
    from dataclasses import fields

    from itpm_tui.config import MailSettings, Settings, config_path, load_settings
    from itpm_tui.storage.location import redact_url

    settings = load_settings()
    echo(f"# {config_path()}")
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if f.name == "database_url":  # its password is never printed
            value = redact_url(value)
        if f.name == "mail":  # one line per key of the table (it holds no password)
            for sub in fields(MailSettings):
                shown = getattr(settings.mail, sub.name)
                key = MailSettings.key_of(sub.name)
                echo(f"mail.{key} = {shown!r}  # {sub.metadata['help']}")
            continue
        echo(f"{f.name} = {value!r}  # {f.metadata['help']}")


@config.command("set")
@click.argument("key")
@click.argument("value")
def config_set(key: str, value: str) -> None:
    """Set KEY to VALUE (validated; the file is unchanged if either is refused). A key of
    the [mail] table is named mail.KEY (mail.host, mail.port, mail.from, …)."""
    from itpm_tui.config import config_path, set_value

    set_value(key, value)
    echo(f"{key} set in {config_path()}")


@config.command("keys")
def config_keys() -> None:
    """List every key binding: its id (for the [keymap] table), its keys and what it does."""
    from itpm_tui.config import load_settings
    from itpm_tui.screens.registry import key_rows

    keymap = load_settings().keymap
    rows = key_rows()
    shown = [(row, keymap.get(row.id, row.keys), row.id in keymap) for row in rows]
    id_width = max(len(row.id) for row in rows)
    key_width = max(len(keys) for _row, keys, _mapped in shown)
    for row, keys, mapped in shown:
        note = f" (default {row.keys})" if mapped else ""
        echo(f"{row.id:<{id_width}}  {keys:<{key_width}}  {row.description}{note}")
