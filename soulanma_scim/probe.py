"""Probe what a target offers before the run: discovery, admin API, claims.

Every request of the probe is a GET, so probing changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from soulanma_scim.target import Target

# A reserved address (RFC 2606) that no account can have: the admin API probe
# looks it up and expects an empty list.
PROBE_EMAIL = "capabilities-probe@scim-conformance.example.com"
# ServiceProviderConfig features (RFC 7643, Section 5) that scenarios can need.
CLAIMED_FEATURES = ("patch", "filter", "bulk", "sort", "etag", "changePassword")


class ProbeError(Exception):
    """The target cannot be used at all: unreachable, or the token is rejected."""


@dataclass
class Capabilities:
    """Capabilities of the target. A missing entry in `available` means unknown."""

    available: dict[str, bool] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    claims: dict[str, Any] = field(default_factory=dict)

    def missing_reason(self, need: str) -> str | None:
        """Return why `need` is missing, or None when it is available or unknown."""
        if self.available.get(need, True):
            return None
        return self.reasons.get(need, f"the target does not offer {need}")

    def set(self, need: str, available: bool, reason: str) -> None:
        self.available[need] = available
        self.reasons[need] = reason


def probe(target: Target, transport: httpx.BaseTransport | None = None) -> Capabilities:
    """Read the target's discovery endpoints and check that the admin API responds."""
    capabilities = Capabilities()
    headers = {
        "Authorization": f"Bearer {target.token}",
        "Accept": "application/scim+json",
    }
    with httpx.Client(transport=transport, timeout=10.0) as client:
        config = _get_scim(client, f"{target.base_url}/ServiceProviderConfig", headers)
        _read_claims(capabilities, config)
        for endpoint in ("ResourceTypes", "Schemas"):
            reached = _reachable(client, f"{target.base_url}/{endpoint}", headers)
            capabilities.set(
                f"discovery_{endpoint.lower()}",
                reached is None,
                reached or f"/{endpoint} answered 200",
            )
        _probe_admin(capabilities, client, target)
    return capabilities


def _get_scim(client: httpx.Client, url: str, headers: dict[str, str]) -> Any:
    try:
        response = client.get(url, headers=headers)
    except httpx.HTTPError as error:
        raise ProbeError(
            f"Could not reach {url}: {type(error).__name__}: {error}. "
            "Check --base-url, "
            "the network and the TLS options (--ca-bundle)."
        ) from None
    if response.status_code in (401, 403):
        raise ProbeError(
            f"GET {url} returned {response.status_code}: the target rejected the SCIM "
            "token. Check --token, --token-file or the SOULANMA_SCIM_TOKEN variable."
        )
    if response.status_code != 200:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _read_claims(capabilities: Capabilities, config: Any) -> None:
    if not isinstance(config, dict):
        capabilities.set(
            "discovery", False, "/ServiceProviderConfig did not return a JSON object"
        )
        return
    capabilities.set("discovery", True, "/ServiceProviderConfig answered 200")
    for feature in CLAIMED_FEATURES:
        claim = config.get(feature)
        supported = isinstance(claim, dict) and claim.get("supported") is True
        capabilities.claims[feature] = claim
        reason = (
            f"ServiceProviderConfig claims {feature} is supported"
            if supported
            else f"ServiceProviderConfig does not claim {feature} support"
        )
        capabilities.set(feature, supported, reason)


def _reachable(client: httpx.Client, url: str, headers: dict[str, str]) -> str | None:
    try:
        status = client.get(url, headers=headers).status_code
    except httpx.HTTPError as error:
        return f"GET {url} failed: {type(error).__name__}"
    return None if status == 200 else f"GET {url} returned {status}"


def _probe_admin(
    capabilities: Capabilities, client: httpx.Client, target: Target
) -> None:
    if not (target.admin_url and target.admin_token):
        capabilities.set(
            "admin_api",
            False,
            "needs the workspace admin API (--admin-url and --admin-token)",
        )
        return
    url = f"{target.admin_url}/accounts"
    headers = {"Authorization": f"Bearer {target.admin_token}"}
    try:
        response = client.get(url, params={"email": PROBE_EMAIL}, headers=headers)
    except httpx.HTTPError as error:
        capabilities.set(
            "admin_api",
            False,
            f"the admin API is not reachable: {type(error).__name__}",
        )
        return
    if response.status_code != 200:
        capabilities.set(
            "admin_api",
            False,
            f"the admin API returned {response.status_code} to GET /accounts",
        )
        return
    capabilities.set("admin_api", True, "the admin API answered GET /accounts")
