"""The SCIM 2.0 endpoints under /scim-v2 (RFC 7644)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route

from reference_server import discovery, mutants
from reference_server.errors import ScimError, not_found
from reference_server.filters import matches, parse_filter
from reference_server.http import query_int, read_json, scim_response
from reference_server.resources import etag, parse_user, render_user
from reference_server.rules import Provisioning
from reference_server.schema import (
    CORE_USER_URN,
    LIST_RESPONSE_URN,
    USER_SCHEMAS,
    schema_by_urn,
    split_urn,
)
from reference_server.storage import Store, User, Workspace

PREFIX = "/scim-v2"
GROUPS_DETAIL = "Groups are not supported by Soulanma: provision users only."
# Starlette reads `methods=None` on a function endpoint as GET only, so the
# routes that serve every method list the methods explicitly.
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _unauthorized(detail: str) -> ScimError:
    return ScimError(401, detail)


def _missing_requirements(workspace: Workspace) -> list[str]:
    missing = []
    if workspace.plan != "enterprise" and not mutants.active("no-plan-check"):
        missing.append(
            f"the Enterprise plan (this workspace is on the {workspace.plan} plan)"
        )
    if not workspace.saml_configured and not mutants.active("no-saml-check"):
        missing.append("SAML SSO configured for the workspace")
    return missing


class ScimApi:
    def __init__(self, store: Store, provisioning: Provisioning) -> None:
        self.store = store
        self.provisioning = provisioning
        # The routes of real endpoints, filled by `routes()`.
        self._endpoint_routes: list[Route] = []

    def routes(self) -> list[Route]:
        routes = []
        for path, endpoint, methods in (
            ("/Users", self.users, ["GET", "POST"]),
            ("/Users/{user_id}", self.user, ["GET", "PUT", "PATCH", "DELETE"]),
            ("/ServiceProviderConfig", self.service_provider_config, ["GET"]),
            ("/ResourceTypes", self.resource_types, ["GET"]),
            ("/ResourceTypes/{name}", self.resource_type, ["GET"]),
            ("/Schemas", self.schemas, ["GET"]),
            ("/Schemas/{urn}", self.schema, ["GET"]),
            ("/Groups", self.groups, ALL_METHODS),
            ("/Groups/{rest:path}", self.groups, ALL_METHODS),
        ):
            # Identity providers call collections with and without a trailing
            # slash; both are served, never redirected.
            for variant in (path, path + "/"):
                routes.append(Route(PREFIX + variant, endpoint, methods=methods))
        self._endpoint_routes = list(routes)
        routes.append(
            Route(PREFIX + "/{rest:path}", self.unknown_path, methods=ALL_METHODS)
        )
        routes.append(Route(PREFIX, self.unknown_path, methods=ALL_METHODS))
        return routes

    # Authentication and workspace checks

    def authenticate(self, request: Request) -> Workspace:
        """Return the workspace that the bearer token selects (RFC 6750)."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized(
                "A bearer token is required: Authorization: Bearer TOKEN."
            )
        digest = token_digest(token.strip())
        with self.store.transaction() as connection:
            found = self.store.workspace_by_token_digest(connection, digest)
            if found is None and mutants.active("any-token"):
                found = self.store.first_workspace(connection)
        # The lookup is by digest, so the token itself is never compared, and the
        # final check compares the digests in constant time all the same.
        if found is None or not (
            hmac.compare_digest(found[1], digest) or mutants.active("any-token")
        ):
            raise _unauthorized("The bearer token is not valid for any workspace.")
        workspace = found[0]
        missing = _missing_requirements(workspace)
        if missing:
            raise ScimError(
                403,
                "SCIM provisioning is not available: it needs "
                + " and ".join(missing)
                + ".",
            )
        return workspace

    @staticmethod
    def base_url(request: Request) -> str:
        return str(request.base_url).rstrip("/") + PREFIX

    # Users

    async def users(self, request: Request) -> Response:
        workspace = self.authenticate(request)
        if request.method == "POST":
            return await self.create_user(request, workspace)
        return self.list_users(request, workspace)

    async def create_user(self, request: Request, workspace: Workspace) -> Response:
        data = parse_user(await read_json(request))
        with self.store.transaction() as connection:
            user = self.provisioning.create(connection, workspace, data)
        resource = render_user(user, self.base_url(request))
        headers = {"Location": resource["meta"]["location"], "ETag": etag(user)}
        return scim_response(self._project(request, resource), 201, headers)

    def list_users(self, request: Request, workspace: Workspace) -> Response:
        """List users with filtering and pagination (RFC 7644, Section 3.4.2)."""
        start_index = max(query_int(request, "startIndex") or 1, 1)
        count = query_int(request, "count")
        count = discovery.DEFAULT_PAGE_SIZE if count is None else count
        count = min(max(count, 0), discovery.MAX_PAGE_SIZE)
        filter_text = request.query_params.get("filter")
        parsed = parse_filter(filter_text) if filter_text is not None else None

        base_url = self.base_url(request)
        with self.store.transaction() as connection:
            stored = self.store.users(connection, workspace.id)
        resources = [render_user(user, base_url) for user in stored]
        if parsed is not None:
            resources = [
                resource for resource in resources if matches(parsed, resource)
            ]
        if parsed is not None and not resources and mutants.active("no-match-404"):
            raise not_found("No user matches the filter.")

        first = (
            start_index if mutants.active("pagination-off-by-one") else start_index - 1
        )
        page = resources[first : first + count]
        body = {
            "schemas": [LIST_RESPONSE_URN],
            "totalResults": len(resources),
            "itemsPerPage": len(page),
            "startIndex": start_index,
            "Resources": [self._project(request, resource) for resource in page],
        }
        return scim_response(body)

    async def user(self, request: Request) -> Response:
        workspace = self.authenticate(request)
        user_id = request.path_params["user_id"]
        base_url = self.base_url(request)
        with self.store.transaction() as connection:
            user = self._existing_user(connection, workspace, user_id)
            if request.method in ("GET", "HEAD"):
                return self._user_response(request, user)
        self._check_if_match(request, user)

        if request.method == "DELETE":
            with self.store.transaction() as connection:
                user = self._existing_user(connection, workspace, user_id)
                self.provisioning.delete_user(connection, workspace, user)
            return Response(status_code=204)

        body = await read_json(request)
        with self.store.transaction() as connection:
            user = self._existing_user(connection, workspace, user_id)
            if request.method == "PUT":
                data = parse_user(body)
                user = self.provisioning.put_user(connection, workspace, user, data)
            else:
                user = self.provisioning.patch_user(
                    connection, workspace, user, body, base_url
                )
        return self._user_response(request, user)

    def _existing_user(
        self, connection: Any, workspace: Workspace, user_id: str
    ) -> User:
        user = self.store.user(connection, workspace.id, user_id)
        if user is None:
            raise not_found(f"User {user_id!r} not found.")
        return user

    def _user_response(self, request: Request, user: User) -> Response:
        resource = render_user(user, self.base_url(request))
        return scim_response(
            self._project(request, resource), headers={"ETag": etag(user)}
        )

    @staticmethod
    def _check_if_match(request: Request, user: User) -> None:
        expected = request.headers.get("if-match")
        if expected is None:
            return
        tags = {tag.strip() for tag in expected.split(",")}
        if "*" not in tags and etag(user) not in tags:
            raise ScimError(
                412,
                f"The user has version {etag(user)}, not {expected}: read it again "
                "and retry.",
            )

    @staticmethod
    def _project(request: Request, resource: dict[str, Any]) -> dict[str, Any]:
        """Apply `attributes` and `excludedAttributes` (RFC 7644, Section 3.9).

        NOTE: only top-level attribute names and extension URNs are honoured;
        a sub-attribute such as `name.givenName` selects its whole parent.
        """
        included = _names(request.query_params.get("attributes"))
        excluded = _names(request.query_params.get("excludedAttributes"))
        always = {"id", "schemas"}
        if included:
            return {
                key: value
                for key, value in resource.items()
                if key.lower() in included or key in always
            }
        if excluded:
            return {
                key: value
                for key, value in resource.items()
                if key.lower() not in excluded or key in always
            }
        return resource

    # Discovery

    async def service_provider_config(self, request: Request) -> Response:
        self.authenticate(request)
        return scim_response(discovery.service_provider_config(self.base_url(request)))

    async def resource_types(self, request: Request) -> Response:
        self.authenticate(request)
        resource_type = discovery.user_resource_type(self.base_url(request))
        return scim_response(discovery.list_response([resource_type]))

    async def resource_type(self, request: Request) -> Response:
        self.authenticate(request)
        if request.path_params["name"] != "User":
            raise not_found(f"Resource type {request.path_params['name']!r} not found.")
        return scim_response(discovery.user_resource_type(self.base_url(request)))

    async def schemas(self, request: Request) -> Response:
        self.authenticate(request)
        return scim_response(
            discovery.list_response(discovery.schemas(self.base_url(request)))
        )

    async def schema(self, request: Request) -> Response:
        self.authenticate(request)
        schema = schema_by_urn(request.path_params["urn"])
        if schema is None or schema not in USER_SCHEMAS:
            raise not_found(f"Schema {request.path_params['urn']!r} not found.")
        return scim_response(schema.to_json(self.base_url(request)))

    # Unsupported

    async def groups(self, request: Request) -> Response:
        self.authenticate(request)
        if mutants.active("groups-answer-200"):
            return scim_response(discovery.list_response([]))
        raise not_found(GROUPS_DETAIL)

    async def unknown_path(self, request: Request) -> Response:
        # The catch-all route matches every method, so Starlette sends a known
        # path with a method it does not serve here instead of returning 405.
        # The token is checked first, so that no route is revealed without it.
        self.authenticate(request)
        for route in self._endpoint_routes:
            match, _ = route.matches(request.scope)
            if match is not Match.NONE:
                raise ScimError(
                    405,
                    f"Method {request.method} is not allowed on {request.url.path}.",
                    headers={"Allow": ", ".join(sorted(route.methods or ()))},
                )
        raise not_found(f"No SCIM endpoint at {request.url.path}.")


def _names(raw: str | None) -> set[str]:
    if not raw:
        return set()
    names = set()
    for part in raw.split(","):
        name = part.strip()
        schema = schema_by_urn(name)
        extension, _ = split_urn(name)
        if schema is None and extension is not None and extension.id != CORE_USER_URN:
            # An extension attribute selects its whole extension object.
            names.add(extension.id.lower())
            continue
        if schema is None:
            for candidate in USER_SCHEMAS:
                prefix = candidate.id.lower() + ":"
                if name.lower().startswith(prefix) and candidate.id.endswith(
                    ":core:2.0:User"
                ):
                    name = name[len(prefix) :]
        names.add(name.split(".", 1)[0].lower())
    return names
