"""A received bundle links the two NCPs' cases as related instances (slice C's links), on SQLite
and PostgreSQL: the case a bundle opens shows the sender's case as `parallel`, the sender's case
shows the recipient's reference once a bundle comes back, each once, with a `case_linked` entry in
the receipt's transaction; a link a handler removed is not made again; a refused bundle links
nothing."""

from __future__ import annotations

import pytest

from states.errors import BundleRefusedError
from tests.dbdump import dump
from tests.helpers import open_one
from tests.workflow import test_bundles
from tests.workflow.test_bundles import Ncp

pair = test_bundles.pair  # the two NCPs' fixture, shared


def _links(ncp: Ncp, reference: str) -> list[tuple[str, str | None, str | None]]:
    return [
        (link.relation, link.ncp, link.external_reference)
        for link in ncp.services.case_links.list(reference=reference).links
    ]


def test_each_side_links_the_other_sides_case_once_it_knows_its_reference(pair: tuple[Ncp, Ncp]) -> None:
    a, b = pair
    ref = open_one(a.services)
    a.services.bundles.share(reference=ref, to="SE", actor="sek", out=a.folder / "1.json")
    local = b.services.bundles.receive(path=a.folder / "1.json", actor="sek").reference
    assert _links(b, local) == [("parallel", "NO", ref)]
    assert _links(a, ref) == []  # SE's reference is not known at NO yet
    linked = [e for e in b.services.audit.log(case_ref=local) if e.kind == "case_linked"]
    received = [e for e in b.services.audit.log(case_ref=local) if e.kind == "bundle_received"]
    assert len(linked) == 1 and linked[0].at == received[0].at
    b.services.bundles.share(reference=local, to="NO", actor="sek", out=b.folder / "1.json")
    a.services.bundles.receive(path=b.folder / "1.json", actor="sek")
    assert _links(a, ref) == [("parallel", "SE", local)]
    a.services.bundles.share(reference=ref, to="SE", actor="sek", out=a.folder / "2.json")
    b.services.bundles.receive(path=a.folder / "2.json", actor="sek")
    assert _links(b, local) == [("parallel", "NO", ref)]
    assert a.services.audit.verify_chain().ok and b.services.audit.verify_chain().ok


def test_a_link_a_handler_removed_is_not_made_again_by_a_later_bundle(pair: tuple[Ncp, Ncp]) -> None:
    a, b = pair
    ref = open_one(a.services)
    a.services.bundles.share(reference=ref, to="SE", actor="sek", out=a.folder / "1.json")
    local = b.services.bundles.receive(path=a.folder / "1.json", actor="sek").reference
    (link,) = b.services.case_links.list(reference=local).links
    b.services.case_links.unlink(reference=local, number=link.number, actor="sek", reason="Not the same")
    a.services.bundles.share(reference=ref, to="SE", actor="sek", out=a.folder / "2.json")
    b.services.bundles.receive(path=a.folder / "2.json", actor="sek")
    assert _links(b, local) == []


def test_a_refused_bundle_links_nothing(pair: tuple[Ncp, Ncp], other_database_url: str) -> None:
    a, b = pair
    ref = open_one(a.services)
    a.services.bundles.share(reference=ref, to="SE", actor="sek", out=a.folder / "1.json")
    raw = (a.folder / "1.json").read_bytes()
    (a.folder / "bad.json").write_bytes(raw.replace(b"Fish farm", b"Fish form"))
    before = dump(other_database_url)
    with pytest.raises(BundleRefusedError) as refused:
        b.services.bundles.receive(path=a.folder / "bad.json", actor="sek")
    assert str(refused.value.reason) == "tampered" and dump(other_database_url) == before
