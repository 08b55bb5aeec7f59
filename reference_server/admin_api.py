"""The workspace admin API: what Soulanma admins do in the web app, as JSON.

Its contract is in the README; a live deployment that exposes it unlocks the
scenarios that need it.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reference_server.errors import ScimError
from reference_server.http import read_json
from reference_server.resources import is_email
from reference_server.rules import AdminApiError, Provisioning
from reference_server.scim_api import token_digest
from reference_server.storage import Document, Store, User, Workspace, new_id

PREFIX = "/admin/api"
PLANS = ("free", "business", "enterprise")
ROLES = ("editor", "viewer")
FOLDERS = ("shared", "private")


def workspace_json(workspace: Workspace) -> dict[str, Any]:
    return {
        "id": workspace.id,
        "name": workspace.name,
        "plan": workspace.plan,
        "saml_configured": workspace.saml_configured,
        "default_role": workspace.default_role,
    }


def member_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.user_name,
        "state": user.state,
        "role": user.role,
        "admin": user.admin,
        "scim_managed": user.scim_managed,
        "account_id": user.account_id,
    }


def _field(
    body: dict[str, Any], name: str, kind: type, choices: tuple[str, ...] = ()
) -> Any:
    value = body.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise AdminApiError(400, f"Field {name!r} must be a {kind.__name__}.")
    if choices and value not in choices:
        raise AdminApiError(400, f"Field {name!r} must be one of {', '.join(choices)}.")
    return value


def _email(body: dict[str, Any], name: str = "email") -> str:
    value = _field(body, name, str)
    if not is_email(value):
        raise AdminApiError(400, f"Field {name!r} must be an email address.")
    return value


class AdminApi:
    def __init__(
        self, store: Store, provisioning: Provisioning, admin_token: str
    ) -> None:
        self.store = store
        self.provisioning = provisioning
        self._token_digest = token_digest(admin_token)

    def routes(self) -> list[Route]:
        table = (
            ("/workspaces", self.create_workspace, ["POST"]),
            ("/workspaces/{ws}", self.workspace, ["GET", "PATCH", "DELETE"]),
            ("/workspaces/{ws}/members", self.members, ["GET", "POST"]),
            ("/workspaces/{ws}/admins", self.grant_admin, ["POST"]),
            ("/workspaces/{ws}/seats", self.seats, ["GET"]),
            ("/workspaces/{ws}/sso-sign-in", self.sign_in, ["POST"]),
            ("/workspaces/{ws}/documents", self.create_document, ["POST"]),
            ("/workspaces/{ws}/documents/{doc}/access", self.document_access, ["GET"]),
            ("/accounts", self.accounts, ["GET", "POST"]),
        )
        return [
            Route(PREFIX + path, endpoint, methods=methods)
            for path, endpoint, methods in table
        ]

    def authenticate(self, request: Request) -> None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        digest = token_digest(token.strip())
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            digest, self._token_digest
        ):
            raise AdminApiError(401, "A valid admin bearer token is required.")

    async def _body(self, request: Request) -> dict[str, Any]:
        try:
            body = await read_json(request)
        except ScimError as error:
            raise AdminApiError(error.status, error.detail) from None
        if not isinstance(body, dict):
            raise AdminApiError(400, "The request body must be a JSON object.")
        return body

    def _workspace(self, connection: Any, request: Request) -> Workspace:
        workspace = self.store.workspace(connection, request.path_params["ws"])
        if workspace is None:
            raise AdminApiError(
                404, f"Workspace {request.path_params['ws']!r} not found."
            )
        return workspace

    # Workspaces

    async def create_workspace(self, request: Request) -> Response:
        self.authenticate(request)
        body = await self._body(request)
        name = body.get("name") or "workspace"
        if not isinstance(name, str):
            raise AdminApiError(400, "Field 'name' must be a string.")
        workspace = Workspace(
            id=new_id(),
            name=name,
            plan=_field({"plan": body.get("plan", "enterprise")}, "plan", str, PLANS),
            saml_configured=_field(
                {"saml_configured": body.get("saml_configured", True)},
                "saml_configured",
                bool,
            ),
            default_role=_field(
                {"default_role": body.get("default_role", "viewer")},
                "default_role",
                str,
                ROLES,
            ),
        )
        token = secrets.token_urlsafe(32)
        with self.store.transaction() as connection:
            self.store.add_workspace(connection, workspace, token_digest(token))
        return JSONResponse({**workspace_json(workspace), "scim_token": token}, 201)

    async def workspace(self, request: Request) -> Response:
        self.authenticate(request)
        body = await self._body(request) if request.method == "PATCH" else {}
        with self.store.transaction() as connection:
            workspace = self._workspace(connection, request)
            if request.method == "DELETE":
                self.store.delete_workspace(connection, workspace.id)
                return Response(status_code=204)
            if request.method == "PATCH":
                workspace = _patched_workspace(workspace, body)
                self.store.update_workspace(connection, workspace, None)
        return JSONResponse(workspace_json(workspace))

    # Members

    async def members(self, request: Request) -> Response:
        self.authenticate(request)
        if request.method == "GET":
            with self.store.transaction() as connection:
                workspace = self._workspace(connection, request)
                found = self.store.users(connection, workspace.id)
            return JSONResponse({"members": [member_json(user) for user in found]})
        body = await self._body(request)
        email = _email(body)
        role = _field(body, "role", str, ROLES)
        with self.store.transaction() as connection:
            workspace = self._workspace(connection, request)
            user = self.provisioning.invite(connection, workspace, email, role)
        return JSONResponse(member_json(user), 201)

    async def grant_admin(self, request: Request) -> Response:
        self.authenticate(request)
        email = _email(await self._body(request))
        with self.store.transaction() as connection:
            workspace = self._workspace(connection, request)
            user = self.store.user_by_email(connection, workspace.id, email)
            if user is None:
                raise AdminApiError(404, f"No member with email {email!r}.")
            user = self.store.save_user(connection, _with_admin(user))
        return JSONResponse(member_json(user))

    async def seats(self, request: Request) -> Response:
        self.authenticate(request)
        with self.store.transaction() as connection:
            workspace = self._workspace(connection, request)
            count = self.store.count_editor_seats(connection, workspace.id)
        return JSONResponse({"editor_seats": count})

    async def sign_in(self, request: Request) -> Response:
        self.authenticate(request)
        email = _email(await self._body(request))
        with self.store.transaction() as connection:
            workspace = self._workspace(connection, request)
            user = self.provisioning.sign_in(connection, workspace, email)
        return JSONResponse(member_json(user))

    # Accounts

    async def accounts(self, request: Request) -> Response:
        self.authenticate(request)
        if request.method == "GET":
            email = request.query_params.get("email", "")
            with self.store.transaction() as connection:
                found = self.store.accounts_by_email(connection, email)
            return JSONResponse(
                {"accounts": [{"id": item.id, "email": item.email} for item in found]}
            )
        email = _email(await self._body(request))
        with self.store.transaction() as connection:
            if self.store.account_by_email(connection, email) is not None:
                raise AdminApiError(409, f"An account with email {email!r} exists.")
            account = self.store.add_account(connection, email)
        return JSONResponse({"id": account.id, "email": account.email}, 201)

    # Documents

    async def create_document(self, request: Request) -> Response:
        self.authenticate(request)
        body = await self._body(request)
        author = _email(body, "author_email")
        folder = _field(
            {"folder": body.get("folder", "shared")}, "folder", str, FOLDERS
        )
        with self.store.transaction() as connection:
            workspace = self._workspace(connection, request)
            member = self.store.user_by_email(connection, workspace.id, author)
            if member is None or member.state != "member":
                raise AdminApiError(
                    403, f"{author!r} is not a member of this workspace."
                )
            document = Document(new_id(), workspace.id, member.user_name, folder)
            self.store.add_document(connection, document, member.account_id)
        return JSONResponse(
            {
                "id": document.id,
                "author_email": document.author_email,
                "folder": folder,
            },
            201,
        )

    async def document_access(self, request: Request) -> Response:
        self.authenticate(request)
        email = request.query_params.get("email", "")
        with self.store.transaction() as connection:
            workspace = self._workspace(connection, request)
            document = self.store.document(
                connection, workspace.id, request.path_params["doc"]
            )
            if document is None:
                raise AdminApiError(
                    404, f"Document {request.path_params['doc']!r} not found."
                )
            reader = self.store.user_by_email(connection, workspace.id, email)
        is_member = reader is not None and reader.state == "member"
        is_author = (
            reader is not None
            and reader.user_name.casefold() == document.author_email.casefold()
        )
        can_open = is_member and (document.folder == "shared" or is_author)
        return JSONResponse({"can_open": can_open})


def _patched_workspace(workspace: Workspace, body: dict[str, Any]) -> Workspace:
    values = dict(workspace.__dict__)
    if "plan" in body:
        values["plan"] = _field(body, "plan", str, PLANS)
    if "saml_configured" in body:
        values["saml_configured"] = _field(body, "saml_configured", bool)
    if "default_role" in body:
        values["default_role"] = _field(body, "default_role", str, ROLES)
    return Workspace(**values)


def _with_admin(user: User) -> User:
    return replace(user, admin=True)


def admin_error_response(error: AdminApiError) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    return JSONResponse({"detail": error.detail}, error.status, headers=headers)
