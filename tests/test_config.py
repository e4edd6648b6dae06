from __future__ import annotations

from pathlib import Path

import pytest

from itpm_tui.config import config_path, load_settings, set_value
from itpm_tui.errors import ConfigError


def test_defaults_without_a_file() -> None:
    settings = load_settings()
    assert settings.refresh_seconds == 2.0
    assert settings.currency == "EUR"


def test_itpm_config_chooses_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITPM_CONFIG", str(tmp_path / "other.toml"))
    assert config_path() == tmp_path / "other.toml"


def test_xdg_config_home_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ITPM_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_path() == tmp_path / "xdg" / "itpm" / "config.toml"


def test_set_validates_and_keeps_other_keys() -> None:
    set_value("currency", "gbp")
    set_value("refresh_seconds", "5")
    settings = load_settings()
    assert (settings.currency, settings.refresh_seconds) == ("GBP", 5.0)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("colour", "red", "unknown key 'colour'"),
        ("refresh_seconds", "fast", "refresh_seconds: 'fast' is not a number"),
        ("refresh_seconds", "0", "between 0.5 and 600"),
        ("currency", "EURO", "ISO 4217"),
        ("theme", "pink", "theme: must be one of"),
        ("date_format", "%Y", "date_format: must be one of"),
    ],
)
def test_bad_values_are_refused_and_file_unchanged(key: str, value: str, message: str) -> None:
    set_value("user", "ana")
    before = config_path().read_bytes()
    with pytest.raises(ConfigError, match=message):
        set_value(key, value)
    assert config_path().read_bytes() == before


def test_malformed_file_names_the_line_and_is_never_overwritten() -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('user = "ana"\ntheme = \n')
    before = path.read_bytes()
    with pytest.raises(ConfigError, match="line 2"):
        load_settings()
    with pytest.raises(ConfigError, match="line 2"):
        set_value("user", "bob")
    assert path.read_bytes() == before


def test_bad_value_in_file_names_the_key() -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text("refresh_seconds = -1\n")
    with pytest.raises(ConfigError, match="refresh_seconds: must be between"):
        load_settings()
