"""The HTTP layer shared by the SCIM and admin clients."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx

from mock_idp.transcript import Exchange, Transcript, redact_authorization

TransportFactory = Callable[[str], httpx.BaseTransport]
_transport_factory: TransportFactory | None = None


def use_transport_factory(factory: TransportFactory | None) -> None:
    """Make sessions created without a transport use `factory(base_url)`.

    A run against a live target installs its TLS settings, retries, rate
    limit and ledger this way. None restores httpx's own transport.
    """
    global _transport_factory
    _transport_factory = factory


class RecordingSession:
    """An httpx client that records each exchange into a transcript.

    `on_response`, when set, receives each decoded JSON response body before
    the exchange is recorded, so that it can add secrets to the transcript.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        transcript: Transcript | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        default_headers: dict[str, str] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.transcript = transcript if transcript is not None else Transcript()
        self.transcript.add_secret(token)
        self.default_headers = default_headers or {}
        self.on_response: Callable[[Any], None] | None = None
        if transport is None and _transport_factory is not None:
            transport = _transport_factory(self.base_url)
        self._http = httpx.Client(transport=transport, timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def send(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        content: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        authenticate: bool = True,
    ) -> Exchange:
        """Send one request to `base_url + path` and record the exchange.

        `headers` override the defaults, `Authorization` included. With
        `authenticate=False` no Authorization header is sent unless `headers`
        names one.
        """
        merged = dict(self.default_headers)
        if authenticate:
            merged["Authorization"] = f"Bearer {self.token}"
        if json_body is not None:
            content = encode_json(json_body)
            merged.setdefault("Content-Type", "application/json")
        merged.update(headers or {})

        started = time.perf_counter()
        response = self._http.request(
            method, self.base_url + path, content=content, headers=merged
        )
        duration = time.perf_counter() - started

        exchange = Exchange(
            method=method,
            url=str(response.request.url),
            request_headers=_redacted_request_headers(response.request.headers),
            request_body=_body_text(response.request.content),
            status=response.status_code,
            response_headers=dict(response.headers.items()),
            response_body=response.text,
            duration=duration,
        )
        if self.on_response is not None:
            self.on_response(exchange.json())
        self.transcript.record(exchange)
        return exchange


def encode_json(body: Any) -> bytes:
    """Encode a request body as UTF-8 JSON."""
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _redacted_request_headers(headers: httpx.Headers) -> dict[str, str]:
    redacted: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() == "authorization":
            redacted[name] = redact_authorization(value)
        else:
            redacted[name] = value
    return redacted


def _body_text(content: bytes) -> str:
    return content.decode("utf-8", errors="replace")
