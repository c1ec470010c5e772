"""A case's internal notes through the application, on SQLite and PostgreSQL: each note one
audit entry holding its hash and length (never its text), corrections by replacement, refusals
that write nothing, and who may read them."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

import pytest

from states import records
from states.errors import CaseNotFoundError, InvalidInputError
from states.limits import NOTE_MAX
from states.permissions import PermissionDeniedError
from states.users import User
from tests.dbdump import dump
from tests.helpers import open_one
from workflow import users
from workflow.bootstrap import Services
from workflow.commands import FindCases

SECRET = "The enterprise's counsel hinted at a settlement"


def _user(services: Services, name: str, role: str, member: str | None = None) -> User:
    users.add_user(
        uow=services.uow, clock=services.clock, name=name, role=role, member_id=member, actor="root"
    )
    return User(name=name, role=role, member_id=member)


def test_a_note_is_numbered_and_its_audit_entry_holds_its_hash_and_length_not_its_text(
    services: Services,
) -> None:
    """The note reads back as written; its `note_added` entry holds number, sha256 and length,
    the case's state on both sides, no reason, and the chain verifies."""
    ref = open_one(services)
    first = services.notes.add(reference=ref, text=SECRET, actor="sek")
    second = services.notes.add(reference=ref, text="Call back on Monday.", actor="sek")
    assert (first.number, second.number) == (1, 2)
    listed = services.notes.list(reference=ref).notes
    assert [(n.number, n.text, n.author) for n in listed] == [
        (1, SECRET, "sek"),
        (2, "Call back on Monday.", "sek"),
    ]
    (entry, _) = [e for e in services.audit.log(case_ref=ref) if e.kind == "note_added"]
    digest = hashlib.sha256(SECRET.encode()).hexdigest()
    assert dict(entry.data) == {
        "number": 1,
        "sha256": digest,
        "length": len(SECRET),
        "recorded_at": services.clock.now().isoformat(),
    }
    assert entry.reason is None and entry.from_state == entry.to_state == "received"
    assert listed[0].sha256 == digest and listed[0].length == len(SECRET)
    assert isinstance(records.parse(entry.kind, entry.data), records.NoteAdded)
    assert SECRET not in json.dumps([e.as_dict() for e in services.audit.log()])
    assert services.audit.verify_chain().ok


def test_a_note_corrects_an_earlier_one_which_stays_marked_as_replaced(services: Services) -> None:
    """Replacing keeps both; each says which replaces which; the entry says `replaces`."""
    ref = open_one(services)
    services.notes.add(reference=ref, text="Meeting on 3 March", actor="sek")
    services.notes.add(reference=ref, text="Meeting on 4 March", actor="sek", replaces=1)
    listed = services.notes.list(reference=ref).notes
    assert [(n.number, n.replaces, n.replaced_by) for n in listed] == [(1, None, 2), (2, 1, None)]
    assert services.audit.log(case_ref=ref)[-1].data["replaces"] == 1


@pytest.mark.parametrize(
    ("replaces", "message"),
    [(7, "case NCP-2025-001 has no note 7"), (1, "note 1 is already replaced by note 2; correct that one")],
)
def test_replacing_a_note_the_case_lacks_or_one_replaced_already_is_refused_and_writes_nothing(
    services: Services, database_url: str, replaces: int, message: str
) -> None:
    """The refusal names the note and what to do; nothing is written."""
    ref = open_one(services)
    services.notes.add(reference=ref, text="first", actor="sek")
    services.notes.add(reference=ref, text="second", actor="sek", replaces=1)
    before = dump(database_url)
    with pytest.raises(InvalidInputError, match=message):
        services.notes.add(reference=ref, text="third", actor="sek", replaces=replaces)
    assert dump(database_url) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", r"the note's text \(text\) is required and must not be blank"),
        (
            "x" * (NOTE_MAX + 1),
            rf"the note's text \(text\) is {NOTE_MAX + 1} characters long; at most {NOTE_MAX}",
        ),
        ("nul\x00inside", r"the note's text \(text\) must not contain NUL characters"),
    ],
)
def test_a_blank_overlong_or_nul_note_is_refused_and_writes_nothing(
    services: Services, database_url: str, text: str, message: str
) -> None:
    """Bad text is refused before anything is read or written."""
    ref = open_one(services)
    before = dump(database_url)
    with pytest.raises(InvalidInputError, match=message):
        services.notes.add(reference=ref, text=text, actor="sek")
    assert dump(database_url) == before


def test_a_note_may_be_dated_back_but_not_into_the_future_nor_before_receipt(
    services: Services, database_url: str
) -> None:
    """`at` is when it was written: the entry carries it; the future and before the case was
    received are refused."""
    ref = open_one(services, received=date(2025, 1, 31))
    note = services.notes.add(reference=ref, text="Phone call", actor="sek", at=date(2025, 3, 3))
    assert note.at == datetime(2025, 3, 2, 23, 0, tzinfo=UTC)  # Oslo's midnight
    assert note.recorded_at == services.clock.now()
    assert services.audit.log(case_ref=ref)[-1].at == "2025-03-02T23:00:00.000000Z"
    before = dump(database_url)
    with pytest.raises(InvalidInputError, match="is in the future"):
        services.notes.add(reference=ref, text="later", actor="sek", at=date(2026, 1, 1))
    with pytest.raises(InvalidInputError, match="is before the case was received"):
        services.notes.add(reference=ref, text="earlier", actor="sek", at=date(2025, 1, 1))
    assert dump(database_url) == before


def test_a_note_on_an_unknown_case_is_refused_naming_it(services: Services) -> None:
    """No case, no note."""
    with pytest.raises(CaseNotFoundError, match="NCP-2099-001"):
        services.notes.add(reference="NCP-2099-001", text="lost", actor="sek")


def test_an_auditor_may_neither_write_nor_read_notes_an_admin_only_reads_them(
    services: Services, database_url: str
) -> None:
    """WRITE_NOTE and READ_INTERNAL, as the permission table says, for actors and viewers."""
    ref = open_one(services)
    services.notes.add(reference=ref, text=SECRET, actor="sek")
    auditor = _user(services, "aud", "auditor")
    admin = _user(services, "ada", "admin")
    before = dump(database_url)
    with pytest.raises(PermissionDeniedError, match="role 'auditor' may not write internal notes"):
        services.notes.add(reference=ref, text="audit finding", actor="aud")
    with pytest.raises(PermissionDeniedError, match="role 'admin' may not write internal notes"):
        services.notes.add(reference=ref, text="admin's remark", actor="ada")
    assert dump(database_url) == before
    with pytest.raises(PermissionDeniedError, match="read NCP-internal documents and notes"):
        services.notes.list(reference=ref, viewer=auditor)
    with pytest.raises(PermissionDeniedError):
        services.notes.list(reference=ref, actor="aud")
    assert [n.text for n in services.notes.list(reference=ref, viewer=admin).notes] == [SECRET]


def test_a_notes_words_never_reach_the_search_index(services: Services) -> None:
    """Searching for a word only a note holds finds nothing, for a handler or an auditor."""
    ref = open_one(services)
    services.notes.add(reference=ref, text="Zanzibarian settlement", actor="sek")
    for viewer in (_user(services, "hanna", "handler"), _user(services, "aud", "auditor")):
        found = services.cases.find(viewer=viewer, find=FindCases(q="zanzibarian"))
        assert found.total == 0


def test_an_audit_export_holds_no_notes_text(services: Services) -> None:
    """The export (any reader may be an auditor) proves the note by its hash alone."""
    ref = open_one(services)
    services.notes.add(reference=ref, text=SECRET, actor="sek")
    exported = json.dumps(list(services.audit.export_rows(case_ref=ref)))
    assert SECRET not in exported
    assert hashlib.sha256(SECRET.encode()).hexdigest() in exported


def test_the_log_lines_of_a_note_hold_no_text(services: Services, capsys: pytest.CaptureFixture[str]) -> None:
    """The structlog event names the case, the number and the length, never the text."""
    ref = open_one(services)
    services.notes.add(reference=ref, text=SECRET, actor="sek")
    captured = capsys.readouterr()
    assert "note_added" in captured.out + captured.err
    assert SECRET not in captured.out + captured.err
