"""The admin bearer token: configured, never defaulted to a known value, never logged.

The ingress reads it from a file named in its settings, else
``RETAIL_ADMIN_TOKEN``, else ``<repo>/.secrets/admin_token`` (git-ignored). ``make up`` writes a random one
there, readable by its owner only, the first time, and prints the path, never
the value. With neither, the admin API is off.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from retail.paths import REPO_ROOT

DEFAULT_TOKEN_FILE = REPO_ROOT / ".secrets" / "admin_token"


def read_admin_token(path: str | Path | None = None) -> str | None:
    """A file named explicitly wins; then RETAIL_ADMIN_TOKEN; then the default file. None: no token (admin off)."""
    if path is None:
        token = os.environ.get("RETAIL_ADMIN_TOKEN", "").strip()
        if token:
            return token
    file = Path(path) if path else DEFAULT_TOKEN_FILE
    try:
        return file.read_text().strip() or None
    except FileNotFoundError:
        if path is not None:
            raise  # a file named explicitly must exist: a typo must not silently turn the admin API off
        return None


def ensure_admin_token(path: str | Path | None = None) -> Path:
    """Create a random token file (mode 0600) unless one exists; returns its path."""
    file = Path(path) if path else DEFAULT_TOKEN_FILE
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(32))
    return file
