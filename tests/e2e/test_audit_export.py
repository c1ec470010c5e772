"""Audit exports carry their hashes and verify offline; confidential submitters are pseudonyms."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from states.pseudonyms import pseudonym
from states.signatures import Signer
from tests.conftest import InProcessCli

SECRET = "Ingrid Hemmelig"
SIGNER = Signer.generate()


@pytest.fixture(autouse=True)
def _signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCPFLOW_AUDIT_SIGNING_KEY", SIGNER.private_pem())


def _split(path: Path) -> tuple[str, list[dict[str, object]], str]:
    """A signed export's header line, its entries, and its signature line."""
    lines = path.read_text().splitlines()
    assert json.loads(lines[0]).keys() == {"export"}
    assert json.loads(lines[-1]).keys() == {"signature"}
    return lines[0], [json.loads(line) for line in lines[1:-1]], lines[-1]


def _seed(ncp: InProcessCli) -> tuple[str, str]:
    open_ = ("case", "open", "--enterprise", "Nordisk Gruve AS", "--actor", "secretariat",
             "--received", "2025-03-03", "--json")
    first = ncp.json(*open_, "--title", "Tailings", "--submitter", "Fagforbundet")["reference"]
    second = ncp.json(*open_, "--title", "Reprisals at the mine", "--submitter", SECRET,
                      "--confidential-submitter")["reference"]
    for reference in (first, second):
        assert ncp("case", "advance", reference, "begin_assessment", "--actor", "chair",
                   "--reason", f"complete; spoke to {SECRET}" if reference == second
                   else "complete").returncode == 0
    return first, second


def test_a_full_export_verifies_offline_and_any_changed_field_does_not(
        ncp: InProcessCli, tmp_path: Path) -> None:
    _seed(ncp)
    target = tmp_path / "export.jsonl"
    assert ncp("audit", "export", "--format", "jsonl", "--reveal", "--actor", "admin",
               "--output", str(target)).returncode == 0
    header, rows, signature = _split(target)
    assert rows[-1]["kind"] == "audit_export_revealed"  # revealing is itself audited
    assert not any("redacted" in row for row in rows)
    verdict = ncp.json("audit", "verify", "--file", str(target), "--json")
    assert verdict["ok"] and verdict["mode"] == "chain" and verdict["entries"] == len(rows)
    assert verdict["status"] == "intact" and verdict["signed_by"] == SIGNER.key_id
    changed = tmp_path / "changed.jsonl"
    for index, row in enumerate(rows):
        for name in row:
            forged = copy.deepcopy(rows)
            value = forged[index][name]
            forged[index][name] = (value + 1 if isinstance(value, int)
                                   else {**value, "x": 1} if isinstance(value, dict)
                                   else "f" * 64 if name.endswith("hash")
                                   else (value or "") + "x")
            changed.write_text("".join(line + "\n" for line in [
                header, *(json.dumps(r, ensure_ascii=False) for r in forged), signature]))
            result = ncp("audit", "verify", "--file", str(changed), "--json")
            assert result.returncode == 6, (index, name)
            assert json.loads(result.stdout)["ok"] is False


def test_a_filtered_export_verifies_each_hash_and_the_links_it_holds(
        ncp: InProcessCli, tmp_path: Path) -> None:
    first, _ = _seed(ncp)
    target = tmp_path / "case.jsonl"
    assert ncp("audit", "export", "--case", first, "--output", str(target)).returncode == 0
    verdict = ncp.json("audit", "verify", "--file", str(target), "--json")
    assert verdict["ok"] and verdict["mode"] == "excerpt" and verdict["gaps"] >= 1
    assert verdict["filter"] == {"case": first, "from": None, "to": None}
    lines = target.read_text().splitlines()
    forged = json.loads(lines[-2])
    forged["actor"] = "someone else"
    target.write_text("\n".join([*lines[:-2], json.dumps(forged), lines[-1]]) + "\n")
    assert ncp("audit", "verify", "--file", str(target)).returncode == 6


def test_no_confidential_name_in_an_auditors_export_and_reveal_needs_an_actor(
        ncp: InProcessCli, tmp_path: Path) -> None:
    _, second = _seed(ncp)
    for fmt in ("jsonl", "csv"):
        result = ncp("audit", "export", "--format", fmt)
        assert result.returncode == 0
        assert SECRET.casefold() not in result.stdout.casefold()
        assert pseudonym(second, SECRET) in result.stdout
    target = tmp_path / "pseudonymised.jsonl"
    ncp("audit", "export", "--output", str(target))
    verdict = ncp.json("audit", "verify", "--file", str(target), "--json")
    assert verdict["ok"] and verdict["redacted"] == 2  # opened, and the reason naming them
    refused = ncp("audit", "export", "--reveal")
    assert refused.returncode == 2 and "--actor" in refused.stderr
    revealed = ncp("audit", "export", "--reveal", "--actor", "admin")
    assert SECRET in revealed.stdout


def test_reports_in_every_format_name_no_confidential_submitter(
        ncp: InProcessCli, tmp_path: Path) -> None:
    _, second = _seed(ncp)
    timelines = ncp.json("report", "timelines", "--json")
    assert {r["reference"] for r in timelines["stages"]} >= {second}
    annual = ncp.json("report", "annual", "--year", "2025")
    assert annual["received"] == 2 and "leads" in annual
    oecd = ncp.json("report", "oecd", "--format", "json")
    assert [row["date_received"] for row in oecd] == ["2025-03-03", "2025-03-03"]
    for command in (("timelines",), ("annual", "--year", "2025"), ("oecd",)):
        for fmt in ("json", "csv", "html"):
            result = ncp("report", *command, "--format", fmt)
            assert result.returncode == 0, result.stderr
            assert SECRET.casefold() not in result.stdout.casefold()
    target = tmp_path / "timelines.html"
    assert ncp("report", "timelines", "--format", "html", "--output",
               str(target)).returncode == 0
    html = target.read_text()
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "size: A4" in html
    assert "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
