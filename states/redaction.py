"""Redaction of protected identities: the one rule every view, feed and export applies (pure).

A protected party's name and organisation number are protected, with its contacts' names,
e-mail and postal addresses: a party whose identity is withheld (`confidential`, any role) or
which is at risk of reprisal. Which of them a reader may not see is `workflow.redaction`'s
choice (`for_viewer`: everything for auditors and exports, the parties at risk of reprisal of
the cases it does not lead for a member); every occurrence of those in any text is replaced:

- names match ignoring case, with any run of whitespace (spaces, tabs, line breaks) standing
  for the spaces between their words: "kari  NORDMANN" is "Kari Nordmann";
- organisation numbers match on their letters and digits, with spaces, dots or hyphens allowed
  between them ("987 654 321" is "987654321"), and not inside a longer run of letters or digits;
- every protected name of every case is looked for, longest first; where two occurrences
  overlap ("Friends of the Fjord Watch" holding "Friends of the Fjord" and "Fjord Watch"), the
  whole overlapping stretch is replaced once;
- the replacement is the case's stable pseudonym (`states.pseudonyms.pseudonym`: "Submitter …",
  "Enterprise …", and for each of a contact's name, e-mail and address the contact's one
  "Contact …") when the text belongs to the case whose party it is, and `OTHER_CASE` (a
  submitter) or `OTHER_PARTY` anywhere else (another case's text, entries about no case, the
  members' declared conflicts), so a label never links cases; both worded in the reader's
  language (the digits of a pseudonym are the same in each).

Identifiers (references, states, hashes) are not free text; `value` leaves the keys named in
`keep` alone at the top level of a mapping.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from states.members import normalise_name, normalise_org_number
from states.messages import ENGLISH, N_, Translator
from states.pseudonyms import pseudonym

OTHER_CASE = N_("[confidential submitter]")
OTHER_PARTY = N_("[confidential party]")
_SEPARATORS = r"[\s.\-]*"  # what may stand between an organisation number's letters and digits
_ALNUM = r"[^\W_]"


@dataclass(frozen=True)
class Protected:
    """A text to hide of case `reference`: a protected party's name and organisation number
    (`kind` its role), or one detail of its contact (`kind` "contact", `owner` the contact's
    name, whose pseudonym replaces each of its details)."""

    reference: str
    name: str
    org_number: str | None = None
    kind: str = "submitter"  # submitter, enterprise, contact: the pseudonym's word
    owner: str | None = None  # a contact's detail: the contact's name (its label); None: `name`
    reprisal_risk: bool = False  # the party is at risk of reprisal (a narrower circle sees it)
    lead: str | None = None  # the case's lead member (who sees its parties at risk)


def _name_pattern(name: str) -> str | None:
    words = name.split()
    return r"\s+".join(re.escape(w) for w in words) if words else None


def _number_pattern(number: str) -> str | None:
    chars = normalise_org_number(number)
    if not chars:
        return None
    return f"(?<!{_ALNUM})" + _SEPARATORS.join(re.escape(c) for c in chars) + f"(?!{_ALNUM})"


class Redaction:
    """Replaces every protected name and organisation number in text and nested data."""

    def __init__(self, protected: Iterable[Protected] = (), tr: Translator = ENGLISH) -> None:
        """`tr` words the labels (the pages' language); stored and exported text: English."""
        self._tr = tr
        # normalised name or number -> reference -> what it belongs to
        self._names: dict[str, dict[str, Protected]] = {}
        self._numbers: dict[str, dict[str, Protected]] = {}
        patterns: set[str] = set()
        for item in protected:
            name_pattern = _name_pattern(item.name)
            if name_pattern is None:
                continue
            patterns.add(name_pattern)
            self._names.setdefault(normalise_name(item.name), {}).setdefault(item.reference, item)
            number_pattern = _number_pattern(item.org_number or "")
            if number_pattern is not None:
                patterns.add(number_pattern)
                self._numbers.setdefault(normalise_org_number(item.org_number or ""), {}).setdefault(
                    item.reference, item
                )
        # Longest first: at one position the longer name wins over a name inside it.
        ordered = sorted(patterns, key=lambda p: (-len(p), p))
        self._each = [re.compile(p, re.IGNORECASE) for p in ordered]
        self._any = re.compile("|".join(ordered), re.IGNORECASE) if ordered else None

    @property
    def active(self) -> bool:
        """Whether anything is protected (an inactive redaction returns its input as is)."""
        return self._any is not None

    def text(self, value: str, reference: str | None = None) -> str:
        """`value` with every protected name and number replaced (see the module docstring)."""
        if self._any is None or self._any.search(value) is None:
            return value
        spans: list[tuple[int, int]] = sorted(
            (m.start(), m.end()) for p in self._each for m in p.finditer(value) if m.end() > m.start()
        )
        merged: list[list[int]] = []  # [start, end, start of its longest match, end of that]
        for start, end in spans:
            if merged and start < merged[-1][1]:
                last = merged[-1]
                last[1] = max(last[1], end)
                if end - start > last[3] - last[2]:
                    last[2], last[3] = start, end
            else:
                merged.append([start, end, start, end])
        out: list[str] = []
        position = 0
        for start, end, best_start, best_end in merged:
            out.append(value[position:start])
            out.append(self._label(value[best_start:best_end], reference))
            position = end
        out.append(value[position:])
        return "".join(out)

    def _label(self, matched: str, reference: str | None) -> str:
        owners = (
            self._names.get(normalise_name(matched)) or self._numbers.get(normalise_org_number(matched)) or {}
        )
        if reference is not None and reference in owners:
            item = owners[reference]
            return pseudonym(reference, item.owner or item.name, self._tr, item.kind)
        kinds = {item.kind for item in owners.values()}
        return self._tr.gettext(OTHER_PARTY if kinds - {"submitter"} else OTHER_CASE)

    def value(self, value: Any, reference: str | None = None, keep: frozenset[str] = frozenset()) -> Any:
        """Strings, lists, tuples and mappings (values only, not keys) redacted all the way down;
        at the top level of a mapping, the keys in `keep` stay verbatim."""
        if self._any is None:
            return value
        if isinstance(value, str):
            return self.text(value, reference)
        if isinstance(value, list | tuple):
            return [self.value(v, reference) for v in value]
        if isinstance(value, Mapping):
            return {k: v if k in keep else self.value(v, reference) for k, v in value.items()}
        return value


NOTHING = Redaction()
"""The redaction of a reader who may see identities: text passes unchanged."""
