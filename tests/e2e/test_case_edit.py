"""Guidelines edition and supporting NCPs: set on `case open`, changed by `case edit` (audited),
and carried into `report oecd`."""

from __future__ import annotations

from tests.conftest import InProcessCli


def test_edition_and_supporting_ncps_on_open_and_edit(ncp: InProcessCli) -> None:
    opened = ncp.json(
        "case",
        "open",
        "--title",
        "T",
        "--enterprise",
        "E AS",
        "--submitter",
        "S",
        "--actor",
        "secretariat",
        "--received",
        "2025-03-03",
        "--theme",
        "environment",
        "--guidelines-edition",
        "2011",
        "--supporting-ncp",
        "SE",
        "--json",
    )
    ref = opened["reference"]
    shown = ncp.json("case", "show", ref, "--json")
    assert (shown["guidelines_edition"], shown["supporting_ncps"]) == ("2011", ["SE"])
    edited = ncp.json(
        "case",
        "edit",
        ref,
        "--guidelines-edition",
        "both",
        "--supporting-ncp",
        "SE",
        "--supporting-ncp",
        "DK",
        "--theme",
        "human_rights",
        "--actor",
        "chair",
        "--reason",
        "harm continues after June 2023",
        "--json",
    )
    assert edited["guidelines_edition"] == "both"
    assert edited["supporting_ncps"] == ["SE", "DK"] and edited["themes"] == ["human_rights"]
    log = [__import__("json").loads(line) for line in ncp("audit", "log", ref).stdout.splitlines()]
    assert log[-1]["kind"] == "edited" and log[-1]["actor"] == "chair"
    assert log[-1]["data"]["changes"]["guidelines_edition"] == {"from": "2011", "to": "both"}
    assert ncp("audit", "verify").returncode == 0
    row = ncp.json("report", "oecd", "--json")[0]
    assert row["supporting_ncps"] == ["SE", "DK"] and row["guidelines_edition"] == "both"
    assert row["themes"] == ["IV. Human Rights"] and row["lead_ncp"] == "NO"
    bad = ncp("case", "edit", ref, "--guidelines-edition", "2020", "--actor", "chair", "--reason", "x")
    assert bad.returncode == 2 and "2011, 2023, both" in bad.stderr
    same = ncp("case", "edit", ref, "--sector", "", "--actor", "chair", "--reason", "x")
    assert same.returncode == 2 and "nothing to change" in same.stderr
