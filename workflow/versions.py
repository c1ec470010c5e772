"""Procedure versions: stored with the first case that follows them, listed, shown, validated,
compared, and `case migrate`, which moves a case to another version.

The versions ncpflow knows are the shipped definitions (states/procedures/*.toml), the configured
one ([procedure] in config.toml) and the ones the database keeps (`procedure_versions`). A
definition with the id and version of a stored one but other content is refused
(ProcedureChangedError, exit 2) by every command that would use it: nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from states import audit_wording, procedure_diff, records
from states.case import Case, Policy
from states.errors import InvalidInputError, StorageUnavailableError
from states.migration import migrate
from states.procedure import Procedure
from states.versions import check_unchanged
from workflow import procedures, read_models
from workflow.config import Settings
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork

log = get_logger("ncpflow.versions")


def named(procedure: Procedure) -> str:
    return f"{procedure.id} version {procedure.version}"


def ensure_stored(tx: Transaction, procedure: Procedure, *, at: datetime) -> None:
    """`procedure` kept in the database, in `tx`: stored when new; ProcedureChangedError when a
    stored version of the same id and version has other content."""
    stored = tx.procedures.stored_sha256(procedure.id, procedure.version)
    check_unchanged(procedure, stored)
    if stored is None:
        tx.procedures.add(procedure, at=at)
        log.info(
            "procedure_version_stored", id=procedure.id, version=procedure.version, sha256=procedure.sha256
        )


# -- which definitions there are --------------------------------------------------------------


def _definitions(settings: Settings) -> list[Procedure]:
    """The shipped definitions and the configured one (which may be one of them)."""
    found = [procedures.shipped(ident) for ident in procedures.shipped_ids()]
    configured = settings.definition
    if configured not in found:
        found.append(configured)
    return found


def split_ref(text: str, *, default_id: str | None = None) -> tuple[str, str | None]:
    """`ID@VERSION` as (id, version); `ID` as (id, None); with `default_id`, a bare `VERSION`
    is (default_id, VERSION)."""
    ident, sep, version = text.strip().partition("@")
    if sep:
        if not ident or not version:
            raise InvalidInputError(f"'{text}': give ID@VERSION, e.g. oecd-2023@1")
        return ident, version
    if default_id is not None:
        return default_id, ident
    return ident, None


def find(tx: Transaction, settings: Settings, ident: str, version: str | None) -> Procedure:
    """The definition `ident` at `version`: the stored one, else the configured or shipped one
    (checked against what is stored). Without `version`: the configured one when it has this id,
    else the shipped one, else the version stored last. InvalidInputError listing what is known."""
    known = _definitions(settings)
    if version is None:
        configured = settings.definition
        if configured.id == ident:
            return configured
        shipped = next((p for p in known if p.id == ident), None)
        if shipped is not None:
            return shipped
        stored_versions = [v for v in tx.procedures.versions() if v.id == ident]
        if stored_versions:
            version = stored_versions[-1].version
    if version is not None:
        stored = tx.procedures.get(ident, version)
        if stored is not None:
            return stored
        for procedure in (settings.definition, *known):  # the configured one first
            if (procedure.id, procedure.version) == (ident, version):
                return procedure
    listed = sorted(
        {f"{p.id}@{p.version}" for p in known} | {f"{v.id}@{v.version}" for v in tx.procedures.versions()}
    )
    wanted = f"{ident}@{version}" if version is not None else ident
    raise InvalidInputError(f"no procedure {wanted}; known: {', '.join(listed)}")


def _is_file(path: Path) -> bool:
    """Whether `path` is a file; not when the name cannot be one (too long for the file system)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def resolve(uow: UnitOfWork, settings: Settings, text: str) -> Procedure:
    """A definition named on the command line: a file's path (a name ending in .toml, or an
    existing file), else `ID[@VERSION]`."""
    path = Path(text)
    if text.endswith(".toml") or _is_file(path):
        return procedures.from_file(path)
    ident, version = split_ref(text)
    with uow.read() as tx:
        return find(tx, settings, ident, version)


# -- commands: list, show, validate, diff ------------------------------------------------------


def list_versions(uow: UnitOfWork, settings: Settings) -> list[read_models.ProcedureVersion]:
    """Every version shipped, configured or stored; which is configured; how many cases follow each."""
    definitions = _definitions(settings)
    shipped = {(p.id, p.version) for p in map(procedures.shipped, procedures.shipped_ids())}
    configured = settings.definition
    with uow.read() as tx:
        stored = {(v.id, v.version): v for v in tx.procedures.versions()}
    keys = sorted({(p.id, p.version) for p in definitions} | set(stored))
    rows = []
    for key in keys:
        defined = [p for p in definitions if (p.id, p.version) == key]
        kept = stored.get(key)
        sha256 = kept.sha256 if kept is not None else defined[0].sha256
        rows.append(
            read_models.ProcedureVersion(
                id=key[0],
                version=key[1],
                title=defined[0].title.en if defined else None,
                sha256=sha256,
                shipped=key in shipped,
                configured=key == (configured.id, configured.version),
                stored=kept is not None,
                stored_at=kept.stored_at.isoformat() if kept is not None else None,
                cases=kept.cases if kept is not None else 0,
                differs=any(p.sha256 != sha256 for p in defined),
            )
        )
    return rows


def show(procedure: Procedure, language: str) -> read_models.ProcedureShown:
    """One definition's states, transitions and deadlines, labelled in `language`."""
    return read_models.ProcedureShown(
        id=procedure.id,
        version=procedure.version,
        title=procedure.title.get(language),
        sha256=procedure.sha256,
        source=procedure.source,
        initial=procedure.initial,
        states=[
            read_models.ProcedureState(
                name=s.name,
                label=s.label.get(language),
                terminal=s.terminal,
                concluded=s.concluded,
                deadlines=[d for d in procedure.deadlines if d in procedure.open_deadlines(s.name)],
                checklist=[
                    read_models.ProcedureChecklistItem(
                        id=item.id,
                        label=item.label.get(language),
                        help=item.help.get(language) if item.help is not None else None,
                    )
                    for item in s.checklist
                ],
            )
            for s in procedure.states.values()
        ],
        transitions=[
            read_models.ProcedureTransition(
                source=t.source,
                trigger=t.trigger,
                dest=t.dest,
                outcomes=list(t.outcomes),
                sets=t.sets,
                guards=list(t.guards),
                meaning=t.meaning.get(language),
            )
            for t in procedure.transitions
        ],
        deadlines=[
            read_models.ProcedureDeadline(
                name=d.name,
                label=d.label.get(language),
                basis=d.basis,
                duration=d.duration_text,
                open_in=[s for s in procedure.states if s in d.open_in],
            )
            for d in procedure.deadlines.values()
        ],
    )


def check_file(path: Path, *, stored: bool | None = None) -> read_models.ProcedureCheck:
    """The definition in `path`, checked as a whole: ProcedureInvalidError naming the file and
    the key. Needs no database (`stored` None: not compared with one)."""
    procedure = procedures.from_file(path)
    return read_models.ProcedureCheck(
        file=str(path),
        id=procedure.id,
        version=procedure.version,
        sha256=procedure.sha256,
        states=len(procedure.states),
        transitions=len(procedure.transitions),
        deadlines=len(procedure.deadlines),
        stored=stored,
    )


def validate(uow: UnitOfWork, path: Path) -> read_models.ProcedureCheck:
    """`check_file`, and compared with the stored version of the same id and version:
    ProcedureChangedError when that has other content."""
    procedure = procedures.from_file(path)
    try:
        with uow.read() as tx:
            stored = tx.procedures.stored_sha256(procedure.id, procedure.version)
    except StorageUnavailableError:
        return check_file(path)  # no database to compare with (yet)
    check_unchanged(procedure, stored)
    return check_file(path, stored=stored is not None)


def diff(a: Procedure, b: Procedure) -> read_models.ProcedureDiff:
    """What differs from `a` to `b` (states/procedure_diff.py): parts added, removed, and
    changed field by field."""

    def label(p: Procedure) -> str:
        return f"{named(p)} ({p.source})" if p.source else named(p)

    return read_models.ProcedureDiff(
        a=label(a),
        b=label(b),
        changes=[
            read_models.ProcedureChange(
                part=change.part,
                name=change.name,
                change=change.change,
                fields=[
                    read_models.FieldChange(field=f.field, before=f.before, after=f.after)
                    for f in change.fields
                ],
            )
            for change in procedure_diff.diff(a, b)
        ],
    )


# -- case migrate -------------------------------------------------------------------------------


def migrate_case(
    *,
    uow: UnitOfWork,
    clock: Clock,
    policy: Policy,
    settings: Settings,
    reference: str,
    to: str,
    mapping: Mapping[str, str],
    actor: str,
    reason: str | None = None,
) -> Case:
    """Move the case to the procedure version `to` (`ID@VERSION`, or a version of its own id):
    case, deadlines, the stored version and the `migrated` audit entry in one transaction."""
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        ident, version = split_ref(to, default_id=case.procedure.id)
        target = find(tx, settings, ident, version)
        why = reason or audit_wording.MIGRATED.format(procedure=target.id, version=target.version)
        migrated, event = migrate(
            case, target=target, mapping=mapping, actor=actor, reason=why, at=now, policy=policy
        )
        ensure_stored(tx, target, at=now)
        saved = tx.cases.save(migrated, previous=case)
        tx.audit.append(
            case_ref=reference,
            actor=actor,
            at=now,
            from_state=event.from_state,
            to_state=event.to_state,
            reason=why,
            record=records.Migrated.of(event, version=saved.version, recorded_at=now),
        )
    log.info(
        "case_migrated",
        case=reference,
        source=named(event.source),
        target=named(target),
        from_state=event.from_state,
        to_state=event.to_state,
        actor=actor,
    )
    return saved
