"""A case's precedents: the similar past cases, as a reader may see them (`case similar`).

The ranking is `states.precedents`; here the candidates and their profiles are read in one
snapshot, and the list is shaped for the reader.

- **Candidates**: this NCP's own concluded cases (in a state the procedure counts as concluded)
  and every imported case (`case import`: past cases by nature), never the case itself. Only the
  ranked precedents' audit trails are read (a case page does not read the whole log).
- **What is matched** is what the reader may see: each enterprise's name only where the reader
  sees the party as stored (`states.parties.may_see`: a withheld enterprise only for roles that
  see identities, one at risk of reprisal only for handlers, admins and the case's lead), on the
  case and on each candidate. So no precedent's presence, place or score tells a reader that it
  shares a name hidden from them (states/precedents.py says why that is enough).
- **Mediators** (`workflow.redaction.mediated_by`) see precedents among the cases their mediator
  is assigned to, and no other: every list of cases narrows so for them, and a precedent names a
  case, its outcome and its statements, which a mediator does not read outside its own cases.
- **What is shown** goes through the reader's redaction (`workflow.redaction.for_viewer`), each
  precedent with its own reference: its protected names read as its pseudonyms, as on its own
  page, and a name protected in the case asked about as "[confidential party]" (a label that
  links no cases), never as that case's pseudonym.
- **Ties** go to the precedent whose latest step is the most recent (`Case.last_event_at`, the
  NCP's day), then to the lower reference.
- **Outcome and dates** come from the audit log as the reports read them (`states.reports`: the
  final outcome once concluded, a date known only to the month shown so); published statements
  are those the public register serves (`states.register`), linked there when listed; an
  imported case's sources (URLs or citations from its file) are shown as imported.

The operator at the command line (no viewer) reads everything, as `case show` does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from states import precedents as rules
from states import register
from states.case import Case, Party
from states.chain import AuditEntry
from states.errors import CaseNotFoundError
from states.parties import may_see
from states.precision import shown
from states.redaction import NOTHING, Redaction
from states.reports import CaseHistory, histories
from states.users import User
from workflow import read_models, reports
from workflow import redaction as redactions
from workflow.config import Settings
from workflow.ports import Transaction, UnitOfWork
from workflow.related import may_see_case

WEIGHTS = {
    "chapters": rules.CHAPTERS_WEIGHT,
    "host_countries": rules.COUNTRIES_WEIGHT,
    "sector": rules.SECTOR_WEIGHT,
    "enterprise": rules.ENTERPRISE_WEIGHT,
}


def _sees(viewer: User | None, case: Case) -> Callable[[Party], bool]:
    """Whether `viewer` (None: the operator) sees a party of `case` as stored."""
    if viewer is None:
        return lambda party: True
    leads = viewer.member_id is not None and viewer.member_id == case.lead_member
    return lambda party: may_see(party, role=viewer.role, leads=leads)


def _imported(trail: Sequence[AuditEntry]) -> dict[str, Any] | None:
    """The `imported` mark of a case's opening entry, when `case import` brought it in."""
    for entry in trail:
        if entry.kind == "opened":
            mark = entry.data.get("imported")
            return mark if isinstance(mark, dict) else None
    return None


def _profile(case: Case, chapters: Sequence[str], viewer: User | None) -> rules.Profile:
    return rules.Profile(
        reference=case.reference,
        chapters=frozenset((*case.details.themes, *chapters)),
        host_countries=frozenset(c.upper() for c in case.details.host_countries),
        sector=rules.normalised(case.details.sector),
        enterprises=rules.enterprise_names(case.parties, _sees(viewer, case)),
        recent=case.calendar.local_date(case.last_event_at),
    )


def _shown(
    tx: Transaction,
    case: Case,
    match: rules.Match,
    history: CaseHistory | None,
    trail: Sequence[AuditEntry],
    viewer: User | None,
    public: Redaction,
    language: str,
) -> read_models.Precedent:
    sees = _sees(viewer, case)
    procedure = case.procedure
    outcome = history.outcome if history is not None else None
    mark = _imported(trail)
    listed = register.listing(trail) is not None
    statements = (
        register.published_documents(
            tx.statements.statements(case.reference), tx.documents.of_case(case.reference), case, public
        )
        if listed
        else ()
    )
    received = case.calendar.local_date(case.received_at)
    return read_models.Precedent(
        reference=case.reference,
        title=case.title,
        source="imported" if mark is not None else "own",
        score=round(float(match.score), 2),
        matched=list(match.matched),
        chapters=list(match.chapters),
        host_countries=list(match.host_countries),
        sector=case.details.sector,
        enterprises=[
            read_models.PrecedentParty(name=p.name if sees(p) else None, withheld=not sees(p))
            for p in case.parties
            if p.role.value == "enterprise"
        ],
        state=case.state,
        stage=procedure.label("state", case.state, language),
        outcome=outcome,
        outcome_words=procedure.label("outcome", outcome, language) if outcome else None,
        received=shown(received, case.received_precision),
        concluded=history.shown(history.concluded_on, "concluded") if history is not None else None,
        register_url=f"/register/{case.reference}" if listed else None,
        statements=[
            read_models.PrecedentStatement(
                kind=d.kind,
                title=d.title,
                published_on=d.published_on,
                url=f"/register/{case.reference}/documents/{d.number}",
            )
            for d in statements
        ],
        sources=[str(s) for s in (mark or {}).get("sources") or ()],
    )


def similar(
    *,
    uow: UnitOfWork,
    settings: Settings,
    reference: str,
    viewer: User | None = None,
    limit: int = rules.LIMIT,
    language: str = "en",
) -> read_models.Precedents:
    """The precedents of case `reference` as `viewer` (None: the operator) may see them, best
    first, at most `limit`; an unknown case (or one a mediator may not see) is CaseNotFoundError."""
    with uow.read() as tx:
        case = tx.cases.get(reference)
        if viewer is not None and not may_see_case(tx, viewer, reference):
            raise CaseNotFoundError(reference)
        imported = tx.imports.references()
        candidates = {
            other.reference: other
            for other in tx.cases.list()
            if other.reference != reference
            and (other.state in other.procedure.concluded or other.reference in imported)
            and (viewer is None or may_see_case(tx, viewer, other.reference))
        }
        chapters = {
            ref: [ch for issue in issues for ch in issue.chapters]
            for ref, issues in tx.issues.of_cases([reference, *candidates]).items()
        }
        ranked = rules.rank(
            _profile(case, chapters.get(reference, ()), viewer),
            [_profile(c, chapters.get(ref, ()), viewer) for ref, c in candidates.items()],
            limit=limit,
        )
        # Only the precedents' audit trails are read: their outcome, dates, listing and sources.
        trails = {m.reference: list(tx.audit.entries(case_ref=m.reference)) for m in ranked}
        found: Mapping[str, CaseHistory] = histories(
            (entry for trail in trails.values() for entry in trail),
            settings.ncp.timezone,
            reports.rules_for(tx, settings.policy),
        )
        public = redactions.protecting(tx, language)
        listed = [
            _shown(
                tx,
                candidates[m.reference],
                m,
                found.get(m.reference),
                trails[m.reference],
                viewer,
                public,
                language,
            )
            for m in ranked
        ]
        redaction = redactions.for_viewer(tx, viewer, language) if viewer is not None else NOTHING
    from workflow.views import redacted

    # Each precedent is redacted as its own case's text: a name protected in the case asked about
    # reads there as another case's party, never as the case's pseudonym (which would link them).
    return read_models.Precedents(
        reference=reference,
        threshold=float(rules.THRESHOLD),
        weights=WEIGHTS,
        precedents=[redacted(p, redaction, p.reference) for p in listed],
    )
