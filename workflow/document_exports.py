"""Documents beside an audit export (`audit export --documents DIR`), and their offline check.

For each `document_added` entry the export holds, the document's content is written to
`DIR/<case>/<number>-v<version><.ext>` (names that carry nothing of a title or a person), and
`DIR/manifest.json` lists each one: case, number, version, the entry's seq, sha256, size and the
file. The manifest's own SHA-256 goes into the export's signed summary (`documents`), so the
signature covers every file through its hash. An export without `--reveal` (the one for
auditors) withholds the content of NCP-internal (`ncp`) documents, and of the documents from or to
a party whose identity is protected (withheld, or at risk of reprisal: their content names it): the
manifest lists them with their sha256 and `"withheld": true`, and no file.

Offline (`audit verify --file EXPORT --documents DIR`), the manifest is checked against the
signed summary, each item against its `document_added` entry in the export (sha256 and size),
each entry against its item, and each file against its item by hashing it again. Every problem
names the document (case, number, version, sha256).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from states.documents import INTERNAL
from states.errors import InvalidInputError
from states.parties import party_keys
from workflow.documents import CHUNK, content_chunks
from workflow.ports import UnitOfWork

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "ncpflow-documents"
MANIFEST_VERSION = 1
MANIFEST_MAX = 256 * 2**20  # far more than any manifest; a bigger file is not one
_SUFFIX_MAX = 10

Key = tuple[str, int, int]


def _key(case: object, number: object, version: object) -> Key | None:
    if isinstance(case, str) and type(number) is int and type(version) is int:
        return case, number, version
    return None


def _named(key: Key, sha256: object) -> str:
    case, number, version = key
    return f"document {number} version {version} of case {case} (sha256 {sha256})"


def _suffix(filename: object) -> str:
    suffix = PurePosixPath(str(filename)).suffix.lower()
    return suffix if 1 < len(suffix) <= _SUFFIX_MAX and suffix[1:].isalnum() and suffix.isascii() else ""


class DocumentWriter:
    """Writes the content of each document an export holds into a folder, and its manifest."""

    def __init__(self, uow: UnitOfWork, folder: Path, *, reveal: bool) -> None:
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise InvalidInputError(f"--documents {folder}: not an empty folder; give a new or empty one")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InvalidInputError(f"--documents {folder}: cannot be made: {exc.strerror}") from None
        self._uow, self._folder, self._reveal = uow, folder, reveal
        self._items: list[dict[str, Any]] = []
        self._protected: dict[str, frozenset[str]] = {}  # by case: the keys of its protected parties

    def _from_protected(self, case: str, party: object) -> bool:
        """Whether the document's party (its key) is protected in the case as it stands."""
        if case not in self._protected:
            with self._uow.read() as tx:
                parties = party_keys(tx.cases.get(case).parties)
            self._protected[case] = frozenset(key for key, p in parties if p.protected)
        return isinstance(party, str) and party in self._protected[case]

    def take(self, row: dict[str, Any]) -> None:
        """One exported entry: a `document_added` one gets its content written (or withheld)."""
        if row.get("kind") != "document_added":
            return
        data = row["data"]
        key = _key(row["case_ref"], data.get("number"), data.get("version"))
        assert key is not None  # entries the code wrote
        withheld = not self._reveal and (
            data.get("access") == INTERNAL or self._from_protected(key[0], data.get("party"))
        )
        relative = None
        if not withheld:
            case, number, version = key
            relative = f"{case}/{number}-v{version}{_suffix(data.get('filename'))}"
            target = self._folder / relative
            target.parent.mkdir(exist_ok=True)
            problem = f"{_named(key, data['sha256'])}: its stored content has changed; run `audit verify`"
            with target.open("xb") as handle:
                for chunk in content_chunks(self._uow, data["sha256"], data["size"], problem):
                    handle.write(chunk)
        self._items.append(
            {
                "case": key[0],
                "number": key[1],
                "version": key[2],
                "seq": row["seq"],
                "sha256": data["sha256"],
                "size": data["size"],
                "file": relative,
                "withheld": withheld,
            }
        )

    def finish(self) -> dict[str, Any]:
        """Write the manifest; what the export's signed summary says of it."""
        text = json.dumps(
            {"format": MANIFEST_FORMAT, "version": MANIFEST_VERSION, "documents": self._items},
            ensure_ascii=False,
            indent=1,
        ).encode("utf-8")
        (self._folder / MANIFEST).write_bytes(text + b"\n")
        return {
            "manifest": "sha256:" + hashlib.sha256(text + b"\n").hexdigest(),
            "count": len(self._items),
            "withheld": sum(1 for item in self._items if item["withheld"]),
        }


# -- offline ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FolderCheck:
    """How many document files were hashed again, and the first problem (None: all agree)."""

    checked: int
    problem: str | None = None


Entries = dict[Key, tuple[int, object, object]]
"""The export's `document_added` entries: (case, number, version) -> (seq, sha256, size)."""


def _manifest(folder: Path) -> tuple[bytes, dict[str, Any]]:
    path = folder / MANIFEST
    try:
        if not folder.is_dir():
            raise InvalidInputError(f"--documents {folder}: no such folder")
        with path.open("rb") as handle:
            raw = handle.read(MANIFEST_MAX + 1)
    except FileNotFoundError:
        raise InvalidInputError(f"--documents {folder}: holds no {MANIFEST}") from None
    except OSError as exc:
        raise InvalidInputError(f"--documents {path}: cannot be read: {exc.strerror}") from None
    try:
        value = json.loads(raw.decode("utf-8")) if len(raw) <= MANIFEST_MAX else None
    except (UnicodeDecodeError, ValueError, RecursionError):
        value = None
    if not (
        isinstance(value, dict)
        and value.get("format") == MANIFEST_FORMAT
        and value.get("version") == MANIFEST_VERSION
        and isinstance(value.get("documents"), list)
    ):
        raise _Problem(f"{path} is not a {MANIFEST_FORMAT} version {MANIFEST_VERSION} manifest")
    return raw, value


class _Problem(Exception):
    pass


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _inside(folder: Path, relative: object) -> Path | None:
    """The file an item names, if it is a relative path inside the folder."""
    if not isinstance(relative, str) or not relative:
        return None
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or "\\" in relative:
        return None
    return folder.joinpath(*pure.parts)


def _item(folder: Path, item: Any, entries: Entries) -> None:
    if not isinstance(item, dict):
        raise _Problem("the manifest lists something that is not a document")
    key = _key(item.get("case"), item.get("number"), item.get("version"))
    if key is None:
        raise _Problem("the manifest lists a document without its case, number and version")
    sha256, size = item.get("sha256"), item.get("size")
    named = _named(key, sha256)
    entry = entries.pop(key, None)
    if entry is None:
        raise _Problem(
            f"{named}: listed in the manifest, but the export holds no document_added entry for it"
        )
    seq, recorded_sha256, recorded_size = entry
    if (sha256, size) != (recorded_sha256, recorded_size):
        raise _Problem(
            f"{named}: the manifest does not match its document_added entry (seq {seq}), "
            f"which holds sha256 {recorded_sha256} and size {recorded_size}"
        )
    if item.get("withheld") is True:
        return
    path = _inside(folder, item.get("file"))
    if path is None:
        raise _Problem(f"{named}: the manifest names no file inside the folder for it")
    try:
        found, found_size = _hash_file(path)
    except FileNotFoundError:
        raise _Problem(f"{named}: its file {item.get('file')} is missing") from None
    except OSError as exc:
        raise _Problem(f"{named}: its file {item.get('file')} cannot be read: {exc.strerror}") from None
    if (found, found_size) != (sha256, size):
        raise _Problem(
            f"{named}: its file {item.get('file')} was altered: it hashes to {found} ({found_size} bytes)"
        )


def check_folder(folder: Path, entries: Entries, signed: dict[str, Any] | None) -> FolderCheck:
    """The folder of an export's documents against the export: its manifest against the signed
    summary (`signed`, the export's signed `documents`; None for an unsigned export), each item
    against its entry and its file, each entry against an item."""
    remaining = dict(entries)
    checked = 0
    try:
        raw, manifest = _manifest(folder)
        if signed is not None and signed.get("manifest") != "sha256:" + hashlib.sha256(raw).hexdigest():
            raise _Problem(
                f"{folder / MANIFEST} differs from the manifest the export's signature covers "
                "(its SHA-256 does not match)"
            )
        for item in manifest["documents"]:
            _item(folder, item, remaining)
            checked += 0 if isinstance(item, dict) and item.get("withheld") is True else 1
        if remaining:
            key, (seq, sha256, _size) = min(remaining.items(), key=lambda pair: pair[1][0])
            raise _Problem(
                f"{_named(key, sha256)}: its document_added entry (seq {seq}) is not in the manifest"
            )
    except _Problem as problem:
        return FolderCheck(checked, str(problem))
    return FolderCheck(checked)
