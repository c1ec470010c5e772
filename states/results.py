"""A case's results: which result an outcome is, and when a case counts as concluded.

A case may record more than one result. One examined after good offices failed or were
declined keeps its mediation result (`enterprise_declined`, say) as well as the examination's
determination; the last one recorded does not overwrite the first. This module says, in one
place, which result field a recorded outcome sets, and which states count as concluded; the
reports (states/reports.py) read both from the audit log.

Result fields:
* `mediation_result`: how good offices ended (`agreement`, `partial_agreement`,
  `no_agreement`, `enterprise_declined`), whether the case then went to examination or to a
  statement;
* `determination`: how the examination ended (`determination`);
* `outcome`: an outcome that ends a case without either (`not_accepted` at `reject`,
  `withdrawn`, `transferred`).

A transition's audit record names its field in `sets` when the procedure declares one; older
records do not, and `result_field` infers it from the trigger and the state left.

A case is concluded when it first reaches a state its procedure marks `concluded = true`
(oecd-2023: final statement, follow-up, closed); its conclusion date is that transition's. A
case under examination is open, whatever outcome it has recorded so far. `CONCLUDED_STATES` is
oecd-2023's, for audit entries whose procedure cannot be found (states/reports.py `FALLBACK`).

Pure: no I/O.
"""

from __future__ import annotations

MEDIATION_RESULT = "mediation_result"
DETERMINATION = "determination"
OUTCOME = "outcome"
RESULT_FIELDS = (MEDIATION_RESULT, DETERMINATION, OUTCOME)

# The states in which a case of oecd-2023 counts as concluded; a procedure says it per state
# (`concluded = true`), and the reports read that: this is their fallback.
CONCLUDED_STATES: frozenset[str] = frozenset({"final_statement", "follow_up", "closed"})


def is_concluded(state: str) -> bool:
    """Whether a case in `state` counts as concluded."""
    return state in CONCLUDED_STATES


def result_field(trigger: str, source: str, sets: str | None = None) -> str:
    """The result field an outcome recorded by `trigger` from state `source` sets.

    `sets`, the field the transition declares, wins; else: the outcome of `examine`, and of
    `conclude` from good offices, is the mediation result; of `conclude` from examination, the
    determination; any other (`reject`: not_accepted, `withdraw`, `transfer`) the outcome."""
    if sets:
        return sets
    if trigger == "examine" or (trigger == "conclude" and source == "good_offices"):
        return MEDIATION_RESULT
    if trigger == "conclude" and source == "examination":
        return DETERMINATION
    return OUTCOME
