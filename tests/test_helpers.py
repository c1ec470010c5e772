"""The helpers the tests share are written once, in tests/helpers.py, and do what they say."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.helpers import csrf_of, free_port, wait_for

TESTS = Path(__file__).resolve().parent
# The heart of each shared helper: a test module holding one of these wrote its own copy.
COPIES = ('name="csrf_token" value="', 'bind(("127.0.0.1", 0))', "time.monotonic() + timeout")


def test_no_test_module_writes_its_own_port_finder_poller_or_csrf_reader() -> None:
    """free_port, wait_for, csrf_of and sign_in live in tests/helpers.py alone."""
    copies = [
        (path.relative_to(TESTS).as_posix(), copy)
        for path in TESTS.rglob("*.py")
        if path.name not in {"helpers.py", "test_helpers.py"}
        for copy in COPIES
        if copy in path.read_text(encoding="utf-8")
    ]
    assert copies == []


def test_a_free_port_can_be_bound_and_a_csrf_token_is_read_from_its_form() -> None:
    """The port is free on 127.0.0.1; the token is the form field's value."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", free_port()))
    assert csrf_of('<input type="hidden" name="csrf_token" value="a.b-c">') == "a.b-c"


def test_wait_for_returns_once_the_condition_holds_and_fails_naming_what_it_awaited() -> None:
    """It polls; past the timeout the test fails with what was awaited."""
    calls = iter([False, False, True])
    wait_for(lambda: next(calls), "the third call")
    with pytest.raises(pytest.fail.Exception, match="waiting for nothing at all"):
        wait_for(lambda: False, "nothing at all", timeout=0.1)
