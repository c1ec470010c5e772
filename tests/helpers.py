"""Helpers the tests share: one way to open a case through the use case."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from workflow.bootstrap import Services
from workflow.cases import PartyInput, open_case
from workflow.rotation import Notices


def open_one(
    services: Services,
    *enterprises: str,
    received: date | datetime = date(2025, 1, 31),
    title: str = "Fish farm discharges",
    submitter: str = "Naturvernforbundet",
    numbers: Mapping[str, str] | None = None,
    actor: str = "sek",
) -> str:
    """Open a case as the CLI does (lead notices wired) and return its reference.

    One submitting NGO; the enterprises named (Havbruk Seafood ASA when none), with the org
    numbers in `numbers`.
    """
    numbers = numbers or {}
    case = open_case(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference_prefix="NCP",
        title=title,
        submitters=[PartyInput(submitter, "ngo")],
        enterprises=[
            PartyInput(e, org_number=numbers.get(e)) for e in enterprises or ("Havbruk Seafood ASA",)
        ],
        actor=actor,
        received=received,
        notices=Notices(services.settings, services.render),
    )
    return case.reference
