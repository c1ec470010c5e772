"""The audit hash chain, pure: seal() builds it, verify() names the first entry that breaks."""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from states.chain import (
    GENESIS,
    HASHED_FIELDS,
    AuditEntry,
    canonical_json,
    entry_hash,
    format_instant,
    seal,
    verify,
)

START = datetime(2025, 1, 31, 9, 0, tzinfo=UTC)

# (case_ref, kind, actor, from_state, to_state, reason, data)
STEPS: tuple[tuple[Any, ...], ...] = (
    (
        "NCP-2025-001",
        "opened",
        "secretariat",
        None,
        "received",
        "submission registered",
        {"title": "Vindkraft på reinbeiteland", "parties": [{"name": "Ørsted Vind AS"}]},
    ),
    (
        "NCP-2025-001",
        "transitioned",
        "member-b",
        "received",
        "initial_assessment",
        "kvittering sendt",
        {"trigger": "begin_assessment", "outcome": None},
    ),
    (
        "NCP-2025-002",
        "opened",
        "secretariat",
        None,
        "received",
        "submission registered",
        {"title": "<script>alert('x')</script>", "themes": ["human_rights"]},
    ),
    (
        "NCP-2025-001",
        "transitioned",
        "member-c",
        "initial_assessment",
        "good_offices",
        "accepted in part",
        {"trigger": "accept", "scope": "chapter IV"},
    ),
    (None, "checkpoint", "scheduler", None, None, None, {"head": 4}),
    (
        "NCP-2025-002",
        "transitioned",
        "member-d",
        "received",
        "closed",
        "transferred to SE",
        {"trigger": "transfer", "outcome": "transferred", "n": 1.5},
    ),
)


def build_chain(steps: tuple[tuple[Any, ...], ...] = STEPS) -> list[AuditEntry]:
    chain: list[AuditEntry] = []
    for i, (case_ref, kind, actor, from_state, to_state, reason, data) in enumerate(steps):
        chain.append(
            seal(
                prev=chain[-1] if chain else None,
                case_ref=case_ref,
                kind=kind,
                actor=actor,
                at=START + timedelta(days=i, minutes=7 * i),
                from_state=from_state,
                to_state=to_state,
                reason=reason,
                data=data,
            )
        )
    return chain


CHAIN = build_chain()
N = len(CHAIN)
hex64 = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
# A fixed alphabet (Norwegian letters, markup, quotes) keeps generation fast and relevant.
texts = st.text(alphabet="aeoæøåÆØÅz <>&\"'\\/-_0", max_size=20)


def test_an_intact_chain_verifies_and_reports_its_head() -> None:
    """A chain built with seal() verifies, counting every entry and naming the head."""
    verdict = verify(CHAIN)
    assert verdict.ok
    assert (verdict.first_bad_seq, verdict.problem) == (None, None)
    assert (verdict.entries, verdict.head_seq, verdict.head_hash) == (N, N, CHAIN[-1].hash)
    assert [e.seq for e in CHAIN] == list(range(1, N + 1))
    assert CHAIN[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(CHAIN))


def test_an_empty_chain_verifies() -> None:
    """No entries is a valid (empty) chain with no head."""
    verdict = verify([])
    assert verdict.ok
    assert (verdict.entries, verdict.head_seq) == (0, None)


def test_the_hash_is_sha256_of_the_previous_hash_and_the_canonical_body() -> None:
    """hash = sha256(prev_hash + canonical_json(body)), computed here independently."""
    first = CHAIN[0]
    body = (
        '{"actor":"secretariat","at":"2025-01-31T09:00:00.000000Z","case_ref":"NCP-2025-001",'
        '"data":{"parties":[{"name":"Ørsted Vind AS"}],"title":"Vindkraft på reinbeiteland"},'
        '"from_state":null,"kind":"opened","reason":"submission registered","seq":1,'
        '"to_state":"received"}'
    )
    assert first.hash == hashlib.sha256((GENESIS + body).encode("utf-8")).hexdigest()
    assert first.at == format_instant(START) == "2025-01-31T09:00:00.000000Z"


def test_sealing_is_deterministic_and_survives_a_json_round_trip() -> None:
    """The same steps seal to the same hashes, and entries read back from JSON still verify."""
    assert [e.hash for e in build_chain()] == [e.hash for e in CHAIN]
    read_back = [AuditEntry(**{**json.loads(json.dumps(e.as_dict()))}) for e in CHAIN]
    assert verify(read_back).ok


def test_an_instant_in_another_zone_is_hashed_as_the_same_utc_instant() -> None:
    """format_instant spells an instant in UTC, so the offset it was given in does not matter."""
    oslo_time = START.astimezone(datetime(2025, 1, 1, tzinfo=UTC).astimezone().tzinfo)
    assert format_instant(oslo_time) == format_instant(START)


def _different(original: Any) -> st.SearchStrategy[Any]:
    if isinstance(original, int):
        return st.integers(-5, 50).filter(lambda v: v != original)
    if isinstance(original, dict):
        return st.dictionaries(texts, st.integers() | texts, max_size=3).filter(lambda v: v != original)
    return st.one_of(st.none(), texts).filter(lambda v: v != original)


@st.composite
def edits(draw: st.DrawFn) -> tuple[int, str, Any]:
    index = draw(st.integers(0, N - 1))
    field = draw(st.sampled_from((*HASHED_FIELDS, "prev_hash", "hash")))
    original = getattr(CHAIN[index], field)
    if field in ("prev_hash", "hash"):
        value = draw(hex64.filter(lambda v: v != original))
    elif field == "at":
        value = draw(
            st.sampled_from(["2025-01-31T09:00:00.000001Z", "2024-12-31T23:59:59Z", "2025-02-01"]).filter(
                lambda v: v != original
            )
        )
    else:
        value = draw(_different(original))
    return index, field, value


@given(edit=edits())
def test_editing_any_field_of_any_entry_is_caught_at_that_entry(edit: tuple[int, str, Any]) -> None:
    """Changing one field of one stored entry makes verify() fail there (and not before)."""
    index, field, value = edit
    tampered = list(CHAIN)
    tampered[index] = replace(CHAIN[index], **{field: value})
    verdict = verify(tampered)
    assert not verdict.ok
    seq = index + 1
    if field == "seq":
        # An out-of-sequence number is reported at the lower of the two numbers involved.
        assert verdict.first_bad_seq == min(value, seq)
    else:
        assert verdict.first_bad_seq == seq
    assert verdict.head_seq == (seq - 1 or None)  # the last good entry before the break
    assert verify(tampered[:index]).ok


@given(index=st.integers(0, N - 2), reason=texts)
def test_rewriting_an_entry_and_resealing_it_is_caught_at_the_next_entry(index: int, reason: str) -> None:
    """An entry altered and given a matching new hash no longer links to its successor."""
    original = CHAIN[index]
    body = {**original.hashed_body(), "reason": f"{original.reason}{reason}!"}
    resealed = replace(original, reason=body["reason"], hash=entry_hash(original.prev_hash, body))
    tampered = [*CHAIN[:index], resealed, *CHAIN[index + 1 :]]
    verdict = verify(tampered)
    assert not verdict.ok
    assert verdict.first_bad_seq == index + 2
    assert "does not link" in (verdict.problem or "")
    assert verify(tampered[: index + 1]).ok  # the resealed entry is consistent on its own


@given(index=st.integers(0, N - 2))
def test_deleting_an_entry_is_caught_where_the_gap_is(index: int) -> None:
    """Removing entry k (not the newest) fails with first_bad_seq k, reported as missing."""
    tampered = CHAIN[:index] + CHAIN[index + 1 :]
    verdict = verify(tampered)
    assert not verdict.ok
    assert verdict.first_bad_seq == index + 1
    assert "missing" in (verdict.problem or "")


def test_cutting_off_the_newest_entries_is_not_visible_to_the_chain_alone() -> None:
    """Truncation leaves a valid shorter chain: why the head is checkpointed outside the database."""
    verdict = verify(CHAIN[:-2])
    assert verdict.ok
    assert (verdict.head_seq, verdict.head_hash) == (N - 2, CHAIN[-3].hash)


@given(index=st.integers(0, N - 2))
def test_swapping_two_neighbouring_entries_is_caught_at_the_first_of_them(index: int) -> None:
    """Entries k and k+1 stored in swapped order fail at seq k."""
    tampered = list(CHAIN)
    tampered[index], tampered[index + 1] = tampered[index + 1], tampered[index]
    verdict = verify(tampered)
    assert not verdict.ok
    assert verdict.first_bad_seq == index + 1


@given(first=st.integers(0, N - 1), second=st.integers(0, N - 1))
def test_swapping_any_two_entries_is_caught_at_the_earlier_position(first: int, second: int) -> None:
    """Exchanging any two different entries fails at the seq of the earlier position."""
    if first == second:
        assert verify(CHAIN).ok
        return
    tampered = list(CHAIN)
    tampered[first], tampered[second] = tampered[second], tampered[first]
    verdict = verify(tampered)
    assert not verdict.ok
    assert verdict.first_bad_seq == min(first, second) + 1


@given(index=st.integers(0, N - 1), well_sealed=st.booleans(), reason=texts, forged_hash=hex64)
def test_inserting_a_forged_entry_is_caught_at_its_seq(
    index: int, well_sealed: bool, reason: str, forged_hash: str
) -> None:
    """A forged entry slipped in at position k fails at seq k, however well it is sealed."""
    prev = CHAIN[index - 1] if index else None
    forged = seal(
        prev=prev,
        case_ref="NCP-2025-001",
        kind="transitioned",
        actor="intruder",
        at=START + timedelta(hours=1),
        from_state="received",
        to_state="closed",
        reason=reason,
        data={"trigger": "transfer"},
    )
    if not well_sealed:
        forged = replace(forged, hash=forged_hash)
    tampered = [*CHAIN[:index], forged, *CHAIN[index:]]
    verdict = verify(tampered)
    assert not verdict.ok
    assert verdict.first_bad_seq == index + 1


def test_canonical_json_keeps_norwegian_letters_and_markup_verbatim() -> None:
    """canonical_json sorts keys, has no spaces and escapes neither Unicode nor HTML."""
    value = {
        "reason": "Sámi reindrift på Fosen: æ ø å Æ Ø Å",
        "title": "<script>alert(1)</script>",
        "a": [1, "&amp;"],
    }
    assert canonical_json(value) == (
        '{"a":[1,"&amp;"],"reason":"Sámi reindrift på Fosen: æ ø å Æ Ø Å",'
        '"title":"<script>alert(1)</script>"}'
    )


def test_an_entry_with_unicode_text_is_stored_verbatim_and_verifies() -> None:
    """Norwegian letters and markup in a reason and data survive sealing unchanged."""
    entry = seal(
        prev=None,
        case_ref="NCP-2025-009",
        kind="transitioned",
        actor="Åse Ødegård",
        at=START,
        from_state="received",
        to_state="initial_assessment",
        reason="Mottak bekreftet <b>før</b> fristen",
        data={"note": "blåbær"},
    )
    assert entry.reason == "Mottak bekreftet <b>før</b> fristen"
    assert (entry.actor, entry.data) == ("Åse Ødegård", {"note": "blåbær"})
    assert verify([entry]).ok
    assert not verify([replace(entry, actor="Ase Odegard")]).ok
