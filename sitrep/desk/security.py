"""Sessions, CSRF tokens and the login rate limit of the desk."""

from __future__ import annotations

import hmac
import secrets
import time
from collections import defaultdict, deque
from pathlib import Path

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from ..writers import write_atomic

SECRET_NAME = "desk.secret"
CSRF_FIELD = "csrf"


def session_secret(state: Path) -> str:
    """The key that signs session cookies: made once, kept in the state folder (0600)."""
    path = state / SECRET_NAME
    if not path.exists():
        state.mkdir(parents=True, exist_ok=True)
        write_atomic(path, secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use)."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


async def checked_form(request: Request) -> FormData:
    """The submitted form, if it carries the session's CSRF token; else 403."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    token = request.session.get(CSRF_FIELD)
    if (
        not isinstance(sent, str)
        or not isinstance(token, str)
        or not hmac.compare_digest(sent, token)
    ):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
    return form


class LoginLimiter:
    """At most ``attempts`` failed logins per client and per name in ``window`` seconds."""

    def __init__(self, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts = attempts
        self.window = window
        self._failed: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failed[key]
        while times and times[0] < now - self.window:
            times.popleft()
        return times

    def blocked(self, client: str, name: str) -> bool:
        """Whether this client or name has failed too often lately."""
        now = time.monotonic()
        return any(len(self._recent(k, now)) >= self.attempts for k in (client, f"user:{name}"))

    def failed(self, client: str, name: str) -> None:
        """Count a failed login."""
        now = time.monotonic()
        for key in (client, f"user:{name}"):
            self._recent(key, now).append(now)
