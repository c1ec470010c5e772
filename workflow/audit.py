"""The auditor's reads: the log, its verification with signed checkpoints, exports.

Checkpoints sign the chain head with an HMAC key kept outside the database ($NCPFLOW_AUDIT_KEY
or `[audit] key_file`) and are written twice: to the `audit_checkpoints` table and to a log
file outside the database (`[audit] checkpoint_file`, by default beside the SQLite file, or
beside config.toml for PostgreSQL). Verification walks the chain once and checks every
checkpoint of either place against it, so cutting the newest entries is caught even when the
newest checkpoints were cut from the database too.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from states.chain import AuditEntry, Verdict, format_instant, verify
from states.checkpoints import Checkpoint, CheckpointFinding, check, sign
from states.errors import InvalidInputError, NcpflowError
from workflow.config import ConfigError, Settings
from workflow.files import beside_database, create_private, resolve
from workflow.ports import Clock, UnitOfWork

KEY_ENV = "NCPFLOW_AUDIT_KEY"


def audit_entries(*, uow: UnitOfWork, case_ref: str | None = None) -> Iterator[AuditEntry]:
    with uow.read() as tx:
        if case_ref is not None:
            tx.cases.get(case_ref)  # an unknown reference is an error, not an empty log
        yield from tx.audit.entries(case_ref=case_ref)


def verify_chain(*, uow: UnitOfWork) -> Verdict:
    with uow.read() as tx:
        return verify(tx.audit.entries())


# -- keys and the checkpoint log -------------------------------------------------------------

def load_key(settings: Settings) -> bytes | None:
    """The checkpoint key from $NCPFLOW_AUDIT_KEY, else `[audit] key_file`; None if neither."""
    text = os.environ.get(KEY_ENV)
    if text is None and settings.audit.key_file:
        path = resolve(settings, settings.audit.key_file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"[audit] key_file {path}: cannot be read: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"[audit] key_file {path}: not a key (not UTF-8 text); "
                              "`ncpflow audit keygen --output FILE` makes one") from None
    if text is None:
        return None
    if not text.strip():
        raise ConfigError("the audit key is empty")
    return text.strip().encode("utf-8")


def require_key(settings: Settings) -> bytes:
    key = load_key(settings)
    if key is None:
        raise ConfigError(f"no audit key: set ${KEY_ENV} or [audit] key_file "
                          "(`ncpflow audit keygen --output FILE` makes one)")
    return key


def keygen(output: Path | None) -> str:
    """A new random key (hex); written with mode 0600 when `output` is given."""
    key = secrets.token_hex(32)
    if output is not None:
        if output.exists():
            raise InvalidInputError(f"{output} exists; refusing to overwrite a key")
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
        os.chmod(output, 0o600)
    return key


def checkpoint_path(settings: Settings) -> Path:
    if settings.audit.checkpoint_file:
        return resolve(settings, settings.audit.checkpoint_file)
    return beside_database(settings, ".checkpoints.jsonl")


def read_checkpoint_log(path: Path) -> list[Checkpoint]:
    if not path.exists():
        return []
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            found.append(Checkpoint.from_dict(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            raise NcpflowError(f"{path}:{number}: not a checkpoint line") from None
    return found


# -- checkpoint and verify -------------------------------------------------------------------

def make_checkpoint(*, uow: UnitOfWork, clock: Clock, settings: Settings) -> Checkpoint:
    """Sign the current head; a head already signed is not signed again."""
    key = require_key(settings)
    path = checkpoint_path(settings)
    with uow.write() as tx:
        head = tx.audit.head()
        if head is None:
            raise InvalidInputError("the audit log is empty; nothing to checkpoint")
        existing = tx.checkpoints.get(head.seq)
        if existing is not None:
            return existing
        checkpoint = sign(key, seq=head.seq, hash=head.hash, at=format_instant(clock.now()))
        tx.checkpoints.add(checkpoint)
        # Written before the commit: a failed commit leaves a log line the table lacks, which
        # verify reports; a lost log line would be worse.
        path.parent.mkdir(parents=True, exist_ok=True)
        create_private(path)  # owner-only (0600) when new
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(checkpoint.as_dict(), sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    return checkpoint


@dataclass(frozen=True)
class AuditReport:
    chain: Verdict
    checkpoints: int
    findings: list[CheckpointFinding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.findings

    @property
    def first_bad_seq(self) -> int | None:
        seqs = [f.seq for f in self.findings]
        if self.chain.first_bad_seq is not None:
            seqs.append(self.chain.first_bad_seq)
        return min(seqs) if seqs else None

    @property
    def truncated(self) -> str | None:
        return next((f.problem for f in self.findings if f.problem.startswith("truncated")), None)

    def as_dict(self) -> dict[str, Any]:
        return {**self.chain.as_dict(), "ok": self.ok, "chain_ok": self.chain.ok,
                "first_bad_seq": self.first_bad_seq,
                "problem": self.chain.problem or (self.findings[0].problem if self.findings
                                                  else None),
                "checkpoints": self.checkpoints, "truncated": self.truncated,
                "checkpoint_problems": [f.as_dict() for f in self.findings]}


def verify_all(*, uow: UnitOfWork, settings: Settings) -> AuditReport:
    """The chain, then every checkpoint in the table and in the checkpoint log."""
    logged = read_checkpoint_log(checkpoint_path(settings))
    with uow.read() as tx:
        stored = tx.checkpoints.all()
        wanted = {c.seq for c in stored} | {c.seq for c in logged}
        hashes: dict[int, str] = {}

        def watch(entries: Iterable[AuditEntry]) -> Iterator[AuditEntry]:
            for entry in entries:
                if entry.seq in wanted:
                    hashes[entry.seq] = entry.hash
                yield entry

        verdict = verify(watch(tx.audit.entries()) if wanted else tx.audit.entries())
    if not wanted:
        return AuditReport(verdict, 0)
    key = require_key(settings)
    findings = check(key, stored=stored, logged=logged, hashes=hashes,
                     head_seq=verdict.head_seq, chain_ok=verdict.ok)
    return AuditReport(verdict, len(wanted), findings)
