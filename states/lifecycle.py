"""The names of the shipped `oecd-2023` procedure, for the code that speaks of them by name.

The lifecycle itself is data: states/procedures/oecd-2023.toml (docs/procedure-schema.md), read
into a `states.procedure.Procedure`. The core treats states, triggers, outcomes and deadlines as
plain strings; these enums only name oecd-2023's (a StrEnum member equals its string).
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    RECEIVED = "received"
    INITIAL_ASSESSMENT = "initial_assessment"
    GOOD_OFFICES = "good_offices"
    EXAMINATION = "examination"
    FINAL_STATEMENT = "final_statement"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"


class Trigger(StrEnum):
    BEGIN_ASSESSMENT = "begin_assessment"
    ACCEPT = "accept"
    REJECT = "reject"
    EXAMINE = "examine"
    CONCLUDE = "conclude"
    WITHDRAW = "withdraw"
    TRANSFER = "transfer"
    PUBLISH = "publish"
    CLOSE = "close"


class Outcome(StrEnum):
    NOT_ACCEPTED = "not_accepted"
    AGREEMENT = "agreement"
    PARTIAL_AGREEMENT = "partial_agreement"
    NO_AGREEMENT = "no_agreement"
    ENTERPRISE_DECLINED = "enterprise_declined"
    SUBMITTER_DECLINED = "submitter_declined"
    PARTIES_DECLINED = "parties_declined"
    DETERMINATION = "determination"
    WITHDRAWN = "withdrawn"
    TRANSFERRED = "transferred"


class DeadlineName(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    INITIAL_ASSESSMENT = "initial_assessment"
    GOOD_OFFICES = "good_offices"
    EXAMINATION = "examination"
    FINAL_STATEMENT = "final_statement"
    PROCEDURE = "procedure"
    FOLLOW_UP = "follow_up"
    COORDINATION = "coordination"
