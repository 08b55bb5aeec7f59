"""Assembly of the reference server: routes, error handling, request logging."""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference_server import mutants
from reference_server.admin_api import AdminApi, admin_error_response
from reference_server.errors import ScimError
from reference_server.http import scim_error_response
from reference_server.rules import AdminApiError, Provisioning
from reference_server.scim_api import PREFIX, ScimApi, token_digest
from reference_server.storage import Store, Workspace, create_sqlite_engine, new_id

logger = logging.getLogger("reference_server")

DEFAULT_WORKSPACE_NAME = "default"


@dataclass(frozen=True)
class ServerSetup:
    """Start-up output of `serve`: the default workspace and its tokens."""

    default_workspace_id: str
    scim_token: str
    admin_token: str
    scim_token_generated: bool
    admin_token_generated: bool


def _is_scim(request: Request) -> bool:
    return request.url.path == PREFIX or request.url.path.startswith(PREFIX + "/")


async def _scim_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ScimError)
    if error.status >= 500:
        logger.error(
            "SCIM error %s on %s: %s", error.status, request.url.path, error.detail
        )
    return scim_error_response(error)


async def _admin_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, AdminApiError)
    return admin_error_response(error)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    detail = error.detail
    if error.status_code == 405:
        detail = f"Method {request.method} is not allowed on {request.url.path}."
    # Starlette's 405 carries the Allow header that RFC 9110 requires.
    headers = dict(error.headers or {})
    if _is_scim(request):
        error_with_headers = ScimError(error.status_code, detail, headers=headers)
        return scim_error_response(error_with_headers)
    return JSONResponse({"detail": detail}, error.status_code, headers=headers)


async def _unexpected_error(request: Request, error: Exception) -> Response:
    logger.exception("Unhandled error on %s %s", request.method, request.url.path)
    if _is_scim(request):
        return scim_error_response(ScimError(500, "Internal server error."))
    return JSONResponse({"detail": "Internal server error."}, 500)


class RequestLogMiddleware:
    """Log one line per request: method, path, status and duration.

    Only the path is logged. The query string may carry email addresses in
    filters, and headers may carry tokens, so neither is written.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            logger.info(
                "%s %s %d %.1fms", scope["method"], scope["path"], status, elapsed
            )


def create_app(store: Store, admin_token: str) -> Starlette:
    """Build the ASGI application on `store`; `admin_token` guards the admin API."""
    mutants.configure_from_environment()
    provisioning = Provisioning(store)
    scim = ScimApi(store, provisioning)
    admin = AdminApi(store, provisioning, admin_token)
    app = Starlette(
        routes=[*scim.routes(), *admin.routes()],
        exception_handlers={
            ScimError: _scim_error,
            AdminApiError: _admin_error,
            HTTPException: _http_error,
            Exception: _unexpected_error,
        },
    )
    # SCIM clients call collections with and without a trailing slash; both
    # routes exist, so a redirect would only confuse them.
    app.router.redirect_slashes = False
    app.add_middleware(RequestLogMiddleware)
    return app


def ensure_default_workspace(store: Store, scim_token: str) -> Workspace:
    """Create or update the default workspace so that `scim_token` selects it.

    The default workspace is on the Enterprise plan, has SAML SSO configured and
    gives new users the viewer role.
    """
    with store.transaction() as connection:
        workspace = store.workspace_by_name(connection, DEFAULT_WORKSPACE_NAME)
        if workspace is None:
            workspace = Workspace(
                new_id(), DEFAULT_WORKSPACE_NAME, "enterprise", True, "viewer"
            )
            store.add_workspace(connection, workspace, token_digest(scim_token))
        else:
            store.update_workspace(connection, workspace, token_digest(scim_token))
    return workspace


def build_server_app(
    database: str, scim_token: str | None, admin_token: str | None
) -> tuple[Starlette, ServerSetup]:
    """Open the database, prepare the default workspace and return the app.

    An empty token counts as none, so a random one is generated.
    """
    given_scim_token, given_admin_token = bool(scim_token), bool(admin_token)
    scim_token = scim_token or secrets.token_urlsafe(32)
    admin_token = admin_token or secrets.token_urlsafe(32)
    store = Store(create_sqlite_engine(database))
    workspace = ensure_default_workspace(store, scim_token)
    setup = ServerSetup(
        default_workspace_id=workspace.id,
        scim_token=scim_token,
        admin_token=admin_token,
        scim_token_generated=not given_scim_token,
        admin_token_generated=not given_admin_token,
    )
    return create_app(store, admin_token), setup
