"""Storage of workspaces, accounts, users and documents with SQLAlchemy Core.

The default engine is an SQLite file. The schema is created on start. Every
public method runs in its own transaction, so a failed request changes nothing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)

from reference_server import mutants

metadata = MetaData()

workspaces = Table(
    "workspaces",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("plan", String(20), nullable=False),
    Column("saml_configured", Boolean, nullable=False),
    Column("default_role", String(10), nullable=False),
    # SHA-256 of the SCIM bearer token; the token itself is never stored.
    Column("token_digest", String(64), nullable=False, unique=True),
    Column("created", DateTime(timezone=True), nullable=False),
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("email", String(320), nullable=False),
    Column("email_key", String(320), nullable=False, unique=True),
    Column("created", DateTime(timezone=True), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column(
        "workspace_id",
        String(36),
        ForeignKey("workspaces.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("user_name", String(320), nullable=False),
    Column("user_name_key", String(320), nullable=False),
    Column("external_id", String(1024)),
    # The writable core and enterprise attributes, as normalised JSON.
    Column("attributes", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("role", String(10), nullable=False),
    Column("admin", Boolean, nullable=False),
    Column("state", String(10), nullable=False),
    Column("scim_managed", Boolean, nullable=False),
    Column("account_id", String(36), ForeignKey("accounts.id")),
    Column("version", Integer, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("last_modified", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workspace_id", "user_name_key"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(36), primary_key=True),
    Column(
        "workspace_id",
        String(36),
        ForeignKey("workspaces.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("author_email", String(320), nullable=False),
    Column("author_account_id", String(36), ForeignKey("accounts.id")),
    Column("folder", String(10), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Workspace:
    id: str
    name: str
    plan: str
    saml_configured: bool
    default_role: str


@dataclass(frozen=True)
class Account:
    id: str
    email: str


@dataclass(frozen=True)
class User:
    """A workspace membership together with its SCIM resource."""

    id: str
    workspace_id: str
    user_name: str
    external_id: str | None
    attributes: dict[str, Any]
    active: bool
    role: str
    admin: bool
    state: str
    scim_managed: bool
    account_id: str | None
    version: int
    created: datetime
    last_modified: datetime


@dataclass(frozen=True)
class Document:
    id: str
    workspace_id: str
    author_email: str
    folder: str


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def email_key(email: str) -> str:
    """Return the key under which an email address is unique: its casefold."""
    if mutants.active("case-sensitive-user-name"):
        return email
    return email.casefold()


def new_id() -> str:
    return str(uuid.uuid4())


def _aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes; every stored value is UTC.
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _user(row: Any) -> User:
    return User(
        id=row.id,
        workspace_id=row.workspace_id,
        user_name=row.user_name,
        external_id=row.external_id,
        attributes=json.loads(row.attributes),
        active=row.active,
        role=row.role,
        admin=row.admin,
        state=row.state,
        scim_managed=row.scim_managed,
        account_id=row.account_id,
        version=row.version,
        created=_aware(row.created),
        last_modified=_aware(row.last_modified),
    )


def _workspace(row: Any) -> Workspace:
    return Workspace(row.id, row.name, row.plan, row.saml_configured, row.default_role)


def create_sqlite_engine(path: str) -> Engine:
    """Create an engine on an SQLite file, with foreign keys enforced."""
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _enable_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


class Store:
    """Typed access to the tables; one transaction per call or `transaction()`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.engine.begin() as connection:
            yield connection

    # Workspaces

    def add_workspace(
        self, connection: Connection, workspace: Workspace, token_digest: str
    ) -> None:
        connection.execute(
            insert(workspaces).values(
                **workspace.__dict__, token_digest=token_digest, created=utc_now()
            )
        )

    def workspace(self, connection: Connection, workspace_id: str) -> Workspace | None:
        row = connection.execute(
            select(workspaces).where(workspaces.c.id == workspace_id)
        ).first()
        return _workspace(row) if row else None

    def workspace_by_name(self, connection: Connection, name: str) -> Workspace | None:
        row = connection.execute(
            select(workspaces).where(workspaces.c.name == name)
        ).first()
        return _workspace(row) if row else None

    def workspace_by_token_digest(
        self, connection: Connection, digest: str
    ) -> tuple[Workspace, str] | None:
        row = connection.execute(
            select(workspaces).where(workspaces.c.token_digest == digest)
        ).first()
        return (_workspace(row), row.token_digest) if row else None

    def first_workspace(self, connection: Connection) -> tuple[Workspace, str] | None:
        row = connection.execute(
            select(workspaces).order_by(workspaces.c.created).limit(1)
        ).first()
        return (_workspace(row), row.token_digest) if row else None

    def update_workspace(
        self, connection: Connection, workspace: Workspace, token_digest: str | None
    ) -> None:
        values: dict[str, Any] = {
            "plan": workspace.plan,
            "saml_configured": workspace.saml_configured,
            "default_role": workspace.default_role,
        }
        if token_digest is not None:
            values["token_digest"] = token_digest
        connection.execute(
            update(workspaces).where(workspaces.c.id == workspace.id).values(values)
        )

    def delete_workspace(self, connection: Connection, workspace_id: str) -> None:
        connection.execute(
            delete(documents).where(documents.c.workspace_id == workspace_id)
        )
        connection.execute(delete(users).where(users.c.workspace_id == workspace_id))
        connection.execute(delete(workspaces).where(workspaces.c.id == workspace_id))

    # Accounts

    def account_by_email(self, connection: Connection, email: str) -> Account | None:
        row = connection.execute(
            select(accounts).where(accounts.c.email_key == email_key(email))
        ).first()
        return Account(row.id, row.email) if row else None

    def accounts_by_email(self, connection: Connection, email: str) -> list[Account]:
        """Return every account whose email equals `email` in any letter case."""
        rows = connection.execute(
            select(accounts)
            .where(func.lower(accounts.c.email) == email.lower())
            .order_by(accounts.c.created)
        )
        return [Account(row.id, row.email) for row in rows]

    def add_account(self, connection: Connection, email: str) -> Account:
        account = Account(new_id(), email)
        key = email_key(email)
        if mutants.active("duplicate-account"):
            key = f"{key}#{account.id}"
        connection.execute(
            insert(accounts).values(
                id=account.id, email=email, email_key=key, created=utc_now()
            )
        )
        return account

    def account_or_new(self, connection: Connection, email: str) -> Account:
        return self.account_by_email(connection, email) or self.add_account(
            connection, email
        )

    # Users

    def user(
        self, connection: Connection, workspace_id: str, user_id: str
    ) -> User | None:
        row = connection.execute(
            select(users).where(
                users.c.workspace_id == workspace_id, users.c.id == user_id
            )
        ).first()
        return _user(row) if row else None

    def user_by_email(
        self, connection: Connection, workspace_id: str, email: str
    ) -> User | None:
        row = connection.execute(
            select(users).where(
                users.c.workspace_id == workspace_id,
                users.c.user_name_key == email_key(email),
            )
        ).first()
        return _user(row) if row else None

    def users(self, connection: Connection, workspace_id: str) -> list[User]:
        """Return the workspace's users in a stable order: creation time, then id."""
        rows = connection.execute(
            select(users)
            .where(users.c.workspace_id == workspace_id)
            .order_by(users.c.created, users.c.id)
        )
        return [_user(row) for row in rows]

    def add_user(self, connection: Connection, user: User) -> None:
        connection.execute(insert(users).values(self._user_values(user, with_id=True)))

    def save_user(self, connection: Connection, user: User) -> User:
        """Store `user` with its version raised and lastModified set to now."""
        saved = replace(user, version=user.version + 1, last_modified=utc_now())
        connection.execute(
            update(users)
            .where(users.c.id == user.id)
            .values(self._user_values(saved, with_id=False))
        )
        return saved

    def delete_user(self, connection: Connection, user_id: str) -> None:
        connection.execute(delete(users).where(users.c.id == user_id))

    def count_editor_seats(self, connection: Connection, workspace_id: str) -> int:
        count = connection.execute(
            select(func.count())
            .select_from(users)
            .where(
                users.c.workspace_id == workspace_id,
                users.c.state == "member",
                users.c.role == "editor",
            )
        ).scalar_one()
        return int(count)

    @staticmethod
    def _user_values(user: User, *, with_id: bool) -> dict[str, Any]:
        values = {
            "workspace_id": user.workspace_id,
            "user_name": user.user_name,
            "user_name_key": email_key(user.user_name),
            "external_id": user.external_id,
            "attributes": json.dumps(user.attributes, sort_keys=True),
            "active": user.active,
            "role": user.role,
            "admin": user.admin,
            "state": user.state,
            "scim_managed": user.scim_managed,
            "account_id": user.account_id,
            "version": user.version,
            "created": user.created,
            "last_modified": user.last_modified,
        }
        if with_id:
            values["id"] = user.id
        return values

    # Documents

    def add_document(
        self, connection: Connection, document: Document, account_id: str | None
    ) -> None:
        connection.execute(
            insert(documents).values(
                id=document.id,
                workspace_id=document.workspace_id,
                author_email=document.author_email,
                author_account_id=account_id,
                folder=document.folder,
                created=utc_now(),
            )
        )

    def document(
        self, connection: Connection, workspace_id: str, document_id: str
    ) -> Document | None:
        row = connection.execute(
            select(documents).where(
                documents.c.workspace_id == workspace_id, documents.c.id == document_id
            )
        ).first()
        if row is None:
            return None
        return Document(row.id, row.workspace_id, row.author_email, row.folder)

    def delete_documents_by_author(
        self, connection: Connection, workspace_id: str, author_email: str
    ) -> None:
        connection.execute(
            delete(documents).where(
                documents.c.workspace_id == workspace_id,
                func.lower(documents.c.author_email) == author_email.lower(),
            )
        )
