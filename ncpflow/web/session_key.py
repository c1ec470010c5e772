"""The key that signs the web app's session cookies and form tokens, kept across restarts.

`$NCPFLOW_SECRET_KEY` when set (at least 32 bytes); else the file `[web] session_key_file`
(default: beside the database), made with a fresh random key, readable by its owner only, the
first time. Without a kept key every restart would sign everyone out, and two processes
serving one database would not accept each other's cookies.
"""

from __future__ import annotations

import os
from pathlib import Path

from workflow.config import ConfigError, Settings
from workflow.files import beside_database, make_secret, resolve

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
    try:
        make_secret(path)
    except OSError as exc:
        raise ConfigError(f"[web] session_key_file {path}: cannot be made: {exc.strerror}") from None
