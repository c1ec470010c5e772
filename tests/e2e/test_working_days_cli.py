"""Working-day timelines from config.toml through the command line: shown, explained, refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, InProcessCli
from tests.e2e import test_cli as cli

# test_cli's case, received on Thursday 10 April 2025, a week before Easter.
OPEN = [*(value if value != "2025-01-31" else "2025-04-10" for value in cli.OPEN), "--json"]


def _config(tmp_path: Path, acknowledgement: str) -> Path:
    shipped = (ROOT / "config.toml").read_text(encoding="utf-8")
    assert 'acknowledgement = "14d"' in shipped
    config = tmp_path / "wd.toml"
    config.write_text(shipped.replace('acknowledgement = "14d"', f'acknowledgement = "{acknowledgement}"'))
    return config


@pytest.fixture
def wd(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sqlite_url: str, tmp_path: Path
) -> InProcessCli:
    return InProcessCli(capsys, monkeypatch, sqlite_url, _config(tmp_path, "10wd"))


def test_case_show_gives_a_working_day_deadline_counted_across_easter(wd: InProcessCli) -> None:
    """acknowledgement = "10wd": received Thu 10 Apr 2025, due Tue 29 Apr (Easter 17-21 Apr skipped)."""
    reference = wd.json(*OPEN)["reference"]
    shown = wd.json("case", "show", reference, "--json")
    acknowledgement = next(d for d in shown["deadlines"] if d["name"] == "acknowledgement")
    assert acknowledgement["duration"] == "10wd"
    assert acknowledgement["due"] == "2025-04-29"
    assert acknowledgement["explanation"] == "received 10 Apr 2025 + 10 working days = 29 Apr 2025"


def test_a_timeline_mixing_working_days_with_months_stops_the_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sqlite_url: str, tmp_path: Path
) -> None:
    """A config with "1mo5wd" is refused with exit 2, naming the file, the key and the mix."""
    config = _config(tmp_path, "1mo5wd")
    result = InProcessCli(capsys, monkeypatch, sqlite_url, config)(*OPEN)
    assert result.returncode == 2
    assert str(config) in result.stderr
    assert "[timelines] acknowledgement" in result.stderr
    assert "'1mo5wd' mixes working days (wd) with calendar days" in result.stderr
