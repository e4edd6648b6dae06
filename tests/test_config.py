from __future__ import annotations

from pathlib import Path

import pytest

from itpm_tui.config import config_path, load_settings, set_value
from itpm_tui.domain.risk import RiskThresholds, band
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


def test_risk_thresholds_default_to_5_10_16() -> None:
    settings = load_settings()
    assert (settings.risk_medium, settings.risk_high, settings.risk_critical) == (5, 10, 16)
    assert settings.risk_thresholds() == RiskThresholds(5, 10, 16)


def test_risk_thresholds_from_the_file_band_the_scores() -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text("risk_medium = 4\nrisk_high = 8\nrisk_critical = 15\n")
    thresholds = load_settings().risk_thresholds()
    assert [band(s, thresholds) for s in (3, 4, 8, 15)] == ["low", "medium", "high", "critical"]


def test_risk_threshold_set_from_the_command_line_text() -> None:
    set_value("risk_critical", " 20 ")
    assert load_settings().risk_critical == 20


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("risk_high", "ten", "risk_high: 'ten' is not a whole number"),
        ("risk_high", "9.5", "risk_high: '9.5' is not a whole number"),
        ("risk_medium", "1", r"risk_medium: must be between 2 and 25 \(a risk score\), got 1"),
        ("risk_critical", "26", "risk_critical: must be between 2 and 25"),
        # Each alone is on the scale, but the three no longer ascend:
        ("risk_high", "4", "risk_medium < risk_high < risk_critical"),
        ("risk_high", "16", "got risk_medium = 5, risk_high = 16, risk_critical = 16"),
        ("risk_medium", "12", "risk_medium, risk_high, risk_critical: must ascend"),
    ],
)
def test_bad_risk_thresholds_are_refused_and_file_unchanged(
    key: str, value: str, message: str
) -> None:
    set_value("risk_high", "11")
    before = config_path().read_bytes()
    with pytest.raises(ConfigError, match=message):
        set_value(key, value)
    assert config_path().read_bytes() == before


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            "risk_high = 20\n",
            "must ascend .* got risk_medium = 5, risk_high = 20, risk_critical = 16",
        ),
        ("risk_medium = true\n", "risk_medium: must be a whole number between 2 and 25, got True"),
        ("risk_medium = 5.0\n", "risk_medium: must be a whole number"),
    ],
)
def test_bad_risk_thresholds_in_the_file_name_the_keys(toml: str, message: str) -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text(toml)
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings()
    assert str(caught.value).startswith(str(path))


def test_thresholds_may_move_together_one_key_at_a_time() -> None:
    """Raising every band is possible by setting critical first, then high, then medium."""
    set_value("risk_critical", "20")
    set_value("risk_high", "15")
    set_value("risk_medium", "8")
    assert load_settings().risk_thresholds() == RiskThresholds(8, 15, 20)


def test_a_huge_or_deeply_nested_value_is_one_line(tmp_path: Path) -> None:
    """A megabyte URL is refused before it is parsed; arrays nested past what the TOML
    reader can follow are said, not a RecursionError."""
    from itpm_tui.config import MAX_URL, load_settings, set_value

    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError, match=f"database_url: must be at most {MAX_URL} characters"):
        set_value("database_url", "Z" * 1_000_000, path)
    assert not path.exists()
    path.write_text("keymap = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_settings(path)
