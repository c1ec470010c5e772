"""`ncpflow users add|passwd|list|disable|enable|tokens|new-token|revoke-token|totp|calendar-url`
and `ncpflow serve`: the people of the web app, and the app."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from ncpflow.context import context_of, validated
from ncpflow.output import emit_json, out
from states.errors import InvalidInputError

users_app = typer.Typer(no_args_is_help=True, help="Users of the web app and API.")


def _password(from_stdin: bool, prompt: bool) -> str | None:
    """The new password: one line of stdin, or typed twice at a hidden prompt; never argv."""
    if from_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise InvalidInputError("--password-stdin: standard input gave no password")
        return line.rstrip("\r\n")
    if prompt:
        return str(typer.prompt("new password", hide_input=True, confirmation_prompt=True))
    return None


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input.")
]
Actor = Annotated[str, typer.Option("--actor", help="Who does it (audited).")]


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: Annotated[str, typer.Option("--role", help="handler, member, auditor, admin or mediator.")],
    member: Annotated[
        str | None, typer.Option("--member", help="With role member: the member id (see `members list`).")
    ] = None,
    mediator: Annotated[
        str | None,
        typer.Option("--mediator", help="With role mediator: the mediator id (see `mediator list`)."),
    ] = None,
    actor: Annotated[str, typer.Option("--actor", help="Who adds the user (audited).")] = "cli",
    password: Annotated[
        bool,
        typer.Option(
            "--password",
            help="Also set a sign-in password, typed at a hidden prompt (else later: `users passwd`).",
        ),
    ] = False,
    password_stdin: PasswordStdin = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Create a user and print a new API token, once (only its hash is kept)."""
    from states.case import require_actor
    from workflow import commands

    require_actor(actor)  # before the password prompt: a refused command asks for nothing
    command = validated(commands.AddUser, name=name, role=role, member=member, mediator=mediator)
    secret = _password(password_stdin, password)
    made = context_of(ctx).app().users.add(actor=actor, password=secret, **command.arguments())
    if as_json:
        emit_json({"name": made.user.name, "role": made.user.role, "token": made.token})
    else:
        out.print(f"user {made.user.name} ({made.user.role}) added")
        out.print(f"API token (shown once, keep it safe): {made.token}")


@users_app.command("passwd")
def users_passwd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user.")],
    password_stdin: PasswordStdin = False,
    actor: Annotated[str, typer.Option("--actor", help="Who sets it (audited).")] = "cli",
) -> None:
    """Set a user's password for signing in to the pages (argon2-hashed; prompted twice,
    hidden, or `--password-stdin`). Every session of the user ends."""
    from states.case import require_actor

    require_actor(actor)  # before the password prompt: a refused command asks for nothing
    secret = _password(password_stdin, True)
    assert secret is not None
    ended = context_of(ctx).app().users.set_password(name=name, password=secret, actor=actor)
    out.print(f"password of {name} set; {ended} session(s) ended")


@users_app.command("list")
def users_list(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Users, their roles and member links (never their secrets)."""
    listed = context_of(ctx).app().users.list()
    rows = [
        {
            "name": u.name,
            "role": u.role,
            "member": u.member_id,
            "mediator": u.mediator_id,
            "password": u.password_hash is not None,
            "disabled": u.disabled,
            "totp": u.has_totp,
        }
        for u in listed
    ]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        flags = " ".join(f for f, on in [("disabled", row["disabled"]), ("totp", row["totp"])] if on)
        out.print(f"{row['name']}  {row['role']}  {row['member'] or row['mediator'] or ''}  {flags}".rstrip())


@users_app.command("disable")
def users_disable(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The user.")], actor: Actor = "cli"
) -> None:
    """Disable a user at once: sign-in, sessions and API tokens are refused (audited)."""
    context_of(ctx).app().users.set_disabled(name=name, disabled=True, actor=actor)
    out.print(f"user {name} disabled; their sessions ended and tokens refused")


@users_app.command("enable")
def users_enable(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The user.")], actor: Actor = "cli"
) -> None:
    """Enable a disabled user again (audited); revoked tokens stay revoked."""
    context_of(ctx).app().users.set_disabled(name=name, disabled=False, actor=actor)
    out.print(f"user {name} enabled")


@users_app.command("tokens")
def users_tokens(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The user's API tokens: id (not the token), made, revoked."""
    listed = context_of(ctx).app().users.tokens(name=name)
    rows = [
        {
            "id": t.id,
            "created_at": t.created_at.isoformat(),
            "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            "active": t.active,
        }
        for t in listed
    ]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        state = "active" if row["active"] else f"revoked {row['revoked_at']}"
        out.print(f"{row['id']}  made {row['created_at']}  {state}")


@users_app.command("new-token")
def users_new_token(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user.")],
    actor: Actor = "cli",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Issue another API token for the user and print it once (audited)."""
    made = context_of(ctx).app().users.issue_token(name=name, actor=actor)
    if as_json:
        emit_json({"name": name, "id": made.listed.id, "token": made.token})
    else:
        out.print(f"API token {made.listed.id} of {name} (shown once, keep it safe): {made.token}")


@users_app.command("revoke-token")
def users_revoke_token(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user.")],
    token_id: Annotated[str | None, typer.Argument(help="The token's id from `users tokens NAME`.")] = None,
    every: Annotated[bool, typer.Option("--all", help="Revoke every token of the user.")] = False,
    actor: Actor = "cli",
) -> None:
    """Revoke an API token (or `--all`) at once, in every running server (audited)."""
    if (token_id is None) == (not every):
        raise InvalidInputError("give a token id (see `ncpflow users tokens NAME`) or --all, not both")
    count = context_of(ctx).app().users.revoke_token(name=name, token_id=token_id, actor=actor)
    out.print(f"{count} token(s) of {name} revoked")


@users_app.command("totp")
def users_totp(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user.")],
    remove: Annotated[bool, typer.Option("--remove", help="Remove the second factor.")] = False,
    actor: Actor = "cli",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Enrol the user in a second factor (TOTP): print the secret and its otpauth:// URI once,
    to scan into an authenticator app. Signing in to the pages then asks for a code."""
    app = context_of(ctx).app()
    if remove:
        app.users.remove_totp(name=name, actor=actor)
        out.print(f"second factor of {name} removed")
        return
    made = app.users.enrol_totp(name=name, actor=actor, issuer=app.settings.ncp.name or "ncpflow")
    if as_json:
        emit_json({"name": name, "secret": made.secret, "uri": made.uri})
    else:
        out.print(f"second factor of {name} enrolled (shown once, keep it safe)")
        out.print(f"secret: {made.secret}")
        out.print(f"URI (scan as a QR code): {made.uri}")


@users_app.command("calendar-url")
def users_calendar_url(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user.")],
    language: Annotated[
        str | None, typer.Option("--language", help="en or nb (default: the NCP's language).")
    ] = None,
    mine: Annotated[bool, typer.Option("--mine", help="Only the cases the user's member leads.")] = False,
    revoke: Annotated[bool, typer.Option("--revoke", help="Revoke the user's URL instead.")] = False,
    actor: Actor = "cli",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Make the user's calendar subscription URL and print it once (the one before stops
    working), or `--revoke` it (audited). The address is `[web] public_url`'s, else the
    default `serve` address."""
    from workflow import commands

    app = context_of(ctx).app()
    if revoke:
        revoked = app.calendar.revoke_feed(name=name, actor=actor)
        out.print(f"calendar URL {revoked} of {name} revoked")
        return
    command = validated(commands.MakeCalendarFeed, language=language, scope="mine" if mine else "all")
    arguments = {**command.arguments(), "language": command.language or app.settings.ncp.language}
    made = app.calendar.make_feed(name=name, actor=actor, **arguments)
    base = (app.settings.web.public_url or "http://127.0.0.1:8000").rstrip("/")
    url = f"{base}/calendar/feed/{made.token}.ics"
    if as_json:
        emit_json({"name": name, "id": made.listed.id, "language": made.listed.language, "url": url})
    else:
        out.print(f"calendar URL {made.listed.id} of {name} (shown once, keep it to the user): {url}")


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    no_scheduler: Annotated[
        bool, typer.Option("--no-scheduler", help="Serve only; run the alert/outbox jobs elsewhere.")
    ] = False,
    network: Annotated[
        Path | None,
        typer.Option(
            "--network",
            help="Serve every NCP of this folder (one <CODE>.toml each, docs/network.md), "
            "choosing the NCP by the request's host name.",
        ),
    ] = None,
) -> None:
    """Serve the JSON API and the pages; run the scheduler's jobs in the same process.

    SIGTERM or SIGINT stops both: the scheduler sends no message after the one in hand, and
    the command exits 0 once that one is done."""
    from ncpflow.web import server  # the web stack only for this command
    from ncpflow.web.app import create_app
    from workflow import scheduler as heartbeat

    if network is not None:
        _serve_network(ctx, network, host=host, port=port, no_scheduler=no_scheduler)
        return
    application = context_of(ctx).app()
    app = create_app(application)
    jobs = None if no_scheduler else heartbeat.background(application)
    if jobs is not None:
        jobs.start()
    out.print(
        f"serving on http://{host}:{port} "
        f"({'without' if jobs is None else 'with'} the scheduler); Ctrl-C stops"
    )
    try:
        server.run(
            app,
            host=host,
            port=port,
            grace=application.settings.smtp.timeout,
            on_stop=jobs.stop_soon if jobs is not None else None,
        )
    finally:
        if jobs is not None:
            jobs.stop()


def _serve_network(ctx: typer.Context, folder: Path, *, host: str, port: int, no_scheduler: bool) -> None:
    """`serve --network FOLDER`: every NCP of the folder in this one process."""
    from ncpflow.web import server
    from ncpflow.web.app import create_app
    from ncpflow.web.network import NetworkSite
    from workflow import scheduler as heartbeat
    from workflow.bootstrap import Network

    network = Network.load(network_folder(ctx, folder))
    try:
        jobs = None if no_scheduler else heartbeat.background_network(network)
        if jobs is not None:
            jobs.start()
        out.print(
            f"serving {len(network.ncps)} NCP(s) on http://{host}:{port} "
            f"({'without' if jobs is None else 'with'} the scheduler); Ctrl-C stops"
        )
        try:
            server.run(
                NetworkSite(network, create_app),
                host=host,
                port=port,
                grace=max(ncp.settings.smtp.timeout for ncp in network.ncps),
                on_stop=jobs.stop_soon if jobs is not None else None,
            )
        finally:
            if jobs is not None:
                jobs.stop()
    finally:
        network.close()


def network_folder(ctx: typer.Context, folder: Path) -> Path:
    """`--network FOLDER`, refused beside the options that name one NCP's database."""
    context = context_of(ctx)
    given = [name for name, value in (("--database", context.database), ("--ncp", context.ncp)) if value]
    if given:
        raise InvalidInputError(
            f"--network: each NCP's config file names its database and NCP; leave out {' and '.join(given)}"
        )
    return folder
