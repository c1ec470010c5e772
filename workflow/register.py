"""The public register of specific instances: its entries, a published document's content, and
the export with the OECD database's fields.

The rules (which cases, what an entry holds) are `states.register`. Everything here is for anyone,
signed in or not: each read is redacted with every protected party of every case
(`workflow.redaction.protecting`) and labels that name no case (never a pseudonym), whoever asks.
A case not listed, an unknown case, and a document that is not published are all the same
`NotInRegister`, so an answer never tells one from the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from states import register as rules
from states.chain import AuditEntry
from states.errors import Input, InvalidInputError
from states.guidelines import THEMES
from states.messages import N_
from states.register import NotInRegister, PublicRelated, Register
from states.reports import histories, oecd_rows
from workflow import redaction as redactions
from workflow import reports
from workflow.config import Settings
from workflow.documents import OpenDocument, altered, content_chunks
from workflow.ports import Transaction, UnitOfWork

ANY = rules.Filters()
UNKNOWN_STAGE = N_("{what}: no stage '{value}' in the register")


def _by_case(entries: Iterable[AuditEntry]) -> dict[str, list[AuditEntry]]:
    found: dict[str, list[AuditEntry]] = {}
    for entry in entries:
        if entry.case_ref is not None:
            found.setdefault(entry.case_ref, []).append(entry)
    return found


def _entries(
    tx: Transaction, settings: Settings, trails: Mapping[str, list[AuditEntry]], language: str
) -> list[rules.Entry]:
    """The listed cases among `trails` (each case's audit entries) as entries, worded in
    `language` (the redaction's labels)."""
    listed = {ref: found for ref, trail in trails.items() if (found := rules.listing(trail)) is not None}
    if not listed:
        return []
    found_histories = histories(
        (entry for ref in listed for entry in trails[ref]),
        settings.ncp.timezone,
        reports.rules_for(tx, settings.policy),
    )
    redaction = redactions.protecting(tx, language)
    return [
        rules.entry(
            tx.cases.get(ref),
            found_histories[ref],
            listing,
            tx.statements.statements(ref),
            tx.documents.of_case(ref),
            redaction,
        )
        for ref, listing in listed.items()
        if ref in found_histories
    ]


def check_stage(stage: str | None, known: Iterable[str]) -> None:
    """A stage filter the register can hold: one of `known` (the configured procedure's states
    and those of the listed cases); else refused naming the filter."""
    if stage is not None and stage not in set(known):
        raise InvalidInputError(UNKNOWN_STAGE, what=Input("", "stage"), value=stage[:40])


def register(
    *, uow: UnitOfWork, settings: Settings, filters: rules.Filters = ANY, language: str = "en"
) -> Register:
    """The listed cases the filters keep, received newest first; a stage neither the procedure
    nor a listed case has is refused naming the filter."""
    with uow.read() as tx:
        every = _entries(tx, settings, _by_case(tx.audit.entries()), language)
    check_stage(filters.stage, [*settings.policy.procedure.states, *(e.stage for e in every)])
    kept = rules.ordered(e for e in every if filters.keep(e))
    return Register(entries=kept, total=len(every), choices=rules.choices(every))


def entry(*, uow: UnitOfWork, settings: Settings, reference: str, language: str = "en") -> rules.Entry:
    """One listed case's entry; NotInRegister when there is none."""
    with uow.read() as tx:
        trail = list(tx.audit.entries(case_ref=reference)) if reference in tx.cases.references() else []
        found = _entries(tx, settings, {reference: trail}, language) if trail else []
        if not found:
            raise NotInRegister(reference)
        return replace(found[0], related=_related(tx, settings, reference, language))


def _related(tx: Transaction, settings: Settings, reference: str, language: str) -> tuple[PublicRelated, ...]:
    """The listed case's standing links to other listed cases here, by number: a link is public
    only when both its cases are (a case at another NCP, or one not listed, is left out)."""
    shown = []
    for link in tx.case_links.of_case(reference):
        other = link.other_of(reference)
        if not link.active or other is None:
            continue
        listed = _entries(tx, settings, {other: list(tx.audit.entries(case_ref=other))}, language)
        if listed:
            shown.append(
                PublicRelated(reference=other, title=listed[0].title, relation=link.relation(reference))
            )
    return tuple(shown)


def open_published(*, uow: UnitOfWork, settings: Settings, reference: str, number: int) -> OpenDocument:
    """The content of a listed case's published statement whose PDF is document `number` (the
    version published), streamed; NotInRegister for any other number, as for an unknown case."""
    shown = entry(uow=uow, settings=settings, reference=reference)
    published = next((d for d in shown.documents if d.number == number), None)
    if published is None:
        raise NotInRegister(reference)
    with uow.read() as tx:
        document = next(
            d
            for d in tx.documents.of_case(reference)
            if d.number == number and d.version == published.version
        )
    name = f"{reference}-{number}{published.extension}"
    return OpenDocument(
        replace(document, filename=name, title=published.title),
        content_chunks(uow, document.sha256, document.size, altered(document)),
    )


def export(*, uow: UnitOfWork, settings: Settings) -> list[dict[str, Any]]:
    """One row per listed case: the OECD database's fields (`report oecd`'s rows, for the listed
    cases only), then the entry's title, parties (a withheld one as "withheld"), decision,
    published statements and when the entry last changed; redacted like the pages (English labels)."""
    with uow.read() as tx:
        trails = _by_case(tx.audit.entries())
        entries = {e.reference: e for e in _entries(tx, settings, trails, "en")}
        found = histories(
            (entry for ref in entries for entry in trails[ref]),
            settings.ncp.timezone,
            reports.rules_for(tx, settings.policy),
        )
        redaction = redactions.protecting(tx)
    rows = oecd_rows(found, lead_ncp=settings.ncp.country, chapters=THEMES)
    out = []
    for row in rows:
        shown = entries[row["reference"]]
        out.append(
            {
                **redaction.value(row, keep=redactions.IDENTIFIERS),
                "title": shown.title,
                "enterprises": [p.name or "withheld" for p in shown.enterprises],
                "submitters": [p.name or "withheld" for p in shown.submitters],
                "decision": shown.decision,
                "statements": [
                    {"kind": d.kind, "published_on": d.published_on.isoformat(), "document": d.number}
                    for d in shown.documents
                ],
                "updated": shown.updated_at.isoformat(),
            }
        )
    return out
