"""Review tasks (pure): a supporting NCP in the role `reviews_drafts` is asked to review a
statement draft by a day, and answers with a review comment.

A task names the NCP, the statement (its number in the case) and the NCP-local day it is due
(`[coordination] review_within` after the request unless a day is given). It is open until its
comment is recorded, once; the sweep alerts the case's lead at the `[alerts]` rungs of its due
day while it is open, like any deadline. The comment is NCP-internal (kin to a note): the audit
log holds its sha256 and length, never its text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from states.errors import Input, InvalidInputError
from states.limits import NOTE_MAX, check_text
from states.messages import N_

COMMENT = Input(N_("a review comment"), "comment")
TASK = Input(N_("a review task"), "task")


class Status(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    ANSWERED = "answered"


STATUS_WORDS = {
    Status.OPEN: N_("open"),
    Status.OVERDUE: N_("overdue"),
    Status.ANSWERED: N_("answered"),
}


@dataclass(frozen=True)
class ReviewTask:
    """A review task of a case, numbered within it."""

    number: int
    ncp: str
    statement: int
    due: date
    requested_at: datetime
    requested_by: str
    answered_at: datetime | None = None
    answered_on: date | None = None
    answered_by: str | None = None
    comment: str | None = None

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    def status(self, today: date) -> Status:
        if self.answered:
            return Status.ANSWERED
        return Status.OVERDUE if today > self.due else Status.OPEN


def digest(comment: str) -> str:
    return hashlib.sha256(comment.encode("utf-8")).hexdigest()


def check_comment(comment: str) -> str:
    """A review comment's text: not empty, within the note bound."""
    return check_text(comment, COMMENT, limit=NOTE_MAX)


def open_task(tasks: list[ReviewTask], *, ncp: str, statement: int | None) -> ReviewTask:
    """The open task of `ncp` (on `statement` when given, else its earliest open one); a refusal
    naming the NCP when there is none."""
    for task in tasks:
        if task.ncp == ncp and not task.answered and (statement is None or task.statement == statement):
            return task
    raise InvalidInputError(N_("{what}: {code} has no open review task on this case"), what=TASK, code=ncp)
