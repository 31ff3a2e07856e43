"""The desk's web application (Starlette): login, then the pages of :mod:`.pages`.

Every page needs a session (signed cookie) except ``/health`` and ``/login``; every form
carries the session's CSRF token; failed logins are rate limited; templates autoescape.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..config import Config
from ..errors import SitrepError
from ..pipeline import previous_day
from ..render.environment import shipped_templates
from ..store.open import open_database
from ..store.sql import SqlStore
from . import pages
from .security import LoginLimiter, checked_form, session_secret
from .site import Desk, desk
from .users import Accounts

logger = logging.getLogger(__name__)

OPEN_PATHS = ("/health", "/login")
SESSION_HOURS = 12


class LoginRequired:
    """Sends every request without a valid session to the login page (except OPEN_PATHS)
    and puts the signed-in user in ``request.state.user``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        user = None
        name, since = request.session.get("user"), request.session.get("since", 0)
        fresh = dt.datetime.now(dt.UTC).timestamp() - float(since) < SESSION_HOURS * 3600
        if isinstance(name, str) and fresh:
            user = desk(request).accounts.get(name)
        scope.setdefault("state", {})["user"] = user
        if user is None and request.url.path not in OPEN_PATHS:
            await RedirectResponse("/login", status_code=303)(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def health(request: Request) -> Response:
    """The one page without login: the app is up."""
    return PlainTextResponse("ok\n")


async def login(request: Request) -> Response:
    """The login form, and signing in (rate limited)."""
    d = desk(request)
    if request.method == "GET":
        return d.page(request, "login.html.j2")
    form = await checked_form(request)
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    client = request.client.host if request.client else "?"
    if d.limiter.blocked(client, name):
        logger.warning("login refused (too many failures): %s from %s", name, client)
        return d.page(request, "login.html.j2", 429,
                      error="Too many failed logins: wait a few minutes.")  # fmt: skip
    user = d.accounts.check(name, password)
    if user is None:
        d.limiter.failed(client, name)
        logger.warning("failed login: %s from %s", name, client)
        return d.page(request, "login.html.j2", 401, error="Wrong name or password.")
    request.session.clear()
    request.session.update(user=user.name, since=dt.datetime.now(dt.UTC).timestamp())
    logger.info("%s signed in from %s", user.name, client)
    return RedirectResponse("/records", status_code=303)


async def logout(request: Request) -> Response:
    """Sign out."""
    await checked_form(request)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


async def home(request: Request) -> Response:
    """The records list is the desk's first page."""
    return RedirectResponse("/records", status_code=303)


async def _errors(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 400
    detail = exc.detail if isinstance(exc, HTTPException) else str(exc)
    return PlainTextResponse(f"{status}: {detail}\n", status_code=status)


def create_app(config: Config, *, day: dt.date | None = None,
               store: SqlStore | None = None) -> Starlette:  # fmt: skip
    """The desk for one project: its store must keep revisions (SQLite or PostgreSQL)."""

    if store is None:
        if config.store.kind == "folder":
            raise SitrepError(
                'the desk needs a store with revisions: set [store] kind = "sqlite" in '
                "sitrep.toml and `sitrep import records` the data folder"
            )
        store = open_database(config)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(shipped_templates())),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    state = config.path(config.state)
    handlers: list[tuple[str, Callable[[Request], Awaitable[Response]], list[str]]] = [
        ("/health", health, ["GET"]),
        ("/login", login, ["GET", "POST"]),
        ("/logout", logout, ["POST"]),
        ("/", home, ["GET"]),
        *pages.ROUTES,
    ]
    app = Starlette(
        routes=[Route(p, h, methods=m) for p, h, m in handlers],
        middleware=[
            Middleware(
                SessionMiddleware,
                secret_key=session_secret(state),
                same_site="strict",
                max_age=SESSION_HOURS * 3600,
                session_cookie="sitrep_desk",
            ),
            Middleware(LoginRequired),
        ],
        exception_handlers={HTTPException: _errors, SitrepError: _errors},
    )
    app.state.desk = Desk(config, store, Accounts.for_config(config),
                          day or previous_day(config), env, LoginLimiter())  # fmt: skip
    return app
