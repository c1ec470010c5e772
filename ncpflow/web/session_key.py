"""The key that signs the web app's session cookies and form tokens, kept across restarts.

`$NCPFLOW_SECRET_KEY` when set (at least 32 bytes); else the file `[web] session_key_file`
(default: beside the database), made with a fresh random key, readable by its owner only, the
first time. Without a kept key every restart would sign everyone out, and two processes
serving one database would not accept each other's cookies.
"""

from __future__ import annotations

from workflow.config import Settings
from workflow.files import kept_secret

KEY_ENV = "NCPFLOW_SECRET_KEY"
MIN_BYTES = 32


def session_key(settings: Settings) -> str:
    return kept_secret(
        settings,
        env=KEY_ENV,
        configured=settings.web.session_key_file,
        suffix=".session-key",
        option="[web] session_key_file",
        what="session key",
        min_bytes=MIN_BYTES,
    )
