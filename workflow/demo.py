"""Demo data for a first look: a handful of cases at different stages, made through the use cases."""

from __future__ import annotations

from datetime import timedelta

from states.case import Case
from workflow.application import Application
from workflow.cases import PartyInput, advance, open_case

# (title, submitter, submitter type, enterprise, themes, countries, days ago received,
#  [(trigger, days ago, reason, outcome)])
_DEMO: list[tuple[str, str, str, str, list[str], list[str], int, list[tuple[str, int, str, str | None]]]] = [
    (
        "Reindeer grazing land and a wind farm in Fosen",
        "Sør-Fosen sijte",
        "community",
        "Nordic Wind Power AS",
        ["human_rights", "environment"],
        ["NO"],
        420,
        [
            ("begin_assessment", 410, "Receipt acknowledged; assessment begins", None),
            ("accept", 330, "Issues are material and substantiated", None),
            ("conclude", 150, "Parties signed a joint statement", "agreement"),
            ("publish", 100, "Final statement published on the NCP website", None),
        ],
    ),
    (
        "Trade union rights at a fish-processing plant",
        "Fellesforbundet",
        "trade_union",
        "Havbruk Seafood ASA",
        ["employment"],
        ["CL"],
        160,
        [
            ("begin_assessment", 155, "Acknowledged by e-mail", None),
            ("accept", 60, "Accepted in part: freedom of association", None),
        ],
    ),
    (
        "Tailings dam safety and community consultation",
        "Miljøvernforbundet",
        "ngo",
        "Nordic Metals ASA",
        ["environment", "disclosure"],
        ["BR"],
        110,
        [("begin_assessment", 104, "Acknowledged; translation requested", None)],
    ),
    (
        "Due diligence on surveillance technology exports",
        "Access Now",
        "ngo",
        "Telenor Tech AS",
        ["human_rights", "science_technology"],
        ["MM"],
        6,
        [],
    ),
    (
        "Tax transparency in offshore subsidiaries",
        "Tax Justice Norway",
        "ngo",
        "Equinor Offshore AS",
        ["taxation"],
        ["GB"],
        230,
        [
            ("begin_assessment", 225, "Acknowledged", None),
            ("reject", 150, "Issues not substantiated under chapter XI", "not_accepted"),
        ],
    ),
    (
        "Water and indigenous consultation at a copper mine",
        "Observatorio Ciudadano",
        "ngo",
        "Andes Copper Holding AS",
        ["human_rights", "environment"],
        ["CL"],
        45,
        [("begin_assessment", 40, "Acknowledged; the NCPs of Chile and Canada consulted", None)],
    ),
]


def load_demo(app: Application, *, actor: str = "demo") -> list[Case]:
    """Open the demo cases unless the database already holds cases (idempotent).

    The use-case functions, not `app.cases`: demo cases are made up, so no lead notice goes
    out for them (the bound `app.cases.open` always queues one)."""
    uow, clock, policy = app.uow, app.clock, app.policy
    with uow.read() as tx:
        if tx.cases.list():
            return []
    today = clock.now()
    made = []
    for title, submitter, s_type, enterprise, themes, countries, received_ago, steps in _DEMO:
        case = open_case(
            uow=uow,
            clock=clock,
            policy=policy,
            reference_prefix=app.settings.ncp.reference_prefix,
            title=title,
            submitters=[PartyInput(submitter, s_type)],
            enterprises=[PartyInput(enterprise)],
            actor=actor,
            received=today - timedelta(days=received_ago),
            themes=themes,
            host_countries=countries,
        )
        for trigger, ago, reason, outcome in steps:
            case = advance(
                uow=uow,
                clock=clock,
                policy=policy,
                reference=case.reference,
                trigger=trigger,
                actor=actor,
                reason=reason,
                outcome=outcome,
                at=today - timedelta(days=ago),
            )
        made.append(case)
    _case_file(app, made[2].reference, actor)
    _checklist(app, made[2].reference, actor)
    _follow_up(app, made[0].reference, actor)
    _engagement_and_mediation(app, made[1].reference, actor)
    _several_ncps(app, made[5].reference, actor)
    return made


def _case_file(app: Application, reference: str, actor: str) -> None:
    """One case with a case file, so the case's story, documents, letters and journal have
    something to show: a contact, the complaint, a note, the correspondence and a letter drafted."""
    app.parties.add_contact(
        reference=reference,
        party="submitter-1",
        actor=actor,
        name="Kari Nordmann",
        email="kari.nordmann@example.org",
        language="nb",
    )
    complaint = app.documents.add(
        reference=reference,
        source=[b"Klage til Kontaktpunktet om sikkerheten ved avgangsdammen.\n"],
        filename="klage.txt",
        title="The complaint",
        direction="in",
        access="parties",
        actor=actor,
        party="submitter-1",
    )
    app.correspondence.log(
        reference=reference,
        direction="in",
        party="submitter-1",
        channel="email",
        subject="The complaint, with annexes",
        actor=actor,
        documents=[complaint.number],
    )
    app.notes.add(reference=reference, text="Asked for a Portuguese translation of annex 2.", actor=actor)
    offered = app.letters.offered(reference=reference)
    if offered:
        app.letters.draft(reference=reference, kind=offered[0], party="submitter-1", actor=actor)


def _checklist(app: Application, reference: str, actor: str) -> None:
    """Half of the initial assessment's checklist ticked, so the case's page shows both kinds."""
    for item in ("ia_identity", "ia_material", "ia_link"):
        app.checklists.tick(reference=reference, item=item, actor=actor)


def _follow_up(app: Application, reference: str, actor: str) -> None:
    """The agreement's commitments, followed up: one implemented, one in part, one not yet known,
    so the follow-up report has a rate to show."""
    made_on = app.today() - timedelta(days=150)
    for text, status in (
        ("Set up a grievance mechanism with the reindeer herders", "implemented"),
        ("Hold a meeting with the sijte every quarter", "partly"),
        ("Share the wind farm's decommissioning plan", None),
    ):
        commitment = app.follow_up.add(
            reference=reference,
            source="agreement",
            owner="enterprise",
            party="enterprise-1",
            text=text,
            made_on=made_on,
            actor=actor,
        )
        if status:
            app.follow_up.set_status(
                reference=reference, commitment=commitment.number, status=status, actor=actor
            )


def _several_ncps(app: Application, reference: str, actor: str) -> None:
    """A case several NCPs take part in (issue 16): two supporting NCPs in their roles (one
    reviews drafts, one is consulted), the complainant's preference for the lead, a review task
    on the initial assessment's draft, and the parallel complaint at the other NCP as a related
    instance."""
    own = app.settings.ncp.country
    reviewer, consulted = [code for code in ("CL", "CA", "SE", "DK") if code != own][:2]
    app.ncps.add_supporting(reference=reference, ncp=reviewer, role="reviews_drafts", actor=actor)
    app.ncps.add_supporting(reference=reference, ncp=consulted, role="consulted", actor=actor)
    app.ncps.prefer(reference=reference, ncp=own, actor=actor, note="The enterprise's parent company is here")
    draft = app.statements.draft(reference=reference, kind="initial_assessment", actor=actor)
    app.ncps.request_review(
        reference=reference, statement=draft.number, actor=actor, due=app.today() + timedelta(days=14)
    )
    app.case_links.link(
        reference=reference,
        kind="parallel",
        actor=actor,
        ncp=reviewer,
        external_reference=f"PNC-{reviewer}-2026-011",
    )


def _engagement_and_mediation(app: Application, reference: str, actor: str) -> None:
    """Good offices under way: the enterprise invited and accepting, an external mediator in the
    register and assigned, and the first mediation session."""
    invited = app.engagement.invite(
        reference=reference,
        party="enterprise-1",
        to="good_offices",
        channel="email",
        actor=actor,
        at=app.today() - timedelta(days=55),
    )
    app.engagement.respond(
        reference=reference,
        invitation=invited.number,
        response="accepted",
        actor=actor,
        at=app.today() - timedelta(days=48),
    )
    app.mediators.add(
        actor=actor,
        mediator_id="ingrid-mekler",
        name="Ingrid Mekler",
        email="ingrid@mekling.example",
        organisation="Mekling og dialog AS",
        languages=("nb", "en"),
        soft_conflicts=(("Sjømat Norge", None),),
    )
    app.mediators.assign(reference=reference, mediator="ingrid-mekler", actor=actor)
    app.mediators.add_session(
        reference=reference,
        actor=actor,
        starts=app.clock.now() - timedelta(days=20),
        format="hybrid",
        place="Trondheim",
        interpreters=("es",),
        attendees=("submitter-1", "enterprise-1"),
    )
