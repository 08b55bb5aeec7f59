"""Fixtures that give each scenario its workspace, clients and identities."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from mock_idp.admin import AdminApiError, AdminClient, expect
from mock_idp.client import ScimClient
from mock_idp.dialects import Dialect, get_dialect
from mock_idp.identities import (
    EMAIL_DOMAIN,
    EMAIL_DOMAIN_VARIABLE,
    RUN_ID_VARIABLE,
    Identity,
    IdentityFactory,
)
from mock_idp.provisioning import IdentityProvider
from mock_idp.transcript import Transcript
from steps.plugin import TRANSCRIPT_KEY
from steps.target import (
    READ_ONLY_VARIABLE,
    WORKSPACE_PREFIX,
    Target,
    target_from_environment,
)


@dataclass
class Workspace:
    """The workspace a scenario provisions into.

    `id` and `admin` are set only when the admin API created the workspace for
    this scenario. Otherwise the scenario shares the SCIM token's workspace.
    """

    scim: ScimClient
    admin: AdminClient | None = None
    id: str | None = None

    def admin_api(self) -> tuple[AdminClient, str]:
        """Return the admin client and workspace id, or fail the step."""
        if self.admin is None or self.id is None:
            pytest.fail("This step needs the workspace admin API, so tag it @admin.")
        return self.admin, self.id


@pytest.fixture(scope="session")
def target() -> Target:
    return target_from_environment()


@pytest.fixture(scope="session")
def identities() -> IdentityFactory:
    """The run's identities, with the run id and email domain that verify set."""
    return IdentityFactory(
        os.environ.get(RUN_ID_VARIABLE) or None,
        email_domain=os.environ.get(EMAIL_DOMAIN_VARIABLE) or EMAIL_DOMAIN,
    )


@pytest.fixture
def transcript(request: pytest.FixtureRequest, target: Target) -> Transcript:
    """Collect the scenario's exchanges, which the plugin attaches on failure."""
    transcript = Transcript()
    transcript.add_secret(target.token)
    transcript.add_secret(target.admin_token)
    request.node.stash[TRANSCRIPT_KEY] = transcript
    return transcript


@pytest.fixture
def workspace(
    target: Target,
    transcript: Transcript,
    identities: IdentityFactory,
    dialect: Dialect,
) -> Iterator[Workspace]:
    """Create an Enterprise workspace with SAML for the scenario, when possible.

    With the admin API the workspace is deleted at teardown. Without it the
    scenario uses the SCIM token's workspace, and `idp` removes its users.
    Requesting `dialect` here gives every scenario a dialect in its test id.
    """
    if not target.has_admin_api or os.environ.get(READ_ONLY_VARIABLE) == "1":
        # A read-only run creates no workspace, so it uses the token's own.
        scim = ScimClient(target.base_url, target.token, transcript=transcript)
        yield Workspace(scim)
        scim.close()
        return

    admin = AdminClient(
        str(target.admin_url), str(target.admin_token), transcript=transcript
    )
    created = expect(
        admin.create_workspace(f"{WORKSPACE_PREFIX}{identities.run_id}"), 201
    )
    body = created.json()
    scim = ScimClient(target.base_url, body["scim_token"], transcript=transcript)
    yield Workspace(scim, admin, body["id"])

    scim.close()
    try:
        expect(admin.delete_workspace(body["id"]), 204)
    finally:
        admin.close()


@pytest.fixture
def dialect(request: pytest.FixtureRequest) -> Dialect:
    """The identity provider's wire format, which the plugin parametrizes."""
    return get_dialect(getattr(request, "param", "generic"))


@pytest.fixture
def idp(workspace: Workspace, dialect: Dialect) -> Iterator[IdentityProvider]:
    """The identity provider of the scenario, which removes its users at teardown."""
    provider = IdentityProvider(workspace.scim, dialect)
    yield provider
    if workspace.id is None:
        _remove_users(provider)


def _remove_users(provider: IdentityProvider) -> None:
    failures = []
    for user_id in provider.created_ids:
        deleted = provider.client.delete(user_id)
        if deleted.status in (204, 404):
            continue
        deactivated = provider.client.patch(
            user_id, [{"op": "replace", "path": "active", "value": False}]
        )
        if deactivated.status not in (200, 204):
            failures.append(deactivated.describe())
    if failures:
        raise AdminApiError(
            "Could not delete or deactivate users made by this scenario:\n"
            + "\n".join(failures)
        )


@pytest.fixture
def identity(identities: IdentityFactory) -> Identity:
    """The person the scenario provisions, unknown to the server at first."""
    return identities.new()


@pytest.fixture
def collaborator(identities: IdentityFactory) -> Identity:
    return identities.new()
