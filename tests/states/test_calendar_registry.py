"""The holiday country check reads the holidays package's registry without importing it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from states.errors import InvalidInputError
from tests.conftest import ROOT


def test_the_registry_read_from_source_is_the_one_the_package_imports() -> None:
    """Parsing `holidays/registry.py` gives exactly the package's COUNTRIES table."""
    from holidays.registry import COUNTRIES

    from states.calendar import _registry_literal

    assert _registry_literal() == COUNTRIES


def test_checking_a_holiday_country_imports_no_holidays_module() -> None:
    """Every command checks `holiday_country`; the check alone leaves the package unloaded,
    and still refuses a name the package does not know."""
    code = (
        "import sys\nfrom states.calendar import check_holiday_country\n"
        "from states.errors import InvalidInputError\n"
        "check_holiday_country('NO'); check_holiday_country('Norway')\n"
        "try:\n    check_holiday_country('norway')\nexcept InvalidInputError:\n"
        "    print('refused', sorted(m for m in sys.modules if m.startswith('holidays')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "refused []"


def test_a_registry_laid_out_otherwise_is_imported_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry the reader does not know makes it give up (None), never return part of the
    table; the check then imports the package's registry and still answers right."""
    from states import calendar

    real = Path.read_text

    def changed(self: Path, *args: Any, **kwargs: Any) -> str:
        text = real(self, *args, **kwargs)
        return (
            text.replace('"norway": ("Norway", "NO", "NOR"),', '"norway": NORWAY_NAMES,')
            if self.name == "registry.py"
            else text
        )

    monkeypatch.setattr(Path, "read_text", changed)
    assert calendar._registry_literal() is None
    calendar._holiday_names.cache_clear()
    try:
        calendar.check_holiday_country("NO")
        with pytest.raises(InvalidInputError):
            calendar.check_holiday_country("norway")
    finally:
        calendar._holiday_names.cache_clear()
