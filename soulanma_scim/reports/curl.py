"""A curl command line that repeats a recorded HTTP exchange."""

from __future__ import annotations

import shlex

from mock_idp.transcript import Exchange

SCIM_TOKEN_PLACEHOLDER = "$SOULANMA_SCIM_TOKEN"
ADMIN_TOKEN_PLACEHOLDER = "$SOULANMA_ADMIN_TOKEN"
# Headers that curl sets itself, or that only describe the recorded connection.
SKIPPED_HEADERS = frozenset(
    {"host", "content-length", "connection", "accept-encoding", "user-agent"}
)


def curl_command(exchange: Exchange, admin_url: str | None = None) -> str:
    """Return a shell command that sends the exchange's request again.

    The token is the shell variable SOULANMA_SCIM_TOKEN, or SOULANMA_ADMIN_TOKEN
    for a request to `admin_url`, and never the recorded value.
    """
    is_admin = bool(admin_url) and exchange.url.startswith(f"{admin_url}/")
    placeholder = ADMIN_TOKEN_PLACEHOLDER if is_admin else SCIM_TOKEN_PLACEHOLDER
    parts = ["curl", "-sS", "-i", "-X", exchange.method, shlex.quote(exchange.url)]
    for name, value in exchange.request_headers.items():
        lowered = name.lower()
        if lowered in SKIPPED_HEADERS:
            continue
        if lowered == "authorization":
            # NOTE: the transcript hides every credential, so a request sent
            # with a deliberately wrong token is repeated with the real one.
            scheme = value.partition(" ")[0] or "Bearer"
            parts += ["-H", f'"Authorization: {scheme} {placeholder}"']
            continue
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if exchange.request_body:
        parts += ["--data-binary", shlex.quote(exchange.request_body)]
    return " ".join(parts)
