"""Reading a case's links to related cases (states/case_links.py) as a reader may see them; the
writes are `workflow.case_links`. Imported by every view of a case, so it imports nothing a read
does not need (no audit records, no logging).

The other case's title goes through the reader's redaction with the rest of the view; a reader
who may not see the other case (a mediator not assigned to it) gets the link withheld (that a
related case exists, not which); the operator at the command line reads everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from states.case_links import CaseLink
from states.users import User
from workflow import read_models
from workflow import redaction as redactions
from workflow.ports import Transaction, UnitOfWork


def may_see_case(tx: Transaction, viewer: User, reference: str) -> bool:
    """Whether `viewer` may see case `reference` at all: always, but for a mediator's user, only
    the cases its mediator is assigned to now (`workflow.mediators.may_see` is this; a read of a
    case's links does not import the mediators' writes)."""
    scope = redactions.mediated_by(viewer)
    return scope is None or (bool(scope) and tx.mediators.is_assigned(scope, reference))


def _others(reference: str, links: Iterable[CaseLink]) -> set[str]:
    return {o for link in links if link.active and (o := link.other_of(reference)) is not None}


def related(
    tx: Transaction,
    reference: str,
    links: Sequence[CaseLink],
    viewer: User | None,
    titles: Mapping[str, str] | None = None,
) -> list[read_models.RelatedCase]:
    """The standing `links` of case `reference` as `viewer` may see them (None: the operator),
    titles as stored (the caller redacts the view they sit in; `titles`: read already)."""
    standing = [link for link in links if link.active]
    if titles is None:
        others = _others(reference, standing)
        titles = tx.case_links.titles(others) if others else {}
    shown = []
    for link in standing:
        other = link.other_of(reference)
        withheld = other is not None and viewer is not None and not may_see_case(tx, viewer, other)
        shown.append(
            read_models.RelatedCase(
                number=link.number,
                relation=link.relation(reference),  # type: ignore[arg-type]  # one of RELATIONS
                case=None if withheld else other,
                title=None if withheld or other is None else titles.get(other),
                withheld=withheld,
                ncp=link.ncp,
                external_reference=link.external_reference,
                url=link.url,
                linked_at=link.linked_at.isoformat(),
                linked_by=link.linked_by,
            )
        )
    return shown


def related_of(
    tx: Transaction, references: Iterable[str], viewer: User | None
) -> Mapping[str, list[read_models.RelatedCase]]:
    """`related` for each of `references`, the links and the other cases' titles read once (a
    page of cases)."""
    found = tx.case_links.of_cases(references)
    others = set().union(*(_others(reference, links) for reference, links in found.items()))
    titles = tx.case_links.titles(others) if others else {}
    return {reference: related(tx, reference, links, viewer, titles) for reference, links in found.items()}


def case_links(
    *,
    uow: UnitOfWork,
    reference: str,
    viewer: User | None = None,
    actor: str | None = None,
    language: str = "en",
) -> read_models.CaseLinks:
    """The case's standing links as `viewer` (or the user `actor` names; neither: the operator)
    may see them, redacted like every other view of the case."""
    from workflow.views import redacted

    with uow.read() as tx:
        reader = viewer if viewer is not None else tx.users.get(actor) if actor is not None else None
        tx.cases.get(reference)
        shown = related(tx, reference, tx.case_links.of_case(reference), reader)
        redaction = redactions.for_viewer(tx, reader, language) if reader is not None else None
    found = read_models.CaseLinks(reference=reference, links=shown)
    return found if redaction is None else redacted(found, redaction, reference)
