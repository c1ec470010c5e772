"""Signed JSONL export files: writing them, and verifying one offline without the database.

A hash chain alone cannot vouch for a file: an entry marked `"redacted": true` cannot have its
hash recomputed, an edit re-hashed from there onwards still links, and a file cut short (or
empty) still verifies. So the NCP signs the export as a whole with its Ed25519 key
(`states.signatures`), and a peer reviewer checks it with the NCP's public key
(`ncpflow audit public-key`), which cannot forge anything. The file, line by line:

1. a header `{"export": {"format", "version", "filter", "key", "created"}}`: a promise that a
   signature line ends the file, so a file cut at a line boundary is *incomplete*, not unsigned;
2. the entries, oldest first, each a JSON object with its `prev_hash` and `hash`
   (`"redacted": true` where a protected identity was replaced by the case's pseudonym);
3. `{"signature": {"alg": "ed25519", "key": FINGERPRINT, "signed": {...}, "sig": BASE64}}`,
   where `signed` holds the format and version, when it was made, the filter (case, from, to),
   the entry count, the first seq, the head (last seq and hash), the redacted seqs with the
   reason, and `digest`: "sha256:" + the SHA-256 of every byte before this line
   (`head -n -1 FILE | sha256sum`). `sig` signs "ncpflow-audit-export/1\\n" + the canonical
   JSON of `signed` (keys sorted, no spaces, UTF-8).

Verification re-walks the entries as before (a full export is the chain from seq 1; a filtered
one is an excerpt whose hashes and consecutive links are checked, gaps counted), then checks
the file against the signed summary and the signature. Verdicts: *intact* (signed by a trusted
key, everything agrees), *unsigned* (no header and no signature: hashes and links agree, but
nothing vouches for the whole), *unknown_key* (signed by a key the verifier was not given),
*broken* (anything that does not verify, an incomplete or empty file, or one that is not an
export at all). Without a signing key ncpflow writes the unsigned form (entries only).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from states.chain import GENESIS, AuditEntry, entry_hash, format_instant
from states.errors import InvalidInputError
from states.signatures import ALGORITHM, Check, Signer, TrustedKeys
from workflow.exports import ALLOWED, EXPORT_FIELDS, export_rows
from workflow.ports import Clock, UnitOfWork

if TYPE_CHECKING:
    from workflow.document_exports import DocumentWriter, Entries

FORMAT = "ncpflow-audit-export"
VERSION = 1
LABEL = "ncpflow-audit-export/1"
REDACTION_REASON = (
    "a protected identity (a confidential submitter's name or organisation "
    "number) was replaced by the case's pseudonym, or an NCP-internal document's "
    "title and file name by a placeholder; the entry's hash is that of "
    "the stored content"
)


def _line(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False) + "\n"


def export_filter(case_ref: str | None, since: date | None, until: date | None) -> dict[str, str | None]:
    return {
        "case": case_ref,
        "from": since.isoformat() if since else None,
        "to": until.isoformat() if until else None,
    }


def signed_lines(
    rows: Iterable[dict[str, Any]],
    *,
    signer: Signer | None,
    filter: dict[str, str | None],
    created: str,
    documents: DocumentWriter | None = None,
) -> Iterator[str]:
    """The lines of an export file: header, entries, signature (entries only when unsigned).
    With `documents`, each document's content is written beside the file as its entry passes,
    and the manifest's hash goes into the signed summary (`documents`)."""
    digest = hashlib.sha256()
    if signer is not None:
        header = _line(
            {
                "export": {
                    "format": FORMAT,
                    "version": VERSION,
                    "filter": filter,
                    "key": signer.key_id,
                    "created": created,
                }
            }
        )
        digest.update(header.encode("utf-8"))
        yield header
    count, first, last = 0, None, None
    redacted: list[int] = []
    for row in rows:
        text = _line(row)
        digest.update(text.encode("utf-8"))
        count += 1
        first = row["seq"] if first is None else first
        last = row
        if row.get("redacted") is True:
            redacted.append(row["seq"])
        if documents is not None:
            documents.take(row)
        yield text
    written = documents.finish() if documents is not None else None
    if signer is None:
        return
    signed = {
        "format": FORMAT,
        "version": VERSION,
        "created": created,
        "filter": filter,
        "entries": count,
        "first_seq": first,
        "head": {"seq": last["seq"], "hash": last["hash"]} if last else None,
        "redacted": {"seqs": redacted, "reason": REDACTION_REASON},
        "digest": "sha256:" + digest.hexdigest(),
    }
    if written is not None:
        signed["documents"] = written
    yield _line(
        {
            "signature": {
                "alg": ALGORITHM,
                "key": signer.key_id,
                "signed": signed,
                "sig": signer.sign(LABEL, signed),
            }
        }
    )


def export_jsonl(
    *,
    uow: UnitOfWork,
    clock: Clock,
    signer: Signer | None,
    case_ref: str | None = None,
    since: date | None = None,
    until: date | None = None,
    reveal: bool = False,
    actor: str | None = None,
    documents: Path | None = None,
) -> Iterator[str]:
    """`audit export --format jsonl`, signed when a signing key is configured; with `documents`,
    the content of each document it holds written into that folder with a manifest
    (workflow/document_exports.py). Refusals (unknown case, --reveal without --actor, a folder
    that is not empty) are raised before the first line."""
    writer = None
    if documents is not None:
        from workflow.document_exports import DocumentWriter

        writer = DocumentWriter(uow, documents, reveal=reveal)
    rows = export_rows(
        uow=uow, clock=clock, case_ref=case_ref, since=since, until=until, reveal=reveal, actor=actor
    )
    first = next(rows, None)
    primed = rows if first is None else _chain([first], rows)
    return signed_lines(
        primed,
        signer=signer,
        filter=export_filter(case_ref, since, until),
        created=format_instant(clock.now()),
        documents=writer,
    )


def _chain(first: list[dict[str, Any]], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield from first
    yield from rest


# -- offline verification --------------------------------------------------------------------


class FileStatus(StrEnum):
    INTACT = "intact"
    UNSIGNED = "unsigned"
    UNKNOWN_KEY = "unknown_key"
    BROKEN = "broken"


@dataclass(frozen=True)
class FileVerdict:
    status: FileStatus
    mode: str  # "chain" (a full export), "excerpt" (a filtered one), or "unreadable"
    entries: int
    redacted: int
    gaps: int
    first_bad_seq: int | None = None
    problem: str | None = None
    signed_by: str | None = None  # the signing key's fingerprint, when signed
    signed_at: str | None = None
    head_seq: int | None = None
    head_hash: str | None = None
    filter: dict[str, Any] | None = None
    trusted_keys: list[str] = field(default_factory=list)
    documents: int | None = None  # document files hashed again (with --documents)

    @property
    def ok(self) -> bool:
        return self.status is FileStatus.INTACT

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "status": self.status.value,
            "mode": self.mode,
            "entries": self.entries,
            "redacted": self.redacted,
            "gaps": self.gaps,
            "first_bad_seq": self.first_bad_seq,
            "problem": self.problem,
            "signed_by": self.signed_by,
            "signed_at": self.signed_at,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "filter": self.filter,
            "trusted_keys": self.trusted_keys,
            "documents": self.documents,
        }


class _Broken(Exception):
    def __init__(self, problem: str, seq: int | None = None) -> None:
        super().__init__(problem)
        self.problem, self.seq = problem, seq


def _entry(row: dict[str, Any], line: int) -> tuple[AuditEntry, bool]:
    unknown = set(row) - ALLOWED
    missing = set(EXPORT_FIELDS) - set(row)
    if unknown or missing:
        raise _Broken(
            f"line {line}: not an audit entry (unknown fields {sorted(unknown)}, missing {sorted(missing)})"
        )
    redacted = row.get("redacted", False)
    if redacted is not True and "redacted" in row:
        raise _Broken(f"line {line}: 'redacted' must be true when present")
    if not isinstance(row["data"], dict) or type(row["seq"]) is not int:
        raise _Broken(f"line {line}: seq must be a number and data an object")
    entry = AuditEntry(**{k: row[k] for k in EXPORT_FIELDS})
    return entry, bool(redacted)


def _parse(raw: bytes, number: int) -> dict[str, Any] | None:
    """One line as a JSON object; None for a blank line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Broken(f"line {number} is not UTF-8 text (not an export file?)") from None
    if not text.strip():
        return None
    try:
        value = json.loads(text)
    except RecursionError:
        raise _Broken(f"line {number}: JSON nested too deeply") from None
    except ValueError:
        raise _Broken(f"line {number} is not JSON (not an export file, or cut short?)") from None
    if not isinstance(value, dict):
        raise _Broken(f"line {number} is not a JSON object")
    return value


class _Walk:
    """The entries' own checks, one entry at a time (as before signing)."""

    def __init__(self) -> None:
        self.count = self.redacted = self.gaps = 0
        self.contiguous = True  # seqs 1, 2, 3, ... so far: a full export
        self.previous: AuditEntry | None = None
        self.first_seq: int | None = None
        self.redacted_seqs: list[int] = []
        self.documents: Entries = {}  # the document_added entries: (case, number, version)

    def add(self, row: dict[str, Any], number: int) -> None:
        entry, is_redacted = _entry(row, number)
        self.count += 1
        previous = self.previous
        if previous is None:
            self.first_seq = entry.seq
            self.contiguous = entry.seq == 1
        elif entry.seq != previous.seq + 1:
            self.contiguous = False
        if is_redacted:
            self.redacted += 1
            self.redacted_seqs.append(entry.seq)
        problem = None
        if previous is not None and entry.seq <= previous.seq:
            problem = f"entry {entry.seq} is out of order (after {previous.seq})"
        elif entry.seq == 1 and entry.prev_hash != GENESIS:
            problem = "entry 1 does not start the chain"
        elif previous is not None and entry.seq == previous.seq + 1:
            if entry.prev_hash != previous.hash:
                problem = f"entry {entry.seq} does not link to entry {previous.seq}"
        elif previous is not None:
            self.gaps += 1
        if problem is None and not is_redacted:
            try:
                altered = entry_hash(entry.prev_hash, entry.hashed_body()) != entry.hash
            except (TypeError, ValueError, RecursionError):  # e.g. a lone surrogate
                raise _Broken(
                    f"line {number}: entry {entry.seq} holds values that cannot be "
                    "hashed (invalid Unicode, or nested too deeply)",
                    entry.seq,
                ) from None
            if altered:
                problem = f"entry {entry.seq} was altered (its hash does not match its content)"
        if problem:
            raise _Broken(problem, entry.seq)
        if entry.kind == "document_added" and isinstance(entry.case_ref, str):
            document, version = entry.data.get("number"), entry.data.get("version")
            if type(document) is int and type(version) is int:
                self.documents[(entry.case_ref, document, version)] = (
                    entry.seq,
                    entry.data.get("sha256"),
                    entry.data.get("size"),
                )
        self.previous = entry

    @property
    def mode(self) -> str:
        return "chain" if self.count and self.contiguous else "excerpt"


def _open(path: Path) -> IO[bytes]:
    try:
        if path.is_dir():
            raise InvalidInputError(f"--file {path}: is a folder, not an export file")
        if path.exists() and not path.is_file():
            raise InvalidInputError(f"--file {path}: not a regular file")
        return path.open("rb")
    except FileNotFoundError:
        raise InvalidInputError(f"--file {path}: no such file") from None
    except OSError as exc:
        raise InvalidInputError(f"--file {path}: cannot be read: {exc.strerror}") from None


class _Reader:
    """Every line but the signature line: digested, parsed, and checked."""

    def __init__(self) -> None:
        self.walk = _Walk()
        self.digest = hashlib.sha256()
        self.header: dict[str, Any] | None = None
        self.seen = False  # a header or an entry so far

    def take(self, number: int, raw: bytes) -> None:
        self.digest.update(raw)
        value = _parse(raw, number)
        if value is None:
            return
        if set(value) == {"export"}:
            if self.seen:
                raise _Broken(f"line {number}: an export header belongs on the first line")
            if not isinstance(value["export"], dict):
                raise _Broken(f"line {number}: the export header is malformed")
            self.header = value["export"]
        elif set(value) == {"signature"}:
            raise _Broken(
                f"line {number}: a signature line must be the last line (something was appended after it)"
            )
        else:
            self.walk.add(value, number)
        self.seen = True


def verify_file(path: Path, trusted: TrustedKeys | None = None, documents: Path | None = None) -> FileVerdict:
    """Re-verify an exported JSONL file without the database, against the trusted keys; with
    `documents`, the folder `audit export --documents` wrote beside it too."""
    trusted = trusted if trusted is not None else TrustedKeys()
    reader = _Reader()
    signature: dict[str, Any] | None = None
    with _open(path) as handle:
        try:
            pending: tuple[int, bytes] | None = None
            for number, raw in enumerate(handle, 1):
                if pending is not None:
                    reader.take(*pending)
                pending = (number, raw)
            if pending is not None:  # the last line: the signature, or not
                value = _parse(pending[1], pending[0])
                if value is not None and set(value) == {"signature"}:
                    signature = _signature_of(value, pending[0])
                else:
                    reader.take(*pending)
        except _Broken as broken:
            return _verdict(FileStatus.BROKEN, reader.walk, broken.problem, broken.seq, trusted)
        except OSError as exc:
            raise InvalidInputError(f"--file {path}: cannot be read: {exc.strerror}") from None
    verdict = _judge(reader.walk, reader.header, signature, reader.digest.hexdigest(), trusted)
    if documents is None or verdict.status is FileStatus.BROKEN:
        return verdict
    return _with_documents(verdict, reader.walk, signature, documents)


def _with_documents(
    verdict: FileVerdict, walk: _Walk, signature: dict[str, Any] | None, folder: Path
) -> FileVerdict:
    """The verdict with the documents' folder checked against the export: broken, naming the
    document, when a file, the manifest or an entry disagree."""
    from dataclasses import replace

    from workflow.document_exports import check_folder

    signed = None
    if signature is not None:
        signed = signature["signed"].get("documents")
        if not isinstance(signed, dict):
            return replace(
                verdict,
                status=FileStatus.BROKEN,
                problem="the export was signed without documents (made without --documents)",
            )
    checked = check_folder(folder, walk.documents, signed)
    if checked.problem is not None:
        return replace(verdict, status=FileStatus.BROKEN, problem=checked.problem, documents=checked.checked)
    return replace(verdict, documents=checked.checked)


def _signature_of(value: dict[str, Any], number: int) -> dict[str, Any]:
    block = value["signature"]
    if not (
        isinstance(block, dict)
        and isinstance(block.get("signed"), dict)
        and isinstance(block.get("key"), str)
        and isinstance(block.get("sig"), str)
        and block.get("alg") == ALGORITHM
    ):
        raise _Broken(f"line {number}: the signature line is malformed")
    return block


def _verdict(
    status: FileStatus, walk: _Walk, problem: str | None, seq: int | None, trusted: TrustedKeys, **signed: Any
) -> FileVerdict:
    previous = walk.previous
    return FileVerdict(
        status,
        walk.mode if status is not FileStatus.BROKEN or walk.count else "unreadable",
        walk.count,
        walk.redacted,
        walk.gaps,
        seq,
        problem,
        head_seq=previous.seq if previous else None,
        head_hash=previous.hash if previous else None,
        trusted_keys=trusted.fingerprints,
        **signed,
    )


def _judge(
    walk: _Walk,
    header: dict[str, Any] | None,
    signature: dict[str, Any] | None,
    digest: str,
    trusted: TrustedKeys,
) -> FileVerdict:
    if signature is None:
        if header is not None:
            return _verdict(
                FileStatus.BROKEN,
                walk,
                "incomplete: the export header promises a "
                "signature line at the end and there is none (the file was cut "
                "short)",
                None,
                trusted,
            )
        if walk.count == 0:
            return _verdict(FileStatus.BROKEN, walk, "empty: no entries and no signature", None, trusted)
        return _verdict(
            FileStatus.UNSIGNED,
            walk,
            "unsigned: the entries' hashes and links "
            "agree, but nothing vouches that the file is whole and unaltered",
            None,
            trusted,
        )
    signed, key = signature["signed"], signature["key"]
    about = {
        "signed_by": key,
        "signed_at": str(signed.get("created")),
        "filter": signed.get("filter") if isinstance(signed.get("filter"), dict) else None,
    }
    problem = _mismatch(walk, header, signed, key, digest)
    if problem is not None:
        return _verdict(FileStatus.BROKEN, walk, problem, None, trusted, **about)
    check = trusted.check(key, LABEL, signed, signature["sig"])
    if check is Check.BAD:
        return _verdict(
            FileStatus.BROKEN,
            walk,
            f"the signature does not match: the signed summary was altered, or key {key} did not make it",
            None,
            trusted,
            **about,
        )
    if check is Check.UNKNOWN_KEY:
        given = ", ".join(trusted.fingerprints) or "none given"
        return _verdict(
            FileStatus.UNKNOWN_KEY,
            walk,
            f"signed by key {key}, which is not a "
            f"trusted key ({given}); give the NCP's public key with --public-key",
            None,
            trusted,
            **about,
        )
    return _verdict(FileStatus.INTACT, walk, None, None, trusted, **about)


def _mismatch(
    walk: _Walk, header: dict[str, Any] | None, signed: dict[str, Any], key: str, digest: str
) -> str | None:
    """How the file disagrees with its signed summary; None when it agrees."""
    if signed.get("format") != FORMAT or signed.get("version") != VERSION:
        return f"the signature is not for a {FORMAT} version {VERSION} file"
    if header is None:
        return "the export header is missing (it must be the first line of a signed export)"
    if header.get("key") != key or header.get("filter") != signed.get("filter"):
        return "the export header does not match the signature (key or filter differ)"
    if signed.get("digest") != "sha256:" + digest:
        return (
            "the content differs from what was signed (its SHA-256 digest does not match): "
            "an entry was changed, added or removed"
        )
    previous = walk.previous
    head = {"seq": previous.seq, "hash": previous.hash} if previous else None
    if (
        signed.get("entries") != walk.count
        or signed.get("head") != head
        or signed.get("first_seq") != walk.first_seq
    ):
        return (
            f"incomplete: the signature covers {signed.get('entries')} entries up to "
            f"{signed.get('head')}, the file holds {walk.count} up to {head}"
        )
    redactions = signed.get("redacted")
    listed = redactions.get("seqs") if isinstance(redactions, dict) else None
    if listed != walk.redacted_seqs:
        marked = set(walk.redacted_seqs) ^ set(listed if isinstance(listed, list) else [])
        return (
            f"entries marked redacted ({sorted(marked)[:5]} ...) differ from the redactions "
            "the signature lists"
        )
    filter_ = signed.get("filter")
    if not isinstance(filter_, dict) or set(filter_) != {"case", "from", "to"}:
        return "the signed filter is malformed"
    if not any(filter_.values()) and walk.count and walk.mode != "chain":
        return "a full export must hold every entry from seq 1 on, and entries are missing"
    return None
