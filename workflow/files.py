"""Files that live outside the database: where they go, relative to config.toml or beside it.

A relative path in config.toml is read relative to the file's folder. Files that belong to one
database (the checkpoint log, the session key) default to a name beside the SQLite file, or,
for PostgreSQL, beside config.toml, named after the database so two never share one.
`create_private` makes such a file readable by its owner only (0600), whatever the umask.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from workflow.config import ConfigError, Settings


def config_dir(settings: Settings) -> Path:
    source = Path(settings.source)
    return source.resolve().parent if source.is_file() else Path.cwd()


def resolve(settings: Settings, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else config_dir(settings) / path


def beside_database(settings: Settings, suffix: str) -> Path:
    url = settings.database.url
    if url.startswith("sqlite:///") and url.removeprefix("sqlite:///") not in {"", ":memory:"}:
        db = Path(url.removeprefix("sqlite:///"))
        return db.with_name(db.name + suffix)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", url.rsplit("/", 1)[-1].split("?")[0]) or "ncpflow"
    if settings.database.ncp is not None:
        # A database several NCPs share: each NCP's files apart (its own chain, its own keys).
        name = f"{name}.{settings.database.ncp}"
    return config_dir(settings) / f"{name}{suffix}"


def create_private(path: Path) -> bool:
    """Create `path` empty with mode 0600 unless it exists; True when this call made it.

    The mode is given to open(2) itself, so the file is never readable by others, not even
    for a moment; an existing file is left as it is."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def make_secret(path: Path) -> None:
    """Write a fresh random key (0600) to `path` unless it exists: written aside, then linked
    into place, so when two processes start together one key wins and neither reads a
    half-written file. Raises OSError when it cannot be made."""
    aside = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as made:
            made.write(secrets.token_urlsafe(32) + "\n")
            made.flush()
            os.fsync(made.fileno())
        os.link(aside, path)
    except FileExistsError:
        pass
    finally:
        aside.unlink(missing_ok=True)


def kept_secret(
    settings: Settings,
    *,
    env: str,
    configured: str | None,
    suffix: str,
    option: str,
    what: str,
    min_bytes: int = 32,
) -> str:
    """A key the application keeps across restarts: `$env` when set (at least `min_bytes`), else
    the file `configured` (default: beside the database, named with `suffix`), made with a fresh
    random key (0600) the first time. Every problem is a ConfigError naming `option` (or `$env`)."""
    from_env = os.environ.get(env)
    if from_env is not None:
        key = from_env.strip()
        size = len(key.encode("utf-8", "surrogateescape"))
        if size < min_bytes:
            raise ConfigError(
                f"${env} holds {size} bytes; a {what} needs at least {min_bytes} (e.g. `python3 -c "
                "'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        return key
    path = resolve(settings, configured) if configured else beside_database(settings, suffix)
    if not path.exists():
        try:
            make_secret(path)
        except OSError as exc:
            raise ConfigError(f"{option} {path}: cannot be made: {exc.strerror}") from None
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"{option} {path}: cannot be read: {exc.strerror}") from None
    if len(text.encode()) < min_bytes:
        raise ConfigError(
            f"{option} {path}: holds {len(text.encode())} bytes; a {what} needs at least {min_bytes} "
            "(delete the file to make a new one)"
        )
    return text
