"""Soulanma's provisioning rules: roles, pending users, linking, deactivation.

The HTTP layers call these functions inside one transaction; every rule that
decides a role, a membership state or an account lives here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection

from reference_server import mutants
from reference_server.errors import ScimError, uniqueness
from reference_server.patch import apply_patch
from reference_server.resources import UserInput, names_admin, parse_user, render_user
from reference_server.storage import Store, User, Workspace, new_id, utc_now


class AdminApiError(Exception):
    """A workspace admin API failure with its HTTP status."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _role_from(editor: bool | None, current: str) -> str:
    if editor is None:
        return current
    return "editor" if editor else "viewer"


def _state_after(active: bool | None, state: str) -> str:
    """Return the membership state once `active` is applied.

    Deactivation removes the user from the workspace at once. Reactivation
    makes a removed user pending again: membership returns at the next sign-in.
    """
    if active is False:
        return "member" if mutants.active("deactivate-keeps-member") else "removed"
    if active is True and state == "removed":
        return "pending"
    return state


class Provisioning:
    def __init__(self, store: Store) -> None:
        self.store = store

    def create(
        self, connection: Connection, workspace: Workspace, data: UserInput
    ) -> User:
        """Create a pending user, or link the hand-invited member with that email."""
        existing = self.store.user_by_email(connection, workspace.id, data.user_name)
        if existing is not None:
            return self._link_invited_member(connection, existing, data)

        default_role = workspace.default_role
        if mutants.active("ignore-default-role"):
            default_role = "viewer"
        now = utc_now()
        state = _state_after(data.active, "pending")
        user = User(
            id=new_id(),
            workspace_id=workspace.id,
            user_name=data.user_name,
            external_id=data.external_id,
            attributes=data.attributes,
            active=state != "removed",
            role=_role_from(data.editor, default_role),
            admin=False,
            state=state,
            scim_managed=True,
            account_id=None,
            version=1,
            created=now,
            last_modified=now,
        )
        if mutants.active("account-at-once"):
            account = self.store.account_or_new(connection, data.user_name)
            user = replace(user, account_id=account.id, state="member")
        self.store.add_user(connection, user)
        return user

    def _link_invited_member(
        self, connection: Connection, member: User, data: UserInput
    ) -> User:
        if member.scim_managed and mutants.active("duplicate-create-201"):
            return member
        if member.scim_managed or mutants.active("invited-not-linked"):
            raise uniqueness(
                f"A user with userName {data.user_name!r} already exists in this "
                "workspace."
            )
        linked = self._updated(member, data)
        return self.store.save_user(connection, replace(linked, scim_managed=True))

    def put_user(
        self, connection: Connection, workspace: Workspace, user: User, data: UserInput
    ) -> User:
        """Apply a PUT request. An absent `editor` keeps the role."""
        if mutants.active("put-demotes-editor") and data.editor is None:
            data = replace(data, editor=False)
        return self.replace_user(connection, workspace, user, data)

    def replace_user(
        self, connection: Connection, workspace: Workspace, user: User, data: UserInput
    ) -> User:
        """Apply a full update, from PUT or PATCH. An absent `editor` keeps the role."""
        self._check_user_name_free(connection, workspace, user, data.user_name)
        if mutants.active("update-resets-role") and data.editor is None:
            data = replace(data, editor=workspace.default_role == "editor")
        updated = self._updated(user, data)
        if updated.state == "removed" and mutants.active("deactivate-deletes"):
            self.store.delete_user(connection, user.id)
            return updated
        if updated.state == "removed" and user.state != "removed":
            self._on_removed(connection, workspace, user)
        reactivated = user.state == "removed" and updated.state == "pending"
        if reactivated and mutants.active("reactivate-new-id"):
            self.store.delete_user(connection, user.id)
            fresh = replace(updated, id=new_id(), version=0)
            self.store.add_user(connection, fresh)
            return self.store.save_user(connection, fresh)
        return self.store.save_user(connection, updated)

    def patch_user(
        self,
        connection: Connection,
        workspace: Workspace,
        user: User,
        body: Any,
        base_url: str,
    ) -> User:
        """Apply a PATCH request (RFC 7644, Section 3.5.2) to `user`, all or nothing.

        The operations run on the user's current representation, and the result
        is validated as a PUT body would be. Removing `editor` leaves it absent,
        which keeps the role.
        """
        if mutants.active("case-sensitive-ops"):
            _reject_non_lowercase_ops(body)
        current = render_user(user, base_url)
        patched = apply_patch(current, body)
        data = parse_user(patched)
        return self.replace_user(connection, workspace, user, data)

    def delete_user(
        self, connection: Connection, workspace: Workspace, user: User
    ) -> None:
        """Delete the SCIM resource; the user leaves the workspace, content stays."""
        self._on_removed(connection, workspace, user)
        self.store.delete_user(connection, user.id)

    def _on_removed(
        self, connection: Connection, workspace: Workspace, user: User
    ) -> None:
        if mutants.active("content-deleted-with-author"):
            self.store.delete_documents_by_author(
                connection, workspace.id, user.user_name
            )

    def _check_user_name_free(
        self, connection: Connection, workspace: Workspace, user: User, user_name: str
    ) -> None:
        other = self.store.user_by_email(connection, workspace.id, user_name)
        if other is not None and other.id != user.id:
            raise uniqueness(
                f"Another user in this workspace already has userName {user_name!r}."
            )

    @staticmethod
    def _updated(user: User, data: UserInput) -> User:
        state = _state_after(data.active, user.state)
        admin = user.admin
        if mutants.active("admin-through-roles"):
            admin = admin or names_admin(data.attributes.get("roles", []))
        return replace(
            user,
            admin=admin,
            user_name=data.user_name,
            external_id=data.external_id,
            attributes=data.attributes,
            role=_role_from(data.editor, user.role),
            state=state,
            active=state != "removed",
        )

    # Operations of the workspace admin API

    def sign_in(self, connection: Connection, workspace: Workspace, email: str) -> User:
        """Sign a provisioned user in through SAML SSO: account and membership."""
        user = self.store.user_by_email(connection, workspace.id, email)
        if user is None:
            raise AdminApiError(
                403, f"No user with email {email!r} is provisioned in this workspace."
            )
        if user.state == "removed":
            raise AdminApiError(
                403, f"User {email!r} was deactivated and cannot sign in."
            )
        account_id = user.account_id
        if account_id is None and mutants.active("duplicate-account"):
            account_id = self.store.add_account(connection, user.user_name).id
        if account_id is None:
            account_id = self.store.account_or_new(connection, user.user_name).id
        if user.state == "member" and user.account_id == account_id:
            return user
        return self.store.save_user(
            connection, replace(user, account_id=account_id, state="member")
        )

    def invite(
        self, connection: Connection, workspace: Workspace, email: str, role: str
    ) -> User:
        """Add a member by hand, as an admin does in the web app before SCIM."""
        if self.store.user_by_email(connection, workspace.id, email) is not None:
            raise AdminApiError(409, f"{email!r} is already in this workspace.")
        account = self.store.account_or_new(connection, email)
        now = utc_now()
        user = User(
            id=new_id(),
            workspace_id=workspace.id,
            user_name=email,
            external_id=None,
            attributes={"emails": [{"value": email, "type": "work", "primary": True}]},
            active=True,
            role=role,
            admin=False,
            state="member",
            scim_managed=False,
            account_id=account.id,
            version=1,
            created=now,
            last_modified=now,
        )
        self.store.add_user(connection, user)
        return user


def _operations(body: Any) -> list[Any]:
    if not isinstance(body, dict):
        return []
    for key, value in body.items():
        if key.lower() == "operations" and isinstance(value, list):
            return value
    return []


def _reject_non_lowercase_ops(body: Any) -> None:
    for operation in _operations(body):
        op = operation.get("op") if isinstance(operation, dict) else None
        if isinstance(op, str) and op != op.lower():
            raise ScimError(400, f"Unknown PATCH op {op!r}.", "invalidSyntax")
