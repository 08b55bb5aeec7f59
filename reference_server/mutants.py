"""Deliberately broken variants of the reference server, for testing the harness.

A mutant breaks exactly one rule, so that a test can show which scenarios catch
it. Mutants are off unless the environment sets both
`SOULANMA_REFERENCE_ALLOW_MUTANTS=1` and `SOULANMA_REFERENCE_MUTANT=NAME`; a
server started any other way is the correct one.
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger("reference_server")

MUTANTS: dict[str, str] = {
    "ignore-default-role": "a create without editor always gives viewer",
    "update-resets-role": "an update without editor resets the role to the default",
    "deactivate-deletes": "deactivation deletes the SCIM resource",
    "deactivate-keeps-member": "deactivation keeps the user as a member",
    "reactivate-new-id": "reactivation gives the user a new id",
    "account-at-once": "provisioning creates the account and membership at once",
    "case-sensitive-user-name": "userName uniqueness and filters are case-sensitive",
    "case-sensitive-ops": "PATCH op names are case-sensitive",
    "reject-string-booleans": "the strings 'True' and 'False' are rejected",
    "content-deleted-with-author": "shared content is deleted with its author",
    "groups-answer-200": "/Groups answers 200 with an empty list",
    "no-match-404": "a filter with no match answers 404",
    "any-token": "any bearer token is accepted",
    "numeric-error-status": "error bodies give status as a number",
    "error-without-schemas": "error bodies lack schemas",
    "put-demotes-editor": "a PUT without editor demotes an editor to viewer",
    "duplicate-account": "the first sign-in creates a second account for the email",
    "invited-not-linked": "a hand-invited member is not linked; POST answers 409",
    "admin-through-roles": "a roles entry naming admin grants workspace admin",
    "no-plan-check": "SCIM works off the Enterprise plan",
    "no-saml-check": "SCIM works without SAML SSO configured",
    "pagination-off-by-one": "startIndex is read as 0-based",
    "duplicate-create-201": "a duplicate create answers 201 instead of 409",
}

ALLOW_ENV = "SOULANMA_REFERENCE_ALLOW_MUTANTS"
MUTANT_ENV = "SOULANMA_REFERENCE_MUTANT"

_active: str | None = None


def configure_from_environment() -> str | None:
    """Switch on the mutant the environment names, if mutants are allowed."""
    global _active
    name = os.environ.get(MUTANT_ENV)
    allowed = os.environ.get(ALLOW_ENV) == "1"
    _active = None
    if not name:
        return None
    if not allowed:
        raise SystemExit(
            "SOULANMA_REFERENCE_MUTANT is set but mutants are not allowed; set "
            "SOULANMA_REFERENCE_ALLOW_MUTANTS=1 to run a broken server on purpose."
        )
    if name not in MUTANTS:
        raise SystemExit(
            f"Unknown mutant {name!r}; known mutants: {', '.join(sorted(MUTANTS))}."
        )
    _active = name
    logger.warning("Mutant %s is active: %s", name, MUTANTS[name])
    return name


def active(name: str) -> bool:
    return _active == name
