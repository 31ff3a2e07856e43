"""What every page of the desk shares: the :class:`Desk` and the role check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import jinja2
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..config import Config
from ..store.sql import SqlStore
from .security import LoginLimiter, csrf_token
from .users import Accounts, Role, User


@dataclass
class Desk:
    """What every request handler shares: configuration, store, accounts, templates."""

    config: Config
    store: SqlStore
    accounts: Accounts
    day: dt.date
    env: jinja2.Environment
    limiter: LoginLimiter

    def page(self, request: Request, name: str, code: int = 200, **context: Any) -> Response:
        """Render ``templates/desk/<name>``."""
        html = self.env.get_template(f"desk/{name}").render(
            user=request.state.user, csrf=csrf_token(request), path=request.url.path,
            day=self.day, **context,
        )  # fmt: skip
        return HTMLResponse(html, status_code=code)


def desk(request: Request) -> Desk:
    """The desk the request belongs to."""
    found: Desk = request.app.state.desk
    return found


def need(request: Request, role: Role) -> User:
    """The signed-in user, if their role allows ``role``; else 403."""
    user: User = request.state.user
    if not user.role.may(role):
        raise HTTPException(403, f"{user.name} is {user.role.value}: this needs {role.value}")
    return user
