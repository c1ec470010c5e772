"""The holiday country check reads the holidays package's registry without importing it."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_the_registry_read_from_source_is_the_one_the_package_imports() -> None:
    """Parsing `holidays/registry.py` gives exactly the package's COUNTRIES table."""
    from holidays.registry import COUNTRIES

    from states.calendar import _registry_literal

    assert _registry_literal() == COUNTRIES


def test_checking_a_holiday_country_imports_no_holidays_module() -> None:
    """Every command checks `holiday_country`; the check alone leaves the package unloaded,
    and still refuses a name the package does not know."""
    code = ("import sys\nfrom states.calendar import check_holiday_country\n"
            "from states.errors import InvalidInputError\n"
            "check_holiday_country('NO'); check_holiday_country('Norway')\n"
            "try:\n    check_holiday_country('norway')\nexcept InvalidInputError:\n"
            "    print('refused', sorted(m for m in sys.modules if m.startswith('holidays')))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout.strip() == "refused []"
