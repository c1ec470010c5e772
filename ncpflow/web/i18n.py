"""The pages' words in English and Norwegian bokmål, and which language a request gets."""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("en", "nb")
COOKIE = "ncpflow_lang"

# key: (English, Norwegian bokmål). Domain values (states, triggers, deadlines) use their
# enum value as the key, so a new value without a label shows its plain identifier.
WORDS: dict[str, tuple[str, str]] = {
    "app": ("NCP case work", "NKP-saksbehandling"),
    "dashboard": ("Cases", "Saker"),
    "audit": ("Audit", "Revisjon"),
    "members": ("Members", "Medlemmer"),
    "sign_in": ("Sign in", "Logg inn"),
    "sign_out": ("Sign out", "Logg ut"),
    "user": ("User name", "Brukernavn"),
    "password": ("Password", "Passord"),
    "bad_login": ("Wrong user name or password.", "Feil brukernavn eller passord."),
    "code": ("One-time code", "Engangskode"),
    "code_help": ("Enter the 6-digit code from your authenticator app.",
                  "Skriv inn den sekssifrede koden fra autentiseringsappen din."),
    "bad_code": ("Wrong one-time code. Try the current code.",
                 "Feil engangskode. Prøv koden som vises nå."),
    "code_expired": ("The sign-in took too long or was not started here. Sign in again.",
                     "Innloggingen tok for lang tid eller ble ikke startet her. Logg inn på nytt."),
    "throttled": ("Too many failed sign-ins. Try again in {minutes} minutes.",
                  "For mange mislykkede innlogginger. Prøv igjen om {minutes} minutter."),
    "busy": ("Many sign-ins at once right now. Try again in a moment.",
             "Mange innlogginger akkurat nå. Prøv igjen om litt."),
    "needs_enrolment": ("Your role must sign in with a one-time code, and you have none yet. "
                        "Ask an administrator to enrol you with `ncpflow users totp NAME`.",
                        "Rollen din må logge inn med engangskode, og du har ingen ennå. Be en "
                        "administrator registrere deg med `ncpflow users totp NAVN`."),
    "open_cases": ("Open cases", "Åpne saker"),
    "no_open_cases": ("No open cases.", "Ingen åpne saker."),
    "older": ("Older entries →", "Eldre oppføringer →"),
    "newest": ("← Newest entries", "← Nyeste oppføringer"),
    "more_open_cases": ("Showing the oldest open cases only; the API lists them all",
                        "Viser bare de eldste åpne sakene; API-et lister alle"),
    "reference": ("Reference", "Referanse"),
    "title": ("Title", "Tittel"),
    "stage": ("Stage", "Fase"),
    "lead": ("Lead", "Saksansvarlig"),
    "next_due": ("Next due", "Neste frist"),
    "days_left": ("days left", "dager igjen"),
    "days_over": ("days overdue", "dager på overtid"),
    "due_today": ("due today", "forfaller i dag"),
    "paused": ("paused", "satt på vent"),
    "none": ("none", "ingen"),
    "parties": ("Parties", "Parter"),
    "role": ("Role", "Rolle"),
    "name": ("Name", "Navn"),
    "type": ("Type", "Type"),
    "submitter": ("submitter", "melder"),
    "enterprise": ("enterprise", "foretak"),
    "confidential": ("confidential", "konfidensiell"),
    "timeline": ("Timeline", "Tidslinje"),
    "indicative": ("indicative timeline", "veiledende tidsfrist"),
    "entered": ("entered", "startet"),
    "deadlines": ("Deadlines", "Frister"),
    "deadline": ("Deadline", "Frist"),
    "due": ("Due", "Forfall"),
    "status": ("Status", "Status"),
    "explanation": ("How it was computed", "Slik er fristen beregnet"),
    "met_on": ("met", "overholdt"),
    "audit_trail": ("Audit trail", "Revisjonsspor"),
    "when": ("When", "Når"),
    "who": ("Who", "Hvem"),
    "what": ("What", "Hva"),
    "reason": ("Reason", "Begrunnelse"),
    "next_steps": ("What may happen next", "Hva kan skje videre"),
    "not_now": ("Not possible now", "Ikke mulig nå"),
    "outcome": ("Outcome", "Utfall"),
    "scope": ("Scope (accept only)", "Omfang (bare ved antakelse)"),
    "do": ("Record", "Registrer"),
    "pause": ("Pause the clock", "Stopp klokken"),
    "resume": ("Restart the clock", "Start klokken igjen"),
    "requested_by": ("Requested by", "Bedt om av"),
    "pauses": ("Pauses", "Pauser"),
    "read_only": ("You can read this case but not change it.",
                  "Du kan lese saken, men ikke endre den."),
    "not_lead": ("Only the case's lead can change it.", "Bare saksansvarlig kan endre saken."),
    "kind": ("Kind", "Type"),
    "case": ("Case", "Sak"),
    "all": ("all", "alle"),
    "filter": ("Filter", "Filtrer"),
    "chain": ("Hash chain", "Hasjkjede"),
    "chain_ok": ("intact", "intakt"),
    "chain_bad": ("BROKEN", "BRUTT"),
    "entries": ("entries", "oppføringer"),
    "head": ("head", "siste"),
    "exports": ("Exports", "Eksport"),
    "rotation": ("Rotation", "Rotasjon"),
    "next_lead": ("Next case goes to", "Neste sak går til"),
    "caseload": ("Open cases led", "Åpne saker som ansvarlig"),
    "last_led": ("Last led", "Sist ansvarlig"),
    "on_leave": ("on leave", "permisjon"),
    "active": ("active", "aktiv"),
    "inactive": ("inactive", "inaktiv"),
    "conflicts": ("Conflicts", "Inhabilitet"),
    "error": ("Something was not accepted", "Noe ble ikke godtatt"),
    "done": ("Saved.", "Lagret."),
    "received": ("Received", "Mottatt"),
    "initial_assessment": ("Initial assessment", "Innledende vurdering"),
    "good_offices": ("Good offices", "Dialog og mekling"),
    "examination": ("Examination", "Undersøkelse"),
    "final_statement": ("Final statement", "Sluttuttalelse"),
    "follow_up": ("Follow-up", "Oppfølging"),
    "closed": ("Closed", "Avsluttet"),
    "acknowledgement": ("Acknowledgement", "Bekreftelse av mottak"),
    "procedure": ("Whole procedure", "Hele prosedyren"),
    "open": ("open", "åpen"),
    "met": ("met", "overholdt"),
    "overdue": ("overdue", "overskredet"),
    "cancelled": ("cancelled", "bortfalt"),
    "language": ("Language", "Språk"),
    "clock": ("The case's clock", "Sakens klokke"),
    "begin_assessment": ("Begin assessment", "Start vurdering"),
    "accept": ("Accept", "Ta opp til behandling"),
    "reject": ("Reject", "Avvis"),
    "examine": ("Examine", "Undersøk"),
    "conclude": ("Conclude", "Avslutt dialogen"),
    "withdraw": ("Withdraw", "Trekk tilbake"),
    "transfer": ("Transfer", "Overfør"),
    "publish": ("Publish", "Publiser"),
    "close": ("Close", "Avslutt saken"),
    # Outcomes (lifecycle.Outcome): the English is the value with spaces, as before.
    "not_accepted": ("not accepted", "ikke tatt opp til behandling"),
    "agreement": ("agreement", "enighet"),
    "partial_agreement": ("partial agreement", "delvis enighet"),
    "no_agreement": ("no agreement", "ingen enighet"),
    "enterprise_declined": ("enterprise declined", "foretaket avslo dialog"),
    "determination": ("determination", "Kontaktpunktets konklusjon"),
    "withdrawn": ("withdrawn", "trukket tilbake"),
    "transferred": ("transferred", "overført"),
    # Member roles (members.Role).
    "chair": ("chair", "leder"),
    "member": ("member", "medlem"),
    # Rotation modes (rotation.RotationMode) and each member's place in the rotation (the
    # members page's tags: rotation_views.rotation_view's status, members.Reason): the English
    # is the plain value, as the page has always shown it.
    "mode_per_case": ("per_case", "per sak"),
    "mode_periodic": ("periodic", "periodisk vakt"),
    "tag_next": ("next", "neste"),
    "tag_later": ("later", "senere"),
    "tag_eligible": ("eligible", "kan velges"),
    "tag_inactive": ("inactive", "inaktiv"),
    "tag_recused": ("recused", "trådt til side"),
    "tag_hard_conflict": ("hard_conflict", "inhabil"),
    "tag_soft_conflict": ("soft_conflict", "mulig interessekonflikt"),
    "tag_on_leave": ("on_leave", "permisjon"),
}


def pick(requested: str | None, cookie: str | None, default: str) -> str:
    for candidate in (requested, cookie, default):
        if candidate in LANGUAGES:
            return candidate
    return "en"


def translator(language: str) -> Callable[[str], str]:
    index = LANGUAGES.index(language) if language in LANGUAGES else 0

    def t(key: str) -> str:
        words = WORDS.get(key)
        return words[index] if words else key.replace("_", " ")

    return t
