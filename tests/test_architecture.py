"""The layer rules of DESIGN.md, checked by reading every module's imports."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"states", "storage", "notifications", "workflow", "ncpflow", "translations"}
FRAMEWORKS = {
    "sqlmodel",
    "sqlalchemy",
    "jinja2",
    "apscheduler",
    "structlog",
    "typer",
    "fastapi",
    "rich",
    "alembic",
    "psycopg",
    "pydantic",
    "babel",
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", modules("states"), ids=lambda p: p.name)
def test_states_imports_nothing_of_ours_and_no_framework(path: Path) -> None:
    """The core is pure: no outer layer, no I/O framework; transitions only in machine.py."""
    found = imports(path)
    assert not found & (OURS - {"states"})
    assert not found & FRAMEWORKS
    if path.name != "machine.py":
        assert "transitions" not in found


@pytest.mark.parametrize(
    "path", modules("storage") + modules("notifications"), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_adapters_import_only_the_core(path: Path) -> None:
    """storage/ and notifications/ know states/ (and the catalogue), not each other or the use cases."""
    assert not imports(path) & (OURS - {"states", "translations", path.relative_to(ROOT).parts[0]})


@pytest.mark.parametrize("path", modules("workflow"), ids=lambda p: p.name)
def test_only_bootstrap_wires_the_adapters(path: Path) -> None:
    """workflow/ reaches storage/ and notifications/ through bootstrap.py alone."""
    adapters = imports(path) & {"storage", "notifications"}
    assert path.name == "bootstrap.py" or not adapters
    assert "ncpflow" not in imports(path)


@pytest.mark.parametrize("path", modules("ncpflow"), ids=lambda p: p.name)
def test_entry_points_go_through_workflow(path: Path) -> None:
    """ncpflow/ never touches the adapters directly."""
    assert not imports(path) & {"storage", "notifications"}


def _lint_states(tree: Path) -> subprocess.CompletedProcess[str]:
    """Run pyproject's transitions contract with import-linter over the states/ copied into tree."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c["name"] == "only states.machine imports transitions"
    )
    lines = [
        "[tool.importlinter]",
        'root_packages = ["states"]',
        "include_external_packages = true",
        "[[tool.importlinter.contracts]]",
    ]
    lines += [f"{key} = {json.dumps(value)}" for key, value in contract.items()]
    (tree / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.slow
def test_transitions_contract_covers_a_states_module_added_later(tmp_path: Path) -> None:
    """import-linter refuses a new states module importing transitions, and keeps states.machine's."""
    shutil.copytree(ROOT / "states", tmp_path / "states", ignore=shutil.ignore_patterns("__pycache__"))
    kept = _lint_states(tmp_path)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    (tmp_path / "states" / "newcomer.py").write_text("import transitions\n", encoding="utf-8")
    broken = _lint_states(tmp_path)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "states.newcomer -> transitions" in broken.stdout


def test_mypy_is_strict_for_every_package_make_lint_checks() -> None:
    """strict is set for all (not in an override, where mypy misreads it) and make lint checks all five."""
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert mypy.get("strict") is True
    # An override may only excuse a third-party package without types; none loosens our code.
    assert all(o.keys() == {"module", "ignore_missing_imports"} for o in mypy.get("overrides", []))
    mypy_line = next(
        line for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines() if "/mypy " in line
    )
    assert set(mypy_line.split()[1:]) >= OURS


def test_ci_measures_branch_coverage_of_every_package_and_holds_a_floor() -> None:
    """.ci/run runs `make test` with coverage; branches of all six packages count; a floor is set."""
    coverage = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["coverage"]
    assert coverage["run"]["branch"] is True
    assert set(coverage["run"]["source"]) == OURS
    assert coverage["report"]["fail_under"] >= 90
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nCOVERAGE ?= 1\n" in makefile  # the README's `make test` measures it by default
    assert "$(if $(COVERAGE),--cov" in makefile.split("\ntest:", 1)[1].split("\n\n")[0]


# What ncpflow/ may take from workflow/ besides the application. Use cases are called only
# through `workflow.application.Application` (bootstrap builds it); what stays is wiring,
# input parsing and values, and what needs no database.
ENTRY_POINT_IMPORTS: dict[str, set[str]] = {
    "workflow.application": {"Application"},
    "workflow.bootstrap": {"bootstrap", "initialise", "Network"},  # the composition root; `init`; a network
    "workflow.config": {"Settings", "load_settings", "ConfigError"},  # config.toml
    "workflow.logging": {"configure", "configure_on_first_use", "get_logger"},
    "workflow.inputs": {"parse_when", "parse_day", "org_number_pairs"},  # input parsers
    # One input model per command, shared by the CLI, the API bodies and the page forms:
    "workflow.commands": {
        "Command",
        "C",
        "validate",
        # The NCPs of a case (issue 16).
        "SetLead",
        "SupportingNcp",
        "RemoveSupporting",
        "TransferLead",
        "PreferLead",
        "BeginCoordination",
        "RequestReview",
        "RecordReview",
        "ShareCase",  # case share, POST /api/cases/{ref}/bundles, the sharing page
        "problems",
        "describe",
        "OpenCase",
        "EditCase",
        "AdvanceCase",
        "PauseCase",
        "ResumeCase",
        "ExtendDeadline",
        "RecordFact",
        "ReassignLead",
        "RecuseLead",
        "AddUser",
        "MigrateCase",
        "AddIssue",
        "DecideIssue",
        "ConcludeIssue",
        "PARTIES_MAX",  # the new-case form: at most so many party rows
        "refusals",  # the new-case form: a refusal as (field, message) pairs
        "AddLeave",
        "AddConflict",
        "ReportYear",  # the report pages' choosers
        "ReportPeriod",
        "Refused",  # validate's refusal, worded by the page
        "MakeCalendarFeed",
        "FindCases",  # the cases page and GET /api/cases/search
        "AddNote",  # `note add`, the API and the case page's note form
        "MarkChecklist",  # `case tick|untick --at`
        "ReadTimeline",  # the case's story: the API's query and the case page's filters
        "JournalFilter",  # `journal export --from --to --public`, the journal pages' filters
        "AddDocument",  # doc add, POST /api/cases/{ref}/documents, the documents page
        "AddParty",  # a case's parties and contacts (party ..., the API, the parties page)
        "ChangeParty",
        "AddContact",
        "ChangeContact",
        "RemoveContact",
        "LogCorrespondence",  # the correspondence log
        "AddCommitment",  # the follow-up of commitments
        "SetCommitmentStatus",
        "RequestUpdate",
        "DraftLetter",  # letters: draft, edit, send
        "EditLetter",
        "SendLetter",
        "AddMediator",  # external mediators: the register, assignment, sessions
        "ChangeMediator",
        "AssignMediator",
        "UnassignMediator",
        "RecordSession",
        "IssuePartyLink",  # link issue, POST /api/cases/{ref}/links, the parties page
        "DraftStatement",  # statements: draft, circulate, comment, publish
        "CirculateStatement",
        "LogComment",
        "PublishStatement",
        "RegisterFilter",  # the public register's filters
        "InviteEnterprise",  # company engagement: invite, respond, concern
        "RecordResponse",
        "RaiseConcern",
        "LinkCase",  # related cases: case link|unlink, /api/cases/{ref}/related, the case's page
        "UnlinkCase",
        "LinkNumber",
    },
    "workflow.cases": {"PartyInput"},  # an input value
    "workflow.users": {"NewUser", "token_hash"},  # a result type; the token cache's key
    "workflow.signin": {"SESSION_LIFETIME", "SignIn", "Attempt", "Outcome"},  # types
    "workflow.files": {"beside_database", "resolve", "kept_secret"},  # the web's session key file
    # a link refused; the party's view; a link as listed, and its address
    "workflow.party_links": {"LinkRefusedError", "PartyView", "link_view", "link_url", "COMMENT", "NO_DRAFT"},
    "workflow.views": {"ForbiddenError", "may_advance"},  # the refusal and the pages' guard
    "workflow.queries": {"next_due"},  # pure, on a case already read
    # The read models: the types the API declares and the pages read, and their JSON (--json).
    "workflow.read_models": {
        "json_of",
        "Case",
        "CasePage",
        "AuditEntry",
        "AuditPage",
        "Triggers",
        "CaseIssues",
        "ImportReport",
        "TimelinesReport",
        "AnnualReport",
        "OecdRow",
        "UserListed",
        "RotationReport",
        "CalendarView",
        "CalendarFeed",
        "CaseHits",
        "CaseNotes",
        "Note",
        "Timeline",
        "Journal",
        "CaseDocuments",
        "CaseDocument",
        "CaseParties",
        "CaseCorrespondence",
        "CorrespondenceEntry",
        "CaseLinks",  # related cases
        "RelatedCase",
        "CaseChecklist",  # stage checklists
        "Precedents",  # similar past cases (GET /api/cases/{ref}/similar, the case page)
        "Precedent",
        "CaseBundles",  # bundles between NCPs (GET /api/cases/{ref}/bundles)
        "BundleReceipt",  # POST /api/bundles
        "CaseEngagement",  # company engagement and its report
        "EngagementInvitation",
        "GoodFaithConcern",
        "EngagementReport",
        "CaseLetters",
        "CaseLetter",
        "MediatorView",  # the register of mediators, a case's mediation
        "Mediation",
        "CasePartyLinks",
        "PartyLink",
        "CaseStatements",
        "CaseCommitments",  # the follow-up of commitments
        "Commitment",
        "UpdateRequest",
        "FollowUpReport",
        "FollowUpRow",
        "CaseNcpsView",  # the NCPs of a case
    },
    "workflow.scheduler": {"run", "background", "run_network", "background_network"},  # the jobs
    "workflow.demo": {"load_demo"},  # `init --demo`
    # Keys and files outside the database (keygen, public key, offline verify --file):
    "workflow.audit": {"keygen", "require_signer", "trusted_keys", "checkpoint_path", "SIGNING_KEY_ENV"},
    "workflow.export_files": {"verify_file", "FileStatus"},
    "workflow.exports": {"EXPORT_FIELDS"},
    "workflow.versions": {"check_file"},  # a definition file checked without a database
    "workflow.imports": {"read_file"},  # the import file, read before the application runs
    # An upload read as it arrives into the spool the use case takes (size checked meanwhile);
    # a document opened, streamed by the download.
    "workflow.documents": {"Spooler", "Spooled", "OpenDocument"},
    # An evidence file (a spool or an open file) handed to the follow-up's status.
    "workflow.follow_up": {"Evidence"},
    # A review comment handed to `case share` (a value, like Evidence).
    "workflow.bundles": {"Review"},
}


def _workflow_names(tree: ast.AST) -> set[tuple[str, str]]:
    """(module, name) of everything a module takes from workflow/, attributes of an imported
    workflow module included (`from workflow import audit` ... `audit.keygen`)."""
    used: set[tuple[str, str]] = set()
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "workflow":
                    used.add((alias.name, "*"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "workflow":
                for alias in node.names:
                    aliases[alias.asname or alias.name] = f"workflow.{alias.name}"
            elif node.module.startswith("workflow."):
                used.update((node.module, alias.name) for alias in node.names)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            used.add((aliases[node.value.id], node.attr))
    return used


@pytest.mark.parametrize("path", modules("ncpflow"), ids=lambda p: p.name)
def test_entry_points_call_use_cases_only_through_the_application(path: Path) -> None:
    """ncpflow/ passes no `uow=`/`clock=`, builds no Notices, and takes from workflow/ only
    the application and the few things listed in ENTRY_POINT_IMPORTS."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            wired = {k.arg for k in node.keywords} & {"uow", "clock", "notices"}
            assert not wired, f"{path.name}:{node.lineno} passes {sorted(wired)}"
        name = (
            node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        )
        assert name != "Notices", f"{path.name}:{getattr(node, 'lineno', '?')} builds Notices"
    stray = {
        (module, name)
        for module, name in _workflow_names(tree)
        if name not in ENTRY_POINT_IMPORTS.get(module, set())
    }
    assert not stray, f"{path.name} reaches past the application: {sorted(stray)}"
