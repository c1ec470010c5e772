"""Audit exports carry their hashes and verify offline; confidential submitters are pseudonyms."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from states.pseudonyms import pseudonym
from states.signatures import Signer
from tests.conftest import InProcessCli
from tests.helpers import sign_in

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
    open_ = (
        "case",
        "open",
        "--enterprise",
        "Nordisk Gruve AS",
        "--actor",
        "secretariat",
        "--received",
        "2025-03-03",
        "--json",
    )
    first = ncp.json(*open_, "--title", "Tailings", "--submitter", "Fagforbundet")["reference"]
    second = ncp.json(
        *open_, "--title", "Reprisals at the mine", "--submitter", SECRET, "--confidential-submitter"
    )["reference"]
    for reference in (first, second):
        assert (
            ncp(
                "case",
                "advance",
                reference,
                "begin_assessment",
                "--actor",
                "chair",
                "--reason",
                f"complete; spoke to {SECRET}" if reference == second else "complete",
            ).returncode
            == 0
        )
    return first, second


def test_a_full_export_verifies_offline_and_any_changed_field_does_not(
    ncp: InProcessCli, tmp_path: Path
) -> None:
    _seed(ncp)
    target = tmp_path / "export.jsonl"
    assert (
        ncp(
            "audit", "export", "--format", "jsonl", "--reveal", "--actor", "admin", "--output", str(target)
        ).returncode
        == 0
    )
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
            forged[index][name] = (
                value + 1
                if isinstance(value, int)
                else {**value, "x": 1}
                if isinstance(value, dict)
                else "f" * 64
                if name.endswith("hash")
                else (value or "") + "x"
            )
            changed.write_text(
                "".join(
                    line + "\n"
                    for line in [header, *(json.dumps(r, ensure_ascii=False) for r in forged), signature]
                )
            )
            result = ncp("audit", "verify", "--file", str(changed), "--json")
            assert result.returncode == 6, (index, name)
            assert json.loads(result.stdout)["ok"] is False


def test_a_filtered_export_verifies_each_hash_and_the_links_it_holds(
    ncp: InProcessCli, tmp_path: Path
) -> None:
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
    ncp: InProcessCli, tmp_path: Path
) -> None:
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


def test_reports_in_every_format_name_no_confidential_submitter(ncp: InProcessCli, tmp_path: Path) -> None:
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
    assert ncp("report", "timelines", "--format", "html", "--output", str(target)).returncode == 0
    html = target.read_text()
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "size: A4" in html
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


# -- issue 10, item 6: offline verification can no longer be fooled --------------------------


def _export(ncp: InProcessCli, tmp_path: Path, *args: str) -> Path:
    _seed(ncp)
    target = tmp_path / "export.jsonl"
    assert ncp("audit", "export", "--output", str(target), *args).returncode == 0
    return target


def _entry_lines(path: Path) -> list[tuple[int, dict[str, object]]]:
    """(line index, entry) for every audit entry in the file (header and signature aside)."""
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    return [(i, row) for i, row in enumerate(rows) if "seq" in row]


def _verify(ncp: InProcessCli, path: Path, *args: str) -> tuple[int, dict[str, object]]:
    result = ncp("audit", "verify", "--file", str(path), "--json", *args)
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def test_an_edit_hidden_behind_redacted_true_is_broken(ncp: InProcessCli, tmp_path: Path) -> None:
    """Marking an unredacted entry `"redacted": true` no longer switches off its check."""
    target = _export(ncp, tmp_path)
    lines = target.read_text().splitlines()
    index, row = next((i, r) for i, r in _entry_lines(target) if "redacted" not in r)
    lines[index] = json.dumps({**row, "actor": "someone else", "redacted": True})
    target.write_text("\n".join(lines) + "\n")
    code, verdict = _verify(ncp, target)
    assert code == 6 and verdict["status"] == "broken" and not verdict["ok"]


def test_an_edit_re_hashed_from_there_onwards_is_broken(ncp: InProcessCli, tmp_path: Path) -> None:
    """An entry edited and every hash recomputed from there on links again, but is broken."""
    from states.chain import AuditEntry, entry_hash

    target = _export(ncp, tmp_path, "--reveal", "--actor", "admin")
    lines = target.read_text().splitlines()
    entries = _entry_lines(target)
    prev_hash = None
    for number, (index, row) in enumerate(entries):
        if number == 2:
            row = {**row, "reason": "nothing happened"}
        if prev_hash is not None:
            row = {**row, "prev_hash": prev_hash}
        if number >= 2:
            entry = AuditEntry(**{k: v for k, v in row.items() if k != "redacted"})  # type: ignore[arg-type]
            row = {**row, "hash": entry_hash(entry.prev_hash, entry.hashed_body())}
        prev_hash = str(row["hash"])
        lines[index] = json.dumps(row, ensure_ascii=False)
    target.write_text("\n".join(lines) + "\n")
    code, verdict = _verify(ncp, target)
    assert code == 6 and verdict["status"] == "broken"
    assert "differs from what was signed" in str(verdict["problem"])


@pytest.mark.parametrize("cut", ["signature", "last entry", "half"])
def test_a_truncated_export_is_incomplete_never_intact(ncp: InProcessCli, tmp_path: Path, cut: str) -> None:
    """Cutting lines off the end (with or without the signature line) is broken (exit 6)."""
    target = _export(ncp, tmp_path)
    lines = target.read_text().splitlines()
    kept = {
        "signature": lines[:-1],
        "last entry": [*lines[:-2], lines[-1]],
        "half": lines[: len(lines) // 2],
    }[cut]
    target.write_text("\n".join(kept) + "\n")
    code, verdict = _verify(ncp, target)
    assert code == 6 and verdict["status"] == "broken"
    assert "incomplete" in str(verdict["problem"]) or "differs" in str(verdict["problem"])


def test_an_empty_export_is_broken(ncp: InProcessCli, tmp_path: Path) -> None:
    """An empty file (or one of blank lines) is not an intact export of nothing."""
    for content in ("", "\n\n"):
        target = tmp_path / "empty.jsonl"
        target.write_text(content)
        code, verdict = _verify(ncp, target)
        assert code == 6 and verdict["status"] == "broken" and "empty" in str(verdict["problem"])


def test_an_unsigned_export_is_reported_unsigned_not_intact(
    ncp: InProcessCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without header and signature the entries still check, but the verdict is unsigned
    (exit 1); ncpflow without a signing key writes such files and says so."""
    target = _export(ncp, tmp_path)
    lines = target.read_text().splitlines()
    target.write_text("\n".join(lines[1:-1]) + "\n")
    code, verdict = _verify(ncp, target)
    assert code == 1 and verdict["status"] == "unsigned" and not verdict["ok"]
    assert verdict["entries"] == len(lines) - 2
    monkeypatch.delenv("NCPFLOW_AUDIT_SIGNING_KEY")
    plain = tmp_path / "plain.jsonl"
    result = ncp("audit", "export", "--output", str(plain))
    assert result.returncode == 0 and "not signed" in result.stderr
    assert _verify(ncp, plain)[1]["status"] == "unsigned"


def test_an_export_signed_by_another_key_is_reported_as_such(
    ncp: InProcessCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forger who edits and re-signs with their own key gets "unknown key" (exit 1), and a
    peer reviewer with only the NCP's public key verifies a genuine file (exit 0)."""
    genuine = _export(ncp, tmp_path)
    public = tmp_path / "ncp.pub"
    public.write_text(SIGNER.public_pem())
    forger = Signer.generate()
    monkeypatch.setenv("NCPFLOW_AUDIT_SIGNING_KEY", forger.private_pem())
    forged = tmp_path / "forged.jsonl"
    assert ncp("audit", "export", "--output", str(forged)).returncode == 0
    monkeypatch.delenv("NCPFLOW_AUDIT_SIGNING_KEY")
    code, verdict = _verify(ncp, forged, "--public-key", str(public))
    assert code == 1 and verdict["status"] == "unknown_key"
    assert verdict["signed_by"] == forger.key_id and verdict["trusted_keys"] == [SIGNER.key_id]
    code, verdict = _verify(ncp, genuine, "--public-key", str(public))
    assert code == 0 and verdict["status"] == "intact"
    code, verdict = _verify(ncp, genuine)  # no key to check against: not trusted
    assert code == 1 and verdict["status"] == "unknown_key"
    text = ncp("audit", "verify", "--file", str(genuine), "--public-key", str(public))
    assert text.returncode == 0 and "export intact" in text.stdout


def test_a_redaction_must_be_the_signed_one(ncp: InProcessCli, tmp_path: Path) -> None:
    """Removing a redaction mark, or the signed list's entry, breaks the signature."""
    target = _export(ncp, tmp_path)
    lines = target.read_text().splitlines()
    index, row = next((i, r) for i, r in _entry_lines(target) if r.get("redacted"))
    lines[index] = json.dumps({k: v for k, v in row.items() if k != "redacted"}, ensure_ascii=False)
    target.write_text("\n".join(lines) + "\n")
    code, verdict = _verify(ncp, target)
    assert code == 6 and verdict["status"] == "broken"


def test_the_web_download_is_signed_like_the_command(
    ncp: InProcessCli, tmp_path: Path, sqlite_url: str
) -> None:
    """`/audit/export.jsonl` serves the same signed file: it verifies as intact."""
    from fastapi.testclient import TestClient

    from ncpflow.web.app import create_app
    from tests.conftest import ROOT
    from workflow import users
    from workflow.bootstrap import bootstrap
    from workflow.config import load_settings

    services = bootstrap(load_settings(ROOT / "config.toml", database_url=sqlite_url))
    try:
        users.add_user(
            uow=services.uow,
            clock=services.clock,
            name="aud",
            role="auditor",
            member_id=None,
            actor="test",
            password="correct horse battery",
        )
        with TestClient(create_app(services, secret="test-secret")) as client:
            assert sign_in(client, "aud", "correct horse battery").status_code == 303
            answer = client.get("/audit/export.jsonl")
    finally:
        services.close()
    assert answer.status_code == 200
    target = tmp_path / "download.jsonl"
    target.write_bytes(answer.content)
    code, verdict = _verify(ncp, target)
    assert code == 0 and verdict["status"] == "intact"


# -- issue 10, item 2: bad files give a message and an exit code, never a traceback ----------


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("name", "content", "code", "says"),
    [
        ("binary.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00\xff binary", 6, "not UTF-8"),
        ("latin1.jsonl", '{"actor": "Bjørn"}\n'.encode("latin-1"), 6, "not UTF-8"),
        ("deep.jsonl", _deep(100_000).encode(), 6, "nested too deeply"),
        ("not-json.jsonl", b"seq,actor\n1,x\n", 6, "not JSON"),
        ("array.jsonl", b"[1, 2]\n", 6, "not a JSON object"),
        ("stray-signature.jsonl", b'{"signature": {}}\n{"seq": 1}\n', 6, "last line"),
    ],
)
def test_a_file_that_is_not_an_export_is_broken_with_a_message(
    ncp: InProcessCli, tmp_path: Path, name: str, content: bytes, code: int, says: str
) -> None:
    """Binary, invalid UTF-8, very deep JSON and other non-exports: exit 6, the line named."""
    target = tmp_path / name
    target.write_bytes(content)
    result = ncp("audit", "verify", "--file", str(target))
    assert result.returncode == code and says in result.stderr
    assert str(target) in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("field", ["reason", "data"])
def test_an_entry_with_a_lone_surrogate_or_deep_data_is_broken(
    ncp: InProcessCli, tmp_path: Path, field: str
) -> None:
    """A lone surrogate ("\\ud800") or data nested past what can be hashed: broken, no
    traceback."""
    target = _export(ncp, tmp_path)
    lines = target.read_text().splitlines()
    index, row = _entry_lines(target)[0]
    value = "\ud800" if field == "reason" else {"x": json.loads(_deep(900))}
    lines[index] = json.dumps({**row, field: value})
    target.write_text("\n".join(lines) + "\n")
    result = ncp("audit", "verify", "--file", str(target))
    assert result.returncode == 6, result.stderr
    assert "BROKEN" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["folder", "missing"])
def test_a_folder_or_a_missing_file_is_bad_input(ncp: InProcessCli, tmp_path: Path, kind: str) -> None:
    """Not a file to read: exit 2 with a message naming it."""
    target = tmp_path / ("a-folder" if kind == "folder" else "missing.jsonl")
    if kind == "folder":
        target.mkdir()
    result = ncp("audit", "verify", "--file", str(target))
    assert result.returncode == 2 and str(target) in result.stderr
    assert "Traceback" not in result.stderr
