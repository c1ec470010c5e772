"""`ncpflow doc add|list|get`, and an audit export with its documents verified offline: the
manifest lists each file's sha256, the signature covers the manifest, and the files, the manifest
and the export's `document_added` entries are checked against each other."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from states.signatures import Signer
from tests.conftest import InProcessCli

SIGNER = Signer.generate()
PDF = b"%PDF-1.7\n" + b"Kari Nordmann's complaint " * 400 + b"\n%%EOF\n"
MINUTES = b"The NCP's own assessment of the enterprise's reply.\n"


@pytest.fixture(autouse=True)
def _signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCPFLOW_AUDIT_SIGNING_KEY", SIGNER.private_pem())


def _case(ncp: InProcessCli) -> str:
    reference: str = ncp.json(
        "case", "open", "--title", "Tailings", "--enterprise", "Nordisk Gruve AS",
        "--submitter", "Kari Nordmann", "--confidential-submitter", "--actor", "sek", "--json",
    )["reference"]  # fmt: skip
    return reference


def _add(ncp: InProcessCli, reference: str, path: Path, *options: str) -> dict[str, object]:
    result = ncp("doc", "add", reference, str(path), "--actor", "sek", "--json", *options)
    assert result.returncode == 0, result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    return document


def _filed(ncp: InProcessCli, tmp_path: Path) -> str:
    reference = _case(ncp)
    complaint, minutes = tmp_path / "complaint.pdf", tmp_path / "minutes.txt"
    complaint.write_bytes(PDF)
    minutes.write_bytes(MINUTES)
    _add(ncp, reference, complaint, "--title", "Complaint", "--direction", "in", "--party", "submitter-1",
         "--access", "parties", "--exempt", "offentleglova § 13")  # fmt: skip
    _add(ncp, reference, minutes, "--title", "Assessment of the reply", "--direction", "internal",
         "--access", "ncp")  # fmt: skip
    return reference


def test_doc_add_list_and_get_round_trip_a_file(ncp: InProcessCli, tmp_path: Path) -> None:
    """Filed, listed with its versions, and written back byte for byte with `doc get --output`."""
    reference = _filed(ncp, tmp_path)
    again = tmp_path / "complaint.pdf"
    again.write_bytes(PDF + b"% corrected\n")
    second = _add(ncp, reference, again, "--title", "Complaint, corrected", "--direction", "in",
                  "--access", "parties", "--replaces", "1")  # fmt: skip
    assert (second["number"], second["version"]) == (1, 2)
    listed = ncp.json("doc", "list", reference, "--json")
    assert [(d["number"], len(d["versions"])) for d in listed["documents"]] == [(1, 2), (2, 1)]
    assert "Complaint, corrected" in ncp("doc", "list", reference).stdout
    target = tmp_path / "out.pdf"
    assert ncp("doc", "get", reference, "1", "--version", "1", "--output", str(target)).returncode == 0
    assert target.read_bytes() == PDF
    assert ncp("doc", "get", reference, "1", "--output", str(target)).returncode == 0
    assert target.read_bytes() == PDF + b"% corrected\n"


def test_doc_add_refusals_exit_2_naming_the_option(ncp: InProcessCli, tmp_path: Path) -> None:
    """A bad access level, exemption, direction or a missing file: exit 2, the option named."""
    reference = _case(ncp)
    file = tmp_path / "a.txt"
    file.write_bytes(b"text")
    base = ("doc", "add", reference, str(file), "--title", "T", "--actor", "sek")
    cases = {
        ("--direction", "in", "--access", "secret"): "--access",
        ("--direction", "in", "--access", "public", "--exempt", "§ 99"): "--exempt",
        ("--direction", "up", "--access", "public"): "--direction",
    }
    for options, named in cases.items():
        result = ncp(*base, *options)
        assert (result.returncode, named in result.stderr) == (2, True), result.stderr
    missing = ncp("doc", "add", reference, str(tmp_path / "nope.pdf"), "--title", "T", "--direction", "in",
                  "--access", "public", "--actor", "sek")  # fmt: skip
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert ncp.json("doc", "list", reference, "--json")["documents"] == []
    unknown = ncp("doc", "list", "NCP-2099-001")
    assert unknown.returncode == 4


def _export(ncp: InProcessCli, tmp_path: Path, *options: str) -> tuple[Path, Path]:
    target, folder = tmp_path / "export.jsonl", tmp_path / "documents"
    result = ncp("audit", "export", "--output", str(target), "--documents", str(folder), *options)
    assert result.returncode == 0, result.stderr
    return target, folder


def _verify(ncp: InProcessCli, target: Path, folder: Path) -> tuple[int, dict[str, object]]:
    result = ncp("audit", "verify", "--file", str(target), "--documents", str(folder), "--json")
    return result.returncode, json.loads(result.stdout)


def test_an_export_with_documents_verifies_offline(ncp: InProcessCli, tmp_path: Path) -> None:
    """Every document's content is written, the manifest lists its sha256, and the signed export
    with its folder verifies; the signature covers the manifest."""
    reference = _filed(ncp, tmp_path)
    target, folder = _export(ncp, tmp_path, "--reveal", "--actor", "admin")
    manifest = json.loads((folder / "manifest.json").read_text())
    items = manifest["documents"]
    assert [(i["case"], i["number"], i["version"], i["withheld"]) for i in items] == [
        (reference, 1, 1, False),
        (reference, 2, 1, False),
    ]
    assert items[0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert (folder / items[0]["file"]).read_bytes() == PDF
    signature = json.loads(target.read_text().splitlines()[-1])["signature"]["signed"]
    assert (
        signature["documents"]["manifest"]
        == "sha256:" + hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()
    )
    code, verdict = _verify(ncp, target, folder)
    assert (code, verdict["status"], verdict["documents"]) == (0, "intact", 2), verdict


def test_a_changed_file_manifest_or_missing_file_is_named_offline(ncp: InProcessCli, tmp_path: Path) -> None:
    """One byte of a file, the manifest, or a file removed: broken (exit 6), naming the document."""
    reference = _filed(ncp, tmp_path)
    target, folder = _export(ncp, tmp_path, "--reveal", "--actor", "admin")
    item = json.loads((folder / "manifest.json").read_text())["documents"][0]
    file = folder / item["file"]
    original = file.read_bytes()
    file.write_bytes(original[:100] + bytes([original[100] ^ 1]) + original[101:])
    code, verdict = _verify(ncp, target, folder)
    assert (code, verdict["status"]) == (6, "broken")
    assert f"document 1 version 1 of case {reference} (sha256 {item['sha256']})" in str(verdict["problem"])
    assert "was altered" in str(verdict["problem"])
    file.unlink()
    assert "is missing" in str(_verify(ncp, target, folder)[1]["problem"])
    file.write_bytes(original)
    manifest = folder / "manifest.json"
    text = manifest.read_text()
    manifest.write_text(text.replace(item["sha256"], hashlib.sha256(b"other").hexdigest()))
    code, verdict = _verify(ncp, target, folder)
    assert code == 6 and "signature covers" in str(verdict["problem"])
    manifest.write_text(text)
    assert _verify(ncp, target, folder)[0] == 0


def test_an_auditors_export_withholds_internal_documents_and_their_titles(
    ncp: InProcessCli, tmp_path: Path
) -> None:
    """Without --reveal: the `ncp` document's title and file name are a placeholder, its content
    withheld (listed with its sha256), the confidential submitter a pseudonym and its complaint
    (which names it) withheld too; the enterprise's reply is written; it verifies."""
    reference = _filed(ncp, tmp_path)
    reply = tmp_path / "reply.txt"
    reply.write_bytes(b"The enterprise's reply.\n")
    _add(ncp, reference, reply, "--title", "Reply", "--direction", "in", "--party", "enterprise-1",
         "--access", "parties")  # fmt: skip
    target, folder = _export(ncp, tmp_path)
    text = target.read_text()
    assert "Assessment of the reply" not in text and "minutes.txt" not in text
    assert "Kari Nordmann" not in text
    rows = [json.loads(line) for line in text.splitlines()[1:-1]]
    internal = next(r for r in rows if r["kind"] == "document_added" and r["data"]["number"] == 2)
    assert internal["data"]["title"] == "[internal document]" and internal["redacted"] is True
    items = json.loads((folder / "manifest.json").read_text())["documents"]
    assert [(i["number"], i["withheld"], i["file"] is None) for i in items] == [
        (1, True, True),
        (2, True, True),
        (3, False, False),
    ]
    assert items[1]["sha256"] == hashlib.sha256(MINUTES).hexdigest()
    written = [p.read_bytes() for p in folder.rglob("*") if p.is_file()]
    assert not any(MINUTES in content or b"Kari Nordmann" in content for content in written)
    code, verdict = _verify(ncp, target, folder)
    assert (code, verdict["documents"]) == (0, 1), verdict
    assert ncp("audit", "export", "--output", str(target), "--documents", str(folder)).returncode == 2
    assert reference
