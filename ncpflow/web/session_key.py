"""The key that signs the web app's session cookies and form tokens, kept across restarts.

`$NCPFLOW_SECRET_KEY` when set (at least 32 bytes); else the file `[web] session_key_file`
(default: beside the database), made with a fresh random key, readable by its owner only, the
first time. Without a kept key every restart would sign everyone out, and two processes
serving one database would not accept each other's cookies.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from workflow.config import ConfigError, Settings
from workflow.files import beside_database, resolve

KEY_ENV = "NCPFLOW_SECRET_KEY"
MIN_BYTES = 32


def session_key(settings: Settings) -> str:
    from_env = os.environ.get(KEY_ENV)
    if from_env is not None:
        key = from_env.strip()
        if len(key.encode("utf-8", "surrogateescape")) < MIN_BYTES:
            raise ConfigError(
                f"${KEY_ENV} holds {len(key.encode('utf-8', 'surrogateescape'))} bytes; a "
                f"session key needs at least {MIN_BYTES} (e.g. `python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'`)"
            )
        return key
    configured = settings.web.session_key_file
    path = resolve(settings, configured) if configured else beside_database(settings, ".session-key")
    if not path.exists():
        _make(path)
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"[web] session_key_file {path}: cannot be read: {exc.strerror}") from None
    if len(text.encode()) < MIN_BYTES:
        raise ConfigError(
            f"[web] session_key_file {path}: holds {len(text.encode())} bytes; "
            f"a session key needs at least {MIN_BYTES} (delete the file to make a "
            "new one)"
        )
    return text


def _make(path: Path) -> None:
    # Written aside, then linked into place: when two processes start together, one key wins
    # and neither reads a half-written file.
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
    except OSError as exc:
        raise ConfigError(f"[web] session_key_file {path}: cannot be made: {exc.strerror}") from None
    finally:
        aside.unlink(missing_ok=True)
