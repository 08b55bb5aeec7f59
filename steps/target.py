"""The server under test, as the environment names it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import pytest

# The command sets these variables; one module names them for both sides.
from soulanma_scim.target import ADMIN_TOKEN_ENV as ADMIN_TOKEN_VARIABLE
from soulanma_scim.target import ADMIN_URL_ENV as ADMIN_URL_VARIABLE
from soulanma_scim.target import BASE_URL_ENV as BASE_URL_VARIABLE
from soulanma_scim.target import TOKEN_ENV as TOKEN_VARIABLE

# Set to "1" by `soulanma-scim verify --read-only`: no scenario creates anything.
READ_ONLY_VARIABLE = "SOULANMA_SCIM_READ_ONLY"
# Workspaces a run creates are named this, then the run id; cleanup checks it.
WORKSPACE_PREFIX = "SCIM conformance "


@dataclass(frozen=True)
class Target:
    """The SCIM base URL and token, and the admin API when one is given."""

    base_url: str
    token: str
    admin_url: str | None = None
    admin_token: str | None = None

    @property
    def has_admin_api(self) -> bool:
        return bool(self.admin_url and self.admin_token)


def target_from_environment(environ: Mapping[str, str] | None = None) -> Target:
    """Read the target from the environment, raising pytest.UsageError when unset."""
    environ = os.environ if environ is None else environ
    base_url = environ.get(BASE_URL_VARIABLE, "").strip()
    token = environ.get(TOKEN_VARIABLE, "").strip()
    missing = [
        name
        for name, value in ((BASE_URL_VARIABLE, base_url), (TOKEN_VARIABLE, token))
        if not value
    ]
    if missing:
        raise pytest.UsageError(
            f"Missing {' and '.join(missing)}. Set {BASE_URL_VARIABLE} to the SCIM "
            f"base URL, ending in /scim-v2, and {TOKEN_VARIABLE} to the workspace's "
            "SCIM bearer token; soulanma-scim verify sets both from --base-url and "
            "--token."
        )

    admin_url = environ.get(ADMIN_URL_VARIABLE, "").strip() or None
    admin_token = environ.get(ADMIN_TOKEN_VARIABLE, "").strip() or None
    if bool(admin_url) != bool(admin_token):
        raise pytest.UsageError(
            f"{ADMIN_URL_VARIABLE} and {ADMIN_TOKEN_VARIABLE} must be set together."
        )
    return Target(base_url.rstrip("/"), token, admin_url, admin_token)
