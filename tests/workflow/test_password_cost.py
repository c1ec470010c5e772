"""The cost passwords are hashed at. The suite hashes cheaply in its own process
(tests/conftest.py `_cheap_password_hashes`); these tests put the production hasher back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import PRODUCTION_HASHER
from workflow import users
from workflow.bootstrap import Services

PASSWORD = "correct horse battery staple"


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(users, "_hasher", PRODUCTION_HASHER)
    users._dummy_hash.cache_clear()
    yield
    users._dummy_hash.cache_clear()  # computed at the production cost: not for the next test


def test_a_password_is_hashed_with_argon2id_at_rfc_9106_s_second_profile(
    production: None, services: Services
) -> None:
    users.add_user(
        uow=services.uow, clock=services.clock, name="hanna", role="handler", actor="test", password=PASSWORD
    )
    user = users.by_name(uow=services.uow, name="hanna")
    assert user is not None and user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert users.check_password(uow=services.uow, name="hanna", password=PASSWORD) == user
    assert users.check_password(uow=services.uow, name="hanna", password=PASSWORD + "!") is None


def test_an_unknown_name_is_checked_against_a_hash_of_the_same_cost(production: None) -> None:
    assert users._dummy_hash().startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_the_suite_s_own_hashes_are_argon2id_too(services: Services) -> None:
    users.add_user(
        uow=services.uow, clock=services.clock, name="hanna", role="handler", actor="test", password=PASSWORD
    )
    user = users.by_name(uow=services.uow, name="hanna")
    assert user is not None and user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    assert users.check_password(uow=services.uow, name="hanna", password=PASSWORD) == user
