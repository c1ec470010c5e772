"""Procedure definitions: the ones shipped inside the package (states/procedures/*.toml), and files.

A definition's text is parsed once per sha256 (and file) however often it is asked for: every
case, every request and every step asks for its procedure, and gets the same `Procedure` value
back.
"""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path

from states.errors import InvalidInputError
from states.messages import Translator
from states.procedure import Procedure, parse_procedure
from states.wording import procedure_words
from translations import translator

DEFAULT = "oecd-2023"
MAX_BYTES = 1 * 2**20  # far more than any definition

_PACKAGE = "states.procedures"
_PARSED: dict[tuple[str, str], Procedure] = {}
_LOCK = threading.Lock()


class UnknownProcedureError(InvalidInputError):
    """No shipped procedure has this id."""

    code = "procedure_unknown"


def words(procedure: Procedure, language: str) -> Translator:
    """The catalogue for `language`, wording `procedure`'s names and phrases from its labels."""
    return procedure_words(procedure, language, translator(language))


def shipped_ids() -> tuple[str, ...]:
    """The ids of the procedures shipped with ncpflow, sorted."""
    folder = resources.files(_PACKAGE)
    return tuple(sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")))


def from_text(text: str, *, source: str) -> Procedure:
    """The procedure `text` defines; parsed the first time this exact text is seen."""
    import hashlib

    # By text and source: the same text read from another file names that file in messages.
    key = (hashlib.sha256(text.encode("utf-8")).hexdigest(), source)
    found = _PARSED.get(key)
    if found is not None:
        return found
    procedure = parse_procedure(text, source=source)
    with _LOCK:
        return _PARSED.setdefault(key, procedure)


def shipped(ident: str = DEFAULT) -> Procedure:
    """The shipped procedure `ident` (e.g. "oecd-2023"); UnknownProcedureError naming the ids."""
    known = shipped_ids()
    if ident not in known:
        raise UnknownProcedureError(f"no shipped procedure '{ident}'; shipped: {', '.join(known)}")
    resource = resources.files(_PACKAGE).joinpath(f"{ident}.toml")
    return from_text(resource.read_text(encoding="utf-8"), source=f"{ident}.toml (shipped)")


def from_file(path: Path) -> Procedure:
    """The procedure in the file `path`; InvalidInputError naming the file when it cannot be read."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise InvalidInputError(f"{path}: larger than {MAX_BYTES // 2**20} MiB; not a procedure definition")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInputError(f"{path}: not UTF-8 text; save the file as UTF-8") from None
    return from_text(text, source=str(path))
