"""Guidelines edition and supporting NCPs: set on `case open`, changed by `case edit` (audited),
and carried into `report oecd`."""

from __future__ import annotations

from tests.conftest import InProcessCli


def opened(ncp: InProcessCli, received: str, *options: str) -> str:
    """The reference of a case opened on the command line, received on `received`."""
    command = ("case", "open", "--title", "T", "--enterprise", "E AS", "--submitter", "S")
    made = ncp.json(*command, "--actor", "secretariat", "--received", received, *options, "--json")
    return str(made["reference"])


def test_edition_and_supporting_ncps_on_open_and_edit(ncp: InProcessCli) -> None:
    ref = opened(
        ncp, "2025-03-03", "--theme", "environment", "--guidelines-edition", "2011", "--supporting-ncp", "SE"
    )
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


def test_historical_guidelines_editions_on_open_edit_and_in_the_reports(ncp: InProcessCli) -> None:
    """A case of 1985 under the 1984 edition, edited to 1979, shows it in `report oecd|annual`."""
    ref = opened(ncp, "1985-03-01", "--guidelines-edition", "1984")
    assert ncp.json("case", "show", ref, "--json")["guidelines_edition"] == "1984"
    for edition in ("1976", "1991", "2000", "1979"):
        edited = ncp.json(
            "case",
            "edit",
            ref,
            "--guidelines-edition",
            edition,
            "--actor",
            "chair",
            "--reason",
            "r",
            "--json",
        )
        assert edited["guidelines_edition"] == edition
    assert ncp.json("report", "oecd", "--year", "1985", "--json")[0]["guidelines_edition"] == "1979"
    assert ncp.json("report", "annual", "--year", "1985", "--json")["guidelines_editions"] == {"1979": 1}
    html = ncp("report", "annual", "--year", "1985", "--format", "html", "--language", "en").stdout
    assert "Cases received by Guidelines edition" in html and "1 of 1 (100%)" in html
    bad = ncp("case", "edit", ref, "--guidelines-edition", "1977", "--actor", "chair", "--reason", "x")
    assert bad.returncode == 2 and "--guidelines-edition" in bad.stderr
    assert "1976, 1979, 1984, 1991, 2000, 2011, 2023, both" in bad.stderr
