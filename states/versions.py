"""Procedure versions as stored: what a stored version is, and the rule that a version's content
never changes under the same number.

Pure: the storage adapter (storage/procedures.py) keeps the versions; the use cases
(workflow/versions.py) apply the rule before anything is written.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from states.errors import ProcedureChangedError
from states.procedure import Procedure


class StoredVersion(NamedTuple):
    id: str
    version: str
    sha256: str
    stored_at: datetime
    cases: int  # how many cases follow it now


def check_unchanged(procedure: Procedure, stored_sha256: str | None) -> None:
    """ProcedureChangedError, naming the file, id and version, when `procedure` has the
    (id, version) of a stored version but other content; nothing when it is new or the same."""
    if stored_sha256 is not None and stored_sha256 != procedure.sha256:
        raise ProcedureChangedError(
            source=procedure.source or procedure.id,
            ident=procedure.id,
            version=procedure.version,
            stored=stored_sha256,
            given=procedure.sha256,
        )
