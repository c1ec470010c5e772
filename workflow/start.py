"""The start page (`/start`): what a new handler, member or mediator needs first.

The open cases (not in a terminal state) the user is involved in, and how:

- **lead**: the user's member leads the case;
- **panel**: the user's member takes part in it (`states.members.panel`: every active member
  without a hard conflict or a recusal; a soft conflict takes part, never leads);
- **mediator**: the user's mediator is assigned to it (a mediator sees only those);
- **handler**: the case's audit log names the user as actor (they opened or moved it).

Titles go through the user's redaction, each with its case's reference (its pseudonyms).
For a member, its own declared conflicts (hard and soft, from config.toml and from the browser,
`workflow.member_settings.member_detail`).
"""

from __future__ import annotations

from states.errors import InvalidInputError
from states.members import SettingKind
from states.users import User
from workflow import read_models, rotation_views
from workflow import redaction as redactions
from workflow.config import Settings
from workflow.ports import Clock, UnitOfWork
from workflow.related import may_see_case

CONFLICTS = frozenset({SettingKind.CONFLICT, SettingKind.SOFT_CONFLICT})


def start_page(
    *, uow: UnitOfWork, clock: Clock, settings: Settings, viewer: User, language: str = "en"
) -> read_models.StartPage:
    """The start page of `viewer`, worded in `language`."""
    from workflow.views import redacted

    with uow.read() as tx:
        scope = redactions.mediated_by(viewer)
        open_cases = [
            c
            for c in tx.cases.list()
            if not c.is_terminal and (scope is None or may_see_case(tx, viewer, c.reference))
        ]
        acted = tx.audit.cases_acted_on(viewer.name)
        panels = rotation_views.lead_views(uow=uow, cases=open_cases) if viewer.member_id is not None else {}
        shown = []
        for case in open_cases:
            involvement: list[read_models.Involvement] = []
            if viewer.member_id is not None:
                if case.lead_member == viewer.member_id:
                    involvement.append("lead")
                elif any(m.member == viewer.member_id for m in panels[case.reference].taking_part):
                    involvement.append("panel")
            if scope:  # a mediator's user sees only its mediator's cases
                involvement.append("mediator")
            if case.reference in acted:
                involvement.append("handler")
            if involvement:
                shown.append(
                    read_models.StartCase(
                        reference=case.reference,
                        title=case.title,
                        state=case.state,
                        stage=case.procedure.label("state", case.state, language),
                        involvement=involvement,
                    )
                )
        redaction = redactions.for_viewer(tx, viewer, language)
    conflicts: list[read_models.MemberValue] = []
    if viewer.member_id is not None:
        from workflow import member_settings

        try:
            detail = member_settings.member_detail(
                uow=uow, clock=clock, settings=settings, member_id=viewer.member_id, language=language
            )
        except InvalidInputError:  # a member no longer in the members' list: nothing declared
            detail = None
        conflicts = [v for v in (detail.values if detail else []) if v.kind in CONFLICTS]
    page = read_models.StartPage(
        user=viewer.name,
        role=viewer.role,
        member=viewer.member_id,
        cases=sorted(shown, key=lambda c: c.reference),
        rotation_mode=settings.policy.rotation.mode.value,
        conflicts=conflicts,
    )
    # Each case's title is redacted as its own case's text (its pseudonyms, as on its page and in
    # the case lists); the member's conflicts belong to no case.
    return redacted(
        page.model_copy(update={"cases": [redacted(c, redaction, c.reference) for c in page.cases]}),
        redaction,
        None,
        keep=frozenset({"user", "role", "member", "rotation_mode", "cases"}),
    )
