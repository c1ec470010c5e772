"""The journal of documents in and out (offentlig journal), pure: which document versions are
journal entries, what each says, and what the public variant leaves out.

Norwegian public bodies keep a journal of the documents they receive and send, so that anyone
can ask for one under the Freedom of Information Act (offentleglova). A journal entry is one
version of a document of a case whose direction is `in` or `out` (internal documents are not
journal entries): its date (the NCP-local day it was filed), case, direction, party, title,
access level and exemption ground.

The public variant shows no title that is exempt from public access: an exempt document's title
becomes "Exempt from public access, offentleglova § 13" (its ground), and an NCP-internal (`ncp`)
document's title the neutral `HIDDEN_TITLE`. Protected names (withheld parties, parties at risk of
reprisal, their contacts) are replaced by the one redaction every export uses
(`workflow.redaction.protecting`), in titles and in the party column alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from states.documents import HIDDEN_TITLE, INTERNAL, Document
from states.messages import N_, Translator

JOURNALED = ("in", "out")
"""The directions of journal entries: documents received and sent."""

EXEMPT_TITLE = N_("Exempt from public access, {ground}")
"""The public variant's title of a document exempt from public access."""

DIRECTION_WORDS: Mapping[str, str] = {"in": N_("received"), "out": N_("sent"), "internal": N_("internal")}
ACCESS_WORDS: Mapping[str, str] = {
    "public": N_("public"),
    "parties": N_("the parties"),
    "ncp": N_("the NCP only"),
}


@dataclass(frozen=True)
class Line:
    """One journal entry, as stored: `party` the party's name (None: none named)."""

    day: date
    reference: str
    number: int
    version: int
    direction: str
    party: str | None
    title: str
    access: str
    exemption: str | None

    @property
    def withheld(self) -> bool:
        """Whether the public may not read its title: exempt, or NCP-internal."""
        return self.exemption is not None or self.access == INTERNAL


def lines(
    documents: Iterable[Document],
    *,
    day_of: Callable[[Document], date],
    parties: Mapping[str, Mapping[str, str]],
    since: date | None = None,
    until: date | None = None,
) -> list[Line]:
    """The journal entries among `documents` filed from `since` to `until` (both days included,
    as `day_of` gives a version's NCP-local day), in the order given; `parties`: each case's
    party names by key."""
    found = []
    for document in documents:
        if document.direction not in JOURNALED:
            continue
        day = day_of(document)
        if (since is not None and day < since) or (until is not None and day > until):
            continue
        names = parties.get(document.reference, {})
        found.append(
            Line(
                day=day,
                reference=document.reference,
                number=document.number,
                version=document.version,
                direction=document.direction,
                party=names.get(document.party) if document.party else None,
                title=document.title,
                access=document.access,
                exemption=document.exemption,
            )
        )
    return found


def shown_title(line: Line, tr: Translator, *, public: bool, internal: bool) -> str:
    """The title a reader sees: in the public variant an exempt title gives way to its ground
    and an NCP-internal one to `HIDDEN_TITLE`; a reader who may not read internal documents
    (`internal` False) never sees an `ncp` document's title either."""
    if public and line.exemption is not None:
        return tr.gettext(EXEMPT_TITLE).format(ground=line.exemption)
    if line.access == INTERNAL and (public or not internal):
        return tr.gettext(HIDDEN_TITLE)
    return line.title
