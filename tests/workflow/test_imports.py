"""`case import`: thirty historical cases (tests/data/historical_cases.jsonl, modelled on
published specific instances of the Norwegian NCP, dates to the day or only to the month) come
in whole, or not at all; the timeline report's figures match those worked out here from the
file's dates with plain arithmetic; importing again changes nothing."""

from __future__ import annotations

import itertools
import json
import statistics
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from states import records
from states.errors import ImportConflictError, ImportRefusedError
from tests.dbdump import dump
from tests.helpers import open_one
from workflow import audit, reports
from workflow.bootstrap import Services
from workflow.imports import import_cases

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "data" / "historical_cases.jsonl"
TEXT = FIXTURE.read_text(encoding="utf-8")
CASES = [json.loads(line) for line in TEXT.splitlines()]
AS_OF = date(2025, 6, 2)  # the fixed clock's day (tests/conftest.py)
STAGES = ("initial_assessment", "good_offices", "examination", "final_statement", "procedure")


def run(
    services: Services, text: str = TEXT, *, dry_run: bool = False, source: str = "historical_cases.jsonl"
) -> Any:
    return import_cases(
        uow=services.uow,
        clock=services.clock,
        settings=services.settings,
        text=text,
        actor="importer",
        source=source,
        dry_run=dry_run,
    )


def with_bad_line_17() -> str:
    """The fixture with line 17's case concluded before it was ever accepted."""
    lines = TEXT.splitlines()
    bad = json.loads(lines[16])
    bad["milestones"] = [
        bad["milestones"][0],
        {"trigger": "conclude", "date": "2017-01", "outcome": "agreement"},
    ]
    lines[16] = json.dumps(bad)
    return "\n".join(lines) + "\n"


def first_day(text: str) -> date:
    """`2019-03-14` is that day; `2007-02` counts from the first of the month."""
    year, month, *day = (int(part) for part in text.split("-"))
    return date(year, month, day[0] if day else 1)


def is_month(text: str) -> bool:
    return len(text) == 7


def windows(case: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    """Each stage's first and last date, from the file: (start, end or None while open)."""
    on = {m["trigger"]: m["date"] for m in case["milestones"]}
    received = case["received"]
    decided = next((on[t] for t in ("accept", "reject", "withdraw") if t in on), None)
    statement = next((on[t] for t in ("reject", "conclude", "withdraw") if t in on), None)
    published = next((on[t] for t in ("publish", "close") if t in on), None)
    found: dict[str, tuple[str, str | None]] = {"initial_assessment": (received, decided)}
    if "accept" in on:
        found["good_offices"] = (on["accept"], on.get("examine") or on.get("conclude"))
    if "examine" in on:
        found["examination"] = (on["examine"], on["conclude"])
    if statement is not None:
        found["final_statement"] = (statement, published)
    found["procedure"] = (received, published)
    return found


def by_hand(include_approximate: bool) -> dict[str, dict[str, Any]]:
    """Per stage: finished, open, approximate, and the median of the days used."""
    days: dict[str, list[int]] = {stage: [] for stage in STAGES}
    counts = {stage: {"finished": 0, "open": 0, "approximate": 0} for stage in STAGES}
    for case in CASES:
        for stage, (start, end) in windows(case).items():
            if end is None:
                counts[stage]["open"] += 1
                continue
            counts[stage]["finished"] += 1
            approximate = is_month(start) or is_month(end)
            counts[stage]["approximate"] += approximate
            if include_approximate or not approximate:
                days[stage].append((first_day(end) - first_day(start)).days)
    return {
        stage: {
            **counts[stage],
            "median_days": float(statistics.median(days[stage])) if days[stage] else None,
        }
        for stage in STAGES
    }


def test_the_fixture_holds_thirty_cases_with_day_and_month_dates_that_need_no_shifting() -> None:
    """At least 30 cases, both precisions, and each month-only date in a later month than the
    date before it (so counting from the month's first day is all the report does)."""
    assert len(CASES) >= 30
    dates = [[c["received"], *(m["date"] for m in c["milestones"])] for c in CASES]
    flat = [d for each in dates for d in each]
    assert any(map(is_month, flat)) and not all(map(is_month, flat))
    for each in dates:
        for before, after in itertools.pairwise(each):
            if is_month(after):
                assert after[:7] > before[:7], (before, after)


def test_thirty_historical_cases_import_and_the_timelines_match_figures_worked_by_hand(
    services: Services,
) -> None:
    """Every line becomes a case; the report's counts and medians per stage are the hand's,
    leaving out approximate day counts unless asked to count them."""
    result = run(services)
    assert (result.created, result.unchanged) == (30, 0)
    for include in (False, True):
        report = reports.timelines(
            uow=services.uow, clock=services.clock, settings=services.settings, include_approximate=include
        )
        assert report["cases"] == 30 and report["approximate_included"] is include
        expected = by_hand(include)
        for stage in STAGES:
            total = report["totals"][stage]
            got = {key: total[key] for key in ("finished", "open", "approximate", "median_days")}
            assert got == expected[stage], (stage, include)
    assert by_hand(True) != by_hand(False)  # the month-only dates do change a median


def test_month_only_dates_are_shown_as_months_and_their_day_counts_are_approximate(
    services: Services,
) -> None:
    """The report never invents a day: `1999-05` stays `1999-05`; its rows are approximate."""
    result = run(services)
    first = next(line.reference for line in result.lines if line.external_id == "NO-1999-01")
    report = reports.timelines(uow=services.uow, clock=services.clock, settings=services.settings)
    rows = [row for row in report["stages"] if row["reference"] == first]
    assert rows[0]["start"] == "1999-05" and rows[0]["end"] == "2000-02" and rows[0]["approximate"]
    day_only = [row for row in report["stages"] if row["start"] == "2012-02-06"]
    assert day_only and not any(row["approximate"] for row in day_only)
    oecd = {row["reference"]: row for row in reports.oecd(uow=services.uow, settings=services.settings)}
    assert (oecd[first]["date_received"], oecd[first]["date_concluded"]) == ("1999-05", "2000-02")
    annual = reports.annual(uow=services.uow, clock=services.clock, settings=services.settings, year=2000)
    assert annual["median_days_to_initial_assessment"] is None
    counted = reports.annual(
        uow=services.uow,
        clock=services.clock,
        settings=services.settings,
        year=2000,
        include_approximate=True,
    )
    assert counted["median_days_to_initial_assessment"] == (date(2000, 2, 1) - date(1999, 5, 1)).days


def test_importing_again_changes_nothing_and_says_so(services: Services, database_url: str) -> None:
    """A second import of the same file: 0 created, 30 unchanged, not one row written."""
    run(services)
    before = dump(database_url)
    again = run(services, "\n".join(json.dumps(c, sort_keys=True) for c in CASES))  # other spelling
    assert (again.created, again.unchanged) == (0, 30)
    assert {line.status for line in again.lines} == {"unchanged"}
    assert dump(database_url) == before


def test_a_file_with_one_bad_line_imports_nothing_and_names_the_line(
    services: Services, database_url: str
) -> None:
    """Line 17 concludes a case that was never accepted: the file is refused naming line 17
    and the milestone, and nothing is written."""
    before = dump(database_url)
    with pytest.raises(ImportRefusedError) as refused:
        run(services, with_bad_line_17())
    assert [line for line, _ in refused.value.problems] == [17]
    message = str(refused.value)
    assert "line 17: milestones[1] (conclude)" in message and "nothing imported" in message
    assert dump(database_url) == before


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"received": "2007-13"}, "received '2007-13' is not a date (YYYY-MM-DD) or a month (YYYY-MM)"),
        ({"received": "1975-12"}, "received"),
        ({"received": "2030-01-05", "milestones": []}, "received 2030-01-05 is in the future"),
        (
            {"milestones": [{"trigger": "begin_assessment", "date": "1998-01"}]},
            "milestones[0].date 1998-01 is before",
        ),
        (
            {"milestones": [{"trigger": "begin", "date": "2000-01"}]},
            "milestones[0].trigger: unknown trigger 'begin'",
        ),
        ({"parties": [{"role": "submitter", "name": "Kari"}]}, "parties needs at least 2 value(s)"),
        ({"title": ""}, "title is required"),
        ({"colour": "red"}, "colour is not an input of this command"),
        ({"received": 2007}, "received must be text: a date (YYYY-MM-DD) or a month (YYYY-MM)"),
        (
            {"issues": [{"title": "X", "chapters": ["environment"], "accepted": True, "decided": "1999-01"}]},
            "issues[0].decided 1999-01 is before received 1999-05",
        ),
        (
            {
                "issues": [
                    {
                        "title": "X",
                        "chapters": ["environment"],
                        "accepted": True,
                        "result": "agreement",
                        "concluded": "1999-05",
                    }
                ]
            },
            "issues[0].concluded 1999-05 is before issues[0].decided 2000-02",
        ),
        (
            {
                "issues": [
                    {"title": "X", "chapters": ["environment"], "accepted": False, "concluded": "2000-05"}
                ]
            },
            "issues[0]: concluded goes with a result",
        ),
        (
            {
                "parties": [
                    {"role": "submitter", "name": "K", "type": "robot"},
                    {"role": "enterprise", "name": "E"},
                ]
            },
            "parties[0]: unknown submitter type 'robot'",
        ),
        (
            {
                "parties": [
                    {"role": "submitter", "name": "K"},
                    {"role": "enterprise", "name": "E", "confidential": True},
                ]
            },
            "parties[1]: only a submitter's identity can be confidential",
        ),
        (
            {
                "issues": [
                    {"title": "Remedy", "chapters": ["environment"], "accepted": False, "result": "agreement"}
                ]
            },
            "issues[0]: an issue that was not accepted has no result",
        ),
        (
            {
                "parties": [
                    {"role": "submitter", "name": "K", "type": "ngo"},
                    {"role": "enterprise", "name": ""},
                ]
            },
            "parties[1].name is required",
        ),
    ],
)
def test_a_bad_line_is_named_with_the_key_at_fault(
    services: Services, change: dict[str, Any], named: str
) -> None:
    """Each problem names the line and the key as the file spells it."""
    line = {**CASES[0], **change}
    with pytest.raises(ImportRefusedError) as refused:
        run(services, TEXT + json.dumps(line).replace("NO-1999-01", "NO-X") + "\n")
    assert "line 31: " in str(refused.value) and named in str(refused.value)


def test_not_json_and_a_repeated_external_id_are_refused_by_line(services: Services) -> None:
    """A line that is not JSON, and a second line with an external id already used."""
    with pytest.raises(ImportRefusedError) as refused:
        run(services, TEXT.splitlines()[0] + "\n{oops\n" + TEXT.splitlines()[0] + "\n")
    lines = [line for line, _ in refused.value.problems]
    assert lines == [2, 3]
    assert "external_id 'NO-1999-01' is on line 1 too" in str(refused.value)


def test_other_content_under_an_imported_external_id_is_a_conflict(
    services: Services, database_url: str
) -> None:
    """Same id, another title: refused as a conflict naming the line and the case; nothing written."""
    run(services)
    before = dump(database_url)
    changed = [dict(case) for case in CASES]
    changed[4]["title"] = "Another title"
    with pytest.raises(ImportConflictError) as conflict:
        run(services, "\n".join(json.dumps(c) for c in changed))
    assert "line 5: external_id 'NO-2006-05' was imported before as NCP-2006-001" in str(conflict.value)
    assert dump(database_url) == before


def test_a_dry_run_writes_nothing_and_says_what_would_be_created(
    services: Services, database_url: str
) -> None:
    """`--dry-run`: 30 would be created, with their states; no row changes."""
    before = dump(database_url)
    result = run(services, dry_run=True)
    assert result.dry_run and (result.created, result.unchanged) == (30, 0)
    states = {line.external_id: line.state for line in result.lines}
    assert states["NO-2023-28"] == "good_offices" and states["NO-1999-01"] == "closed"
    assert dump(database_url) == before


def test_each_imported_step_is_an_audit_entry_marked_imported_and_the_chain_verifies(
    services: Services,
) -> None:
    """One entry per case, milestone and issue step, each naming the importer, source, line
    and the date with its precision; the chain verifies."""
    run(services)
    entries = audit.audit_entries(uow=services.uow)
    issue_steps = sum(2 + ("result" in i) for c in CASES for i in c.get("issues", ()))
    assert len(entries) == sum(1 + len(c["milestones"]) for c in CASES) + issue_steps
    kinds = (
        records.Opened
        | records.Transitioned
        | records.IssueAdded
        | records.IssueDecided
        | records.IssueConcluded
    )
    for entry in entries:
        record = records.read(entry)
        assert isinstance(record, kinds)
        assert record.imported is not None and entry.actor == "importer"
        assert record.imported.source == "historical_cases.jsonl"
    first = records.read(entries[0])
    assert isinstance(first, records.Opened) and first.imported is not None
    assert (first.imported.line, first.imported.date, first.imported.precision) == (1, "1999-05", "month")
    assert first.imported.sources == tuple(CASES[0]["sources"])
    assert audit.verify_chain(uow=services.uow).ok


def test_kept_references_stay_and_are_never_handed_out_again(services: Services) -> None:
    """A line's own reference is kept; a case opened later for that year gets a later number."""
    result = run(services)
    references = {line.external_id: line.reference for line in result.lines}
    assert references["NO-2019-21"] == "NCP-2019-021" and references["NO-2019-22"] == "NCP-2019-022"
    assert open_one(services, received=date(2019, 12, 1)) == "NCP-2019-023"


def test_an_imported_open_case_sends_nothing_for_its_past_deadlines(services: Services) -> None:
    """Rungs that fell before the import are settled without mail; a later overdue rung fires."""
    from workflow.alerts import sweep

    run(services)
    assert (
        sweep(uow=services.uow, clock=services.clock, settings=services.settings, render=services.render)
        == []
    )
    services.clock.advance(days=8)  # type: ignore[attr-defined]
    later = sweep(uow=services.uow, clock=services.clock, settings=services.settings, render=services.render)
    assert later and all(alert["rung"].startswith("overdue") for alert in later)


def test_the_import_refuses_an_actor_who_may_not_import(services: Services) -> None:
    """An actor who is a user without the action (a handler) is refused; an admin may."""
    from states.permissions import PermissionDeniedError
    from workflow.users import add_user

    add_user(uow=services.uow, clock=services.clock, name="hanna", role="handler", actor="root")
    with pytest.raises(PermissionDeniedError, match="may not import past cases"):
        import_cases(
            uow=services.uow,
            clock=services.clock,
            settings=services.settings,
            text=TEXT,
            actor="hanna",
            source="f",
        )


def test_the_documented_schema_and_example_are_the_models() -> None:
    """docs/import-format.schema.json is the model's JSON Schema; the document's example line
    fits the model."""
    from workflow.import_format import SCHEMA_FILE, CaseLine, json_schema

    assert SCHEMA_FILE.read_text(encoding="utf-8") == json_schema()
    document = (ROOT / "docs" / "import-format.md").read_text(encoding="utf-8")
    example = document.split("```json\n", 1)[1].split("\n```", 1)[0]
    line = CaseLine.model_validate_json(example)
    assert str(line.received) == "2011-08" and line.milestones[2].date.approximate


def test_the_documented_example_imports(services: Services) -> None:
    """The document's example line comes in as a closed case under its own reference."""
    document = (ROOT / "docs" / "import-format.md").read_text(encoding="utf-8")
    example = document.split("```json\n", 1)[1].split("\n```", 1)[0]
    result = run(services, example)
    assert [(line.reference, line.state) for line in result.lines] == [("NCP-2011-009", "closed")]


def test_a_reference_kept_on_a_later_line_is_not_allocated_to_an_earlier_one(services: Services) -> None:
    """Line 1 has no reference, line 2 keeps NCP-2019-001: line 1 gets the next number."""
    first, second = (dict(CASES[20]), dict(CASES[21]))
    second["reference"] = "NCP-2019-001"
    first.pop("reference", None)
    result = run(services, json.dumps(first) + "\n" + json.dumps(second))
    assert [line.reference for line in result.lines] == ["NCP-2019-002", "NCP-2019-001"]


def test_a_file_of_more_cases_than_one_import_takes_is_refused(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the limit of cases a file may hold, the first line too many is named."""
    monkeypatch.setattr("workflow.imports.LINES_MAX", 2)
    with pytest.raises(ImportRefusedError) as refused:
        run(services)
    assert "line 3: more than 2 cases in one file" in str(refused.value)


def test_an_accepted_case_with_issues_not_accepted_gets_a_scope_naming_them(services: Services) -> None:
    """No scope given at `accept`: it lists the accepted and the refused issues."""
    case = dict(CASES[8])  # partially accepted
    case["milestones"] = [dict(m) for m in case["milestones"]]
    del case["milestones"][1]["scope"]
    result = run(services, json.dumps(case))
    steps = [
        records.read(e) for e in audit.audit_entries(uow=services.uow, case_ref=result.lines[0].reference)
    ]
    accept = next(r for r in steps if isinstance(r, records.Transitioned) and r.trigger == "accept")
    assert isinstance(accept, records.Transitioned)
    assert accept.scope == (
        "accepted: Consultation with affected communities; not accepted: Remediation of past harm"
    )


def test_a_reference_in_another_form_is_kept_and_one_already_taken_is_a_conflict(services: Services) -> None:
    """`NO.2011.9` is kept as it is; keeping a reference another case has refuses the file."""
    taken = open_one(services, received=date(2019, 12, 1))
    first, second = dict(CASES[8]), dict(CASES[9])
    first["reference"], second["reference"] = "NO.2011.9", taken
    with pytest.raises(ImportConflictError) as conflict:
        run(services, json.dumps(first) + "\n" + json.dumps(second))
    assert f"line 2: reference '{taken}' is another case's already" in str(conflict.value)
    result = run(services, json.dumps(first))
    assert [line.reference for line in result.lines] == ["NO.2011.9"]


def test_the_import_settles_only_its_own_cases_alerts(services: Services) -> None:
    """A case opened here, overdue, still gets its alert on the sweep after an import."""
    from workflow.alerts import sweep

    mine = open_one(services, received=date(2025, 1, 6))
    run(services)
    fired = sweep(uow=services.uow, clock=services.clock, settings=services.settings, render=services.render)
    assert fired and {alert["case"] for alert in fired} == {mine}


def test_issues_come_in_as_the_cases_issues_dated_by_their_milestones(services: Services) -> None:
    """A partially accepted case: issue 1 accepted at `accept` with its result at `conclude`,
    issue 2 not accepted; the reports count the case as partially accepted."""
    from workflow.queries import case_issues

    result = run(services)
    line = next(line for line in result.lines if line.external_id == "NO-2011-09")
    assert line.reference is not None
    shown = case_issues(uow=services.uow, reference=line.reference)
    issues = [(i.number, i.decision, i.decided_on, i.outcome, i.outcome_on) for i in shown.issues]
    assert issues == [
        (1, "accepted", "2012-03-19", "agreement", "2013-02-11"),
        (2, "not_accepted", "2012-03-19", None, None),
    ]
    oecd = {row["reference"]: row for row in reports.oecd(uow=services.uow, settings=services.settings)}
    assert oecd[line.reference]["partially_accepted"] is True
    month = next(line.reference for line in result.lines if line.external_id == "NO-2017-18")
    assert [i["decided_on"] for i in oecd[month]["issues"]] == ["2017-12-04", "2017-12-04"]


def test_an_issue_dated_only_to_the_month_is_shown_as_a_month(services: Services) -> None:
    """`decided: 2008-09` stays a month in `report oecd`; the entries keep the case's order."""
    case = dict(CASES[5])  # accepted 2008-09
    case["issues"] = [
        {"title": "Child labour", "chapters": ["human_rights"], "accepted": True, "result": "agreement"}
    ]
    result = run(services, json.dumps(case))
    reference = result.lines[0].reference
    row = reports.oecd(uow=services.uow, settings=services.settings)[0]
    assert row["issues"][0]["decided_on"] == "2008-09" and row["issues"][0]["outcome_on"] == "2009-10"
    kinds = [entry.kind for entry in audit.audit_entries(uow=services.uow, case_ref=reference)]
    assert kinds == [
        "opened",
        "issue_added",
        "transitioned",
        "transitioned",
        "issue_decided",
        "transitioned",
        "issue_concluded",
        "transitioned",
        "transitioned",
    ]
    assert audit.verify_chain(uow=services.uow).ok


def test_an_issue_without_a_date_for_its_decision_is_refused(services: Services) -> None:
    """A case without accept or reject, an issue without `decided`: the line names the key."""
    case = {**CASES[28], "issues": [{"title": "Cobalt", "chapters": ["human_rights"], "accepted": True}]}
    with pytest.raises(ImportRefusedError, match=r"line 1: issues\[0\]\.decided is needed"):
        run(services, json.dumps(case))
    case["issues"][0]["decided"] = "2024-11"
    assert run(services, json.dumps(case)).created == 1


@pytest.mark.parametrize("where", ["the 20th case", "after the last case"])
def test_a_failure_in_the_middle_of_the_write_leaves_nothing_written(
    services: Services, database_url: str, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """The database failing while the cases go in (on the 20th case, or as the alerts are
    settled after the last): every row stays as it was, on SQLite and PostgreSQL alike."""
    from workflow import imports

    class Broken(RuntimeError):
        pass

    written = imports._write
    calls = itertools.count(1)

    def write_until_the_20th(*args: Any, **kwargs: Any) -> Any:
        if next(calls) == 20:
            raise Broken("the database went away")
        return written(*args, **kwargs)

    def settle_then_fail(*args: Any, **kwargs: Any) -> int:
        raise Broken("the database went away")

    if where == "the 20th case":
        monkeypatch.setattr(imports, "_write", write_until_the_20th)
    else:
        monkeypatch.setattr(imports, "_settle_alerts", settle_then_fail)
    open_one(services)  # a case of the NCP's own, and its reference counter
    before = dump(database_url)
    with pytest.raises(Broken):
        run(services)
    assert dump(database_url) == before
    monkeypatch.undo()
    assert run(services).created == 30  # and the file imports whole afterwards
