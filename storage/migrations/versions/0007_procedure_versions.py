"""Procedure versions: every version a case follows is kept, and each case pins its own.

- `procedure_versions`: id, version, the definition's text and its sha256, when stored; one row
  per (id, version), never changed (UPDATE and DELETE refused, like the audit log).
- `cases.procedure_id`, `cases.procedure_version`: the version the case follows. Cases made
  before this revision followed the shipped `oecd-2023` version "1": they are backfilled with it,
  and its text as shipped when this revision was written (embedded below, so a later change to
  the shipped file cannot change what these cases were opened under) is stored when any case
  exists. A database without cases stores nothing here: its first case stores its version.

Revision ID: 0007_procedure_versions
Revises: 0006_merge_heads
Create Date: 2026-12-01
"""
import hashlib
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007_procedure_versions"
down_revision = "0006_merge_heads"
branch_labels = None
depends_on = None

OECD_2023_ID = "oecd-2023"
OECD_2023_VERSION = "1"
# states/procedures/oecd-2023.toml as shipped with version "1" (sha256 28f6698c...).
OECD_2023_TEXT = """# The OECD specific-instance procedure as the Norwegian NCP runs it (2023 Procedural Guidance).
# Schema: docs/procedure-schema.md. A change to this file that cases could notice needs a new
# `version`: cases keep the version they were opened under.

id = "oecd-2023"
version = "1"
title = { en = "OECD Guidelines specific instance (2023 Procedural Guidance)", nb = "Klagesak etter OECDs retningslinjer (prosedyrene fra 2023)" }
initial = "received"

# ------------------------------------------------------------------ states
[states.received]
label = { en = "received", nb = "mottatt" }

[states.initial_assessment]
label = { en = "initial assessment", nb = "første vurdering" }

[states.good_offices]
label = { en = "good offices", nb = "dialog og mekling" }

[states.examination]
label = { en = "examination", nb = "undersøkelse" }

[states.final_statement]
label = { en = "final statement", nb = "sluttuttalelse" }

[states.follow_up]
label = { en = "follow-up", nb = "oppfølging" }

[states.closed]
label = { en = "closed", nb = "avsluttet" }
terminal = true
concluded = true

# ------------------------------------------------------------------ triggers
[triggers.begin_assessment]
label = { en = "Begin assessment", nb = "Start vurdering" }
past = { en = "assessment begun", nb = "vurdering startet" }

[triggers.accept]
label = { en = "Accept", nb = "Ta opp til behandling" }
past = { en = "accepted", nb = "tatt opp til behandling" }

[triggers.reject]
label = { en = "Reject", nb = "Avvis" }
past = { en = "not accepted", nb = "ikke tatt opp til behandling" }

[triggers.examine]
label = { en = "Examine", nb = "Undersøk" }
past = { en = "examination begun", nb = "undersøkelse startet" }

[triggers.conclude]
label = { en = "Conclude", nb = "Avslutt dialogen" }
past = { en = "concluded", nb = "avsluttet" }

[triggers.withdraw]
label = { en = "Withdraw", nb = "Trekk tilbake" }
past = { en = "withdrawn", nb = "trukket tilbake" }

[triggers.transfer]
label = { en = "Transfer", nb = "Overfør" }
past = { en = "transferred", nb = "overført" }

[triggers.publish]
label = { en = "Publish", nb = "Publiser" }
past = { en = "published", nb = "publisert" }

[triggers.close]
label = { en = "Close", nb = "Avslutt saken" }
past = { en = "closed", nb = "avsluttet" }

# ------------------------------------------------------------------ outcomes
[outcomes.not_accepted]
label = { en = "not accepted", nb = "ikke tatt opp til behandling" }

[outcomes.agreement]
label = { en = "agreement", nb = "enighet" }

[outcomes.partial_agreement]
label = { en = "partial agreement", nb = "delvis enighet" }

[outcomes.no_agreement]
label = { en = "no agreement", nb = "ingen enighet" }

[outcomes.enterprise_declined]
label = { en = "enterprise declined", nb = "virksomheten avslo dialog" }

[outcomes.determination]
label = { en = "determination", nb = "Kontaktpunktets konklusjon" }

[outcomes.withdrawn]
label = { en = "withdrawn", nb = "trukket tilbake" }

[outcomes.transferred]
label = { en = "transferred", nb = "overført" }

# ------------------------------------------------------------------ transitions
[[transitions]]
trigger = "begin_assessment"
from = ["received"]
to = "initial_assessment"
meaning = { en = "receipt acknowledged; initial assessment begins", nb = "mottak bekreftet; første vurdering begynner" }

[[transitions]]
trigger = "accept"
from = ["initial_assessment"]
to = "good_offices"
meaning = { en = "issues merit further examination (wholly or in part); good offices offered", nb = "sakens spørsmål fortjener videre undersøkelse (helt eller delvis); partene tilbys dialog og mekling" }

[[transitions]]
trigger = "reject"
from = ["initial_assessment"]
to = "final_statement"
outcomes = ["not_accepted"]
sets = "outcome"
meaning = { en = "not accepted; a statement explains why", nb = "ikke tatt opp til behandling; en uttalelse begrunner hvorfor" }

[[transitions]]
trigger = "examine"
from = ["good_offices"]
to = "examination"
outcomes = ["no_agreement", "enterprise_declined", "partial_agreement"]
sets = "mediation_result"
guards = ["is_examination_enabled"]
meaning = { en = "mediation refused or failed; the NCP examines the case", nb = "dialog og mekling avslått eller uten enighet; Kontaktpunktet undersøker saken" }

[[transitions]]
trigger = "conclude"
from = ["good_offices"]
to = "final_statement"
outcomes = ["agreement", "no_agreement", "enterprise_declined", "partial_agreement"]
sets = "mediation_result"
meaning = { en = "good offices ended with an outcome", nb = "dialog og mekling avsluttet med et utfall" }

[[transitions]]
trigger = "conclude"
from = ["examination"]
to = "final_statement"
outcomes = ["determination"]
sets = "determination"
meaning = { en = "examination ended with a determination", nb = "undersøkelsen avsluttet med Kontaktpunktets konklusjon" }

[[transitions]]
trigger = "withdraw"
from = ["received", "initial_assessment", "good_offices", "examination"]
to = "final_statement"
outcomes = ["withdrawn"]
sets = "outcome"
meaning = { en = "the submitter withdrew", nb = "klageren trakk saken tilbake" }

[[transitions]]
trigger = "transfer"
from = ["received", "initial_assessment"]
to = "closed"
outcomes = ["transferred"]
sets = "outcome"
meaning = { en = "transferred to another NCP that leads", nb = "overført til et annet kontaktpunkt, som leder behandlingen" }

[[transitions]]
trigger = "publish"
from = ["final_statement"]
to = "follow_up"
meaning = { en = "final statement published; follow-up planned", nb = "sluttuttalelse publisert; oppfølging planlagt" }

[[transitions]]
trigger = "close"
from = ["final_statement"]
to = "closed"
meaning = { en = "final statement published without follow-up", nb = "sluttuttalelse publisert uten oppfølging" }

[[transitions]]
trigger = "close"
from = ["follow_up"]
to = "closed"
meaning = { en = "follow-up complete", nb = "oppfølging fullført" }

# ------------------------------------------------------------------ deadlines
# Durations are the indicative timelines; config.toml's [timelines] overrides them per NCP.
[deadlines.acknowledgement]
label = { en = "acknowledgement", nb = "bekreftelse av mottak" }
title = { en = "acknowledgement of receipt", nb = "bekreftelse av mottak" }
basis = "received"
duration = "14d"
open_in = ["received"]

[deadlines.initial_assessment]
label = { en = "initial assessment", nb = "første vurdering" }
basis = "received"
duration = "3mo"
open_in = ["received", "initial_assessment"]

[deadlines.good_offices]
label = { en = "good offices", nb = "dialog og mekling" }
title = { en = "good offices (dialogue and mediation)", nb = "dialog og mekling" }
basis = "entered"
duration = "6mo"
open_in = ["good_offices"]

[deadlines.examination]
label = { en = "examination", nb = "undersøkelse" }
basis = "entered"
duration = "3mo"
open_in = ["examination"]

[deadlines.final_statement]
label = { en = "final statement", nb = "sluttuttalelse" }
basis = "entered"
duration = "3mo"
open_in = ["final_statement"]

[deadlines.procedure]
label = { en = "whole procedure", nb = "hele behandlingen" }
title = { en = "whole procedure (final statement published)", nb = "hele behandlingen (sluttuttalelse publisert)" }
basis = "received"
duration = "12mo"
open_in = ["received", "initial_assessment", "good_offices", "examination", "final_statement"]

[deadlines.follow_up]
label = { en = "follow-up", nb = "oppfølging" }
title = { en = "follow-up statement", nb = "oppfølgingsuttalelse" }
basis = "entered"
duration = "12mo"
open_in = ["follow_up"]

# ------------------------------------------------------------------ reports
[reports]
stages = ["initial_assessment", "good_offices", "examination", "final_statement", "procedure"]
outcomes = ["not_accepted", "agreement", "partial_agreement", "no_agreement", "enterprise_declined", "determination", "withdrawn", "transferred"]
not_accepted = ["not_accepted"]
accepted_by = ["accept"]
"""


def upgrade() -> None:
    versions = op.create_table(
        "procedure_versions",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("version", sa.String(), primary_key=True),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    )
    # Existing cases followed oecd-2023 version 1; the defaults fill them in.
    op.add_column("cases", sa.Column("procedure_id", sa.String(), nullable=False,
                                     server_default=OECD_2023_ID))
    op.add_column("cases", sa.Column("procedure_version", sa.String(), nullable=False,
                                     server_default=OECD_2023_VERSION))
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM cases LIMIT 1")).first() is not None:
        op.bulk_insert(versions, [{
            "id": OECD_2023_ID,
            "version": OECD_2023_VERSION,
            "sha256": hashlib.sha256(OECD_2023_TEXT.encode("utf-8")).hexdigest(),
            "content": OECD_2023_TEXT,
            "stored_at": datetime.now(UTC),
        }])
    if bind.dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER procedure_versions_no_{verb.lower()} BEFORE {verb} ON "
                f"procedure_versions BEGIN SELECT RAISE(ABORT, 'procedure_versions is "
                f"append-only: {verb} refused'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION procedure_versions_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'procedure_versions is append-only: % refused', TG_OP; END $$"
        )
        op.execute(
            "CREATE TRIGGER procedure_versions_no_change BEFORE UPDATE OR DELETE ON "
            "procedure_versions FOR EACH ROW EXECUTE FUNCTION procedure_versions_refuse()"
        )


def downgrade() -> None:
    op.drop_column("cases", "procedure_version")
    op.drop_column("cases", "procedure_id")
    op.drop_table("procedure_versions")
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS procedure_versions_refuse()")
