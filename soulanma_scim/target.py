"""The server that a feature run verifies, and how it reaches the steps."""

from __future__ import annotations

import os
from dataclasses import dataclass

BASE_URL_ENV = "SOULANMA_SCIM_BASE_URL"
TOKEN_ENV = "SOULANMA_SCIM_TOKEN"
ADMIN_URL_ENV = "SOULANMA_ADMIN_URL"
ADMIN_TOKEN_ENV = "SOULANMA_ADMIN_TOKEN"


@dataclass(frozen=True)
class Target:
    """A SCIM base URL and token, and optionally the workspace admin API."""

    base_url: str
    token: str
    admin_url: str | None = None
    admin_token: str | None = None

    def __repr__(self) -> str:
        # Tokens never reach a repr, so they never reach a traceback or a log.
        return f"Target(base_url={self.base_url!r}, admin_url={self.admin_url!r})"

    def environment(self) -> dict[str, str]:
        """Return the environment variables through which the steps read the target."""
        values = {BASE_URL_ENV: self.base_url, TOKEN_ENV: self.token}
        if self.admin_url and self.admin_token:
            values[ADMIN_URL_ENV] = self.admin_url
            values[ADMIN_TOKEN_ENV] = self.admin_token
        return values

    def export(self) -> None:
        """Set the target's variables in this process and clear stale admin ones."""
        for name in (ADMIN_URL_ENV, ADMIN_TOKEN_ENV):
            os.environ.pop(name, None)
        os.environ.update(self.environment())
