"""`audit verify` hashes every stored document again: an intruder who changes one byte of a
document's content, its row, or removes its row, is caught and the document named (both
backends). As in tests/storage/test_audit_log.py, the intruder first drops the append-only
triggers, as someone with direct database access could."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
import sqlalchemy

from tests.conftest import Cli
from tests.helpers import open_one
from workflow.bootstrap import Services

CONTENT = b"%PDF-1.7\n" + bytes(range(256)) * 5000 + b"\n%%EOF\n"  # two chunks


def _sql(services: Services, *statements: str, params: dict[str, Any] | None = None) -> None:
    engine: sqlalchemy.Engine = services.uow.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(sqlalchemy.text(statement), params or {})


def _as_intruder(services: Services) -> None:
    """Drop the append-only triggers of the document tables."""
    if services.settings.database.url.startswith("sqlite"):
        _sql(
            services,
            *(
                f"DROP TRIGGER {table}_no_{verb}"
                for table in ("document_contents", "document_chunks", "case_documents")
                for verb in ("update", "delete")
            ),
        )
    else:
        _sql(
            services,
            *(
                f"DROP TRIGGER {table}_no_change ON {table}"
                for table in ("document_contents", "document_chunks", "case_documents")
            ),
        )


def _filed(services: Services) -> str:
    reference = open_one(services)
    services.documents.add(
        reference=reference,
        source=[CONTENT],
        filename="report.pdf",
        title="Site report",
        direction="in",
        access="public",
        actor="sek",
    )
    return reference


def test_the_database_refuses_to_change_a_documents_content(services: Services) -> None:
    """Content, chunks and rows are append-only: an UPDATE is refused by the database."""
    _filed(services)
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"):
        _sql(services, "UPDATE document_chunks SET data = :d WHERE seq = 0", params={"d": b"x"})
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"):
        _sql(services, "DELETE FROM case_documents")
    assert services.audit.verify().ok


def test_an_intact_document_verifies_and_is_counted(services: Services) -> None:
    """`audit verify` hashes the content again and finds it whole."""
    _filed(services)
    report = services.audit.verify()
    assert report.ok, report.as_dict()
    assert (report.documents, report.document_findings) == (1, [])


@pytest.mark.owner
def test_one_byte_changed_in_stored_content_is_detected_and_names_the_document(
    services: Services, cli: Cli
) -> None:
    """An intruder flips one byte of the second chunk: verify fails, naming case, number,
    version and sha256; the CLI exits 6; a download of it fails at its end."""
    reference = _filed(services)
    digest = hashlib.sha256(CONTENT).hexdigest()
    _as_intruder(services)
    second = bytearray(CONTENT[1 << 20 :])
    second[10] ^= 1
    _sql(
        services,
        "UPDATE document_chunks SET data = :d WHERE seq = 1 AND sha256 = :s",
        params={"d": bytes(second), "s": digest},
    )
    report = services.audit.verify()
    assert not report.ok
    assert report.chain.ok  # the chain itself is untouched
    (finding,) = report.document_findings
    assert (finding.reference, finding.number, finding.version, finding.sha256) == (reference, 1, 1, digest)
    assert "stored content has changed" in finding.message
    result = cli("audit", "verify", "--json")
    assert result.returncode == 6
    printed = json.loads(result.stdout)
    assert printed["ok"] is False
    assert printed["document_problems"][0]["case"] == reference
    text = cli("audit", "verify")
    assert f"document 1 version 1 of case {reference} (sha256 {digest})" in text.stderr.replace("\n", "")
    opened = services.documents.open(reference=reference, number=1)
    with pytest.raises(Exception, match="stored content has changed"):
        b"".join(opened.chunks)


@pytest.mark.owner
def test_a_row_changed_or_removed_is_detected_against_its_audit_entry(services: Services) -> None:
    """A row pointed at other content disagrees with its `document_added` entry; a row deleted
    leaves an entry without a document."""
    reference = _filed(services)
    services.documents.add(
        reference=reference,
        source=[b"other"],
        filename="other.txt",
        title="Other",
        direction="out",
        access="public",
        actor="sek",
    )
    other = hashlib.sha256(b"other").hexdigest()
    _as_intruder(services)
    _sql(services, "UPDATE case_documents SET sha256 = :s, size = 5 WHERE number = 1", params={"s": other})
    (finding,) = services.audit.verify().document_findings
    assert "does not match its document_added entry" in finding.problem
    assert "sha256" in finding.problem and "size" in finding.problem
    _sql(services, "DELETE FROM case_documents WHERE number = 2")
    problems = [f.problem for f in services.audit.verify().document_findings]
    assert any("has no document in the database" in p for p in problems)


@pytest.mark.owner
def test_a_database_holding_documents_is_not_migrated_below_them(
    services: Services, database_url: str
) -> None:
    """Downgrading past 0021_documents would drop filed documents: refused, and they stay."""
    from tests.storage.test_case_results_migration import _migrate

    reference = _filed(services)
    services.notes.add(reference=reference, text="Filed the site report", actor="sek")
    with pytest.raises(RuntimeError, match="holding documents is not downgraded"):
        _migrate(database_url, "0020_merge_search", down=True)
    assert services.audit.verify().ok  # nothing undone: the later tables are there too
    assert len(services.notes.list(reference=reference).notes) == 1
