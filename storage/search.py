"""The search index of cases (`case_search`), kept in the transaction of every write, and the
SQL that finds and orders cases by text and filters (states/search.py says what is indexed).

One row per case: four columns of terms (`head`, `body`, `head_secret`, `body_secret`), each a
sorted, space-separated set. SQLite indexes them in the FTS5 table `case_search_fts` (external
content, `ascii` tokenizer: the stored terms are already the words), kept in step by triggers on
`case_search`; PostgreSQL in two GIN expression indexes over `array_to_tsvector` of the terms
(every column, and the columns a reader without identities may match). No text search parser
runs on either, so both find exactly the same cases.

The row is written by the case repository when a case is added (its head) and by the audit log
when an entry is appended (`entry_added`: the body), in that write's transaction; no use case
has to remember it. A new confidential submitter re-indexes the other cases whose text holds
the name, so that redaction (which hides a protected name in every case's text) holds in the
index too. `rebuild` writes rows from the stored cases and audit log (the migration's backfill).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from states.case import PartyRole
from states.members import normalise_org_number
from states.redaction import Protected, Redaction
from states.search import (
    SEARCHED,
    Filters,
    PartyText,
    Query,
    body_terms,
    document,
    entry_texts,
    head,
    merged,
    terms,
    words,
)
from storage.db import Db
from storage.mediators import MEDIATED
from storage.parties import protected_parties

COLUMNS = ("head", "body", "head_secret", "body_secret")
_CHUNK = 400  # cases rebuilt per statement (SQLite takes at most 32,766 bound values)
# Which columns a reader matches: all of them, or (no identities) the redacted ones; and which
# of them are the case's head, for the order of hits.
_MATCHED = {True: COLUMNS, False: ("head", "body")}
_HEADS = {True: ("head", "head_secret"), False: ("head",)}


GIN_INDEXES = ("ix_case_search_all", "ix_case_search_shown")
# PostgreSQL: the matching cases of a tsquery, by the columns matched (all, or the shown ones),
# found by the owner's SECURITY DEFINER functions (0039_search_under_rls, `install_functions`).
FUNCTIONS = {True: "ncpflow_search_all", False: "ncpflow_search_shown"}


def beside_metadata(name: str | None, kind: str) -> bool:
    """What the migration makes outside storage/tables.py: SQLite's FTS5 table (and its shadow
    tables), PostgreSQL's GIN expression indexes."""
    if kind == "table":
        return name == "case_search_fts" or (name or "").startswith("case_search_fts_")
    return kind == "index" and name in GIN_INDEXES


def vector(columns: Sequence[str], table: str = "") -> str:
    """PostgreSQL: the tsvector of some columns' terms; the GIN indexes are on the same
    expressions (`vector(COLUMNS)`, `vector(("head", "body"))`), so the planner uses them."""
    return " || ".join(f"array_to_tsvector(string_to_array({table}{c}, ' '))" for c in columns)


def install_functions(connection: Any) -> None:
    """PostgreSQL (0039_search_under_rls): the search's GIN indexes used under row-level security.

    Under a policy, PostgreSQL evaluates the policy's qual before any qual that is not
    LEAKPROOF, and `@@` is not: an NCP's search read every NCP's index rows in a sequential scan.
    Marking `@@` leakproof needs a superuser, so the lookup runs in two functions owned by the
    tables' owner (SECURITY DEFINER), for which `case_search` does not force the policy: they
    use the GIN index and keep the caller's NCP themselves (`tenant = ncpflow_tenant()`: the
    session's setting and login role, as the policy reads them). They return case ids only, of
    the caller's NCP; the application role still reads `case_search` itself under the policy."""
    if connection.dialect.name != "postgresql":
        return
    schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
    for identities, name in FUNCTIONS.items():
        connection.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION {name}(q tsquery) RETURNS SETOF integer "
            f'LANGUAGE sql STABLE SECURITY DEFINER SET search_path = "{schema}", pg_temp AS $$ '
            "SELECT case_id FROM case_search WHERE tenant = (SELECT ncpflow_tenant()) "
            f"AND {vector(_MATCHED[identities])} @@ q $$"
        )
        connection.exec_driver_sql(f"REVOKE ALL ON FUNCTION {name}(tsquery) FROM PUBLIC")
        connection.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {name}(tsquery) TO ncpflow_app")
    connection.exec_driver_sql("ALTER TABLE case_search NO FORCE ROW LEVEL SECURITY")


def uninstall_functions(connection: Any) -> None:
    """Undo `install_functions` (0039's downgrade)."""
    if connection.dialect.name != "postgresql":
        return
    for name in FUNCTIONS.values():
        connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}(tsquery)")
    connection.exec_driver_sql("ALTER TABLE case_search FORCE ROW LEVEL SECURITY")


Redactions = dict[tuple[int, int, int], Redaction]
"""The redactions a unit of work has built, by the count and the highest id of the
confidential parties' rows and `party_revision`: a new case adds rows, and every change to a
party or a contact raises the revision, so a committed set is known by these three
(storage/sql.py keeps one per database)."""
_KEPT = 4


class SqlSearchIndex:
    def __init__(self, db: Db, redactions: Redactions | None = None) -> None:
        self._db = db
        self._redactions = {} if redactions is None else redactions
        self._protected: tuple[Protected, ...] | None = None  # read once per transaction
        self._redaction: Redaction | None = None
        self._added = False  # this transaction added a confidential submitter

    # -- what redaction hides ----------------------------------------------------------------
    def protected(self) -> tuple[Protected, ...]:
        """Every protected party and its contacts' details, read once per transaction."""
        if self._protected is None:
            self._protected = tuple(protected_parties(self._db))
        return self._protected

    def redaction(self) -> Redaction:
        """The redaction of every protected party, built once per set: a step on the hot path
        reads three numbers, not every protected name, and compiles no pattern."""
        if self._redaction is None:
            # From ix_parties_confidential and the one row of party_revision.
            count, last, revision = self._db.one(
                "SELECT COUNT(*), MAX(id), (SELECT revision FROM party_revision WHERE id = 1) "
                "FROM parties WHERE confidential"
            ) or (0, None, None)
            key = (int(count), int(last or 0), int(revision or 0))
            # A set this transaction added to is not committed yet: never shared.
            found = None if self._added else self._redactions.get(key)
            if found is None:
                found = Redaction(self.protected())
                if not self._added:
                    if len(self._redactions) >= _KEPT:
                        self._redactions.clear()
                    self._redactions[key] = found
            self._redaction = found
        return self._redaction

    # -- writing -----------------------------------------------------------------------------
    def case_added(self, case_id: int, reference: str, title: str, parties: Sequence[Any]) -> None:
        """Index a new case's head; `parties` have name, org_number, confidential and role."""
        hidden = [
            Protected(reference, p.name, p.org_number)
            for p in parties
            if p.confidential and p.role is PartyRole.SUBMITTER
        ]
        if hidden:  # the new case's submitters are protected from now on
            self._protected, self._redaction, self._added = None, None, True
        shown, secret = head(
            reference, title, [PartyText(p.name, p.org_number) for p in parties], self.redaction()
        )
        self._db.execute(
            "INSERT INTO case_search (case_id, head, body, head_secret, body_secret) "
            "VALUES (:id, :head, '', :secret, '')",
            {"id": case_id, "head": shown, "secret": secret},
        )
        if hidden:
            self.rebuild(self._mentioning(hidden, besides=case_id))

    def title_changed(self, case_id: int) -> None:
        self.rebuild([case_id])

    def parties_changed(self, case_id: int, details: Sequence[Protected] = ()) -> None:
        """A party or contact of case `case_id` changed (storage/parties.py): what redaction
        protects may have changed, so the case is indexed again, with every other case whose
        text holds one of `details` (the party's or contact's texts before and after)."""
        self._protected, self._redaction, self._added = None, None, True
        self.rebuild({case_id} | self._mentioning(details, besides=case_id, secret=True))

    def entry_added(
        self, case_ref: str | None, kind: str, reason: str | None, data: Mapping[str, Any]
    ) -> None:
        """Add an appended audit entry's text to its case's body (most entries have none)."""
        if case_ref is None or kind not in SEARCHED:
            return
        texts = entry_texts(kind, reason, data)
        if not texts:
            return
        row = self._db.one(
            "SELECT s.case_id, s.body, s.body_secret FROM case_search s "
            "JOIN cases c ON c.id = s.case_id WHERE c.reference = :ref",
            {"ref": case_ref},
        )
        if row is None:
            return
        case_id, body, body_secret = row
        shown, secret = body_terms(texts, case_ref, self.redaction())
        new_body, new_secret = merged(body, shown), merged(body_secret, secret)
        if new_body is None and new_secret is None:
            return
        self._db.execute(
            "UPDATE case_search SET body = :body, body_secret = :secret WHERE case_id = :id",
            {
                "id": case_id,
                "body": body if new_body is None else new_body,
                "secret": body_secret if new_secret is None else new_secret,
            },
        )

    def rebuild(self, case_ids: Iterable[int] | None = None, *, redaction: Redaction | None = None) -> int:
        """Write the rows of `case_ids` (None: every case) from the stored cases, parties and
        audit log, redacted by `redaction` (None: every protected party's, as stored now); how
        many were written."""
        db = self._db
        if case_ids is None:
            wanted = [case_id for (case_id,) in db.all("SELECT id FROM cases ORDER BY id")]
        else:
            wanted = sorted(set(case_ids))
        redaction = self.redaction() if redaction is None else redaction
        for start in range(0, len(wanted), _CHUNK):
            self._rebuild(wanted[start : start + _CHUNK], redaction)
        return len(wanted)

    def _rebuild(self, chunk: Sequence[int], redaction: Redaction) -> None:
        db = self._db
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        ids = {f"i{n}": case_id for n, case_id in enumerate(chunk)}
        cases = db.all(f"SELECT id, reference, title FROM cases WHERE id IN ({marks}) ORDER BY id", ids)
        parties: dict[int, list[PartyText]] = {}
        for case_id, name, org_number in db.all(
            f"SELECT case_id, name, org_number FROM parties WHERE case_id IN ({marks}) "
            "ORDER BY case_id, position",
            ids,
        ):
            parties.setdefault(case_id, []).append(PartyText(name, org_number))
        refs = {f"r{n}": reference for n, (_, reference, _) in enumerate(cases)}
        kinds = {f"k{n}": kind for n, kind in enumerate(sorted(SEARCHED))}
        texts: dict[str, list[str]] = {}
        if refs:
            for case_ref, kind, reason, data in db.all(
                "SELECT case_ref, kind, reason, data FROM audit_log "
                f"WHERE case_ref IN ({', '.join(':' + k for k in refs)}) "
                f"AND kind IN ({', '.join(':' + k for k in kinds)}) ORDER BY seq",
                {**refs, **kinds},
            ):
                texts.setdefault(case_ref, []).extend(entry_texts(kind, reason, json.loads(data)))
        documents = [
            {
                "id": case_id,
                **document(
                    reference, title, parties.get(case_id, []), texts.get(reference, []), redaction
                ).__dict__,
            }
            for case_id, reference, title in cases
        ]
        db.execute(f"DELETE FROM case_search WHERE case_id IN ({marks})", ids)
        db.many(
            "INSERT INTO case_search (case_id, head, body, head_secret, body_secret) "
            "VALUES (:id, :head, :body, :head_secret, :body_secret)",
            documents,
        )

    def _mentioning(self, hidden: Sequence[Protected], *, besides: int, secret: bool = False) -> set[int]:
        """The cases (but `besides`) whose redacted text (`secret`: or hidden text) may hold
        one of `hidden`: every word of a name, or a word that begins a number (its letters and
        digits, however separated)."""
        found: set[int] = set()
        for item in hidden:
            name = words(item.name)
            if name:
                found |= self._having([tuple(name)], secret)
            number = normalise_org_number(item.org_number or "")
            if number:
                starts = {w for w in terms(number)} | {number[:n] for n in range(1, len(number) + 1)}
                found |= self._having([(w,) for w in sorted(starts)], secret)
        found.discard(besides)
        return found

    def _having(self, choices: Sequence[tuple[str, ...]], secret: bool = False) -> set[int]:
        """Cases whose shown columns (`secret`: or any column) hold every word of one of
        `choices` (exact words)."""
        db = self._db
        if db.sqlite:
            expression = " OR ".join("(" + " AND ".join(f'"{w}"' for w in c) + ")" for c in choices)
            sql = "SELECT rowid FROM case_search_fts WHERE case_search_fts MATCH :q"
            q = "{" + " ".join(_MATCHED[secret]) + "} : (" + expression + ")"
        else:
            expression = " | ".join("(" + " & ".join(f"'{w}'" for w in c) + ")" for c in choices)
            sql = f"SELECT {FUNCTIONS[secret]}(CAST(:q AS tsquery))"
            q = expression
        return {case_id for (case_id,) in db.all(sql, {"q": q})}


# -- finding ------------------------------------------------------------------------------------


def _fts5(query: Query, columns: Sequence[str]) -> str:
    parts = []
    for term in query.terms:
        choices = [" AND ".join(f'"{w}"*' for w in choice) for choice in term.choices]
        parts.append("(" + " OR ".join(f"({c})" for c in choices) + ")")
    return "{" + " ".join(columns) + "} : (" + " AND ".join(parts) + ")"


def _tsquery(query: Query) -> str:
    parts = []
    for term in query.terms:
        choices = [" & ".join(f"'{w}':*" for w in choice) for choice in term.choices]
        parts.append("(" + " | ".join(f"({c})" for c in choices) + ")")
    return " & ".join(parts)


def matching(
    query: Query, *, identities: bool, sqlite: bool, tag: str = ""
) -> tuple[str, str, dict[str, Any]]:
    """SQL on `cases c`: the condition that a case matches `query`, the expression that is 1
    when its head alone matches, and their parameters (named with `tag`)."""
    if sqlite:
        sub = "c.id IN (SELECT rowid FROM case_search_fts WHERE case_search_fts MATCH :{})"
        return (
            sub.format(f"q_all{tag}"),
            f"CASE WHEN {sub.format(f'q_head{tag}')} THEN 1 ELSE 0 END",
            {
                f"q_all{tag}": _fts5(query, _MATCHED[identities]),
                f"q_head{tag}": _fts5(query, _HEADS[identities]),
            },
        )
    return (
        f"c.id IN (SELECT {FUNCTIONS[identities]}(CAST(:q{tag} AS tsquery)))",
        "CASE WHEN (SELECT " + vector(_HEADS[identities], "s.") + " FROM case_search s "
        f"WHERE s.case_id = c.id) @@ CAST(:q{tag} AS tsquery) THEN 1 ELSE 0 END",
        {f"q{tag}": _tsquery(query)},
    )


def matching_for(filters: Filters, *, sqlite: bool) -> tuple[str, str, dict[str, Any]]:
    """`matching` for the reader `filters` describe: a member, who sees identities but not the
    parties at risk of reprisal of the cases it does not lead, matches every column of the
    other cases and only the redacted columns of those (ix_parties_reprisal_risk)."""
    assert filters.query is not None
    if not filters.identities or filters.at_risk:
        return matching(filters.query, identities=filters.identities, sqlite=sqlite)
    full, full_head, params = matching(filters.query, identities=True, sqlite=sqlite)
    shown, shown_head, shown_params = matching(filters.query, identities=False, sqlite=sqlite, tag="_shown")
    lead = "c.lead_member = :risk_lead" if filters.risk_lead is not None else "1 = 0"
    seen = f"(NOT EXISTS (SELECT 1 FROM parties rp WHERE rp.case_id = c.id AND rp.reprisal_risk) OR {lead})"
    params.update(shown_params)
    if filters.risk_lead is not None:
        params["risk_lead"] = filters.risk_lead
    return (
        f"(({full} AND {seen}) OR {shown})",
        f"CASE WHEN {seen} THEN {full_head} ELSE {shown_head} END",
        params,
    )


# A case's earliest open deadline (ix_deadlines_open_case); none sorts last.
NEXT_DUE = (
    "COALESCE((SELECT MIN(d.due_on) FROM deadlines d WHERE d.case_id = c.id AND d.met_at IS NULL), "
    "'9999-12-31')"
)


def where(filters: Filters, db: Db, terminal: Sequence[str]) -> tuple[list[str], dict[str, Any]]:
    """The conditions on `cases c` of every filter but the text; `terminal`: the states that
    close a case."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if filters.state is not None:
        clauses.append("c.state = :state")
        params["state"] = filters.state
    if filters.lead is not None:
        clauses.append("c.lead_member = :lead")
        params["lead"] = filters.lead
    if filters.led_by is not None:
        clauses.append("c.lead_member = :led_by")
        params["led_by"] = filters.led_by
    if filters.mediated_by is not None:
        clauses.append(f"c.id IN ({MEDIATED})")
        params["mediated_by"] = filters.mediated_by
    if filters.acted_by is not None:
        clauses.append(
            "c.reference IN (SELECT case_ref FROM audit_log WHERE actor = :acted_by AND case_ref IS NOT NULL)"
        )
        params["acted_by"] = filters.acted_by
    if filters.closed is not None:
        marks = ", ".join(f":terminal{n}" for n in range(len(terminal))) or "NULL"
        clauses.append(f"c.state {'IN' if filters.closed else 'NOT IN'} ({marks})")
        params.update({f"terminal{n}": name for n, name in enumerate(terminal)})
    paused = "EXISTS (SELECT 1 FROM pauses p WHERE p.case_id = c.id AND p.ended_at IS NULL)"
    if filters.paused is not None:
        clauses.append(paused if filters.paused else f"NOT {paused}")
    if filters.overdue_on is not None:
        # One seek per case in ix_deadlines_open_case (an IN list would read every open one).
        clauses.append(
            "EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = c.id AND d.met_at IS NULL "
            f"AND d.due_on < :day) AND NOT {paused}"
        )
        params["day"] = db.day(filters.overdue_on)
    if filters.received_from is not None:
        clauses.append("c.received_on >= :received_from")
        params["received_from"] = db.day(filters.received_from)
    if filters.received_before is not None:
        clauses.append("c.received_on < :received_before")
        params["received_before"] = db.day(filters.received_before)
    if filters.theme is not None:
        # themes is the JSON list of theme ids; the id's own `_` is no wildcard.
        clauses.append("c.themes LIKE :theme ESCAPE '!'")
        escaped = filters.theme.replace("!", "!!").replace("_", "!_").replace("%", "!%")
        params["theme"] = '%"' + escaped + '"%'
    return clauses, params
