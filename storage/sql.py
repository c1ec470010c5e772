"""The SQL unit of work: one transaction on one pooled connection, with its repositories.

SQLite writers open with BEGIN IMMEDIATE (storage/engine.py); PostgreSQL writers take one
advisory lock, so the audit chain head, reference counters, alert claims and outbox leases are
read and advanced by one transaction at a time on either backend.

A read is one snapshot: on PostgreSQL a REPEATABLE READ, READ ONLY transaction (READ COMMITTED
would let each of a case's several statements see a different commit); on SQLite one deferred
transaction, which in WAL mode reads one snapshot from its first statement to its end. A read
opened while the same thread already holds a read on this unit of work joins it, so a view
built from several reads (a case and its lead, a page and its filters) sees one snapshot too;
`read(fresh=True)` takes a new snapshot even then.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from functools import cached_property
from typing import TYPE_CHECKING, Any

from states.errors import StorageError, StorageUnavailableError
from states.procedure import Procedure
from storage.audit import SqlAuditLog
from storage.cases import SqlCaseRepository
from storage.connect import Source
from storage.db import Db
from storage.members import SqlMemberStore
from storage.procedures import ProcedureCache, SqlProcedureStore
from storage.users import SqlUserStore
from storage.writer_lock import WriterLock, lock_path_for

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy import Engine

    from storage.alerts import SqlAlertStore
    from storage.bundles import SqlBundleStore
    from storage.case_links import SqlCaseLinkStore
    from storage.checklists import SqlChecklistStore
    from storage.checkpoints import SqlCheckpointStore
    from storage.commitments import SqlCommitmentStore
    from storage.correspondence import SqlCorrespondenceStore
    from storage.documents import SqlDocumentStore
    from storage.engagement import SqlEngagementStore
    from storage.feeds import SqlFeedStore
    from storage.imports import SqlImportStore
    from storage.issues import SqlIssueStore
    from storage.mediators import SqlMediatorStore
    from storage.ncps import SqlNcpStore
    from storage.network import SqlNetworkStore
    from storage.notes import SqlNoteStore
    from storage.outbox import SqlOutbox
    from storage.parties import SqlPartyStore
    from storage.party_links import SqlPartyLinkStore
    from storage.search import Redactions, SqlSearchIndex
    from storage.statements import SqlStatementStore

# Any constant will do, as long as every writer uses the same one.
_PG_WRITE_LOCK = 7_231_977
# The scheduler jobs' turns (`SqlUnitOfWork.turn`): a session-level lock per NCP and job.
_PG_JOB_LOCK = 7_231_978


class SqlTransaction:
    def __init__(
        self, db: Db, procedure: Procedure, pinned: ProcedureCache, redactions: Redactions | None = None
    ) -> None:
        self.db = db
        self._redactions: Redactions = {} if redactions is None else redactions
        self.cases = SqlCaseRepository(db, procedure, pinned, lambda: self.search)
        self.procedures = SqlProcedureStore(db, pinned)
        self.audit = SqlAuditLog(db, self)
        self.members = SqlMemberStore(db)
        self.users = SqlUserStore(db)

    # The stores only the sweep, the dispatcher and the audit commands use, imported with
    # them (the checkpoints bring the signing code): not on every command's start.
    @cached_property
    def checkpoints(self) -> SqlCheckpointStore:
        from storage.checkpoints import SqlCheckpointStore

        return SqlCheckpointStore(self.db)

    @cached_property
    def alerts(self) -> SqlAlertStore:
        from storage.alerts import SqlAlertStore

        return SqlAlertStore(self.db)

    @cached_property
    def outbox(self) -> SqlOutbox:
        from storage.outbox import SqlOutbox

        return SqlOutbox(self.db)

    @cached_property
    def imports(self) -> SqlImportStore:
        from storage.imports import SqlImportStore

        return SqlImportStore(self.db)

    @cached_property
    def search(self) -> SqlSearchIndex:
        from storage.search import SqlSearchIndex

        return SqlSearchIndex(self.db, self._redactions)

    def entry_added(
        self, case_ref: str | None, kind: str, reason: str | None, data: Mapping[str, Any]
    ) -> None:
        """The audit log tells the search index of each entry (storage.audit.Appended)."""
        self.search.entry_added(case_ref, kind, reason, data)

    @cached_property
    def issues(self) -> SqlIssueStore:
        from storage.issues import SqlIssueStore

        return SqlIssueStore(self.db)

    @cached_property
    def documents(self) -> SqlDocumentStore:
        from storage.documents import SqlDocumentStore

        return SqlDocumentStore(self.db)

    @cached_property
    def parties(self) -> SqlPartyStore:
        from storage.parties import SqlPartyStore

        return SqlPartyStore(self.db, lambda: self.search)

    @cached_property
    def feeds(self) -> SqlFeedStore:
        from storage.feeds import SqlFeedStore

        return SqlFeedStore(self.db)

    @cached_property
    def party_links(self) -> SqlPartyLinkStore:
        from storage.party_links import SqlPartyLinkStore

        return SqlPartyLinkStore(self.db)

    @cached_property
    def notes(self) -> SqlNoteStore:
        from storage.notes import SqlNoteStore

        return SqlNoteStore(self.db)

    @cached_property
    def mediators(self) -> SqlMediatorStore:
        from storage.mediators import SqlMediatorStore

        return SqlMediatorStore(self.db)

    @cached_property
    def ncps(self) -> SqlNcpStore:
        from storage.ncps import SqlNcpStore

        return SqlNcpStore(self.db)

    @cached_property
    def correspondence(self) -> SqlCorrespondenceStore:
        from storage.correspondence import SqlCorrespondenceStore

        return SqlCorrespondenceStore(self.db)

    @cached_property
    def statements(self) -> SqlStatementStore:
        from storage.statements import SqlStatementStore

        return SqlStatementStore(self.db)

    @cached_property
    def bundles(self) -> SqlBundleStore:
        from storage.bundles import SqlBundleStore

        return SqlBundleStore(self.db)

    @cached_property
    def engagement(self) -> SqlEngagementStore:
        from storage.engagement import SqlEngagementStore

        return SqlEngagementStore(self.db)

    @cached_property
    def case_links(self) -> SqlCaseLinkStore:
        from storage.case_links import SqlCaseLinkStore

        return SqlCaseLinkStore(self.db)

    @cached_property
    def checklists(self) -> SqlChecklistStore:
        from storage.checklists import SqlChecklistStore

        return SqlChecklistStore(self.db)

    @cached_property
    def network(self) -> SqlNetworkStore:
        from storage.network import SqlNetworkStore

        return SqlNetworkStore(self.db)

    @cached_property
    def commitments(self) -> SqlCommitmentStore:
        from storage.commitments import SqlCommitmentStore

        return SqlCommitmentStore(self.db)


class SqlUnitOfWork:
    def __init__(self, source: Source, procedure: Procedure) -> None:
        """`procedure`: the configured definition (new cases follow it); a stored case follows
        the version it pins, read from `procedure_versions` once per unit of work."""
        self.source = source
        self._procedure = procedure
        self._pinned = ProcedureCache([procedure])
        self._redactions: Redactions = {}  # the search index's, by confidential set (storage/search.py)
        self._sqlite = source.sqlite
        # SQLite takes one writer at a time: writers queue on this lock (threads and
        # processes alike) instead of sleeping in SQLite's busy handler.
        self._writer = WriterLock(lock_path_for(source.database)) if self._sqlite else None
        # The read transaction each thread has open, which a nested read joins.
        self._reading = threading.local()
        # The driver's errors, told apart below; psycopg is imported only for PostgreSQL.
        self._unavailable, self._refused = source.errors()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine on this database (for SQLite made on first use): the
        migrations run on it."""
        return self.source.engine

    @contextmanager
    def read(self, *, fresh: bool = False) -> Iterator[SqlTransaction]:
        """One read-only snapshot; inside another read (or write) of this thread, that same
        snapshot, unless `fresh`: then a new snapshot of what is committed now, on a connection
        of its own, which reads nested in it join until it ends."""
        outer: SqlTransaction | None = getattr(self._reading, "tx", None)
        if outer is not None and not fresh:
            yield outer
            return
        with (
            self._translate(),
            self._transaction("BEGIN", snapshot=True) as db,
            self._joined_by_reads(SqlTransaction(db, self._procedure, self._pinned, self._redactions)) as tx,
        ):
            yield tx

    @contextmanager
    def write(self) -> Iterator[SqlTransaction]:
        """One write transaction; a read this thread opens inside it joins it (and sees its
        writes), so an answer built before the commit costs no transaction of its own."""
        with (
            self._translate(),
            self._writer.held() if self._writer else nullcontext(),
            self._transaction("BEGIN IMMEDIATE", snapshot=False) as db,
        ):
            if not self._sqlite:
                # One writer at a time per NCP: each NCP of a network database has its own
                # audit chain and reference counters (storage/tenancy.py).
                db.execute(
                    "SELECT pg_advisory_xact_lock(:k, hashtext(ncpflow_tenant()))", {"k": _PG_WRITE_LOCK}
                )
            with self._joined_by_reads(
                SqlTransaction(db, self._procedure, self._pinned, self._redactions)
            ) as tx:
                yield tx

    @contextmanager
    def _joined_by_reads(self, tx: SqlTransaction) -> Iterator[SqlTransaction]:
        """Reads this thread opens while `tx` runs join it; the one before is back after."""
        outer: SqlTransaction | None = getattr(self._reading, "tx", None)
        self._reading.tx = tx
        try:
            yield tx
        finally:
            self._reading.tx = outer

    @contextmanager
    def _transaction(self, sqlite_begin: str, *, snapshot: bool) -> Iterator[Db]:
        # Straight on the pooled driver connection: SQLAlchemy's Connection with its begin and
        # commit costs ~0.1 ms a transaction, more than the queries of a typical read (a token
        # lookup, a case's lead and panel). The pool still checks connections out and in, and
        # rolls back whatever a failed transaction left open.
        with self.source.checkout() as driver:
            if self._sqlite:
                driver.execute(sqlite_begin)
            elif snapshot:
                # Readers get one snapshot. Writers stay READ COMMITTED: each statement after
                # the advisory lock must see what the writer before committed (a REPEATABLE
                # READ snapshot would be taken at the lock statement, before the wait).
                # Setting these costs no round trip: psycopg puts them in its BEGIN.
                driver.isolation_level = _repeatable_read()
                driver.read_only = True
            # psycopg (not autocommit) opens the transaction on the first statement.
            try:
                yield Db(driver, self._sqlite)
                driver.commit()
            finally:
                if snapshot and not self._sqlite:
                    _back_to_defaults(driver)

    def writer_if_free(self) -> AbstractContextManager[None] | None:
        """The writer's turn, held, if no other writer has it now; else None, without waiting.

        The web server runs a write inline on its event loop only with this in hand, so the
        loop never waits for another writer. PostgreSQL always answers None: its writers wait
        on the server, over the network."""
        return self._writer.if_free() if self._writer else None

    @contextmanager
    def turn(self, job: str) -> Iterator[bool]:
        """True while this process holds the turn at scheduler job `job` for this connection's
        NCP; False, without waiting, when another process holds it (it does the job now).

        PostgreSQL: a session-level advisory lock keyed by the NCP the database itself names
        (`ncpflow_tenant()`: a pinned login role's NCP, whatever the config says) and the job,
        held on a connection of its own for the block. Several schedulers over one network
        database so split the work; the once-only claims (alerts, outbox leases) still make
        sure that nothing is sent twice whoever runs. SQLite (one NCP, one scheduler's
        database): always True."""
        if self._sqlite:
            yield True
            return
        key = "SELECT {}(%s, hashtext(ncpflow_tenant() || ':' || %s))"
        with self._translate(), self.source.checkout() as driver:
            held = driver.execute(key.format("pg_try_advisory_lock"), (_PG_JOB_LOCK, job)).fetchone()[0]
            driver.commit()  # the lock outlives the transaction: no transaction stays open
            if held is None:  # the database names no NCP for this connection: no turn to take
                raise StorageUnavailableError(
                    f"{self.source.display()}: this login role is pinned to another NCP than "
                    "[database] ncp names; no scheduler job runs for it (docs/network.md)"
                )
            try:
                yield bool(held)
            finally:
                if held:
                    try:
                        driver.execute(key.format("pg_advisory_unlock"), (_PG_JOB_LOCK, job))
                        driver.commit()
                    except self._unavailable + self._refused:
                        driver.close()  # a closed connection ends its locks; the pool drops it

    def user_stamp(self, name: str) -> int | None:
        """The user's stamp (None: gone or disabled), read now, as one statement.

        The web server asks this on every request that a cached token answers, so that a
        disabled user or a revoked token is refused at once, whichever process changed it. On
        SQLite one autocommit SELECT on a pooled connection sees the latest commit (a single
        statement is its own snapshot) and skips the BEGIN and COMMIT of a read transaction:
        about three quarters of the check's cost.
        """
        if not self._sqlite:
            with self.read() as tx:
                return tx.users.stamp(name)
        with self._translate(), self.source.checkout() as connection:
            row = connection.execute(
                "SELECT stamp FROM users WHERE name = ? AND NOT disabled", (name,)
            ).fetchone()
        if row is None:
            return None
        (stamp,) = row
        return int(stamp)

    def close(self) -> None:
        self.source.dispose()
        if self._writer is not None:
            self._writer.close()

    @contextmanager
    def _translate(self) -> Iterator[None]:
        url = self.source.display()
        try:
            yield
        except self._unavailable as exc:
            raise StorageUnavailableError(_describe(url, exc)) from None
        except self._refused as exc:
            detail = _first_line(exc)
            if "ncpflow_tenant" in detail and "does not exist" in detail:
                # A PostgreSQL database from before 0038_tenancy: its writers' lock names the tenant.
                raise StorageUnavailableError(_describe(url, exc)) from None
            raise StorageError(f"the database refused the operation: {detail}") from None


def _repeatable_read() -> psycopg.IsolationLevel:
    from psycopg import IsolationLevel  # PostgreSQL only; imported once the URL says so

    return IsolationLevel.REPEATABLE_READ


def _back_to_defaults(driver: psycopg.Connection[Any]) -> None:
    """The pooled connection's next user (a writer, SQLAlchemy, the migrations) gets the
    server's defaults again, not a read-only snapshot."""
    import psycopg
    from psycopg.pq import TransactionStatus

    with suppress(psycopg.Error):  # a broken connection: the pool discards it anyway
        if driver.info.transaction_status != TransactionStatus.IDLE:
            driver.rollback()
        driver.isolation_level = None
        driver.read_only = None


def _first_line(exc: Exception) -> str:
    cause = getattr(exc, "orig", None) or exc
    text = str(cause).strip()
    return text.splitlines()[0] if text else type(cause).__name__


def _describe(url: str, exc: Exception) -> str:
    detail = _first_line(exc)
    if "no such table" in detail or ("relation" in detail and "does not exist" in detail):
        return f"database {url} is not initialised ({detail}); run `ncpflow init` first"
    if (
        "no such column" in detail
        or ("column" in detail and "does not exist" in detail)
        or ("ncpflow_tenant" in detail and "does not exist" in detail)
    ):
        # A database made by an older ncpflow: the migrations have not been applied yet.
        return f"database {url} has an older schema ({detail}); run `ncpflow init` to upgrade it"
    return f"database {url} is unavailable: {detail}"
