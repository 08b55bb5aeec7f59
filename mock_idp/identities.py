"""People for the identity provider to provision, unique to each run.

Every email is under `scim-conformance.example.com`, a subdomain of a domain
reserved by RFC 2606, so no message can reach a real mailbox, and carries the
run id so that two runs against the same workspace never share a userName.
"""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from itertools import count

from faker import Faker

EMAIL_DOMAIN = "scim-conformance.example.com"
# Set by `soulanma-scim verify` so that the ledger and the emails share the run id.
RUN_ID_VARIABLE = "SOULANMA_SCIM_RUN_ID"
EMAIL_DOMAIN_VARIABLE = "SOULANMA_SCIM_EMAIL_DOMAIN"


def run_email(local_prefix: str) -> str:
    """Return a unique email for a user that a dialect creates on its own.

    It carries the run id and the run's email domain, like every identity, so
    cleanup recognises it.
    """
    run_id = os.environ.get(RUN_ID_VARIABLE) or "local"
    domain = os.environ.get(EMAIL_DOMAIN_VARIABLE) or EMAIL_DOMAIN
    return f"{local_prefix}.{run_id}-{secrets.token_hex(6)}@{domain}"


@dataclass(frozen=True)
class Identity:
    """A person as stored in the identity provider's directory."""

    given_name: str
    family_name: str
    email: str
    external_id: str

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class IdentityFactory:
    """Make identities with fake names and emails unique to this run."""

    def __init__(
        self,
        run_id: str | None = None,
        *,
        seed: int | None = None,
        email_domain: str = EMAIL_DOMAIN,
    ) -> None:
        self.run_id = run_id or secrets.token_hex(4)
        self.email_domain = email_domain
        self._faker = Faker("en_US")
        if seed is not None:
            self._faker.seed_instance(seed)
        self._serial = count(1)

    def new(self) -> Identity:
        """Return a new identity whose email no other identity of the run has."""
        number = next(self._serial)
        given = self._faker.first_name()
        family = self._faker.last_name()
        local = f"{_ascii_word(given)}.{_ascii_word(family)}.{self.run_id}-{number}"
        return Identity(
            given_name=given,
            family_name=family,
            email=f"{local}@{self.email_domain}",
            external_id=f"idp-{self.run_id}-{number}",
        )

    def unknown_email(self) -> str:
        """Return an email that no identity of the run has, nor will have."""
        return f"nobody.{self.run_id}-{next(self._serial)}@{self.email_domain}"


def _ascii_word(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    letters = re.sub(r"[^a-z]", "", decomposed.lower())
    return letters or "user"
