"""Related instances through the application, on SQLite and PostgreSQL: a link shows on both
cases here and in `case show`'s document, with one audit entry on each case; a case at another
NCP; removal; refusals that name their input (or the refused step) and write nothing; and what a
link lets a reader see: never a protected name, nothing of a case a mediator may not see."""

from __future__ import annotations

import json

import pytest
import sqlalchemy

from states import records
from states.errors import InvalidInputError, StepRefusedError
from states.permissions import PermissionDeniedError
from states.users import User
from tests.dbdump import dump
from tests.helpers import open_one
from workflow import users
from workflow.bootstrap import Services
from workflow.cases import PartyInput

SECRET = "Kari Nordmann"


def test_a_link_between_two_cases_here_shows_on_both_with_an_audit_entry_on_each(services: Services) -> None:
    first = open_one(services, title="Fish farm discharges 2019")
    later = open_one(services, title="Fish farm discharges again")
    made = services.case_links.link(reference=later, kind="follow_on", case=first, actor="sek")
    assert made.number == 1
    (on_later,) = services.cases.view(case=services.cases.get(reference=later)).links
    (on_first,) = services.cases.view(case=services.cases.get(reference=first)).links
    assert (on_later.relation, on_later.case, on_later.title) == (
        "follow_on",
        first,
        "Fish farm discharges 2019",
    )
    assert (on_first.relation, on_first.case, on_first.title) == (
        "followed_by",
        later,
        "Fish farm discharges again",
    )
    assert on_first.number == on_later.number == 1
    for ref, relation, other in ((later, "follow_on", first), (first, "followed_by", later)):
        (entry,) = [e for e in services.audit.log(case_ref=ref) if e.kind == "case_linked"]
        assert entry.data == {"number": 1, "relation": relation, "linked_case": other}
        assert isinstance(records.parse(entry.kind, entry.data), records.CaseLinked)
    assert services.audit.verify_chain().ok


def test_a_parallel_complaint_at_another_ncp_is_linked_with_its_reference_and_address(
    services: Services,
) -> None:
    ref = open_one(services)
    services.case_links.link(
        reference=ref,
        kind="parallel",
        ncp="se",
        external_reference="NKP 2025/7",
        url="https://ncp.example.se/cases/7",
        actor="sek",
    )
    (shown,) = services.case_links.list(reference=ref).links
    assert (shown.relation, shown.ncp, shown.external_reference, shown.url) == (
        "parallel",
        "SE",
        "NKP 2025/7",
        "https://ncp.example.se/cases/7",
    )
    assert shown.case is None and not shown.withheld
    (entry,) = [e for e in services.audit.log(case_ref=ref) if e.kind == "case_linked"]
    assert entry.data == {
        "number": 1,
        "relation": "parallel",
        "ncp": "SE",
        "external_reference": "NKP 2025/7",
        "url": "https://ncp.example.se/cases/7",
    }


def test_a_removed_link_leaves_both_cases_with_an_entry_and_may_be_made_again(services: Services) -> None:
    one, two = open_one(services), open_one(services)
    services.case_links.link(reference=one, kind="same_facts", case=two, actor="sek")
    services.case_links.unlink(reference=two, number=1, actor="sek", reason="Entered by mistake")
    assert services.case_links.list(reference=one).links == []
    assert services.case_links.list(reference=two).links == []
    for ref, other in ((one, two), (two, one)):
        (entry,) = [e for e in services.audit.log(case_ref=ref) if e.kind == "case_unlinked"]
        assert entry.data == {"number": 1, "relation": "same_facts", "linked_case": other}
        assert entry.reason == "Entered by mistake"
    again = services.case_links.link(reference=two, kind="same_facts", case=one, actor="sek")
    assert again.number == 2
    with pytest.raises(StepRefusedError, match="link 1 was already removed") as refused:
        services.case_links.unlink(reference=one, number=1, actor="sek")
    assert refused.value.reference == one  # type: ignore[attr-defined]
    assert services.audit.verify_chain().ok


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"kind": "cousin", "case": "OTHER"}, "kind"),
        ({"kind": "same_facts", "case": "SELF"}, "case"),
        ({"kind": "same_facts", "case": "NCP-2099-999"}, "case"),
        ({"kind": "parallel", "case": "OTHER"}, "case"),
        ({"kind": "same_facts", "ncp": "SE", "external_reference": "7"}, "kind"),
        ({"kind": "parallel", "ncp": "NO", "external_reference": "7"}, "ncp"),
        ({"kind": "parallel", "ncp": "SE"}, "case"),
        ({"kind": "parallel", "ncp": "SE", "external_reference": "7", "url": "javascript:alert(1)"}, "url"),
        ({"kind": "parallel", "ncp": "SE", "external_reference": "7", "url": "https://a b"}, "url"),
        ({"kind": "parallel", "ncp": "SE", "external_reference": "x" * 301}, "external_reference"),
        ({"kind": "parallel", "ncp": "SE", "external_reference": "7\x1b[2J"}, "external_reference"),
        ({"kind": "follow_on", "case": "OTHER", "ncp": "SE", "external_reference": "7"}, "case"),
    ],
)
def test_a_refused_link_names_its_input_and_writes_nothing(
    services: Services, database_url: str, given: dict[str, str], field: str
) -> None:
    ref, other = open_one(services), open_one(services)
    before = dump(database_url)
    values = {k: {"SELF": ref, "OTHER": other}.get(v, v) for k, v in given.items()}
    with pytest.raises(InvalidInputError) as refused:
        services.case_links.link(reference=ref, actor="sek", **values)  # type: ignore[arg-type]
    assert f"({field})" in refused.value.words()
    assert dump(database_url) == before


def test_a_link_that_already_stands_is_a_refused_step_in_either_direction(
    services: Services, database_url: str
) -> None:
    one, two = open_one(services), open_one(services)
    services.case_links.link(reference=one, kind="same_facts", case=two, actor="sek")
    services.case_links.link(reference=one, kind="parallel", ncp="DK", external_reference="D-1", actor="sek")
    before = dump(database_url)
    with pytest.raises(StepRefusedError, match=f"already linked to case {one}"):
        services.case_links.link(reference=two, kind="follow_on", case=one, actor="sek")
    with pytest.raises(StepRefusedError, match="already linked to DK D-1"):
        services.case_links.link(
            reference=one, kind="parallel", ncp="dk", external_reference=" d-1 ", actor="sek"
        )
    with pytest.raises(InvalidInputError, match="has no link 9"):
        services.case_links.unlink(reference=one, number=9, actor="sek")
    assert dump(database_url) == before


def test_only_a_handler_links_cases(services: Services, database_url: str) -> None:
    one, two = open_one(services), open_one(services)
    users.add_user(
        uow=services.uow, clock=services.clock, name="aud", role="auditor", member_id=None, actor="root"
    )
    before = dump(database_url)
    with pytest.raises(PermissionDeniedError):
        services.case_links.link(reference=one, kind="same_facts", case=two, actor="aud")
    assert dump(database_url) == before


def test_a_link_never_shows_a_protected_name_to_a_reader_who_may_not_see_it(services: Services) -> None:
    """The other case's title names its confidential submitter: an auditor reads the link with
    the name redacted, in the case's document and in the list alike; the operator reads it."""
    hidden = services.cases.open(
        title=f"{SECRET} v. Havbruk",
        submitters=[PartyInput(SECRET, "individual", confidential=True)],
        enterprises=[PartyInput("Havbruk Seafood ASA")],
        actor="sek",
    ).reference
    ref = open_one(services)
    services.case_links.link(reference=ref, kind="same_facts", case=hidden, actor="sek")
    auditor = User(name="aud", role="auditor")
    seen = services.cases.view(case=services.cases.get(reference=ref), viewer=auditor)
    listed = services.case_links.list(reference=ref, viewer=auditor)
    page = services.cases.page(viewer=auditor)
    for document in (seen.links, listed.links, next(c for c in page.items if c.reference == ref).links):
        text = json.dumps([link.model_dump() for link in document])
        assert hidden in text and SECRET not in text
    assert SECRET in (services.case_links.list(reference=ref).links[0].title or "")


def test_a_mediator_sees_that_a_related_case_exists_but_not_which(services: Services) -> None:
    mine, other = open_one(services), open_one(services, title="Another case")
    services.mediators.add(actor="sek", mediator_id="kari", name="Kari Mekler", email="kari@example.org")
    services.mediators.assign(reference=mine, mediator="kari", actor="sek")
    services.case_links.link(reference=mine, kind="same_facts", case=other, actor="sek")
    viewer = User(name="kari-user", role="mediator", mediator_id="kari")
    (shown,) = services.case_links.list(reference=mine, viewer=viewer).links
    assert shown.withheld and shown.case is None and shown.title is None
    text = json.dumps(
        services.cases.view(case=services.cases.get(reference=mine), viewer=viewer).model_dump(mode="json")
    )
    assert other not in text and "Another case" not in text


def test_links_and_their_removals_are_append_only_and_hold_one_other_end(
    services: Services, database_url: str
) -> None:
    """UPDATE and DELETE on both tables are refused by the database on both backends, and a row
    naming both a case here and another NCP's case (or the case itself) by its check."""
    one, two = open_one(services), open_one(services)
    services.case_links.link(reference=one, kind="same_facts", case=two, actor="sek")
    services.case_links.unlink(reference=one, number=1, actor="sek")
    engine = sqlalchemy.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        for statement in (
            "UPDATE case_links SET kind = 'follow_on'",
            "DELETE FROM case_links",
            "UPDATE case_link_removals SET reason = 'x'",
            "DELETE FROM case_link_removals",
        ):
            with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"), engine.begin() as conn:
                conn.exec_driver_sql(statement)
        for other_end in ("id, 'SE', '7'", "NULL, NULL, NULL", "id, NULL, NULL"):
            with pytest.raises(sqlalchemy.exc.IntegrityError), engine.begin() as conn:
                conn.exec_driver_sql(
                    "INSERT INTO case_links (number, case_id, kind, other_case_id, ncp, external_reference, "
                    f"linked_at, linked_by) SELECT 9, id, 'same_facts', {other_end}, linked_at, 'x' "
                    "FROM (SELECT c.id, l.linked_at FROM cases c, case_links l) AS t LIMIT 1"
                )
    finally:
        engine.dispose()
