"""The hostile-input corpus: bad, odd and malicious inputs for every entry point.

Each entry says where the input goes (a command line, a config file, an API body, a query
parameter, a page form, an export file for `audit verify --file`) and what the answer must be:
the documented exit code or HTTP status. tests/e2e/test_hostile_inputs.py runs them and checks,
for every one, that there is no traceback and no 5xx and that no table of the database changed.

Placeholders in arguments, paths and bodies: @REF@ an open case in initial assessment,
@PAUSED@ a paused case, @ESC@ a case whose title holds terminal escape sequences, @DIR@ a
scratch folder, @KEY@ the audit key file, @EMPTY@ an empty file, @BINARY@ a file of every byte.
A command-line or config entry's `files` are written to @DIR@ before it runs (an import file, a procedure
definition), placeholders filled.
A config entry's content may instead be @FOLDER@ (--config names a folder) or @PATH:/some/path;
an export file's content @EXPORT-CUT@ is a real export cut off in the middle of a line.

`why` says, where it is not plain, what the entry guards against.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

HUGE = "A" * 100_000
ESC = "\x1b[2J\x1b[31mRED\x1b]0;owned\x07"
SQL = "'; DROP TABLE cases; --"
DEEP_JSON = "[" * 100_000 + "]" * 100_000


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str  # cli, config, argv (a real process), api, page, file
    expect: frozenset[int]
    args: tuple[str | bytes, ...] = ()
    config: str | bytes | None = None  # kind config: the file's content
    method: str = "POST"
    path: str = ""
    body: Any = None  # kind api: a JSON value, or bytes sent as they are
    form: dict[str, str] | None = None
    role: str = "handler"
    content: bytes | None = None  # kind file: the export file
    env: dict[str, str] = field(default_factory=dict)
    storage: bool = True  # reaches the database: run on PostgreSQL too
    check: str | None = None  # an extra check by name (see the test module)
    why: str = ""
    stdin: str | None = None  # kind cli: what standard input holds
    words: tuple[str, ...] = ()  # what the refusal's message must say (names the input)
    files: tuple[tuple[str, bytes], ...] = ()  # kinds cli, config: files written to @DIR@ first


ENTRIES: list[Entry] = []


def _add(entry: Entry) -> None:
    ENTRIES.append(entry)


def _codes(expect: int | tuple[int, ...]) -> frozenset[int]:
    return frozenset((expect,) if isinstance(expect, int) else expect)


def cli(
    id: str,
    *args: str,
    expect: int | tuple[int, ...] = 2,
    why: str = "",
    storage: bool = True,
    check: str | None = None,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    words: tuple[str, ...] = (),
    files: dict[str, str | bytes] | None = None,
) -> None:
    _add(
        Entry(
            id,
            "cli",
            _codes(expect),
            args=args,
            why=why,
            storage=storage,
            check=check,
            env=env or {},
            stdin=stdin,
            words=words,
            files=tuple(
                (name, content.encode() if isinstance(content, str) else content)
                for name, content in (files or {}).items()
            ),
        )
    )


def config(
    id: str,
    text: str | bytes,
    *args: str,
    expect: int | tuple[int, ...] = 2,
    why: str = "",
    storage: bool = False,
    files: dict[str, bytes] | None = None,
) -> None:
    _add(
        Entry(
            id,
            "config",
            _codes(expect),
            args=args or ("case", "list"),
            config=text,
            why=why,
            storage=storage,
            files=tuple((files or {}).items()),
        )
    )


def argv(
    id: str,
    *args: str | bytes,
    expect: int | tuple[int, ...] = 2,
    env: dict[str, str] | None = None,
    why: str = "",
) -> None:
    _add(Entry(id, "argv", _codes(expect), args=args, env=env or {}, why=why, storage=False))


def api(
    id: str,
    path: str,
    body: Any = None,
    *,
    method: str = "POST",
    role: str = "handler",
    expect: int | tuple[int, ...] = 422,
    why: str = "",
) -> None:
    _add(Entry(id, "api", _codes(expect), method=method, path=path, body=body, role=role, why=why))


def query(
    id: str, path: str, *, role: str = "handler", expect: int | tuple[int, ...] = 422, why: str = ""
) -> None:
    _add(Entry(id, "api", _codes(expect), method="GET", path=path, role=role, why=why))


REFUSED = 422  # a page form refused: the page again with the message and the values typed
NOT_NOW = 409  # a page form the case does not allow as it stands: the page again, saying why


def page(
    id: str, path: str, form: dict[str, str], *, expect: int | tuple[int, ...] = REFUSED, why: str = ""
) -> None:
    _add(Entry(id, "page", _codes(expect), path=path, form=form, why=why))


def export_file(id: str, content: bytes, *, expect: int | tuple[int, ...] = (2, 6), why: str = "") -> None:
    _add(Entry(id, "file", _codes(expect), content=content, why=why, storage=False))


# ---- case open --------------------------------------------------------------------------------
OPEN = (
    "case",
    "open",
    "--submitter",
    "Friends of the Fjord",
    "--enterprise",
    "Nordic Metals ASA",
    "--actor",
    "sekretariat",
    "--received",
    "2025-03-03",
)


def open_with(**values: str) -> tuple[str, ...]:
    """`case open` with valid options, one of them replaced by a hostile value."""
    base = {
        "--title": "Mine tailings",
        "--submitter": "Friends of the Fjord",
        "--enterprise": "Nordic Metals ASA",
        "--actor": "sekretariat",
        "--received": "2025-03-03",
    }
    for name, value in values.items():
        base["--" + name.replace("_", "-")] = value
    args: list[str] = ["case", "open"]
    for name, value in base.items():
        args += [name, value]
    return tuple(args)


cli("open-title-empty", *open_with(title=""))
cli("open-title-spaces", *open_with(title="   \t "))
cli("open-title-huge", *open_with(title=HUGE), why="the CLI takes the API's length bounds")
cli("open-submitter-empty", *open_with(submitter=""))
cli("open-enterprise-spaces", *open_with(enterprise="    "))
cli("open-actor-empty", *open_with(actor=""))
cli("open-actor-spaces", *open_with(actor="  "))
cli("open-received-empty", *open_with(received=""), why="an empty date is not 'now'")
cli("open-received-year-999", *open_with(received="0999-06-01"), why="one bounded date parser")
cli("open-received-year-1", *open_with(received="0001-01-01"), why="one bounded date parser")
cli("open-received-1975", *open_with(received="1975-12-31"), why="nothing before 1976")
cli("open-received-9999", *open_with(received="9999-12-31"))
cli("open-received-feb-30", *open_with(received="2025-02-30"))
cli("open-received-month-13", *open_with(received="2025-13-01"))
cli("open-received-no-offset", *open_with(received="2025-03-03T10:00:00"))
cli("open-received-offset-25h", *open_with(received="2025-03-03T10:00:00+25:00"))
cli("open-received-superscript", *open_with(received="²⁰²⁵-01-01"))
cli("open-received-arabic-digits", *open_with(received="٢٠٢٥-٠١-٠١"))
cli("open-received-words", *open_with(received="yesterday"))
cli("open-received-sql", *open_with(received=SQL))
cli("open-submitter-type-unknown", *open_with(), "--submitter-type", "robot")
cli(
    "open-submitter-types-mismatch", *open_with(), "--submitter-type", "ngo", "--submitter-type", "individual"
)
cli("open-theme-sql", *open_with(), "--theme", SQL)
cli("open-host-country-xx", *open_with(), "--host-country", "XX")
cli("open-host-country-empty", *open_with(), "--host-country", "")
cli("open-host-country-three-letters", *open_with(), "--host-country", "NOR")
cli("open-edition-unknown", *open_with(), "--guidelines-edition", "1977")
cli("open-supporting-ncp-unknown", *open_with(), "--supporting-ncp", "ZZ")
cli("open-org-number-no-equals", *open_with(), "--org-number", "923456789")
cli("open-org-number-unknown-party", *open_with(), "--org-number", "Someone Else=923456789")
cli("open-title-missing", *OPEN)
cli("open-unknown-option", *open_with(), "--bogus", "1")
cli("open-title-lone-surrogate", *open_with(title="Mine \ud800 tailings"))
cli("open-title-undecodable-byte", *open_with(title="Mine \udcff tailings"))

# ---- case edit, advance, show, list, triggers -------------------------------------------------
cli("edit-reason-empty", "case", "edit", "@REF@", "--actor", "chair", "--reason", "", "--sector", "Mining")
cli(
    "edit-edition-unknown",
    "case",
    "edit",
    "@REF@",
    "--actor",
    "chair",
    "--reason",
    "r",
    "--guidelines-edition",
    "1999",
)
cli(
    "edit-theme-unknown", "case", "edit", "@REF@", "--actor", "chair", "--reason", "r", "--theme", "astrology"
)
cli(
    "edit-country-unknown",
    "case",
    "edit",
    "@REF@",
    "--actor",
    "chair",
    "--reason",
    "r",
    "--host-country",
    "QQ",
)
cli(
    "edit-unknown-case",
    "case",
    "edit",
    "NCP-9999-999",
    "--actor",
    "chair",
    "--reason",
    "r",
    "--sector",
    "Mining",
    expect=4,
)
cli(
    "edit-path-traversal-ref",
    "case",
    "edit",
    "../../etc/passwd",
    "--actor",
    "chair",
    "--reason",
    "r",
    "--sector",
    "Mining",
    expect=4,
)
cli("edit-actor-empty", "case", "edit", "@REF@", "--actor", "", "--reason", "r", "--sector", "Mining")

ADVANCE = ("case", "advance", "@REF@")
cli("advance-trigger-unknown", *ADVANCE, "explode", "--actor", "a", "--reason", "r", expect=(1, 2))
cli("advance-trigger-empty", *ADVANCE, "", "--actor", "a", "--reason", "r", expect=(1, 2))
cli("advance-reason-empty", *ADVANCE, "accept", "--actor", "a", "--reason", "")
cli("advance-reason-spaces", *ADVANCE, "accept", "--actor", "a", "--reason", " \t\n ")
cli(
    "advance-reason-huge",
    *ADVANCE,
    "accept",
    "--actor",
    "a",
    "--reason",
    HUGE,
    why="the CLI takes the API's length bounds",
)
cli("advance-actor-empty", *ADVANCE, "accept", "--actor", "", "--reason", "r")
cli(
    "advance-at-empty",
    *ADVANCE,
    "accept",
    "--actor",
    "a",
    "--reason",
    "r",
    "--at",
    "",
    why="an empty date is not 'now'",
)
cli("advance-at-year-999", *ADVANCE, "accept", "--actor", "a", "--reason", "r", "--at", "0999-06-01")
cli(
    "advance-at-far-future",
    *ADVANCE,
    "accept",
    "--actor",
    "a",
    "--reason",
    "r",
    "--at",
    "9999-12-31T23:59:59+00:00",
)
cli("advance-at-malformed", *ADVANCE, "accept", "--actor", "a", "--reason", "r", "--at", "2025-06-31")
cli(
    "advance-expect-version-negative",
    *ADVANCE,
    "accept",
    "--actor",
    "a",
    "--reason",
    "r",
    "--expect-version",
    "-1",
    expect=(2, 3),
)
cli(
    "advance-expect-version-huge",
    *ADVANCE,
    "accept",
    "--actor",
    "a",
    "--reason",
    "r",
    "--expect-version",
    "99999999999999999999999",
    expect=(2, 3),
)
cli(
    "advance-expect-version-superscript",
    *ADVANCE,
    "accept",
    "--actor",
    "a",
    "--reason",
    "r",
    "--expect-version",
    "²",
)
cli(
    "advance-expect-version-arabic-digit",
    *ADVANCE,
    "accept",
    "--actor",
    "a",
    "--reason",
    "r",
    "--expect-version",
    "٧",
    expect=(2, 3),
)
cli(
    "advance-outcome-unknown",
    *ADVANCE,
    "accept",
    "--actor",
    "a",
    "--reason",
    "r",
    "--outcome",
    "victory",
    expect=(1, 2),
)
cli(
    "advance-unknown-case",
    "case",
    "advance",
    "NCP-2025-999",
    "accept",
    "--actor",
    "a",
    "--reason",
    "r",
    expect=4,
)
cli(
    "advance-scope-huge",
    *ADVANCE,
    "accept",
    "--actor",
    "a",
    "--reason",
    "r",
    "--scope",
    HUGE,
    why="the CLI takes the API's length bounds",
)

cli("show-unknown", "case", "show", "NCP-2025-999", expect=4)
cli("show-empty", "case", "show", "", expect=(2, 4))
cli("show-sql", "case", "show", SQL, expect=4)
cli("show-huge", "case", "show", HUGE, expect=(2, 4))
cli("show-format-string", "case", "show", "%s%n%x{0}", expect=4)
cli("show-escape-sequence-ref", "case", "show", ESC, expect=(2, 4))
cli("show-lone-surrogate", "case", "show", "\ud800", expect=2)
cli(
    "show-prints-no-raw-escape",
    "case",
    "show",
    "@ESC@",
    expect=0,
    check="no_raw_escape",
    why="control characters neutralised in terminal output",
)
cli(
    "list-prints-no-raw-escape",
    "case",
    "list",
    expect=0,
    check="no_raw_escape",
    why="control characters neutralised in terminal output",
)
cli("list-state-unknown", "case", "list", "--state", "bogus")
cli("list-state-sql", "case", "list", "--state", SQL)
cli(
    "list-empty-database-file",
    "--database",
    "sqlite:///@EMPTY@",
    "case",
    "list",
    expect=5,
    check="empty_file_untouched",
    why="databases opened for reading not created",
)
cli("list-database-missing-folder", "--database", "sqlite:///@DIR@/missing/x.db", "case", "list", expect=5)
cli(
    "list-database-unreachable-postgres",
    "--database",
    "postgresql://nobody@127.0.0.1:1/nothing",
    "case",
    "list",
    expect=5,
)
cli("list-database-unknown-scheme", "--database", "mysql://root@localhost/x", "case", "list", expect=(2, 5))
cli("list-database-not-a-url", "--database", "not a url at all", "case", "list", expect=(2, 5))
cli("list-log-level-unknown", "--log-level", "verbose", "case", "list")
cli("triggers-unknown-case", "case", "triggers", "NCP-1999-001", expect=4)

# ---- pause, resume, extend, reassign, recuse --------------------------------------------------
cli("pause-reason-empty", "case", "pause", "@REF@", "--actor", "a", "--reason", "")
cli("pause-actor-spaces", "case", "pause", "@REF@", "--actor", "   ", "--reason", "r")
cli(
    "pause-at-empty",
    "case",
    "pause",
    "@REF@",
    "--actor",
    "a",
    "--reason",
    "r",
    "--at",
    "",
    why="an empty date is not 'now'",
)
cli("pause-at-1975", "case", "pause", "@REF@", "--actor", "a", "--reason", "r", "--at", "1975-06-01")
cli("record-fact-unknown", "case", "record", "@REF@", "published", "--on", "2025-01-02", "--actor", "a")
cli("record-fact-sql", "case", "record", "@REF@", SQL, "--on", "2025-01-02", "--actor", "a")
cli("record-on-empty", "case", "record", "@REF@", "later_agreement", "--on", "", "--actor", "a")
cli(
    "record-on-time",
    "case",
    "record",
    "@REF@",
    "later_agreement",
    "--on",
    "2025-01-02T10:00:00+01:00",
    "--actor",
    "a",
)
cli("record-on-2200", "case", "record", "@REF@", "later_agreement", "--on", "2200-01-01", "--actor", "a")
cli(
    "record-in-the-wrong-state",
    "case",
    "record",
    "@REF@",
    "later_agreement",
    "--on",
    "2025-01-02",
    "--actor",
    "a",
    expect=1,
    why="a later agreement follows a final statement",
)
cli("pause-at-garbage", "case", "pause", "@REF@", "--actor", "a", "--reason", "r", "--at", "2025-1-1")
cli(
    "pause-requested-by-huge",
    "case",
    "pause",
    "@REF@",
    "--actor",
    "a",
    "--reason",
    "r",
    "--requested-by",
    HUGE,
    why="the CLI takes the API's length bounds",
)
cli("pause-already-paused", "case", "pause", "@PAUSED@", "--actor", "a", "--reason", "r", expect=1)
cli("resume-not-paused", "case", "resume", "@REF@", "--actor", "a", expect=1)
cli(
    "resume-at-empty",
    "case",
    "resume",
    "@PAUSED@",
    "--actor",
    "a",
    "--at",
    "",
    why="an empty date is not 'now'",
)
cli(
    "resume-at-year-1",
    "case",
    "resume",
    "@PAUSED@",
    "--actor",
    "a",
    "--at",
    "0001-01-01",
    why="the year 1 overflows",
)
cli("resume-actor-empty", "case", "resume", "@PAUSED@", "--actor", "")
EXTEND = (
    "case",
    "extend",
    "@REF@",
    "--deadline",
    "initial_assessment",
    "--actor",
    "chair",
    "--reason",
    "Translation",
)
cli("extend-days-zero", *EXTEND, "--days", "0")
cli("extend-days-negative", *EXTEND, "--days", "-5")
cli("extend-days-huge", *EXTEND, "--days", "99999999", why="the CLI takes the API's bounds")
cli("extend-months-huge", *EXTEND, "--months", "95000", why="the CLI takes the API's bounds")
cli("extend-days-superscript", *EXTEND, "--days", "²")
cli("extend-days-not-a-number", *EXTEND, "--days", "ten")
cli("extend-days-and-months", *EXTEND, "--days", "5", "--months", "1")
cli("extend-neither", *EXTEND)
cli(
    "extend-deadline-unknown",
    "case",
    "extend",
    "@REF@",
    "--deadline",
    "doomsday",
    "--actor",
    "chair",
    "--reason",
    "r",
    "--days",
    "5",
)
cli(
    "extend-reason-empty",
    "case",
    "extend",
    "@REF@",
    "--deadline",
    "initial_assessment",
    "--actor",
    "chair",
    "--reason",
    "",
    "--days",
    "5",
)
cli("reassign-to-unknown", "case", "reassign", "@REF@", "--to", "nobody", "--actor", "chair", "--reason", "r")
cli("reassign-to-empty", "case", "reassign", "@REF@", "--to", "", "--actor", "chair", "--reason", "r")
cli(
    "reassign-reason-empty",
    "case",
    "reassign",
    "@REF@",
    "--to",
    "member-c",
    "--actor",
    "chair",
    "--reason",
    "",
)
cli("recuse-unknown-member", "case", "recuse", "@REF@", "--member", "nobody", "--actor", "a", "--reason", "r")
cli(
    "recuse-reason-spaces",
    "case",
    "recuse",
    "@REF@",
    "--member",
    "member-b",
    "--actor",
    "a",
    "--reason",
    "   ",
)

# ---- audit ---------------------------------------------------------------------------------------
cli("log-format-unknown", "audit", "log", "--format", "xml")
cli("verify-extra-argument", "audit", "verify", "everything")
cli("verify-file-missing", "audit", "verify", "--file", "@DIR@/no-such-export.jsonl", storage=False)
cli("verify-file-is-a-folder", "audit", "verify", "--file", "@DIR@", expect=(2, 6), storage=False)
cli("export-from-month-13", "audit", "export", "--from", "2025-13-01")
cli(
    "export-from-after-to",
    "audit",
    "export",
    "--from",
    "2025-06-01",
    "--to",
    "2025-01-01",
    why="a period that ends before it starts is refused",
)
cli("export-to-empty", "audit", "export", "--to", "")
cli("export-from-year-1", "audit", "export", "--from", "0001-01-01", why="one bounded date parser")
cli("export-unknown-case", "audit", "export", "--case", "NCP-2024-404", expect=4)
cli("export-format-unknown", "audit", "export", "--format", "pdf")
cli("export-output-folder", "audit", "export", "--output", "@DIR@")
cli("export-output-missing-folder", "audit", "export", "--output", "@DIR@/missing/x.jsonl")
cli("export-output-traversal", "audit", "export", "--output", "@DIR@/../../../../../../no-such-top/x.jsonl")
cli("export-output-empty", "audit", "export", "--output", "")
cli("export-output-under-a-file", "audit", "export", "--output", "@EMPTY@/x.jsonl")
cli("export-reveal-without-actor", "audit", "export", "--reveal")
cli("export-reveal-actor-empty", "audit", "export", "--reveal", "--actor", "")
cli(
    "export-reveal-actor-spaces",
    "audit",
    "export",
    "--reveal",
    "--actor",
    "   ",
    why="no audit entry without an accountable actor",
)
cli("export-reveal-output-folder", "audit", "export", "--reveal", "--actor", "admin", "--output", "@DIR@")
config(
    "checkpoint-key-file-missing",
    '[audit]\nkey_file = "@DIR@/no-such.key"\n',
    "audit",
    "checkpoint",
    storage=True,
)
config("checkpoint-key-file-folder", '[audit]\nkey_file = "@DIR@"\n', "audit", "checkpoint", storage=True)
config("checkpoint-key-file-empty", '[audit]\nkey_file = "@EMPTY@"\n', "audit", "checkpoint", storage=True)
config("checkpoint-key-file-binary", '[audit]\nkey_file = "@BINARY@"\n', "audit", "checkpoint", storage=True)
config(
    "signing-key-file-missing",
    '[audit]\nsigning_key_file = "@DIR@/no-such.pem"\n',
    "audit",
    "checkpoint",
    storage=True,
)
config(
    "signing-key-file-folder", '[audit]\nsigning_key_file = "@DIR@"\n', "audit", "checkpoint", storage=True
)
config(
    "signing-key-file-empty", '[audit]\nsigning_key_file = "@EMPTY@"\n', "audit", "checkpoint", storage=True
)
config("signing-key-file-binary", '[audit]\nsigning_key_file = "@BINARY@"\n', "audit", "export", storage=True)
config(
    "signing-key-file-hmac-key", '[audit]\nsigning_key_file = "@HMAC@"\n', "audit", "checkpoint", storage=True
)
cli("verify-public-key-missing", "audit", "verify", "--public-key", "@DIR@/no-such.pub")
cli(
    "verify-file-public-key-binary",
    "audit",
    "verify",
    "--file",
    "@DIR@/empty",
    "--public-key",
    "@BINARY@",
    storage=False,
)
cli("keygen-kind-unknown", "audit", "keygen", "--kind", "rsa", storage=False)
cli("keygen-output-folder", "audit", "keygen", "--output", "@DIR@", storage=False)
cli("keygen-output-missing-folder", "audit", "keygen", "--output", "@DIR@/missing/audit.key", storage=False)
cli("keygen-output-existing-key", "audit", "keygen", "--output", "@KEY@", storage=False)
cli("keygen-output-empty", "audit", "keygen", "--output", "", storage=False)

# ---- reports ---------------------------------------------------------------------------------------
cli("timelines-year-words", "report", "timelines", "--year", "last")
cli("timelines-year-negative", "report", "timelines", "--year", "-1", why="years are bounded like dates")
cli("timelines-output-missing-folder", "report", "timelines", "--output", "@DIR@/no/t.json")
cli("annual-year-zero", "report", "annual", "--year", "0", why="years are bounded like dates")
cli("annual-year-huge", "report", "annual", "--year", "99999", why="years are bounded like dates")
cli("annual-year-superscript", "report", "annual", "--year", "²⁰²⁵")
cli("annual-year-missing", "report", "annual")
cli("annual-output-folder", "report", "annual", "--year", "2025", "--output", "@DIR@")
cli("oecd-format-unknown", "report", "oecd", "--format", "xml")
cli("oecd-output-folder", "report", "oecd", "--format", "html", "--output", "@DIR@")
cli("oecd-output-empty", "report", "oecd", "--output", "")
cli("rotation-from-malformed", "report", "rotation", "--from", "01/02/2025")

# ---- alerts, outbox, deadlines ---------------------------------------------------------------------
cli("sweep-now-9999", "alerts", "sweep", "--now", "9999-12-31", why="one bounded date parser")
cli("sweep-now-year-1", "alerts", "sweep", "--now", "0001-01-01", why="one bounded date parser")
cli("sweep-now-empty", "alerts", "sweep", "--now", "", why="an empty date is not 'now'")
cli("sweep-now-garbage", "alerts", "sweep", "--now", "tomorrow-ish")
cli("sweep-now-no-offset", "alerts", "sweep", "--now", "2025-07-01T00:00:00")
cli("dispatch-extra-argument", "outbox", "dispatch", "now")
cli("ics-member-unknown", "deadlines", "ics", "--member", "nobody")
cli("ics-member-empty", "deadlines", "ics", "--member", "")
cli("ics-output-folder", "deadlines", "ics", "--output", "@DIR@")
cli("ics-output-missing-folder", "deadlines", "ics", "--output", "@DIR@/missing/d.ics")
cli("ics-output-under-dev-null", "deadlines", "ics", "--output", "/dev/null/d.ics")

# ---- members, rotation, users ------------------------------------------------------------------------
cli("members-list-extra-argument", "members", "list", "everyone")
cli("members-sync-unknown-option", "members", "sync", "--force")
cli("rotation-show-extra-argument", "rotation", "show", "now")
cli("rotation-advance-now-garbage", "rotation", "advance", "--now", "soon")
cli(
    "rotation-advance-now-year-1", "rotation", "advance", "--now", "0001-01-01", why="one bounded date parser"
)
cli("users-add-name-empty", "users", "add", "", "--role", "handler")
cli("users-add-name-spaces", "users", "add", "a b", "--role", "handler")
cli("users-add-name-huge", "users", "add", HUGE, "--role", "handler")
cli("users-add-name-sql", "users", "add", SQL, "--role", "handler")
cli("users-add-role-unknown", "users", "add", "eve", "--role", "emperor")
cli("users-add-member-without-id", "users", "add", "eve", "--role", "member")
cli("users-add-member-unknown", "users", "add", "eve", "--role", "member", "--member", "ghost")
cli("users-add-existing", "users", "add", "hanna", "--role", "handler", expect=(2, 3))
cli(
    "users-add-actor-empty",
    "users",
    "add",
    "eve",
    "--role",
    "handler",
    "--actor",
    "",
    why="no audit entry without an accountable actor",
)
cli(
    "users-passwd-unknown-user",
    "users",
    "passwd",
    "ghost",
    "--password-stdin",
    stdin="long enough secret\n",
    expect=(2, 4),
    words=("ghost",),
)
cli(
    "users-passwd-too-short",
    "users",
    "passwd",
    "hanna",
    "--password-stdin",
    stdin="short\n",
    words=("password",),
)
cli(
    "users-passwd-stdin-empty",
    "users",
    "passwd",
    "hanna",
    "--password-stdin",
    stdin="",
    words=("--password-stdin",),
)
cli(
    "users-passwd-on-argv",
    "users",
    "passwd",
    "hanna",
    "--password",
    "long enough secret",
    why="no password on argv",
    words=("--password",),
)
cli(
    "users-passwd-actor-empty",
    "users",
    "passwd",
    "hanna",
    "--password-stdin",
    "--actor",
    "",
    stdin="long enough secret\n",
    words=("actor",),
    why="no audit entry without an accountable actor",
)

# ---- config files ----------------------------------------------------------------------------------------
VALID = '[ncp]\nname = "NCP"\n'
config("config-latin-1", '[ncp]\nname = "Café NCP"\n'.encode("latin-1"))
config("config-invalid-utf-8", b'[ncp]\nname = "\xff\xfe\xfa"\n')
config("config-binary", bytes(range(256)) * 4)
config("config-utf-16", VALID.encode("utf-16"))
config("config-nested-arrays", "a = " + "[" * 100_000 + "]" * 100_000 + "\n")
config("config-nested-tables", "a = " + "{b=" * 5_000 + "1" + "}" * 5_000 + "\n")
config("config-nested-under-known-key", "[alerts]\nbefore = " + "[" * 900 + "]" * 900 + "\n")
config("config-not-toml", "{{{ this is not toml\n")
config("config-nul-byte", b'[ncp]\nname = "a\x00b"\n')
config("config-unknown-key", '[ncp]\nnmae = "typo"\n')
config("config-unknown-section", "[evil]\nx = 1\n")
config("config-duration-zero", '[timelines]\nacknowledgement = "0d"\n', why="durations are bounded")
config(
    "config-duration-huge",
    '[timelines]\ninitial_assessment = "100000y"\n',
    "case",
    "open",
    "--title",
    "t",
    "--submitter",
    "s",
    "--enterprise",
    "e",
    "--actor",
    "a",
    why="durations are bounded",
)
config("config-duration-negative", '[timelines]\nacknowledgement = "-3mo"\n')
config("config-duration-empty", '[alerts]\noverdue_every = ""\n')
config("config-duration-sql", f'[alerts]\nescalate_after = "{SQL}"\n')
config("config-timezone-unknown", '[ncp]\ntimezone = "Mars/Olympus_Mons"\n')
config("config-timezone-traversal", '[ncp]\ntimezone = "../../../../etc/passwd"\n')
config("config-language-unknown", '[ncp]\nlanguage = "tlh"\n')
config("config-prefix-sql", f'[ncp]\nreference_prefix = "{SQL}"\n')
config("config-smtp-port-huge", "[smtp]\nport = 70000\n", "outbox", "dispatch")
config("config-smtp-port-zero", "[smtp]\nport = 0\n", "outbox", "dispatch")
config("config-smtp-timeout-negative", "[smtp]\ntimeout = -1\n", "outbox", "dispatch")
config("config-scheduler-interval-zero", "[scheduler]\nsweep_interval = 0\n")
config("config-rotation-every-garbage", '[rotation]\nevery = "every other tuesday"\n')
config("config-rotation-mode-unknown", '[rotation]\nmode = "random"\n')
config(
    "config-member-id-spaces",
    '[[members]]\nid = "Bad Id"\nname = "B"\nemail = "b@example.org"\n',
    "members",
    "list",
)
config(
    "config-member-id-duplicate",
    '[[members]]\nid = "a"\nname = "A"\nemail = "a@example.org"\n'
    '[[members]]\nid = "a"\nname = "B"\nemail = "b@example.org"\n',
    "members",
    "list",
)
config(
    "config-member-email-crlf",
    '[[members]]\nid = "a"\nname = "A"\nemail = "a@example.org\\r\\nBcc: all@example.org"\n',
    "members",
    "list",
)
config(
    "config-secretariat-crlf",
    '[ncp]\nsecretariat = ["post@example.org\\r\\nBcc: all@example.org"]\n',
    why="no CR/LF in an e-mail address",
)
config(
    "config-member-name-nul",
    '[[members]]\nid = "a"\nname = "A\\u0000B"\nemail = "a@example.org"\n',
    "members",
    "list",
    why="no NUL in a member's name",
)
config(
    "config-member-leave-reversed",
    '[[members]]\nid = "a"\nname = "A"\nemail = "a@example.org"\n'
    "[[members.leave]]\nfrom = 2025-06-01\nto = 2025-01-01\n",
    "members",
    "list",
)
config(
    "config-member-conflict-blank",
    '[[members]]\nid = "a"\nname = "A"\nemail = "a@example.org"\nconflicts = ["  "]\n',
    "members",
    "list",
)
config("config-database-url-wrong-type", "[database]\nurl = 42\n")
config("config-alerts-before-not-a-list", '[alerts]\nbefore = "30d"\n')
config("config-holiday-country-unknown", '[timelines]\nholiday_country = "XX"\n')
config("config-is-a-folder", "@FOLDER@")
config("config-is-dev-zero", "@PATH:/dev/zero")
config("config-is-dev-null", "@PATH:/dev/null", expect=0)

# ---- invalid UTF-8 and the environment, in a real process -------------------------------------------------
argv("argv-show-invalid-byte", "case", "show", b"\xff")
argv(
    "argv-title-invalid-bytes",
    "case",
    "open",
    "--title",
    b"Mine \xff\xfe tailings",
    "--submitter",
    "S",
    "--enterprise",
    "E",
    "--actor",
    "a",
)
argv("argv-option-with-equals-invalid-byte", "case", "list", b"--state=\xc3\x28")
argv("argv-command-invalid-byte", b"\xff\xfe")
argv(
    "env-database-url-invalid-byte", "case", "list", env={"NCPFLOW_DATABASE_URL": "sqlite:///@DIR@/\udcff.db"}
)
# A host that cannot be bound ends `serve` at once where the key is not checked first.
argv(
    "env-secret-key-short",
    "serve",
    "--host",
    "256.0.0.1",
    "--port",
    "1",
    "--no-scheduler",
    env={"NCPFLOW_SECRET_KEY": "short"},
    why="$NCPFLOW_SECRET_KEY of 32 bytes",
)

# ---- API bodies: every write endpoint --------------------------------------------------------------------
CASE = {
    "title": "Mine tailings",
    "enterprises": ["Nordic Metals ASA"],
    "submitters": ["Friends of the Fjord"],
    "received": "2025-03-03",
}


def case_with(**values: Any) -> dict[str, Any]:
    return {**CASE, **values}


api("api-open-not-json", "/api/cases", b'{"title": ')
api("api-open-array", "/api/cases", [])
api("api-open-null", "/api/cases", None)
api("api-open-title-empty", "/api/cases", case_with(title=""))
api("api-open-title-huge", "/api/cases", case_with(title=HUGE))
api("api-open-title-nul", "/api/cases", case_with(title="a\x00b"))
api(
    "api-open-title-lone-surrogate",
    "/api/cases",
    b'{"title": "\\ud800", "enterprises": ["E"], "submitters": ["S"]}',
)
api("api-open-title-wrong-type", "/api/cases", case_with(title=123))
api("api-open-enterprises-empty", "/api/cases", case_with(enterprises=[]))
api("api-open-enterprises-string", "/api/cases", case_with(enterprises="Nordic Metals ASA"))
api("api-open-submitters-thousands", "/api/cases", case_with(submitters=["S"] * 5000))
api(
    "api-open-received-year-999",
    "/api/cases",
    case_with(received="0999-06-01"),
    why="one bounded date parser",
)
api("api-open-received-year-1", "/api/cases", case_with(received="0001-01-01"), why="one bounded date parser")
api("api-open-received-1975", "/api/cases", case_with(received="1975-12-31"), why="nothing before 1976")
api("api-open-received-empty", "/api/cases", case_with(received=""))
api("api-open-received-future", "/api/cases", case_with(received="9999-12-31T23:59:59+00:00"))
api("api-open-received-feb-30", "/api/cases", case_with(received="2025-02-30"))
api("api-open-received-superscript", "/api/cases", case_with(received="²⁰²⁵-01-01"))
api("api-open-received-number", "/api/cases", case_with(received=20250101))
api("api-open-submitter-type-unknown", "/api/cases", case_with(submitter_type="robot"))
api("api-open-theme-sql", "/api/cases", case_with(themes=[SQL]))
api("api-open-country-unknown", "/api/cases", case_with(host_countries=["XX"]))
api("api-open-unknown-field", "/api/cases", case_with(lead_member="member-d"))
api("api-open-confidential-number", "/api/cases", case_with(confidential_submitter=2))
api(
    "api-open-deep-json",
    "/api/cases",
    b'{"title": "t", "enterprises": ["E"], "submitters": ["S"], "sector": ' + DEEP_JSON.encode() + b"}",
)
api("api-open-as-auditor", "/api/cases", CASE, role="auditor", expect=403)
api("api-open-no-credentials", "/api/cases", CASE, role="nobody", expect=401)
TRANSITION = {"trigger": "accept", "reason": "Material issues"}


def step(**values: Any) -> dict[str, Any]:
    return {**TRANSITION, **values}


api(
    "api-transition-trigger-unknown",
    "/api/cases/@REF@/transitions",
    step(trigger="explode"),
    expect=(409, 422),
)
api("api-transition-reason-empty", "/api/cases/@REF@/transitions", step(reason=""))
api("api-transition-reason-too-long", "/api/cases/@REF@/transitions", step(reason="r" * 2001))
api("api-transition-version-negative", "/api/cases/@REF@/transitions", step(expected_version=-1))
api("api-transition-version-huge", "/api/cases/@REF@/transitions", step(expected_version=2**63))
api("api-transition-version-superscript", "/api/cases/@REF@/transitions", step(expected_version="²"))
api("api-transition-version-arabic-digit", "/api/cases/@REF@/transitions", step(expected_version="٣"))
api("api-transition-version-fraction", "/api/cases/@REF@/transitions", step(expected_version=1.5))
api(
    "api-transition-at-year-1",
    "/api/cases/@REF@/transitions",
    step(at="0001-01-01"),
    why="the year 1 overflows",
)
api("api-transition-at-malformed", "/api/cases/@REF@/transitions", step(at="2025-06-02T25:00Z"))
api("api-transition-outcome-unknown", "/api/cases/@REF@/transitions", step(outcome="victory"))
api("api-transition-unknown-case", "/api/cases/NCP-2025-999/transitions", TRANSITION, expect=404)
api(
    "api-transition-traversal-ref",
    "/api/cases/..%2F..%2Fetc%2Fpasswd/transitions",
    TRANSITION,
    expect=(404, 422),
)
api("api-transition-sql-ref", "/api/cases/x';DROP TABLE cases;--/transitions", TRANSITION, expect=(404, 422))
api("api-pause-reason-empty", "/api/cases/@REF@/pause", {"reason": ""})
api("api-pause-requested-by-too-long", "/api/cases/@REF@/pause", {"reason": "r", "requested_by": "x" * 301})
api("api-pause-at-future", "/api/cases/@REF@/pause", {"reason": "r", "at": "9999-12-31T00:00:00+00:00"})
api("api-pause-at-garbage", "/api/cases/@REF@/pause", {"reason": "r", "at": "now"})
api("api-pause-already-paused", "/api/cases/@PAUSED@/pause", {"reason": "r"}, expect=409)
api("api-fact-missing", "/api/cases/@REF@/facts", {"on": "2025-01-02"})
api("api-fact-on-garbage", "/api/cases/@REF@/facts", {"fact": "later_agreement", "on": "yesterday"})
api("api-fact-on-number", "/api/cases/@REF@/facts", {"fact": "later_agreement", "on": 20250102})
api(
    "api-fact-note-huge",
    "/api/cases/@REF@/facts",
    {"fact": "later_agreement", "on": "2025-01-02", "note": HUGE},
)
api(
    "api-fact-wrong-state",
    "/api/cases/@REF@/facts",
    {"fact": "later_agreement", "on": "2025-01-02"},
    expect=409,
)
api("api-resume-not-paused", "/api/cases/@REF@/resume", {}, expect=409)
api("api-resume-at-superscript", "/api/cases/@PAUSED@/resume", {"at": "2025-0²-01"})
api(
    "api-extend-days-zero",
    "/api/cases/@REF@/extend",
    {"deadline": "initial_assessment", "reason": "r", "days": 0},
)
api(
    "api-extend-days-huge",
    "/api/cases/@REF@/extend",
    {"deadline": "initial_assessment", "reason": "r", "days": 99_999_999},
)
api(
    "api-extend-months-huge",
    "/api/cases/@REF@/extend",
    {"deadline": "initial_assessment", "reason": "r", "months": 95_000},
)
api(
    "api-extend-days-text",
    "/api/cases/@REF@/extend",
    {"deadline": "initial_assessment", "reason": "r", "days": "ten"},
)
api(
    "api-extend-deadline-unknown",
    "/api/cases/@REF@/extend",
    {"deadline": "doomsday", "reason": "r", "days": 5},
)
api(
    "api-extend-days-and-months",
    "/api/cases/@REF@/extend",
    {"deadline": "initial_assessment", "reason": "r", "days": 5, "months": 1},
)
api("api-extend-neither", "/api/cases/@REF@/extend", {"deadline": "initial_assessment", "reason": "r"})
api("api-reassign-to-unknown", "/api/cases/@REF@/reassign", {"to": "nobody", "reason": "r"})
api("api-reassign-to-empty", "/api/cases/@REF@/reassign", {"to": "", "reason": "r"})
api(
    "api-reassign-override-text",
    "/api/cases/@REF@/reassign",
    {"to": "member-c", "reason": "r", "override": "maybe"},
)
api("api-users-name-empty", "/api/users", {"name": "", "role": "handler"}, role="admin")
api("api-users-role-unknown", "/api/users", {"name": "eve", "role": "emperor"}, role="admin")
api("api-users-name-nul", "/api/users", {"name": "e\x00ve", "role": "handler"}, role="admin")
api("api-users-name-spaces", "/api/users", {"name": "e ve", "role": "handler"}, role="admin")
api(
    "api-users-member-unknown",
    "/api/users",
    {"name": "eve", "role": "member", "member": "ghost"},
    role="admin",
)
api("api-users-existing", "/api/users", {"name": "hanna", "role": "handler"}, role="admin", expect=(409, 422))
api("api-users-as-handler", "/api/users", {"name": "eve", "role": "admin"}, expect=403)
api("api-users-wrong-types", "/api/users", {"name": ["eve"], "role": {"x": 1}}, role="admin")

# ---- query parameters ------------------------------------------------------------------------------
query("query-cases-limit-superscript", "/api/cases?limit=²")
query("query-cases-limit-arabic-digit", "/api/cases?limit=٣")
query("query-cases-limit-zero", "/api/cases?limit=0")
query("query-cases-limit-huge", "/api/cases?limit=99999999999999999999999")
query("query-cases-offset-negative", "/api/cases?offset=-1")
query("query-cases-offset-words", "/api/cases?offset=ten")
query("query-cases-overdue-maybe", "/api/cases?overdue=maybe")
query("query-cases-state-unknown", "/api/cases?state=bogus")
query("query-cases-state-nul", "/api/cases?state=%00")
query("query-cases-lead-nul", "/api/cases?lead=a%00b")
query("query-case-audit-limit-superscript", "/api/cases/@REF@/audit?limit=%C2%B2")
query("query-audit-offset-negative", "/api/audit?offset=-1")
query("query-audit-limit-too-big", "/api/audit?limit=1001")
query("query-ics-member-nul", "/api/deadlines.ics?member=%00")
query("query-ics-member-too-long", "/api/deadlines.ics?member=" + "m" * 101)
query("query-calendar-month-superscript", "/calendar?month=2025-%C2%B2")
query("query-calendar-month-sql", "/calendar?month=%27%3B%20DROP%20TABLE%20cases%3B%20--")
query("query-calendar-week-huge", "/calendar?week=" + "9" * 5000, why="echoed back only in part")
query("query-calendar-week-arabic-digits", "/calendar?week=%D9%A2%D9%A0%D9%A2%D9%A5-W10")
query("query-calendar-feed-token-sql", "/calendar/feed/%27%20OR%201%3D1%20--.ics", role="nobody", expect=404)
query("query-calendar-feed-token-huge", "/calendar/feed/" + "A" * 5000 + ".ics", role="nobody", expect=404)
query("query-calendar-feed-token-nul", "/calendar/feed/a%00b.ics", role="nobody", expect=(404, 422))
page(
    "form-calendar-feed-language-unknown",
    "/calendar/feed",
    {"feed_language": "klingon"},
    why="the feed's language is one of en, nb; nothing is made",
)
page(
    "form-calendar-feed-cases-mine-for-a-handler",
    "/calendar/feed",
    {"feed_language": "en", "feed_cases": "mine"},
)
query("query-report-annual-year-missing", "/api/reports/annual")
query("query-report-annual-year-superscript", "/api/reports/annual?year=%C2%B2%E2%81%B0%C2%B2%E2%81%B5")
query("query-report-annual-year-1975", "/api/reports/annual?year=1975", why="years are bounded like dates")
query("query-report-oecd-year-huge", "/api/reports/oecd?year=" + "9" * 30)
query("query-report-timelines-year-words", "/api/reports/timelines?year=last")
query("page-audit-before-superscript", "/audit?before=²")
query("page-audit-before-arabic-digit", "/audit?before=١")
query("page-audit-before-negative", "/audit?before=-1")
query("page-audit-before-huge", "/audit?before=" + "9" * 30)
query("page-audit-kind-nul", "/audit?kind=%00")
query("page-audit-case-nul", "/audit?case=%00", expect=(200, 422))
query("page-audit-export-unknown-case", "/audit/export.jsonl?case=NCP-1999-404", expect=404)
query("page-audit-export-case-nul", "/audit/export.jsonl?case=%00", expect=(404, 422))
query("page-case-unknown", "/cases/NCP-1999-404", expect=404)
query("page-case-nul", "/cases/%00", expect=(404, 422))
query("page-case-huge", "/cases/" + "N" * 10_000, expect=(404, 414, 422))

# ---- page forms, signed in, with a valid CSRF token ----------------------------------------------
ADVANCE_FORM = {"trigger": "accept", "reason": "Material issues"}
page("form-advance-version-superscript", "/cases/@REF@/advance", {**ADVANCE_FORM, "version": "²"})
page("form-advance-version-arabic-digit", "/cases/@REF@/advance", {**ADVANCE_FORM, "version": "٣"})
page("form-advance-version-words", "/cases/@REF@/advance", {**ADVANCE_FORM, "version": "two"})
page("form-advance-version-negative", "/cases/@REF@/advance", {**ADVANCE_FORM, "version": "-1"})
page("form-advance-version-huge", "/cases/@REF@/advance", {**ADVANCE_FORM, "version": "9" * 20})
page("form-advance-trigger-unknown", "/cases/@REF@/advance", {**ADVANCE_FORM, "trigger": "explode"})
page("form-advance-trigger-missing", "/cases/@REF@/advance", {"reason": "r"}, expect=422)
page("form-advance-reason-empty", "/cases/@REF@/advance", {**ADVANCE_FORM, "reason": ""})
page(
    "form-advance-reason-nul",
    "/cases/@REF@/advance",
    {**ADVANCE_FORM, "reason": "a\x00b"},
    expect=(REFUSED, 422),
)
page(
    "form-advance-reason-too-long",
    "/cases/@REF@/advance",
    {**ADVANCE_FORM, "reason": "r" * 2001},
    why="the input model's bound, named on the page",
)
page("form-advance-outcome-unknown", "/cases/@REF@/advance", {**ADVANCE_FORM, "outcome": "victory"})
page("form-advance-unknown-case", "/cases/NCP-1999-404/advance", ADVANCE_FORM, expect=(REFUSED, 404))
page("form-advance-without-csrf", "/cases/@REF@/advance", {**ADVANCE_FORM, "csrf_token": ""}, expect=403)
page(
    "form-advance-forged-csrf",
    "/cases/@REF@/advance",
    {**ADVANCE_FORM, "csrf_token": "forged.token.value"},
    expect=403,
)
page("form-pause-reason-empty", "/cases/@REF@/pause", {"reason": ""})
page("form-pause-reason-nul", "/cases/@REF@/pause", {"reason": "\x00"}, expect=(REFUSED, 422))
page(
    "form-pause-requested-by-too-long",
    "/cases/@REF@/pause",
    {"reason": "r", "requested_by": "x" * 301},
    why="the same bound as the API and the CLI",
)
page(
    "form-advance-reason-absurd",
    "/cases/@REF@/advance",
    {**ADVANCE_FORM, "reason": "r" * 20_001},
    expect=422,
    why="more than a form field holds",
)
page("form-pause-already-paused", "/cases/@PAUSED@/pause", {"reason": "again"}, expect=NOT_NOW)
page("form-resume-not-paused", "/cases/@REF@/resume", {"reason": "r"}, expect=NOT_NOW)
page("form-resume-reason-nul", "/cases/@PAUSED@/resume", {"reason": "x\x00"}, expect=(REFUSED, 422))
EXTEND_FORM = {"deadline": "initial_assessment", "amount": "1", "unit": "months", "reason": "Annexes"}
page("form-extend-amount-superscript", "/cases/@REF@/extend", {**EXTEND_FORM, "amount": "²"})
page("form-extend-amount-huge", "/cases/@REF@/extend", {**EXTEND_FORM, "amount": "9" * 20})
page("form-extend-unit-unknown", "/cases/@REF@/extend", {**EXTEND_FORM, "unit": "fortnights"})
page(
    "form-extend-deadline-unknown",
    "/cases/@REF@/extend",
    {**EXTEND_FORM, "deadline": "forever"},
    expect=NOT_NOW,
)
page("form-extend-at-future", "/cases/@REF@/extend", {**EXTEND_FORM, "at": "2199-12-31", "confirm": "yes"})
page("form-edit-country-nul", "/cases/@REF@/edit", {"host_countries": "N\x00O", "reason": "r"})
page("form-edit-theme-unknown", "/cases/@REF@/edit", {"themes": "astrology", "reason": "r"})
page("form-record-fact-unknown", "/cases/@REF@/record", {"fact": "moon_landing", "on": "2025-03-03"})
page("form-record-on-not-a-date", "/cases/@REF@/record", {"fact": "mediation_agreed", "on": "yesterday"})
page(
    "form-reassign-member-unknown",
    "/cases/@REF@/reassign",
    {"to": "nobody-here", "reason": "r", "confirm": "yes"},
    expect=(REFUSED, NOT_NOW),
)
page(
    "form-recuse-not-the-lead",
    "/cases/@REF@/recuse",
    {"member": "nobody-here", "reason": "r", "confirm": "yes"},
    expect=(REFUSED, NOT_NOW),
)
page("form-signin-username-too-long", "/signin", {"username": "u" * 201, "password": "p" * 10}, expect=422)
page(
    "form-signin-without-csrf",
    "/signin",
    {"username": "hanna", "password": "p" * 10, "csrf_token": ""},
    expect=403,
)
page("form-signout-without-csrf", "/signout", {"csrf_token": ""}, expect=403)

# ---- export files for `audit verify --file` -----------------------------------------------------------
LINE = json.dumps({"seq": 1, "kind": "case_opened", "hash": "0" * 64})
export_file("file-binary", bytes(range(256)) * 8, why="verify --file on binary")
export_file("file-invalid-utf-8", b'{"seq": 1, "actor": "\xff\xfe"}\n', why="verify --file on invalid UTF-8")
export_file("file-lone-surrogate", b'{"seq": 1, "actor": "\\ud800"}\n')
export_file("file-deep-json", DEEP_JSON.encode() + b"\n", why="verify --file on very deep JSON")
export_file("file-empty", b"", why="an empty export does not verify")
export_file("file-blank-lines", b"\n\n  \n", why="an empty export does not verify")
export_file("file-truncated-mid-line", b"@EXPORT-CUT@")
export_file("file-not-json", b"hello world\n")
export_file("file-json-array", b"[1, 2, 3]\n")
export_file("file-json-string", b'"just a string"\n')
export_file("file-wrong-types", json.dumps({"seq": "one", "hash": 5, "prev_hash": None}).encode() + b"\n")
export_file("file-nul-bytes", b"\x00" * 1024)
export_file("file-huge-line", b'{"seq": 1, "reason": "' + HUGE.encode() * 10 + b'"}\n')
export_file("file-one-forged-line", LINE.encode() + b"\n")

# ---- case import (docs/import-format.md) ---------------------------------------------------------
IMPORT = ("case", "import")
cli("import-empty-file", *IMPORT, "@EMPTY@", "--actor", "sek", words=("holds no case",))
cli("import-binary-file", *IMPORT, "@BINARY@", "--actor", "sek", words=("not UTF-8",))
cli("import-folder", *IMPORT, "@DIR@", "--actor", "sek", words=("cannot be read",))
cli("import-missing-file", *IMPORT, "@DIR@/none.jsonl", "--actor", "sek", words=("cannot be read",))
cli("import-actor-empty", *IMPORT, "@EMPTY@", "--actor", "")
cli("import-source-nul", *IMPORT, "@EMPTY@", "--actor", "sek", "--source", "a\x00b")
IMPORTS = "/api/cases/import"
api("api-import-not-json", IMPORTS, b"{oops\n", role="admin")
api("api-import-deep-json", IMPORTS, DEEP_JSON.encode() + b"\n", role="admin", why="recursion limit")
api("api-import-lone-surrogate", IMPORTS, b'{"external_id": "\\ud800"}\n', role="admin")
api("api-import-nul", IMPORTS, b'{"external_id": "a\\u0000"}\n', role="admin")
api("api-import-not-utf8", IMPORTS, b"\xff\xfe{}\n", role="admin")
api("api-import-json-array", IMPORTS, b"[1, 2, 3]\n", role="admin")
api("api-import-huge-line", IMPORTS, b'{"title": "' + HUGE.encode() * 10 + b'"}\n', role="admin")
api("api-import-empty", IMPORTS, b"", role="admin")
api("api-import-by-a-handler", IMPORTS, b"{}\n", expect=403, why="only an admin imports")


# ---- case share / receive (docs/bundle-format.md) --------------------------------------------------
RECEIVE = ("case", "receive")
cli("receive-empty-file", *RECEIVE, "@EMPTY@", "--actor", "sek", expect=7, words=("not_a_bundle",))
cli("receive-binary-file", *RECEIVE, "@BINARY@", "--actor", "sek", expect=7, words=("not_a_bundle",))
cli("receive-folder", *RECEIVE, "@DIR@", "--actor", "sek", words=("cannot be read",))
cli("receive-missing-file", *RECEIVE, "@DIR@/none.json", "--actor", "sek", words=("cannot be read",))
cli(
    "receive-deep-json",
    *RECEIVE,
    "@DIR@/deep.json",
    "--actor",
    "sek",
    expect=7,
    files={"deep.json": DEEP_JSON},
    words=("not_a_bundle",),
    why="recursion limit",
)
STRANGER = {
    "payload": {
        "format": "ncpflow-case-bundle",
        "version": 1,
        "kind": "share",
        "sequence": 1,
        "from": {"ncp": "XX"},
        "to": {"ncp": "NO"},
        "case": {},
    },
    "signature": {"alg": "ed25519", "key": "0" * 64, "sig": "AAAA"},
}
cli(
    "receive-unknown-sender",
    *RECEIVE,
    "@DIR@/stranger.json",
    "--actor",
    "sek",
    expect=7,
    files={"stranger.json": json.dumps(STRANGER, sort_keys=True, separators=(",", ":")) + "\n"},
    words=("unknown_key", "XX"),
)
cli("share-unknown-ncp", "case", "share", "@REF@", "--to", "DK", "--actor", "sek", words=("--to", "DK"))
cli("share-document-not-a-number", "case", "share", "@REF@", "--to", "SE", "--document", "x", "--actor", "s")
cli("share-actor-empty", "case", "share", "@REF@", "--to", "DK", "--actor", "")
SHARES = "/api/cases/@REF@/bundles"
api("api-share-unknown-ncp", SHARES, {"to": "DK"}, why="only an NCP in [[peers]]")
api("api-share-to-huge", SHARES, {"to": HUGE})
api("api-share-to-missing", SHARES, {"documents": [1]})
api("api-share-documents-words", SHARES, {"to": "SE", "documents": ["one"]})
api("api-share-documents-thousands", SHARES, {"to": "SE", "documents": list(range(1, 5000))})
api("api-share-by-an-auditor", SHARES, {"to": "SE"}, role="auditor", expect=403, why="as `case share`")
api(
    "api-share-handover-without-reason",
    SHARES,
    {"to": "SE", "handover": True},
    why="a handover needs its reason",
)
api("api-share-handover-blank-reason", SHARES, {"to": "SE", "handover": True, "reason": "  "})
api("api-share-handover-not-a-flag", SHARES, {"to": "SE", "handover": "perhaps", "reason": "r"})
api(
    "api-share-draft-without-comment",
    SHARES,
    {"to": "SE", "review_statement": 1},
    why="as the CLI refuses it",
)
api("api-share-draft-word", SHARES, {"to": "SE", "review_comment": "c", "review_statement": "one"})
api("api-share-comment-huge", SHARES, {"to": "SE", "review_comment": "x" * 20_001})
api("api-share-comment-nul", SHARES, {"to": "SE", "review_comment": "a\x00b"})
api("api-receive-empty", "/api/bundles", b"", why="not_a_bundle")
api("api-receive-binary", "/api/bundles", bytes(range(256)) * 64, why="not_a_bundle")
api("api-receive-deep-json", "/api/bundles", DEEP_JSON.encode(), why="recursion limit")
api(
    "api-receive-unknown-sender",
    "/api/bundles",
    json.dumps(STRANGER, sort_keys=True, separators=(",", ":")).encode(),
    why="unknown_key",
)
api("api-receive-by-an-auditor", "/api/bundles", b"{}", role="auditor", expect=403, why="as `case receive`")
page("form-share-unknown-ncp", "/cases/@REF@/sharing", {"to": "DK", "confirm": "yes"})
page("form-share-document-word", "/cases/@REF@/sharing", {"to": "SE", "documents": "two"})
page("form-share-to-nul", "/cases/@REF@/sharing", {"to": "S\x00E"})
page(
    "form-share-handover-without-reason",
    "/cases/@REF@/sharing",
    {"to": "SE", "handover": "yes", "confirm": "yes"},
)
page("form-share-draft-without-comment", "/cases/@REF@/sharing", {"to": "SE", "review_statement": "1"})
page(
    "form-share-draft-word",
    "/cases/@REF@/sharing",
    {"to": "SE", "review_comment": "c", "review_statement": "two"},
)
page("form-share-comment-nul", "/cases/@REF@/sharing", {"to": "SE", "review_comment": "a\x00b"})


# ---- case import: hostile files (the whole file is checked first; nothing is written) -----------
def _line(**values: Any) -> str:
    """One valid case of an import file, with `values` put in."""
    case = {
        "external_id": "OLD-1",
        "title": "Tailings, 2019",
        "parties": [
            {"role": "submitter", "name": "Fjord Friends"},
            {"role": "enterprise", "name": "Nordic AS"},
        ],
        "received": "2019-03-14",
        "milestones": [{"trigger": "begin_assessment", "date": "2019-03-20"}],
    }
    return json.dumps({**case, **values}, ensure_ascii=False) + "\n"


def import_file(id: str, content: str | bytes, *extra: str, expect: int = 2, **options: Any) -> None:
    """`case import` of a file holding `content` (as an admin would run it)."""
    name = f"{id}.jsonl"
    cli(
        id,
        *IMPORT,
        f"@DIR@/{name}",
        "--actor",
        "sek",
        *extra,
        expect=expect,
        files={name: content},
        **options,
    )


import_file("import-huge-line", _line(title=HUGE * 10), words=("line 1", "title"))
import_file("import-deep-json", DEEP_JSON + "\n", words=("line 1", "not valid JSON"))
import_file("import-deep-object", '{"a": ' * 50_000 + "1" + "}" * 50_000 + "\n", words=("line 1",))
import_file("import-raw-nul", b'{"external_id": "a\x00b"}\n', words=("line 1",))
import_file("import-escaped-nul", _line(title="a\u0000b"), words=("line 1", "title"))
import_file("import-lone-surrogate", b'{"external_id": "\\ud800"}\n', words=("line 1",))
import_file("import-not-an-object", "[1, 2, 3]\n", words=("line 1", "object"))
import_file(
    "import-wrong-types",
    _line(parties="Fjord Friends", received=20190314, milestones={"trigger": "accept"}, sources="x"),
    words=("parties", "received", "milestones", "sources"),
)
import_file("import-number-too-long", '{"external_id": 1' + "0" * 5000 + "}\n", words=("line 1",))
import_file(
    "import-duplicate-external-id",
    _line() + _line(title="Another title"),
    words=("line 2", "external_id 'OLD-1' is on line 1 too"),
)
import_file(
    "import-duplicate-external-id-spaced",
    _line() + _line(external_id=" OLD-1 ", title="Another title"),
    words=("line 2", "on line 1 too"),
    why="spaces around an id do not make another id",
)
import_file(
    "import-duplicate-reference", _line(reference="X-1") + _line(external_id="OLD-2", reference="X-1")
)
import_file(
    "import-reference-of-a-case",
    _line(reference="@REF@"),
    expect=3,
    words=("is another case's already",),
    why="an imported case never takes an existing case's reference",
)
import_file("import-received-1975", _line(received="1975-12-31", milestones=[]), words=("received", "1976"))
import_file("import-received-2200", _line(received="2200-01-01", milestones=[]), words=("received",))
import_file("import-received-month-13", _line(received="2007-13", milestones=[]), words=("'2007-13'",))
import_file("import-received-feb-30", _line(received="2019-02-30", milestones=[]), words=("received",))
import_file("import-received-fullwidth", _line(received="２０１９-03", milestones=[]), words=("received",))
import_file("import-received-in-the-future", _line(received="2199-01", milestones=[]), words=("future",))
import_file(
    "import-milestones-out-of-order",
    _line(
        milestones=[
            {"trigger": "begin_assessment", "date": "2019-04-02"},
            {"trigger": "accept", "date": "2019-04-01"},
        ]
    ),
    words=("milestones[1].date 2019-04-01 is before milestones[0].date",),
)
import_file(
    "import-month-before-receipt",
    _line(received="2019-03", milestones=[{"trigger": "begin_assessment", "date": "2019-02"}]),
    words=("milestones[0].date",),
)
import_file(
    "import-milestone-off-the-path",
    _line(milestones=[{"trigger": "close", "date": "2019-03-20"}]),
    words=("milestones[0] (close)",),
)
import_file(
    "import-good-line-then-a-bad-one",
    _line() + _line(external_id="OLD-2", received="2019-13"),
    words=("line 2", "nothing imported"),
    why="all or nothing: the good line is not imported either",
)
import_file("import-dry-run-with-byte-order-mark", "\ufeff" + _line(), "--dry-run", expect=0)
cli("import-dev-zero", *IMPORT, "/dev/zero", "--actor", "sek", words=("larger than",), why="read bounded")
cli("import-name-too-long", *IMPORT, "x" * 5000, "--actor", "sek", words=("cannot be read",))

# ---- procedure validate / show / diff -----------------------------------------------------------
VALIDATE = ("procedure", "validate")


def definition(id: str, content: str | bytes, *, words: tuple[str, ...] = (), why: str = "") -> None:
    """`procedure validate` of a definition file holding `content`."""
    name = f"{id}.toml"
    cli(id, *VALIDATE, f"@DIR@/{name}", files={name: content}, words=(name, *words), why=why, storage=False)


definition("procedure-not-utf8", 'id = "café"\n'.encode("latin-1"), words=("UTF-8",))
definition("procedure-utf16", 'id = "x"\n'.encode("utf-16"), words=("UTF-8",))
definition("procedure-huge", b"# " + b"a" * (2 * 2**20) + b"\n", words=("larger than",))
definition("procedure-deep-arrays", "a = " + DEEP_JSON + "\n", words=("nested too deeply",))
definition("procedure-deep-tables", "a = " + "{b = " * 5000 + "1" + "}" * 5000 + "\n")
definition("procedure-number-too-long", "version = 1" + "0" * 5000 + "\n", why="Python's int limit")
definition("procedure-nul", b'id = "a\x00b"\n', words=("not valid TOML",))
definition("procedure-empty", b"", words=("id",))
definition("procedure-wrong-types", 'id = 5\nversion = []\nstates = "x"\n')
definition("procedure-not-toml", "id = \n", words=("not valid TOML",))
cli("procedure-validate-folder", *VALIDATE, "@DIR@", words=("cannot be read",), storage=False)
cli("procedure-validate-missing", *VALIDATE, "@DIR@/none.toml", words=("cannot be read",), storage=False)
cli("procedure-validate-dev-zero", *VALIDATE, "/dev/zero", words=("larger than",), storage=False)
cli("procedure-validate-name-too-long", *VALIDATE, "x" * 5000 + ".toml", storage=False)
cli("procedure-show-unknown", "procedure", "show", "nope", words=("no procedure nope",))
cli("handbook-version-unknown", "handbook", "--version", "99", words=("has no version '99'",))
cli(
    "handbook-version-huge",
    "handbook",
    "--version",
    "9" * 5000,
    words=("9999…'",),
    why="never echoed in full",
)
cli("handbook-lang-unknown", "handbook", "--lang", "de", words=("'de' is not one of",), storage=False)
cli("handbook-format-unknown", "handbook", "--format", "docx", words=("'docx' is not one of",), storage=False)
cli("procedure-show-bare-at", "procedure", "show", "oecd-2023@", words=("ID@VERSION",))
cli("procedure-show-name-too-long", "procedure", "show", "x" * 5000, why="no file of that name")
cli("procedure-diff-bare-at", "procedure", "diff", "@", "@", words=("ID@VERSION",))
cli(
    "procedure-diff-unknown-version",
    "procedure",
    "diff",
    "oecd-2023@99",
    "oecd-2023",
    words=("oecd-2023@99",),
)
cli("procedure-diff-one-argument", "procedure", "diff", "oecd-2023")
cli("procedure-diff-folder", "procedure", "diff", "oecd-2023", "@DIR@/.toml", words=("cannot be read",))
cli("procedure-diff-name-too-long", "procedure", "diff", "x" * 5000, "oecd-2023")
config("config-procedure-file-nul", '[procedure]\nfile = "a\\u0000b"\n', why="no traceback from the path")
config("config-procedure-file-folder", '[procedure]\nfile = "@DIR@"\n')
config(
    "config-procedure-file-number-too-long",
    '[procedure]\nfile = "@DIR@/long-number.toml"\n',
    files={"long-number.toml": b"version = 1" + b"0" * 5000 + b"\n"},
    why="a number past Python's int limit",
)
config("config-procedure-unknown", '[procedure]\ndefinition = "../../etc/passwd"\n')
config("config-database-url-nul", '[database]\nurl = "sqlite:///a\\u0000b"\n')

# ---- case migrate ------------------------------------------------------------------------------------
MIGRATE = ("case", "migrate", "@REF@", "--actor", "a")
cli("migrate-map-no-equals", *MIGRATE, "--to", "oecd-2023@1", "--map", "received", words=("--map",))
cli("migrate-map-no-old", *MIGRATE, "--to", "oecd-2023@1", "--map", "=received", words=("--map",))
cli("migrate-map-no-new", *MIGRATE, "--to", "oecd-2023@1", "--map", "received=", words=("--map",))
cli("migrate-map-twice", *MIGRATE, "--to", "oecd-2023@1", "--map", "a=b", "--map", "a=c", words=("twice",))
cli("migrate-map-huge", *MIGRATE, "--to", "oecd-2023@1", "--map", HUGE + "=a", words=("--map",))
cli("migrate-to-empty", *MIGRATE, "--to", "", words=("--to",))
cli("migrate-to-bare-at", *MIGRATE, "--to", "@", words=("ID@VERSION",))
cli("migrate-to-unknown-version", *MIGRATE, "--to", "oecd-2023@99", words=("oecd-2023@99",))
cli("migrate-to-a-path", *MIGRATE, "--to", "../../etc/passwd", why="a version, never a file")
cli(
    "migrate-the-version-it-follows",
    *MIGRATE,
    "--to",
    "oecd-2023",
    expect=(1, 2),
    why="the case follows it already",
)
cli("migrate-unknown-case", "case", "migrate", "NCP-1999-999", "--to", "oecd-2023", "--actor", "a", expect=4)
api("api-migrate-map-not-an-object", "/api/cases/@REF@/migrate", {"to": "oecd-2023", "mapping": ["a=b"]})
api("api-migrate-map-number", "/api/cases/@REF@/migrate", {"to": "oecd-2023", "mapping": {"a": 5}})
api("api-migrate-to-missing", "/api/cases/@REF@/migrate", {"mapping": {}})
api("api-migrate-by-an-auditor", "/api/cases/@REF@/migrate", {"to": "oecd-2023"}, role="auditor", expect=403)

# ---- case record -----------------------------------------------------------------------------------
RECORD = ("case", "record", "@REF@")
cli(
    "record-on-month-only",
    *RECORD,
    "assessment_published",
    "--on",
    "2025-02",
    "--actor",
    "a",
    words=("--on",),
)
cli("record-on-feb-30", *RECORD, "assessment_published", "--on", "2025-02-30", "--actor", "a")
cli("record-on-1975", *RECORD, "assessment_published", "--on", "1975-12-31", "--actor", "a")
cli("record-fact-empty", *RECORD, "", "--on", "2025-02-03", "--actor", "a")
cli("record-fact-huge", *RECORD, HUGE, "--on", "2025-02-03", "--actor", "a")
cli(
    "record-note-nul",
    *RECORD,
    "assessment_published",
    "--on",
    "2025-02-03",
    "--note",
    "a\x00b",
    "--actor",
    "a",
)
cli(
    "record-by-unknown",
    *RECORD,
    "review_requested",
    "--on",
    "2025-02-03",
    "--by",
    "the neighbour",
    "--actor",
    "a",
    expect=(1, 2),
)
cli(
    "record-unknown-case",
    "case",
    "record",
    "NCP-1999-999",
    "assessment_published",
    "--on",
    "2025-02-03",
    "--actor",
    "a",
    expect=4,
)

# ---- case issue --------------------------------------------------------------------------------------
ISSUE = ("case", "issue")
cli("issue-add-unknown-chapter", *ISSUE, "add", "@REF@", "--title", "t", "--chapter", "xx", "--actor", "a")
cli("issue-add-no-chapter", *ISSUE, "add", "@REF@", "--title", "t", "--actor", "a")
cli("issue-add-title-huge", *ISSUE, "add", "@REF@", "--title", HUGE, "--chapter", "vi", "--actor", "a")
cli("issue-add-title-nul", *ISSUE, "add", "@REF@", "--title", "a\x00b", "--chapter", "vi", "--actor", "a")
cli("issue-decide-zero", *ISSUE, "decide", "@REF@", "0", "--accepted", "--actor", "a", words=("issue 0",))
cli("issue-decide-negative", *ISSUE, "decide", "@REF@", "-1", "--accepted", "--actor", "a")
cli("issue-decide-not-a-number", *ISSUE, "decide", "@REF@", "one", "--accepted", "--actor", "a")
cli("issue-decide-huge-number", *ISSUE, "decide", "@REF@", "9" * 40, "--accepted", "--actor", "a")
cli("issue-decide-unknown-number", *ISSUE, "decide", "@REF@", "7", "--accepted", "--actor", "a")
cli("issue-result-huge-number", *ISSUE, "result", "@REF@", "9" * 40, "--outcome", "agreement", "--actor", "a")
cli("issue-result-unknown-outcome", *ISSUE, "result", "@REF@", "1", "--outcome", "victory", "--actor", "a")
cli("issue-list-unknown-case", *ISSUE, "list", "NCP-1999-999", expect=4)
ISSUES = "/api/cases/@REF@/issues"
api("api-issue-add-no-chapters", ISSUES, {"title": "t", "chapters": []})
api("api-issue-add-chapters-not-a-list", ISSUES, {"title": "t", "chapters": "vi"})
api("api-issue-decide-zero", ISSUES + "/0/decision", {"decision": "accepted"})
api("api-issue-decide-huge", ISSUES + "/" + "9" * 40 + "/decision", {"decision": "accepted"})
api("api-issue-decide-unknown", ISSUES + "/7/decision", {"decision": "accepted"}, expect=(404, 409, 422))
api("api-issue-decide-bad-decision", ISSUES + "/1/decision", {"decision": "maybe"})
api("api-issue-result-negative", ISSUES + "/-1/result", {"outcome": "agreement"})


# ---- a member's leave and conflicts set in the browser (issue 13) -------------------------------
LEAVE_FORM = {"first_day": "2031-03-01", "last_day": "2031-03-31"}
page("form-leave-reversed", "/members/member-b/leave", {**LEAVE_FORM, "last_day": "2031-02-28"}, expect=422)
page(
    "form-leave-not-a-date", "/members/member-b/leave", {**LEAVE_FORM, "first_day": "next monday"}, expect=422
)
page("form-leave-year-9999", "/members/member-b/leave", {**LEAVE_FORM, "last_day": "9999-12-31"}, expect=422)
page(
    "form-leave-time-not-day",
    "/members/member-b/leave",
    {**LEAVE_FORM, "first_day": "2031-03-01T10:00+01:00"},
    expect=422,
)
page("form-leave-missing-day", "/members/member-b/leave", {"first_day": "2031-03-01"}, expect=422)
page("form-leave-nul", "/members/member-b/leave", {**LEAVE_FORM, "reason": "a\x00b"}, expect=422)
page("form-leave-unknown-member", "/members/nobody/leave", LEAVE_FORM, expect=(404, 422))
page("form-conflict-no-party", "/members/member-b/conflicts", {"party_name": "  ", "reason": "r"}, expect=422)
page(
    "form-conflict-kind-unknown",
    "/members/member-b/conflicts",
    {"party_name": "X AS", "kind": "mild", "reason": "r"},
    expect=422,
)
page(
    "form-conflict-name-too-long",
    "/members/member-b/conflicts",
    {"party_name": "x" * 301, "reason": "r"},
    expect=422,
)
page("form-value-id-superscript", "/members/member-b/values/²/remove", {}, expect=422)
page("form-value-id-unknown", "/members/member-b/values/999/remove", {}, expect=422)
page("form-leave-without-csrf", "/members/member-b/leave", {**LEAVE_FORM, "csrf_token": ""}, expect=403)


# ---- the NCPs of a case (issue 16) ----------------------------------------------------------------

NCP = ("case", "ncp")
cli("ncp-lead-none", *NCP, "lead", "@REF@", "--actor", "a", words=("NCP",))
cli("ncp-lead-three", *NCP, "lead", "@REF@", "NO", "SE", "DK", "--actor", "a", words=("NCP",))
cli("ncp-lead-not-a-country", *NCP, "lead", "@REF@", "ZZ", "--actor", "a", words=("NCP", "ZZ"))
cli("ncp-lead-escape", *NCP, "lead", "@REF@", ESC, "--actor", "a", why="terminal escapes never echoed raw")
cli("ncp-lead-own-already", *NCP, "lead", "@REF@", "NO", "--actor", "a", words=("already leads",))
cli("ncp-add-role-unknown", *NCP, "add", "@REF@", "SE", "--role", "judge", "--actor", "a", words=("--role",))
cli("ncp-add-sql", *NCP, "add", "@REF@", SQL, "--role", "consulted", "--actor", "a")
cli("ncp-add-the-lead", *NCP, "add", "@REF@", "NO", "--role", "consulted", "--actor", "a", words=("leads",))
cli("ncp-remove-not-supporting", *NCP, "remove", "@REF@", "SE", "--actor", "a", words=("does not support",))
cli("ncp-transfer-reason-blank", *NCP, "transfer", "@REF@", "--to", "SE", "--reason", " ", "--actor", "a")
cli(
    "ncp-transfer-keep-unknown",
    *NCP,
    "transfer",
    "@REF@",
    "--to",
    "SE",
    "--reason",
    "r",
    "--keep-as",
    "x",
    "--actor",
    "a",
)
cli("ncp-prefer-huge-note", *NCP, "prefer", "@REF@", "SE", "--note", HUGE, "--actor", "a")
cli("ncp-coordinate-2200", *NCP, "coordinate", "@REF@", "--on", "2200-01-01", "--actor", "a")
cli("ncp-review-request-no-draft", *NCP, "review-request", "@REF@", "--statement", "9", "--actor", "a")
cli("ncp-review-request-zero", *NCP, "review-request", "@REF@", "--statement", "0", "--actor", "a")
cli(
    "ncp-review-no-task",
    *NCP,
    "review",
    "@REF@",
    "SE",
    "--comment",
    "c",
    "--actor",
    "a",
    words=("no open review",),
)
cli("ncp-review-comment-nul", *NCP, "review", "@REF@", "SE", "--comment", "a\x00b", "--actor", "a")
cli("ncp-show-unknown-case", *NCP, "show", "NCP-2099-999", expect=4, storage=False)
api("api-ncp-lead-empty", "/api/cases/@REF@/ncps/lead", {"lead": []})
api("api-ncp-lead-not-list", "/api/cases/@REF@/ncps/lead", {"lead": "NO"})
api("api-ncp-lead-extra-key", "/api/cases/@REF@/ncps/lead", {"lead": ["SE"], "admin": True})
api("api-ncp-supporting-role-null", "/api/cases/@REF@/ncps/supporting", {"ncp": "SE", "role": None})
api("api-ncp-transfer-deep", "/api/cases/@REF@/ncps/transfer", DEEP_JSON.encode(), expect=(400, 413, 422))
api("api-ncp-review-statement-huge", "/api/cases/@REF@/ncps/reviews", {"statement": 10**30})
api("api-ncp-review-comment-huge", "/api/cases/@REF@/ncps/reviews/answer", {"ncp": "SE", "comment": HUGE})
page("form-ncp-lead-not-codes", "/cases/@REF@/ncps/lead", {"lead": "Norway"})
page("form-ncp-supporting-nul", "/cases/@REF@/ncps/supporting", {"ncp": "S\x00E", "role": "consulted"})
page("form-ncp-transfer-no-reason", "/cases/@REF@/ncps/transfer", {"to": "SE", "reason": ""})
page("form-ncp-review-statement-text", "/cases/@REF@/ncps/reviews", {"statement": "first"})
page("form-ncp-role-unknown", "/cases/@REF@/ncps/role", {"ncp": "SE", "role": "boss"})

# ---- stage checklists (issue 17) -----------------------------------------------------------------
cli("tick-unknown-item", "case", "tick", "@REF@", "ia_nonsense", "--actor", "a", words=("on no checklist",))
cli("tick-item-nul", "case", "tick", "@REF@", "ia\x00law", "--actor", "a")
cli("tick-item-huge", "case", "tick", "@REF@", HUGE, "--actor", "a")
cli("tick-blank-actor", "case", "tick", "@REF@", "ia_law", "--actor", " ")
cli("untick-never-ticked", "case", "untick", "@REF@", "ia_law", "--actor", "a", expect=1)
cli("checklist-unknown-case", "case", "checklist", "NCP-2099-999", expect=4, storage=False)
cli(
    "tick-at-empty",
    "case",
    "tick",
    "@REF@",
    "ia_law",
    "--actor",
    "a",
    "--at",
    "",
    why="an empty date is not 'now'",
)
cli(
    "tick-at-year-999",
    "case",
    "tick",
    "@REF@",
    "ia_law",
    "--actor",
    "a",
    "--at",
    "0999-06-01",
    words=("--at",),
)
cli(
    "tick-at-far-future",
    "case",
    "tick",
    "@REF@",
    "ia_law",
    "--actor",
    "a",
    "--at",
    "9999-12-31T23:59:59+00:00",
)
cli("tick-at-huge", "case", "tick", "@REF@", "ia_law", "--actor", "a", "--at", HUGE)
cli(
    "untick-at-garbage",
    "case",
    "untick",
    "@REF@",
    "ia_law",
    "--actor",
    "a",
    "--at",
    "2025-1-1",
    words=("--at",),
)
api("api-tick-unknown-item", "/api/cases/@REF@/checklist/ia_nonsense/tick")
api("api-tick-item-huge", "/api/cases/@REF@/checklist/" + "x" * 300 + "/tick")
api("api-untick-never-ticked", "/api/cases/@REF@/checklist/ia_law/untick", expect=409)
page("form-tick-unknown-item", "/cases/@REF@/checklist/ia_nonsense/tick", {})
page("form-untick-never-ticked", "/cases/@REF@/checklist/ia_law/untick", {}, expect=409)
cli("tick-other-stage-item", "case", "tick", "@REF@", "go_offer_sent", "--actor", "a", words=("offices",))
cli("tick-item-escapes", "case", "tick", "@REF@", ESC, "--actor", "a", check="no_raw_escape")
api("api-tick-as-auditor", "/api/cases/@REF@/checklist/ia_law/tick", role="auditor", expect=403)
api("api-tick-no-credentials", "/api/cases/@REF@/checklist/ia_law/tick", role="nobody", expect=401)
api("api-tick-unknown-case", "/api/cases/NCP-2099-999/checklist/ia_law/tick", expect=404)
page("form-tick-other-stage-item", "/cases/@REF@/checklist/go_offer_sent/tick", {})
page("form-tick-item-huge", "/cases/@REF@/checklist/" + "x" * 5000 + "/tick", {})

# ---- precedents (issue 17) ---------------------------------------------------------------------
cli("similar-unknown-case", "case", "similar", "NCP-2099-999", expect=4, storage=False)
cli("similar-limit-zero", "case", "similar", "@REF@", "--limit", "0", storage=False)
cli("similar-limit-huge", "case", "similar", "@REF@", "--limit", "9" * 30, storage=False)
query("api-similar-limit-zero", "/api/cases/@REF@/similar?limit=0")
query("api-similar-limit-huge", "/api/cases/@REF@/similar?limit=" + "9" * 30)
query("api-similar-limit-text", "/api/cases/@REF@/similar?limit=ten")
query("api-similar-unknown-case", "/api/cases/NCP-2099-999/similar", expect=404)
