"""`ncpflow users add|passwd|list` and `ncpflow serve`: the people of the web app, and the app."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ncpflow.context import context_of
from ncpflow.output import emit_json, out
from workflow import users

users_app = typer.Typer(no_args_is_help=True, help="Users of the web app and API.")


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: Annotated[str, typer.Option("--role", help="handler, member, auditor or admin.")],
    member: Annotated[str | None, typer.Option(
        "--member", help="With role member: the member id (see `members list`).")] = None,
    actor: Annotated[str, typer.Option("--actor", help="Who adds the user (audited).")] = "cli",
    password: Annotated[str | None, typer.Option(
        "--password", help="Also set a sign-in password (else later: `users passwd`).")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Create a user and print a new API token, once (only its hash is kept)."""
    services = context_of(ctx).services()
    made = users.add_user(uow=services.uow, clock=services.clock, name=name, role=role,
                          member_id=member, actor=actor, password=password)
    if as_json:
        emit_json({"name": made.user.name, "role": made.user.role, "token": made.token})
    else:
        out.print(f"user {made.user.name} ({made.user.role}) added")
        out.print(f"API token (shown once, keep it safe): {made.token}")


@users_app.command("passwd")
def users_passwd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user.")],
    password: Annotated[str | None, typer.Option(
        "--password", help="The new password (else prompted, or read from stdin).")] = None,
    actor: Annotated[str, typer.Option("--actor", help="Who sets it (audited).")] = "cli",
) -> None:
    """Set a user's password for signing in to the pages (argon2-hashed)."""
    if password is None:
        if sys.stdin.isatty():
            password = typer.prompt("new password", hide_input=True, confirmation_prompt=True)
        else:
            password = sys.stdin.readline().rstrip("\r\n")
    services = context_of(ctx).services()
    users.set_password(uow=services.uow, clock=services.clock, name=name, password=password,
                       actor=actor)
    out.print(f"password of {name} set")


@users_app.command("list")
def users_list(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Users, their roles and member links (never their secrets)."""
    listed = users.list_users(uow=context_of(ctx).services().uow)
    rows = [{"name": u.name, "role": u.role, "member": u.member_id,
             "password": u.password_hash is not None} for u in listed]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        out.print(f"{row['name']}  {row['role']}  {row['member'] or ''}".rstrip())


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    no_scheduler: Annotated[bool, typer.Option(
        "--no-scheduler", help="Serve only; run the alert/outbox jobs elsewhere.")] = False,
) -> None:
    """Serve the JSON API and the pages; run the scheduler's jobs in the same process.

    SIGTERM or SIGINT stops both: the scheduler sends no message after the one in hand, and
    the command exits 0 once that one is done."""
    from ncpflow.web import server  # the web stack only for this command
    from ncpflow.web.app import create_app
    from workflow import scheduler as heartbeat

    services = context_of(ctx).services()
    app = create_app(services)
    jobs = None if no_scheduler else heartbeat.background(services)
    if jobs is not None:
        jobs.start()
    out.print(f"serving on http://{host}:{port} "
              f"({'without' if jobs is None else 'with'} the scheduler); Ctrl-C stops")
    try:
        server.run(app, host=host, port=port, grace=services.settings.smtp.timeout,
                   on_stop=jobs.stop_soon if jobs is not None else None)
    finally:
        if jobs is not None:
            jobs.stop()
