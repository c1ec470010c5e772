"""The web app's session key: kept in a file beside the database, made once, owner-only."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest

from ncpflow.web.session_key import KEY_ENV, session_key
from tests.conftest import make_settings
from workflow.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def _no_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)


def test_the_first_call_makes_an_owner_only_key_beside_the_database_and_later_calls_read_it(
    tmp_path: Path,
) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'ncp.db'}")
    key = session_key(settings)
    made = tmp_path / "ncp.db.session-key"
    assert made.read_text().strip() == key and len(key) >= 32
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert session_key(settings) == key
    other = make_settings(f"sqlite:///{tmp_path / 'other.db'}")
    assert session_key(other) != key  # each database its own key


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'ncp.db'}")
    keys: list[str] = []
    starters = [threading.Thread(target=lambda: keys.append(session_key(settings))) for _ in range(8)]
    for t in starters:
        t.start()
    for t in starters:
        t.join()
    assert len(keys) == 8 and len(set(keys)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["ncp.db.session-key"]  # no leftovers


def test_the_environment_overrides_the_file_and_must_not_be_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'ncp.db'}")
    monkeypatch.setenv(KEY_ENV, "from-the-environment-0123456789-abcdef")
    assert session_key(settings) == "from-the-environment-0123456789-abcdef"
    assert not (tmp_path / "ncp.db.session-key").exists()
    monkeypatch.setenv(KEY_ENV, "  ")
    with pytest.raises(ConfigError, match="holds 0 bytes"):
        session_key(settings)


def test_a_secret_key_in_the_environment_shorter_than_32_bytes_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$NCPFLOW_SECRET_KEY needs 32 bytes; a 31-byte key is named and refused."""
    settings = make_settings(f"sqlite:///{tmp_path / 'ncp.db'}")
    monkeypatch.setenv(KEY_ENV, "x" * 31)
    with pytest.raises(ConfigError, match=r"NCPFLOW_SECRET_KEY holds 31 bytes.*at least 32"):
        session_key(settings)
    monkeypatch.setenv(KEY_ENV, "x" * 32)
    assert session_key(settings) == "x" * 32


def test_a_configured_relative_path_is_read_relative_to_config_toml(tmp_path: Path) -> None:
    config = tmp_path / "etc" / "config.toml"
    config.parent.mkdir()
    config.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "ncp.db"}"\n[web]\nsession_key_file = "keys/session"\n'
    )
    (tmp_path / "etc" / "keys").mkdir()
    key = session_key(load_settings(config))
    assert (tmp_path / "etc" / "keys" / "session").read_text().strip() == key


def test_postgresql_keeps_the_key_beside_config_named_after_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # built-in settings: config.toml's folder is the current one
    session_key(make_settings("postgresql://u@db.example/ncp_prod"))
    assert (tmp_path / "ncp_prod.session-key").exists()


def test_a_short_key_file_or_a_folder_that_cannot_hold_one_is_named_in_the_error(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'ncp.db'}")
    (tmp_path / "ncp.db.session-key").write_text("short\n")
    with pytest.raises(ConfigError, match=r"ncp\.db\.session-key: holds 5 bytes"):
        session_key(settings)
    missing = make_settings(f"sqlite:///{tmp_path / 'no-such-dir' / 'ncp.db'}")
    with pytest.raises(ConfigError, match=r"no-such-dir.*cannot be made"):
        session_key(missing)
