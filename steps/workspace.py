"""Steps that set up the workspace and observe it through the admin API."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, then, when

from mock_idp.admin import expect
from mock_idp.identities import Identity
from mock_idp.provisioning import SOULANMA_USER_URN, IdentityProvider
from mock_idp.transcript import Exchange
from steps.checks import assert_status
from steps.fixtures import Workspace


def _member(workspace: Workspace, email: str) -> tuple[dict[str, Any] | None, str]:
    admin, workspace_id = workspace.admin_api()
    exchange = expect(admin.list_members(workspace_id), 200)
    for member in exchange.json().get("members", []):
        if str(member.get("email", "")).lower() == email.lower():
            return member, exchange.describe()
    return None, exchange.describe()


def _listed_member(workspace: Workspace, identity: Identity) -> tuple[dict, str]:
    member, listing = _member(workspace, identity.email)
    assert member is not None, f"{identity.email} is not listed:\n{listing}"
    return member, listing


def _patch_workspace(workspace: Workspace, **changes: Any) -> None:
    admin, workspace_id = workspace.admin_api()
    exchange = expect(admin.patch_workspace(workspace_id, **changes), 200)
    for name, value in changes.items():
        assert exchange.json().get(name) == value, exchange.describe()


@given(parsers.re("a workspace whose default role is (?P<role>editor|viewer)"))
def default_role(workspace: Workspace, role: str) -> None:
    _patch_workspace(workspace, default_role=role)


@given("a workspace without SAML SSO configured")
def without_saml(workspace: Workspace) -> None:
    _patch_workspace(workspace, saml_configured=False)


@given(parsers.re("a workspace on the (?P<plan>free|business|enterprise) plan"))
def on_plan(workspace: Workspace, plan: str) -> None:
    _patch_workspace(workspace, plan=plan)


@given(
    parsers.re("a member invited by hand as (?P<role>editor|viewer)"),
    target_fixture="member",
)
def invited_by_hand(workspace: Workspace, identity: Identity, role: str) -> dict:
    admin, workspace_id = workspace.admin_api()
    exchange = expect(admin.invite_member(workspace_id, identity.email, role), 201)
    return dict(exchange.json())


@given("the user has signed in with SAML SSO")
def has_signed_in(workspace: Workspace, identity: Identity) -> None:
    admin, workspace_id = workspace.admin_api()
    expect(admin.sso_sign_in(workspace_id, identity.email), 200)


@given(
    "the user has a Soulanma account outside the workspace",
    target_fixture="account",
)
def has_account(workspace: Workspace, identity: Identity) -> dict:
    admin, _ = workspace.admin_api()
    return dict(expect(admin.create_account(identity.email), 201).json())


@given("the user is a workspace admin")
def is_admin(workspace: Workspace, identity: Identity) -> None:
    admin, workspace_id = workspace.admin_api()
    exchange = expect(admin.grant_admin(workspace_id, identity.email), 200)
    assert exchange.json().get("admin") is True, exchange.describe()


@given(
    "the user is a member who wrote a document in the shared folder",
    target_fixture="document",
)
def wrote_shared_document(
    workspace: Workspace, idp: IdentityProvider, identity: Identity
) -> dict:
    admin, workspace_id = workspace.admin_api()
    assert_status(idp.provision(identity, True), 201)
    expect(admin.sso_sign_in(workspace_id, identity.email), 200)
    created = admin.create_document(workspace_id, identity.email, "shared")
    return dict(expect(created, 201).json())


@given("a collaborator is a member of the workspace")
def collaborator_member(
    workspace: Workspace, idp: IdentityProvider, collaborator: Identity
) -> None:
    admin, workspace_id = workspace.admin_api()
    assert_status(idp.provision(collaborator, False), 201)
    expect(admin.sso_sign_in(workspace_id, collaborator.email), 200)


@when("the user signs in with SAML SSO", target_fixture="response")
def signs_in(workspace: Workspace, identity: Identity) -> Exchange:
    admin, workspace_id = workspace.admin_api()
    return admin.sso_sign_in(workspace_id, identity.email)


@when(
    "the user signs in with SAML SSO using the email in upper case",
    target_fixture="response",
)
def signs_in_upper(workspace: Workspace, identity: Identity) -> Exchange:
    admin, workspace_id = workspace.admin_api()
    return admin.sso_sign_in(workspace_id, identity.email.upper())


@then("the sign-in succeeds")
def sign_in_succeeds(response: Exchange, identity: Identity) -> None:
    assert_status(response, 200)
    member = response.json()
    assert member.get("state") == "member", response.describe()
    assert str(member.get("email")).lower() == identity.email.lower(), (
        response.describe()
    )


@then("the sign-in is refused")
def sign_in_refused(response: Exchange) -> None:
    assert_status(response, 403)


@then(
    parsers.re(
        r"the workspace lists the user as (?P<state>pending|member|removed) "
        r"with role (?P<role>editor|viewer)"
    )
)
def listed_with_role(
    workspace: Workspace, identity: Identity, state: str, role: str
) -> None:
    member, listing = _listed_member(workspace, identity)
    assert member.get("state") == state, f"expected state {state!r}:\n{listing}"
    assert member.get("role") == role, f"expected role {role!r}:\n{listing}"


@then("the workspace lists the user as pending with no account")
def listed_pending_without_account(workspace: Workspace, identity: Identity) -> None:
    member, listing = _listed_member(workspace, identity)
    assert member.get("state") == "pending", f"expected state pending:\n{listing}"
    assert member.get("account_id") is None, f"expected no account:\n{listing}"


@then("the workspace lists the user as removed")
def listed_removed(workspace: Workspace, identity: Identity) -> None:
    member, listing = _listed_member(workspace, identity)
    assert member.get("state") == "removed", f"expected state removed:\n{listing}"


@then("the workspace does not list the user")
def not_listed(workspace: Workspace, identity: Identity) -> None:
    member, listing = _member(workspace, identity.email)
    assert member is None, f"{identity.email} is still listed:\n{listing}"


@then(
    parsers.re("the workspace lists the user as SCIM-managed with role (?P<role>\\w+)")
)
def listed_scim_managed(workspace: Workspace, identity: Identity, role: str) -> None:
    member, listing = _listed_member(workspace, identity)
    assert member.get("scim_managed") is True, f"expected SCIM-managed:\n{listing}"
    assert member.get("role") == role, f"expected role {role!r}:\n{listing}"


@then(parsers.re("the workspace lists the user as admin with role (?P<role>\\w+)"))
def listed_admin(workspace: Workspace, identity: Identity, role: str) -> None:
    member, listing = _listed_member(workspace, identity)
    assert member.get("admin") is True, f"expected admin:\n{listing}"
    assert member.get("role") == role, f"expected role {role!r}:\n{listing}"


@then("the workspace lists the user as a member with the existing account")
def listed_with_account(
    workspace: Workspace, identity: Identity, account: dict
) -> None:
    member, listing = _listed_member(workspace, identity)
    assert member.get("state") == "member", f"expected state member:\n{listing}"
    assert member.get("account_id") == account["id"], (
        f"expected account {account['id']!r}:\n{listing}"
    )


@then("the SCIM user has the member's id and state")
def scim_user_is_member(response: Exchange, member: dict) -> None:
    resource = response.json()
    assert resource.get("id") == member["id"], (
        f"expected the member's id {member['id']!r}:\n{response.describe()}"
    )
    state = (resource.get(SOULANMA_USER_URN) or {}).get("state")
    assert state == member["state"], (
        f"expected the member's state {member['state']!r}:\n{response.describe()}"
    )


@then(parsers.parse("the workspace has {count:d} editor seats"))
def editor_seats(workspace: Workspace, count: int) -> None:
    admin, workspace_id = workspace.admin_api()
    exchange = expect(admin.seats(workspace_id), 200)
    assert exchange.json().get("editor_seats") == count, (
        f"expected {count} editor seats:\n{exchange.describe()}"
    )


@then("the user's Soulanma account still exists")
def account_exists(workspace: Workspace, identity: Identity) -> None:
    admin, _ = workspace.admin_api()
    exchange = expect(admin.find_accounts(identity.email), 200)
    assert len(exchange.json().get("accounts", [])) == 1, exchange.describe()


@then("the user has exactly one Soulanma account")
def one_account(workspace: Workspace, identity: Identity) -> None:
    account_exists(workspace, identity)


@then(
    parsers.re("the (?P<who>collaborator|user) (?P<verb>can|cannot) open the document")
)
def document_access(
    workspace: Workspace,
    identity: Identity,
    collaborator: Identity,
    document: dict,
    who: str,
    verb: str,
) -> None:
    admin, workspace_id = workspace.admin_api()
    person = collaborator if who == "collaborator" else identity
    exchange = expect(
        admin.document_access(workspace_id, document["id"], person.email), 200
    )
    expected = verb == "can"
    assert exchange.json().get("can_open") is expected, (
        f"expected can_open {expected} for the {who}:\n{exchange.describe()}"
    )
