"""Sharing a case between two ncpflow instances (two databases, two keys, two configs), on
SQLite and PostgreSQL: bundles written, verified and taken in, each side's chain recording the
other's bundle hashes; and every named refusal, at share and at receive, changing nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from structlog.testing import capture_logs

from states.bundles import seal
from states.chain import canonical_json
from states.errors import (
    BundleRefusedError,
    InvalidInputError,
    Refusal,
    TooLargeError,
    TransitionNotAllowedError,
)
from states.signatures import Signer
from tests.conftest import make_settings
from tests.dbdump import dump
from tests.helpers import open_one
from workflow.bootstrap import Services, bootstrap
from workflow.bundles import Review
from workflow.cases import PartyInput, advance
from workflow.clock import FixedClock
from workflow.config import ConfigError

PDF = b"%PDF-1.4\n% a complaint\n%%EOF\n"


@dataclass
class Ncp:
    code: str
    services: Services
    folder: Path


def _settings(url: str, code: str, folder: Path, peers: list[dict[str, str]], **sections: Any) -> Any:
    return make_settings(
        url,
        ncp={"country": code, "name": f"NCP {code}", "reference_prefix": code},
        audit={"signing_key_file": str(folder / "signing.pem")},
        peers=peers,
        **sections,
    )


def _keys(folder: Path) -> Signer:
    folder.mkdir(parents=True, exist_ok=True)
    signer = Signer.generate()
    (folder / "signing.pem").write_text(signer.private_pem())
    (folder / "public.pem").write_text(signer.public_pem())
    return signer


@pytest.fixture
def pair(
    database_url: str, other_database_url: str, tmp_path: Path, clock: FixedClock
) -> Iterator[tuple[Ncp, Ncp]]:
    """Norway's and Sweden's NCPs, each with its own database and key, knowing the other's."""
    no, se = tmp_path / "no", tmp_path / "se"
    _keys(no), _keys(se)
    peer_se = {"ncp": "SE", "name": "NCP Sweden", "public_key_file": str(se / "public.pem")}
    peer_no = {"ncp": "NO", "name": "NCP Norway", "public_key_file": str(no / "public.pem")}
    a = bootstrap(_settings(database_url, "NO", no, [peer_se]), clock=clock)
    b = bootstrap(_settings(other_database_url, "SE", se, [peer_no]), clock=clock)
    yield Ncp("NO", a, no), Ncp("SE", b, se)
    a.close()
    b.close()


def _document(ncp: Ncp, reference: str, access: str, title: str = "The complaint") -> int:
    return ncp.services.documents.add(
        reference=reference,
        source=[PDF + title.encode()],
        filename="complaint.pdf",
        title=title,
        direction="in",
        access=access,
        actor="sek",
    ).number


def _protected_case(ncp: Ncp) -> str:
    return ncp.services.cases.open(
        title="Kari Nordmann against Havbruk",
        submitters=[PartyInput("Kari Nordmann", "individual", confidential=True)],
        enterprises=[PartyInput("Havbruk Seafood ASA")],
        actor="sek",
        received=datetime(2025, 5, 2, tzinfo=UTC),
    ).reference


def test_a_shared_case_is_opened_at_the_other_ncp_with_its_documents_and_both_chains_record_the_hash(
    pair: tuple[Ncp, Ncp],
) -> None:
    """NO shares a case and a document; SE verifies it, opens the case linked to NO's reference
    and files the document; both chains hold the bundle's SHA-256 and verify."""
    a, b = pair
    ref = open_one(a.services)
    number = _document(a, ref, "parties")
    shared = a.services.bundles.share(
        reference=ref, to="SE", actor="sek", documents=[number], out=a.folder / "b1.json"
    )
    raw = (a.folder / "b1.json").read_bytes()
    assert shared.sha256 == hashlib.sha256(raw).hexdigest() and shared.sequence == 1
    received = b.services.bundles.receive(path=a.folder / "b1.json", actor="sek")
    assert received.opened and received.peer_reference == ref and received.documents == (1,)
    case = b.services.cases.get(reference=received.reference)
    assert case.title == "Fish farm discharges" and received.reference.startswith("SE-")
    sent = [e for e in a.services.audit.log(case_ref=ref) if e.kind == "bundle_sent"]
    got = [e for e in b.services.audit.log(case_ref=received.reference) if e.kind == "bundle_received"]
    assert sent[0].data["sha256"] == got[0].data["sha256"] == shared.sha256
    assert a.services.audit.verify_chain().ok and b.services.audit.verify_chain().ok
    (link,) = b.services.bundles.list(reference=received.reference)
    assert (link.peer, link.peer_reference, link.direction) == ("NO", ref, "received")


def test_updates_flow_both_ways_in_sequence(pair: tuple[Ncp, Ncp]) -> None:
    """A second bundle from NO updates SE's case (a new document only); SE's bundle back names
    NO's reference and updates NO's case; each direction counts its own sequence."""
    a, b = pair
    ref = open_one(a.services)
    a.services.bundles.share(reference=ref, to="SE", actor="sek", out=a.folder / "1.json")
    local = b.services.bundles.receive(path=a.folder / "1.json", actor="sek").reference
    _document(a, ref, "public", "A public note")
    second = a.services.bundles.share(
        reference=ref, to="SE", actor="sek", documents=[1], out=a.folder / "2.json"
    )
    assert second.sequence == 2
    update = b.services.bundles.receive(path=a.folder / "2.json", actor="sek")
    assert (update.reference, update.opened, update.documents) == (local, False, (1,))
    back = b.services.bundles.share(reference=local, to="NO", actor="sek", out=b.folder / "back.json")
    assert back.sequence == 1
    home = a.services.bundles.receive(path=b.folder / "back.json", actor="sek")
    assert (home.reference, home.opened, home.peer_reference) == (ref, False, local)


def test_a_protected_party_travels_as_its_pseudonym_only(pair: tuple[Ncp, Ncp]) -> None:
    """The confidential submitter's name is in no byte of the bundle; SE's case holds the label,
    confidential."""
    a, b = pair
    ref = _protected_case(a)
    a.services.bundles.share(reference=ref, to="SE", actor="sek", out=a.folder / "p.json")
    raw = (a.folder / "p.json").read_bytes()
    assert b"Kari" not in raw and b"Nordmann" not in raw
    local = b.services.bundles.receive(path=a.folder / "p.json", actor="sek").reference
    (submitter, _) = b.services.cases.get(reference=local).parties
    assert submitter.confidential and submitter.name.startswith("Submitter ")


def _refused(reason: Refusal, run: Any) -> None:
    with pytest.raises(BundleRefusedError) as refused:
        run()
    assert refused.value.reason is reason
    assert str(refused.value).startswith(f"{reason}: ")


def _unchanged(services: Services, run: Any) -> None:
    url = services.settings.database.url
    before = dump(url)
    run()
    assert dump(url) == before


def test_an_ncp_internal_document_is_refused_at_share_and_nothing_is_written(pair: tuple[Ncp, Ncp]) -> None:
    """Asking for an `ncp` document is refused `beyond_rights`: no file, no row, no entry."""
    a, _ = pair
    ref = open_one(a.services)
    number = _document(a, ref, "ncp")
    out = a.folder / "never.json"

    def share() -> None:
        a.services.bundles.share(reference=ref, to="SE", actor="sek", documents=[number], out=out)

    _unchanged(a.services, lambda: _refused(Refusal.BEYOND_RIGHTS, share))
    assert not out.exists()


def _resigned(a: Ncp, path: Path, change: Any) -> bytes:
    """The bundle at `path` with its payload changed by `change` and signed again by NO."""
    value = json.loads(path.read_bytes())
    change(value["payload"])
    signer = Signer.from_pem((a.folder / "signing.pem").read_text())
    return seal(value["payload"], signer)


@pytest.fixture
def shared(pair: tuple[Ncp, Ncp]) -> tuple[Ncp, Ncp, Path]:
    a, _ = pair
    ref = _protected_case(a)
    _document(a, ref, "parties")
    a.services.bundles.share(reference=ref, to="SE", actor="sek", documents=[1], out=a.folder / "s.json")
    return (*pair, a.folder / "s.json")


@pytest.mark.parametrize(
    ("reason", "make"),
    [
        (Refusal.TAMPERED, "flip"),
        (Refusal.TAMPERED, "space"),
        (Refusal.UNKNOWN_KEY, "stranger"),
        (Refusal.WRONG_RECIPIENT, "to_dk"),
        (Refusal.BEYOND_RIGHTS, "internal_document"),
        (Refusal.BEYOND_RIGHTS, "named_protected_party"),
        (Refusal.OUT_OF_ORDER, "skip"),
        (Refusal.TAMPERED, "audit_entry"),
        (Refusal.NOT_A_BUNDLE, "garbage"),
    ],
)
def test_a_bad_bundle_is_refused_with_its_reason_and_changes_nothing(
    shared: tuple[Ncp, Ncp, Path], reason: Refusal, make: str
) -> None:
    """Each named refusal at receive leaves SE's database exactly as it was."""
    a, b, path = shared
    raw = path.read_bytes()
    if make == "flip":
        middle = len(raw) // 2
        raw = raw[:middle] + bytes([raw[middle] ^ 0x01]) + raw[middle + 1 :]
    elif make == "space":
        raw = raw.replace(b'{"payload":', b'{ "payload":', 1)
    elif make == "stranger":
        value = json.loads(raw)
        raw = (canonical_json(_stranger_sealed(value["payload"])) + "\n").encode()
    elif make == "to_dk":
        raw = _resigned(a, path, lambda p: p["to"].update(ncp="DK"))
    elif make == "internal_document":
        raw = _resigned(a, path, lambda p: p["documents"][0].update(access="ncp"))
    elif make == "named_protected_party":
        raw = _resigned(a, path, lambda p: p["case"]["parties"][0].update(name="Kari Nordmann"))
    elif make == "audit_entry":
        raw = _resigned(a, path, lambda p: _plain(p["audit"]).update(actor="someone else"))
    elif make == "skip":
        raw = _resigned(a, path, lambda p: p.update(sequence=2))
    else:
        raw = b"\x00not json"
    bad = path.with_name("bad.json")
    bad.write_bytes(raw)

    def receive() -> None:
        b.services.bundles.receive(path=bad, actor="sek")

    _unchanged(b.services, lambda: _refused(reason, receive))


def _plain(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The first audit entry of an excerpt that is not redacted (its hash can be recomputed)."""
    return next(row for row in rows if not row.get("redacted"))


def _stranger_sealed(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload sealed by a key nobody configured, under NO's name."""
    return dict(json.loads(seal(payload, Signer.generate())))


def test_a_replayed_bundle_is_refused_and_changes_nothing(shared: tuple[Ncp, Ncp, Path]) -> None:
    """The same bundle a second time is `replayed`, and so is an older one after a newer."""
    _, b, path = shared
    b.services.bundles.receive(path=path, actor="sek")
    _unchanged(
        b.services,
        lambda: _refused(Refusal.REPLAYED, lambda: b.services.bundles.receive(path=path, actor="sek")),
    )


def test_two_ncps_share_a_case_review_a_draft_and_hand_the_lead_over(pair: tuple[Ncp, Ncp]) -> None:
    """THE acceptance walk: NO shares a case with SE (which reviews drafts); SE takes it in, led
    by NO, adds a review comment and shares back; NO's review task is answered by it; NO hands
    the lead over (its `transfer` step closes the case there) and SE leads; both chains verify
    and each side's signed export holds the other's bundle hashes."""
    a, b = pair
    ref = open_one(a.services)
    a.services.ncps.add_supporting(reference=ref, ncp="SE", role="reviews_drafts", actor="sek")
    advance(
        uow=a.services.uow, clock=a.services.clock, policy=a.services.policy, reference=ref,
        trigger="begin_assessment", actor="sek", reason="complete",
    )  # fmt: skip
    a.services.statements.draft(reference=ref, kind="initial_assessment", actor="sek")
    (task,) = a.services.ncps.request_review(reference=ref, statement=1, actor="sek")
    first = a.services.bundles.share(reference=ref, to="SE", actor="sek", out=a.folder / "1.json")
    got = b.services.bundles.receive(path=a.folder / "1.json", actor="sek")
    theirs = b.services.ncps.show(reference=got.reference)
    assert theirs.lead == ["NO"] and [(s.ncp, s.role) for s in theirs.supporting] == [
        ("SE", "reviews_drafts")
    ]
    comment = Review(comment="Agree; paragraph 4 should name the host country.", on=b.services.today())
    back = b.services.bundles.share(
        reference=got.reference, to="NO", actor="sek", reviews=[comment], out=b.folder / "back.json"
    )
    home = a.services.bundles.receive(path=b.folder / "back.json", actor="sek")
    assert home.reference == ref
    (answered,) = a.services.ncps.show(reference=ref).reviews
    assert (answered.number, answered.comment) == (task.number, comment.comment)
    handover = a.services.bundles.share(
        reference=ref,
        to="SE",
        actor="sek",
        handover=True,
        reason="SE leads from now",
        out=a.folder / "h.json",
    )
    assert handover.kind == "handover" and handover.sequence == 2
    closed = a.services.cases.get(reference=ref)
    assert (closed.state, closed.outcome) == ("closed", "transferred")
    assert a.services.ncps.show(reference=ref).lead == ["SE"]
    b.services.bundles.receive(path=a.folder / "h.json", actor="sek")
    assert b.services.ncps.show(reference=got.reference).lead == ["SE"]
    written = {e.kind: e.reason for e in b.services.audit.log(case_ref=got.reference) if e.seq > 0}
    assert written["ncp_lead_transferred"] == "SE leads from now"  # the sender's words, not ncpflow's
    assert written["ncp_lead_set"] is None and written["bundle_received"] is None
    for side, other in ((a, [back.sha256]), (b, [first.sha256, handover.sha256])):
        assert side.services.audit.verify_chain().ok
        export = "".join(side.services.audit.export())
        assert all(sha in export for sha in other)
        assert '"signature"' in export  # signed with the NCP's key


def test_a_review_comment_without_an_open_task_refuses_the_whole_bundle(pair: tuple[Ncp, Ncp]) -> None:
    """SE's comment comes back to a case where NO asked SE for no review: refused, nothing kept."""
    a, b = pair
    ref = open_one(a.services)
    a.services.bundles.share(reference=ref, to="SE", actor="sek", out=a.folder / "1.json")
    local = b.services.bundles.receive(path=a.folder / "1.json", actor="sek").reference
    comment = Review(comment="Unasked", on=b.services.today())
    b.services.bundles.share(
        reference=local, to="NO", actor="sek", reviews=[comment], out=b.folder / "r.json"
    )

    def receive() -> None:
        with pytest.raises(InvalidInputError, match="no open review task"):
            a.services.bundles.receive(path=b.folder / "r.json", actor="sek")

    _unchanged(a.services, receive)


def test_a_handover_the_procedure_does_not_allow_now_writes_no_bundle(pair: tuple[Ncp, Ncp]) -> None:
    """A case in good offices cannot take the `transfer` step: no file, no row, no entry."""
    a, _ = pair
    ref = open_one(a.services)
    for trigger in ("begin_assessment", "accept"):
        advance(
            uow=a.services.uow, clock=a.services.clock, policy=a.services.policy, reference=ref,
            trigger=trigger, actor="sek", reason="r",
        )  # fmt: skip
    out = a.folder / "h.json"

    def share() -> None:
        with pytest.raises(TransitionNotAllowedError):
            a.services.bundles.share(reference=ref, to="SE", actor="sek", handover=True, reason="r", out=out)

    _unchanged(a.services, share)
    assert not out.exists()


def test_an_existing_out_file_is_never_overwritten_and_nothing_is_written(pair: tuple[Ncp, Ncp]) -> None:
    """`--out` naming a file that exists is bad input: the file keeps its bytes, no row, no entry."""
    a, _ = pair
    ref = open_one(a.services)
    out = a.folder / "taken.json"
    out.write_bytes(b"mine")

    def share() -> None:
        with pytest.raises(InvalidInputError, match="exists already"):
            a.services.bundles.share(reference=ref, to="SE", actor="sek", out=out)

    _unchanged(a.services, share)
    assert out.read_bytes() == b"mine"


def test_sharing_needs_the_signing_key_and_a_known_recipient(pair: tuple[Ncp, Ncp]) -> None:
    """Without [audit]'s key: a ConfigError naming it; to an NCP not in [[peers]], or to itself:
    bad input naming `to`. Nothing written either way."""
    a, _ = pair
    ref = open_one(a.services)
    unkeyed = bootstrap(make_settings(a.services.settings.database.url, peers=[_peer(a, "SE")]))
    try:
        _unchanged(a.services, lambda: _raises(ConfigError, "signing key", unkeyed, ref, "SE"))
    finally:
        unkeyed.close()
    for to in ("DK", "NO"):
        _unchanged(a.services, lambda to=to: _raises(InvalidInputError, to, a.services, ref, to))


def _peer(ncp: Ncp, code: str) -> dict[str, str]:
    return {"ncp": code, "name": code, "public_key_file": str(ncp.folder / "public.pem")}


def _raises(kind: type[Exception], words: str, services: Services, ref: str, to: str) -> None:
    with pytest.raises(kind, match=words):
        services.bundles.share(reference=ref, to=to, actor="sek", out=Path("/nonexistent/never.json"))


def test_a_missing_bundle_file_or_peer_key_is_named_and_changes_nothing(pair: tuple[Ncp, Ncp]) -> None:
    """A bundle path that is no file is bad input naming it; a [[peers]] key file that cannot be
    read is a config error naming the peer."""
    a, b = pair
    ref = open_one(a.services)
    a.services.bundles.share(reference=ref, to="SE", actor="sek", out=a.folder / "1.json")

    def missing() -> None:
        for path in (b.folder / "nothing.json", b.folder):
            with pytest.raises(InvalidInputError, match="cannot be read"):
                b.services.bundles.receive(path=path, actor="sek")

    _unchanged(b.services, missing)
    (a.folder / "public.pem").unlink()

    def keyless() -> None:
        with pytest.raises(ConfigError, match=r"\[\[peers\]\] NO"):
            b.services.bundles.receive(path=a.folder / "1.json", actor="sek")

    _unchanged(b.services, keyless)


def test_a_refused_bundle_is_logged_with_its_reason_and_hash(shared: tuple[Ncp, Ncp, Path]) -> None:
    """The operator's log names the reason and the SHA-256 of what was refused."""
    _, b, path = shared
    b.services.bundles.receive(path=path, actor="sek")
    with capture_logs() as logs, pytest.raises(BundleRefusedError):
        b.services.bundles.receive(path=path, actor="sek")
    (refused,) = [line for line in logs if line["event"] == "bundle_refused"]
    assert refused["reason"] == "replayed"
    assert refused["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_config_refuses_a_peer_twice_or_a_peer_that_is_this_ncp(tmp_path: Path) -> None:
    """[[peers]] names other NCPs, each once."""
    se = {"ncp": "SE", "name": "Sweden", "public_key_file": "se.pem"}
    with pytest.raises(ConfigError, match="appears twice"):
        make_settings("sqlite:///x.db", peers=[se, se])
    with pytest.raises(ConfigError, match="this NCP itself"):
        make_settings("sqlite:///x.db", peers=[{**se, "ncp": "NO"}])


def test_after_a_handover_the_new_lead_still_shares_with_the_former_one(pair: tuple[Ncp, Ncp]) -> None:
    """NO's case is closed as transferred; SE's later bundle with a document still reaches it."""
    a, b = pair
    ref = open_one(a.services)
    a.services.bundles.share(reference=ref, to="SE", actor="sek", out=a.folder / "1.json")
    local = b.services.bundles.receive(path=a.folder / "1.json", actor="sek").reference
    a.services.bundles.share(
        reference=ref, to="SE", actor="sek", handover=True, reason="SE leads", out=a.folder / "h.json"
    )
    b.services.bundles.receive(path=a.folder / "h.json", actor="sek")
    _document(b, local, "parties", "The enterprise's reply")
    b.services.bundles.share(reference=local, to="NO", actor="sek", documents=[1], out=b.folder / "u.json")
    got = a.services.bundles.receive(path=b.folder / "u.json", actor="sek")
    assert (got.reference, got.documents) == (ref, (1,))
    assert a.services.cases.get(reference=ref).state == "closed"


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("a lead that is a number", lambda p: p["ncps"].update(lead=5)),
        ("a supporting NCP that is a number", lambda p: p["ncps"].update(supporting=[1])),
        (
            "a supporting NCP's role that is a list",
            lambda p: p["ncps"].update(supporting=[{"ncp": "DK", "role": []}]),
        ),
        ("themes that are a number", lambda p: p["case"].update(themes=5)),
        ("host countries that are a number", lambda p: p["case"].update(host_countries=3)),
        ("a sector that is an object", lambda p: p["case"].update(sector={"x": 1})),
        ("a party type that is an object", lambda p: p["case"]["parties"][1].update(type={"x": 1})),
        ("a submitter type ncpflow does not know", lambda p: p["case"]["parties"][0].update(type="martian")),
        ("an organisation number that is a number", lambda p: p["case"]["parties"][1].update(org_number=123)),
        (
            "a review's statement that is text",
            lambda p: p.update(reviews=[{"comment": "c", "statement": "1"}]),
        ),
        ("a review's day that is a number", lambda p: p.update(reviews=[{"comment": "c", "on": 5}])),
        ("a sender's reference holding a NUL", lambda p: p["case"].update(reference="NO-2025-001\x00")),
        ("a sender's reference of 5,000 characters", lambda p: p["case"].update(reference="R" * 5000)),
        ("a sender's reference with spaces around it", lambda p: p["case"].update(reference=" NO-1 ")),
    ],
)
def test_a_signed_bundle_with_contents_of_the_wrong_type_is_not_a_bundle_and_changes_nothing(
    shared: tuple[Ncp, Ncp, Path], name: str, change: Any
) -> None:
    """A known peer's signature does not make any shape acceptable: the format (docs/
    bundle-format.md) is for NCPs without ncpflow too, so a field of the wrong type is refused
    `not_a_bundle` by name, never a crash or a row the database refuses."""
    a, b, path = shared
    bad = path.with_name("bad.json")
    bad.write_bytes(_resigned(a, path, change))
    _unchanged(
        b.services,
        lambda: _refused(Refusal.NOT_A_BUNDLE, lambda: b.services.bundles.receive(path=bad, actor="sek")),
    )


def test_a_review_comment_naming_a_protected_party_travels_with_its_pseudonym(pair: tuple[Ncp, Ncp]) -> None:
    """Like the title and a handover's reason, a review comment is redacted for the recipient:
    the confidential submitter's name is in no byte of the bundle, its pseudonym is."""
    a, _ = pair
    ref = _protected_case(a)
    review = Review(comment="Kari Nordmann's account is quoted wrongly in section 2.", on=date(2025, 6, 2))
    a.services.bundles.share(reference=ref, to="SE", actor="sek", reviews=[review], out=a.folder / "r.json")
    raw = (a.folder / "r.json").read_bytes()
    assert b"Kari" not in raw and b"Nordmann" not in raw
    (sent,) = json.loads(raw)["payload"]["reviews"]
    assert sent["comment"].startswith("Submitter ") and sent["comment"].endswith(
        "quoted wrongly in section 2."
    )


def test_a_sector_naming_a_protected_party_travels_with_its_pseudonym(pair: tuple[Ncp, Ncp]) -> None:
    """The sector is free text (the register redacts it too): a protected name in it is its
    pseudonym in the bundle."""
    a, _ = pair
    ref = a.services.cases.open(
        title="Discharges at the fjord",
        submitters=[PartyInput("Kari Nordmann", "individual", confidential=True)],
        enterprises=[PartyInput("Havbruk Seafood ASA")],
        actor="sek",
        received=datetime(2025, 5, 2, tzinfo=UTC),
        sector="Aquaculture at Kari Nordmann's neighbour",
    ).reference
    a.services.bundles.share(reference=ref, to="SE", actor="sek", out=a.folder / "s.json")
    raw = (a.folder / "s.json").read_bytes()
    assert b"Kari" not in raw and b"Nordmann" not in raw
    assert json.loads(raw)["payload"]["case"]["sector"].startswith("Aquaculture at Submitter ")


def test_the_measures_against_reprisals_stay_at_the_ncp_that_holds_the_party(pair: tuple[Ncp, Ncp]) -> None:
    """Another NCP sees a party at risk of reprisal by its pseudonym only, so not the measures
    taken for it either: the audit excerpt's party entries carry them withheld (and marked
    redacted), and SE takes the bundle in."""
    a, b = pair
    ref = open_one(a.services)
    a.services.parties.add_party(
        reference=ref,
        actor="sek",
        role="submitter",
        name="Ola Fisker",
        type="individual",
        reprisal_risk=True,
        measures="Moved to a shelter in Tromsø; police informed",
    )
    a.services.parties.change_party(
        reference=ref, party="submitter-2", actor="sek", measures="A safe address in Bodø"
    )
    a.services.bundles.share(reference=ref, to="SE", actor="sek", out=a.folder / "m.json")
    raw = (a.folder / "m.json").read_bytes()
    assert "Tromsø".encode() not in raw and "Bodø".encode() not in raw and b"shelter" not in raw
    assert b"Ola Fisker" not in raw
    rows = {row["kind"]: row for row in json.loads(raw)["payload"]["audit"]}
    assert rows["party_added"]["data"]["measures"] == "[withheld]" and rows["party_added"]["redacted"]
    changed = rows["party_changed"]["data"]["changes"]["measures"]
    assert changed == {"from": "[withheld]", "to": "[withheld]"} and rows["party_changed"]["redacted"]
    assert b.services.bundles.receive(path=a.folder / "m.json", actor="sek").opened


def test_a_bundle_larger_than_sharing_max_bundle_bytes_is_refused_unread_and_nothing_is_taken_in(
    pair: tuple[Ncp, Ncp], other_database_url: str, clock: FixedClock
) -> None:
    """`case receive FILE` and an upload read at most `[sharing] max_bundle_bytes` (+1) bytes: a
    larger bundle is refused (TooLargeError, bad input: exit 2, 413) naming the limit; at the
    limit it is taken in."""
    a, b = pair
    reference = open_one(a.services)
    shared = a.services.bundles.share(reference=reference, to="SE", actor="sek", out=a.folder / "1.json")
    size = len(shared.path.read_bytes())
    peer_no = {"ncp": "NO", "name": "NCP Norway", "public_key_file": str(a.folder / "public.pem")}
    tight = bootstrap(
        _settings(other_database_url, "SE", b.folder, [peer_no], sharing={"max_bundle_bytes": size - 1}),
        clock=clock,
    )
    try:
        before = dump(other_database_url)
        with pytest.raises(TooLargeError, match=r"larger than .*\[sharing\] max_bundle_bytes"):
            tight.bundles.receive(path=shared.path, actor="sek")
        with pytest.raises(TooLargeError):
            tight.bundles.take_in(raw=shared.path.read_bytes(), actor="sek")
        assert dump(other_database_url) == before
    finally:
        tight.close()
    exact = bootstrap(
        _settings(other_database_url, "SE", b.folder, [peer_no], sharing={"max_bundle_bytes": size}),
        clock=clock,
    )
    try:
        assert exact.bundles.receive(path=shared.path, actor="sek").opened
    finally:
        exact.close()
