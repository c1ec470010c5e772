"""Related instances (pure): links between cases that concern the same facts.

The kinds of link (`KINDS`):

- `parallel` — a parallel complaint at another NCP: an *external* link naming that NCP (its
  ISO 3166 country code, as the OECD names NCPs), its own reference for the case, and
  optionally an address (http or https) where it is described.
- `follow_on` — this case is a follow-on complaint to an earlier one: a case here (a *local*
  link) or at another NCP (external). Seen from the earlier local case the relation reads
  `followed_by`.
- `same_facts` — two cases here about the same facts (local on both sides).

A link is numbered 1, 2, ... across the NCP: one number names it on both cases of a local link.
Links are appended, never changed; removing one appends its removal (who, when), and a link
stands until removed. While one stands, the same two cases are not linked again (whatever the
kind or direction), nor the same case at the same NCP twice from one case. A case is never
linked to itself, and an external link never names this NCP itself (link the local case).

Confidentiality: a link holds references and an address, never a party's name. The other case's
title is shown through the reader's redaction (`workflow.redaction`); a reader who may not see
the other case at all (a mediator not assigned to it) sees that a related case exists, not which
(`withheld`). The public register shows a link only between two cases that are both listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from states.errors import Input, InvalidInputError, StepRefusedError
from states.limits import NAME_MAX, TEXT_MAX, check_text, has_control
from states.messages import N_

PARALLEL, FOLLOW_ON, SAME_FACTS = "parallel", "follow_on", "same_facts"
FOLLOWED_BY = "followed_by"

KINDS: dict[str, str] = {
    PARALLEL: N_("parallel complaint at another NCP"),
    FOLLOW_ON: N_("follow-on complaint to an earlier case"),
    SAME_FACTS: N_("same facts as another case here"),
}
"""The kinds one links, each with its words in a form's choices."""

RELATIONS: dict[str, str] = {
    PARALLEL: N_("Parallel complaint"),
    FOLLOW_ON: N_("Follows on from"),
    FOLLOWED_BY: N_("Followed by"),
    SAME_FACTS: N_("Same facts"),
}
"""How a link reads from one of its cases: a follow-on reads `followed_by` from the earlier
case."""

LOCAL_KINDS = frozenset({FOLLOW_ON, SAME_FACTS})
EXTERNAL_KINDS = frozenset({PARALLEL, FOLLOW_ON})

KIND = Input(N_("the kind of link"), "kind")
OTHER_CASE = Input(N_("the related case here"), "case")
NCP = Input(N_("the other NCP"), "ncp")
EXTERNAL_REFERENCE = Input(N_("the other NCP's reference"), "external_reference")
URL = Input(N_("the address of the other case"), "url")
LINK = Input(N_("the link"), "link")

URL_MAX = TEXT_MAX


@dataclass(frozen=True)
class CaseLink:
    """A link made on case `case` to a local case `other`, or to `external_reference` at NCP
    `ncp` (with its `url`); removed when `removed_at` is set."""

    number: int
    kind: str
    case: str
    other: str | None
    ncp: str | None
    external_reference: str | None
    url: str | None
    linked_at: datetime
    linked_by: str
    removed_at: datetime | None = None
    removed_by: str | None = None
    removed_because: str | None = None

    @property
    def active(self) -> bool:
        return self.removed_at is None

    @property
    def external(self) -> bool:
        return self.other is None

    def concerns(self, reference: str) -> bool:
        """Whether the link shows on case `reference` (either of its local cases)."""
        return reference in (self.case, self.other)

    def other_of(self, reference: str) -> str | None:
        """The local case at the other end, seen from `reference`; None for an external link."""
        if self.other is None:
            return None
        return self.other if reference == self.case else self.case

    def relation(self, reference: str) -> str:
        """How the link reads from case `reference` (`RELATIONS`)."""
        if self.kind == FOLLOW_ON and self.other is not None and reference == self.other:
            return FOLLOWED_BY
        return self.kind


def check_url(url: str) -> str:
    """`url` if it is an absolute http or https address of at most `URL_MAX` characters, without
    spaces or control characters."""
    check_text(url, URL, limit=URL_MAX)
    parts = urlsplit(url)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or has_control(url)
        or any(c.isspace() for c in url)
    ):
        raise InvalidInputError(
            N_("{what} '{value}' is not an http or https address (e.g. https://example.org/cases/12)"),
            what=URL,
            value=url[:80],
        )
    return url


def _external_key(ncp: str, reference: str) -> tuple[str, str]:
    return ncp.upper(), " ".join(reference.split()).casefold()


def new_link(
    links: Sequence[CaseLink],
    *,
    number: int,
    reference: str,
    state: str,
    kind: str,
    other: str | None,
    ncp: str | None,
    external_reference: str | None,
    url: str | None,
    own_ncp: str,
    linked_at: datetime,
    linked_by: str,
) -> CaseLink:
    """The link numbered `number` from case `reference` (in `state`), checked against the
    `links` that already show on it; refusals name the input."""
    if kind not in KINDS:
        raise InvalidInputError(
            N_("{what}: unknown kind '{value}'; one of: {choices}"),
            what=KIND,
            value=kind[:40],
            choices=", ".join(KINDS),
        )
    if other is not None:
        if ncp is not None or external_reference is not None or url is not None:
            raise InvalidInputError(
                N_("{what}: give either a case here or another NCP's case, not both"), what=OTHER_CASE
            )
        if kind not in LOCAL_KINDS:
            raise InvalidInputError(
                N_("{what}: a parallel complaint is at another NCP; give the NCP and its reference"),
                what=OTHER_CASE,
            )
        if other == reference:
            raise InvalidInputError(
                N_("{what}: case {reference} cannot be linked to itself"),
                what=OTHER_CASE,
                reference=reference,
            )
        for link in links:
            if link.active and link.other_of(reference) == other:
                raise StepRefusedError(
                    reference=reference,
                    state=state,
                    problem=Input(
                        N_("it is already linked to case {other} (link {number})"),
                        params={"other": other, "number": link.number},
                    ),
                )
    else:
        if ncp is None or external_reference is None:
            raise InvalidInputError(
                N_("{what}: give a case here, or another NCP and its reference for the case"), what=OTHER_CASE
            )
        if kind not in EXTERNAL_KINDS:
            raise InvalidInputError(
                N_("{what}: cases with the same facts are both here; give the other case's reference"),
                what=KIND,
            )
        if ncp.upper() == own_ncp.upper():
            raise InvalidInputError(
                N_("{what}: {ncp} is this NCP; link the case here by its reference"), what=NCP, ncp=ncp
            )
        check_text(external_reference, EXTERNAL_REFERENCE, limit=NAME_MAX)
        if has_control(external_reference):
            raise InvalidInputError(N_("{what} must not contain control characters"), what=EXTERNAL_REFERENCE)
        if url is not None:
            check_url(url)
        wanted = _external_key(ncp, external_reference)
        for link in links:
            if (
                link.active
                and link.case == reference
                and link.ncp is not None
                and link.external_reference is not None
                and _external_key(link.ncp, link.external_reference) == wanted
            ):
                raise StepRefusedError(
                    reference=reference,
                    state=state,
                    problem=Input(
                        N_("it is already linked to {code} {external} (link {number})"),
                        params={"code": link.ncp, "external": link.external_reference, "number": link.number},
                    ),
                )
    return CaseLink(
        number=number,
        kind=kind,
        case=reference,
        other=other,
        ncp=ncp.upper() if ncp is not None else None,
        external_reference=external_reference.strip() if external_reference is not None else None,
        url=url,
        linked_at=linked_at,
        linked_by=linked_by,
    )


def removable(links: Sequence[CaseLink], number: int, *, reference: str, state: str) -> CaseLink:
    """The link `number` showing on case `reference`, if it still stands: unknown numbers (or
    another case's link) are refused naming the link, a removed one as a refused step."""
    found = next((link for link in links if link.number == number and link.concerns(reference)), None)
    if found is None:
        raise InvalidInputError(
            N_("{what}: case {reference} has no link {number}"), what=LINK, reference=reference, number=number
        )
    if not found.active:
        raise StepRefusedError(
            reference=reference,
            state=state,
            problem=Input(N_("link {number} was already removed"), params={"number": number}),
        )
    return found
