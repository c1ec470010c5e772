"""The auditor's reads: the log, its verification with signed checkpoints, exports.

Checkpoints sign the chain head with the NCP's Ed25519 key, kept outside the database
($NCPFLOW_AUDIT_SIGNING_KEY or `[audit] signing_key_file`); anyone holding the public key
(`audit public-key`) can check them. Checkpoints made before that carry an HMAC and are checked
with the HMAC key ($NCPFLOW_AUDIT_KEY or `[audit] key_file`), up to the first Ed25519
checkpoint only (HMAC checkpoints above its seq are refused). Each checkpoint is written twice:
to a log file outside the database (`[audit] checkpoint_file`, by default beside the SQLite
file, or beside config.toml for PostgreSQL), fsynced, and then to the `audit_checkpoints` table
in the transaction that commits it. Verification walks the chain once and checks every
checkpoint of either place against it, so cutting the newest entries is caught even when the
newest checkpoints were cut from the database too.

Crashes and concurrency: a process killed between the log line and the commit leaves an
*unfinished* checkpoint (a signed line, no row), which verification reports as such and the
next checkpoint completes by inserting the row. Verification takes its database snapshot first
and reads the log after it, so every row it saw has its line; a line for a checkpoint committed
after that snapshot is looked up again in a fresh read.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from states.audit_keys import KeyKind
from states.chain import AuditEntry, Verdict, format_instant, verify
from states.checkpoints import Checkpoint, CheckpointFinding, Keys, check, sign, signature_problem
from states.errors import InvalidInputError, NcpflowError
from states.signatures import Signer, TrustedKeys, load_public_pem
from workflow.config import ConfigError, Settings
from workflow.files import beside_database, resolve
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork

if TYPE_CHECKING:
    from workflow.documents import DocumentFinding, Recorded

KEY_ENV = "NCPFLOW_AUDIT_KEY"
SIGNING_KEY_ENV = "NCPFLOW_AUDIT_SIGNING_KEY"
KEYGEN_HINT = "`ncpflow audit keygen --output FILE` makes one"
MAX_KEY_FILE = 64 * 1024

log = get_logger("ncpflow.audit")


def audit_entries(*, uow: UnitOfWork, case_ref: str | None = None) -> list[AuditEntry]:
    """The log (of one case), oldest first; read whole inside the read, which does not stay
    open while the caller goes through the entries (see `exports.export_rows`)."""
    with uow.read() as tx:
        if case_ref is not None:
            tx.cases.get(case_ref)  # an unknown reference is an error, not an empty log
        return list(tx.audit.entries(case_ref=case_ref))


def verify_chain(*, uow: UnitOfWork) -> Verdict:
    with uow.read() as tx:
        return verify(tx.audit.entries())


# -- keys ------------------------------------------------------------------------------------


def _read_key_file(path: Path, what: str) -> str:
    try:
        if not path.is_file():
            raise InvalidInputError(
                f"{what} {path}: not a file" if path.exists() else f"{what} {path}: no such file"
            )
        data = path.read_bytes()[: MAX_KEY_FILE + 1]
    except OSError as exc:
        raise InvalidInputError(f"{what} {path}: cannot be read: {exc.strerror}") from None
    if len(data) > MAX_KEY_FILE:
        raise InvalidInputError(f"{what} {path}: too large to be a key")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError(f"{what} {path}: not a text (PEM) file") from None


def _config_key_file(path: Path, what: str) -> str:
    """A key file named in the configuration: its problems are configuration errors."""
    try:
        return _read_key_file(path, what)
    except InvalidInputError as exc:
        raise ConfigError(str(exc)) from None


def load_key(settings: Settings) -> bytes | None:
    """The HMAC key from $NCPFLOW_AUDIT_KEY, else `[audit] key_file`; None if neither.

    It checks checkpoints made before Ed25519 signing; new checkpoints are not made with it."""
    text = os.environ.get(KEY_ENV)
    if text is None and settings.audit.key_file:
        text = _config_key_file(resolve(settings, settings.audit.key_file), "[audit] key_file")
    if text is None:
        return None
    if not text.strip():
        raise ConfigError("the audit key is empty")
    return text.strip().encode("utf-8")


def load_signer(settings: Settings) -> Signer | None:
    """The Ed25519 signing key from $NCPFLOW_AUDIT_SIGNING_KEY (PEM text), else
    `[audit] signing_key_file`; None if neither is set."""
    text = os.environ.get(SIGNING_KEY_ENV)
    source = f"${SIGNING_KEY_ENV}"
    if text is None and settings.audit.signing_key_file:
        path = resolve(settings, settings.audit.signing_key_file)
        source = f"[audit] signing_key_file {path}"
        text = _config_key_file(path, "[audit] signing_key_file")
    if text is None:
        return None
    try:
        return Signer.from_pem(text)
    except ValueError as exc:
        raise ConfigError(f"{source}: {exc} ({KEYGEN_HINT})") from None


def require_signer(settings: Settings) -> Signer:
    signer = load_signer(settings)
    if signer is None:
        raise ConfigError(
            f"no audit signing key: set ${SIGNING_KEY_ENV} or [audit] signing_key_file ({KEYGEN_HINT})"
        )
    return signer


def read_public_key(path: Path) -> Ed25519PublicKey:
    """A peer reviewer's copy of the NCP's public key (PEM), from `audit public-key`."""
    text = _read_key_file(path, "public key")
    try:
        return load_public_pem(text)
    except ValueError as exc:
        raise InvalidInputError(f"public key {path}: {exc}") from None


def trusted_keys(settings: Settings | None, public_keys: Sequence[Path] = ()) -> TrustedKeys:
    """The public half of the configured signing key (when `settings` has one), and each file
    given with --public-key."""
    keys = [read_public_key(path) for path in public_keys]
    signer = load_signer(settings) if settings is not None else None
    if signer is not None:
        keys.append(signer.public)
    return TrustedKeys(keys)


@dataclass(frozen=True)
class NewKey:
    kind: KeyKind
    text: str  # the PEM private key, or the HMAC key in hex
    key_id: str | None = None  # an Ed25519 key's fingerprint
    public_pem: str | None = None


def keygen(output: Path | None, kind: KeyKind = KeyKind.ed25519) -> NewKey:
    """A new signing key (or, for old checkpoints' sake, an HMAC key); written with mode 0600
    when `output` is given, never over an existing file."""
    if kind is KeyKind.ed25519:
        signer = Signer.generate()
        made = NewKey(kind, signer.private_pem(), signer.key_id, signer.public_pem())
    else:
        made = NewKey(kind, secrets.token_hex(32) + "\n")
    if output is not None:
        if output.is_dir():
            raise InvalidInputError(f"--output {output}: is a folder; name the key file")
        try:
            fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise InvalidInputError(f"{output} exists; refusing to overwrite a key") from None
        except OSError as exc:
            raise InvalidInputError(f"--output {output}: cannot be written: {exc.strerror}") from None
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(made.text)
        os.chmod(output, 0o600)
    return made


# -- the checkpoint log ----------------------------------------------------------------------


def checkpoint_path(settings: Settings) -> Path:
    if settings.audit.checkpoint_file:
        return resolve(settings, settings.audit.checkpoint_file)
    return beside_database(settings, ".checkpoints.jsonl")


def read_checkpoint_log(path: Path) -> list[Checkpoint]:
    """The log's checkpoints, oldest first. A last line without its newline is a line still
    being written (or cut short by a crash): it is not read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise NcpflowError(f"checkpoint log {path}: cannot be read: {exc.strerror}") from None
    found = []
    for number, line in enumerate(data.split(b"\n")[:-1], 1):
        if not line.strip():
            continue
        try:
            found.append(Checkpoint.from_dict(json.loads(line.decode("utf-8"))))
        except (ValueError, KeyError, TypeError, RecursionError):
            raise NcpflowError(f"{path}:{number}: not a checkpoint line") from None
    return found


def _is_checkpoint_line(data: bytes) -> bool:
    try:
        Checkpoint.from_dict(json.loads(data.decode("utf-8")))
    except (ValueError, KeyError, TypeError, RecursionError):
        return False
    return True


def _append_line(path: Path, checkpoint: Checkpoint) -> None:
    """One line, in one write on an O_APPEND descriptor, fsynced before the caller commits."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(checkpoint.as_dict(), sort_keys=True) + "\n").encode("utf-8")
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            # A line a crash cut short (it never completed, so nothing signed it into effect):
            # remove it, so that the log stays one checkpoint per line.
            tail = os.pread(fd, min(size, 4096), max(0, size - 4096))
            cut = tail.rfind(b"\n")
            if cut < 0 and size > len(tail):
                # No checkpoint line is that long: this is not a log we wrote; cut nothing.
                raise NcpflowError(
                    f"checkpoint log {path}: its last 4 KiB hold no line end; "
                    "not a checkpoint log? left as it is"
                )
            if _is_checkpoint_line(tail[cut + 1 :]):
                os.write(fd, b"\n")  # a whole line that lost only its line end: keep it
            else:
                keep = size - len(tail) + cut + 1
                log.warning("checkpoint_log_torn_line_removed", path=str(path), removed=(size - keep))
                os.ftruncate(fd, keep)
        written = 0
        while written < len(line):
            written += os.write(fd, line[written:])
        os.fsync(fd)
    finally:
        os.close(fd)


# -- checkpoint and verify -------------------------------------------------------------------


def _keys(settings: Settings, public_keys: Sequence[Path] = ()) -> Keys:
    return Keys(hmac=load_key(settings), trusted=trusted_keys(settings, public_keys))


def _heal(tx: Transaction, trusted: TrustedKeys, path: Path) -> dict[int, Checkpoint]:
    """Insert the rows of unfinished checkpoints: log lines validly signed with Ed25519 (never
    HMAC, whose key auditors hold), without a row, whose (seq, hash) the chain holds. Returns
    the stored checkpoints, by seq."""
    keys = Keys(trusted=trusted)
    stored = {c.seq: c for c in tx.checkpoints.all()}
    for line in read_checkpoint_log(path):
        if line.seq in stored or not line.sig or signature_problem(keys, line) is not None:
            continue
        if tx.audit.hash_at(line.seq) == line.hash:
            tx.checkpoints.add(line)
            stored[line.seq] = line
            log.info("checkpoint_completed", seq=line.seq, at=line.at)
    return stored


def make_checkpoint(
    *, uow: UnitOfWork, clock: Clock, settings: Settings, signer: Signer | None = None
) -> Checkpoint:
    """Sign the current head with `signer` (default: the configured key); a head already signed
    is not signed again. Unfinished checkpoints (a process killed between the log line and the
    commit) are completed first."""
    signer = signer or require_signer(settings)
    path = checkpoint_path(settings)
    with uow.write() as tx:
        head = tx.audit.head()
        if head is None:
            raise InvalidInputError("the audit log is empty; nothing to checkpoint")
        stored = _heal(tx, TrustedKeys([signer.public]), path)
        if head.seq in stored:
            return stored[head.seq]
        checkpoint = sign(signer, seq=head.seq, hash=head.hash, at=format_instant(clock.now()))
        tx.checkpoints.add(checkpoint)
        # Logged (and fsynced) before the commit: a kill in between leaves an unfinished
        # checkpoint that verify reports and the next checkpoint completes; a committed row
        # whose line was lost could not be told from a log cut short.
        _append_line(path, checkpoint)
    return checkpoint


@dataclass(frozen=True)
class AuditReport:
    chain: Verdict
    checkpoints: int
    findings: list[CheckpointFinding] = field(default_factory=list)
    unfinished: list[int] = field(default_factory=list)
    documents: int = 0  # document versions whose content was hashed again
    document_findings: list[DocumentFinding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.findings and not self.document_findings

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
        return {
            **self.chain.as_dict(),
            "ok": self.ok,
            "chain_ok": self.chain.ok,
            "first_bad_seq": self.first_bad_seq,
            "problem": self.chain.problem
            or (self.findings[0].problem if self.findings else None)
            or (self.document_findings[0].message if self.document_findings else None),
            "checkpoints": self.checkpoints,
            "truncated": self.truncated,
            "checkpoint_problems": [f.as_dict() for f in self.findings],
            "unfinished_checkpoints": self.unfinished,
            "documents": self.documents,
            "document_problems": [f.as_dict() for f in self.document_findings],
        }


def _require_keys(keys: Keys, checkpoints: Iterable[Checkpoint]) -> None:
    """A clear error when a key is wanted: the HMAC key only for HMAC checkpoints before the
    first Ed25519 one (later ones are refused whatever the key)."""
    checkpoints = list(checkpoints)
    switched = min((c.seq for c in checkpoints if c.sig), default=None)
    kinds = {
        "ed25519" if c.sig else "hmac" if c.mac else "none"
        for c in checkpoints
        if c.sig or switched is None or c.seq <= switched
    }
    if "hmac" in kinds and keys.hmac is None:
        raise ConfigError(f"no audit key: HMAC-signed checkpoints need ${KEY_ENV} or [audit] key_file")
    if "ed25519" in kinds and not keys.trusted:
        raise ConfigError(
            f"no public key to check the signed checkpoints: set "
            f"${SIGNING_KEY_ENV} or [audit] signing_key_file, or give the "
            "public key with --public-key"
        )


def verify_all(*, uow: UnitOfWork, settings: Settings, public_keys: Sequence[Path] = ()) -> AuditReport:
    """The chain, every document's stored content against its row and its `document_added`
    entry, then every checkpoint in the table and in the checkpoint log."""
    with uow.read() as tx:  # the snapshot first ...
        stored = tx.checkpoints.all()
        wanted = {c.seq for c in stored}
        hashes: dict[int, str] = {}
        recorded: Recorded = {}

        def watch(entries: Iterable[AuditEntry]) -> Iterator[AuditEntry]:
            for entry in entries:
                if entry.seq in wanted:
                    hashes[entry.seq] = entry.hash
                if entry.kind == "document_added" and entry.case_ref is not None:
                    data = dict(entry.data)
                    key = (entry.case_ref, data.get("number"), data.get("version"))
                    recorded[key] = (entry.seq, data)
                yield entry

        verdict = verify(watch(tx.audit.entries()))
        documents = 0
        document_findings: list[DocumentFinding] = []
        if recorded or tx.documents.count():
            from workflow.documents import check_documents  # only where there are documents

            documents, document_findings = check_documents(tx, recorded)
    # ... then the log: every row of the snapshot was logged before it committed.
    logged = read_checkpoint_log(checkpoint_path(settings))
    if not stored and not logged:
        return AuditReport(verdict, 0, documents=documents, document_findings=document_findings)
    head_seq = verdict.head_seq
    unknown = ({c.seq for c in logged} | wanted) - hashes.keys()
    if unknown:
        # Lines the snapshot cannot judge (a checkpoint made since it, or unfinished): a fresh
        # read of those seqs; past a broken chain nothing is judged again.
        with uow.read(fresh=True) as tx:  # not the snapshot above, even inside a read
            newest = tx.audit.head()
            limit = (newest.seq if newest else 0) if verdict.ok else (verdict.head_seq or 0)
            for seq in sorted(unknown):
                found = tx.audit.hash_at(seq) if seq <= limit else None
                if found is not None:
                    hashes[seq] = found
                row = tx.checkpoints.get(seq) if seq not in wanted else None
                if row is not None:
                    stored.append(row)
        if verdict.ok:
            head_seq = max(head_seq or 0, limit)
    keys = _keys(settings, public_keys)
    _require_keys(keys, [*stored, *logged])
    result = check(keys, stored=stored, logged=logged, hashes=hashes, head_seq=head_seq, chain_ok=verdict.ok)
    count = len({c.seq for c in stored} | {c.seq for c in logged})
    return AuditReport(verdict, count, result.findings, result.unfinished, documents, document_findings)
