"""The record of every HTTP exchange, with secrets redacted."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

REDACTED = "***"
MAX_RENDERED_BODY = 4000


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its response, as the client sent and received them."""

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: str
    status: int
    response_headers: dict[str, str]
    response_body: str
    duration: float

    def json(self) -> Any:
        """Decode the response body as JSON, or return None when it is not JSON."""
        try:
            return json.loads(self.response_body)
        except ValueError:
            return None

    def header(self, name: str) -> str | None:
        """Return a response header, matched in any letter case."""
        lowered = name.lower()
        for key, value in self.response_headers.items():
            if key.lower() == lowered:
                return value
        return None

    def describe(self) -> str:
        """Return the request line, status and response body, for assertion text."""
        return (
            f"{self.method} {self.url} -> {self.status}\n{_shorten(self.response_body)}"
        )


def redact_authorization(value: str) -> str:
    """Keep the scheme of an Authorization value and hide its credentials."""
    scheme, _, credentials = value.partition(" ")
    if not credentials:
        return f"Bearer {REDACTED}"
    return f"{scheme} {REDACTED}"


@dataclass
class Transcript:
    """The exchanges of one scenario, stored with every secret replaced by ***."""

    secrets: set[str] = field(default_factory=set)
    exchanges: list[Exchange] = field(default_factory=list)

    def add_secret(self, value: str | None) -> None:
        """Hide `value` wherever it appears in exchanges recorded from now on."""
        if value:
            self.secrets.add(value)

    def record(self, exchange: Exchange) -> Exchange:
        """Store a redacted copy of `exchange` and return that copy."""
        redacted = self.redact(exchange)
        self.exchanges.append(redacted)
        return redacted

    def redact(self, exchange: Exchange) -> Exchange:
        """Return `exchange` with credentials and known secrets replaced."""
        return replace(
            exchange,
            url=self._scrub(exchange.url),
            request_headers=self._scrub_headers(exchange.request_headers),
            request_body=self._scrub(exchange.request_body),
            response_headers=self._scrub_headers(exchange.response_headers),
            response_body=self._scrub(exchange.response_body),
        )

    def render(self, last: int | None = None) -> str:
        """Return the last `last` exchanges (all when None) as readable text."""
        selected = self.exchanges if last is None else self.exchanges[-last:]
        if not selected:
            return "(no HTTP exchanges)"
        return "\n\n".join(_render_one(exchange) for exchange in selected)

    def _scrub_headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        scrubbed: dict[str, str] = {}
        for name, value in headers.items():
            if name.lower() in ("authorization", "proxy-authorization"):
                scrubbed[name] = redact_authorization(value)
            else:
                scrubbed[name] = self._scrub(value)
        return scrubbed

    def _scrub(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text


def _render_one(exchange: Exchange) -> str:
    lines = [f"> {exchange.method} {exchange.url}"]
    lines.extend(_header_lines(">", exchange.request_headers.items()))
    if exchange.request_body:
        lines.append(_shorten(exchange.request_body))
    lines.append(f"< {exchange.status} ({exchange.duration * 1000:.0f} ms)")
    lines.extend(_header_lines("<", exchange.response_headers.items()))
    if exchange.response_body:
        lines.append(_shorten(exchange.response_body))
    return "\n".join(lines)


def _header_lines(prefix: str, headers: Iterable[tuple[str, str]]) -> list[str]:
    return [f"{prefix} {name}: {value}" for name, value in headers]


def _shorten(body: str) -> str:
    if len(body) <= MAX_RENDERED_BODY:
        return body
    hidden = len(body) - MAX_RENDERED_BODY
    return f"{body[:MAX_RENDERED_BODY]}... ({hidden} more characters)"
