"""The auditor's reads: the log itself and the verification of its hash chain."""

from __future__ import annotations

from collections.abc import Iterator

from states.chain import AuditEntry, Verdict, verify
from workflow.ports import UnitOfWork


def audit_entries(*, uow: UnitOfWork, case_ref: str | None = None) -> Iterator[AuditEntry]:
    with uow.read() as tx:
        if case_ref is not None:
            tx.cases.get(case_ref)  # an unknown reference is an error, not an empty log
        yield from tx.audit.entries(case_ref=case_ref)


def verify_chain(*, uow: UnitOfWork) -> Verdict:
    with uow.read() as tx:
        return verify(tx.audit.entries())
