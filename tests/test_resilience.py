"""Retries, timeouts, rate limit, ledger and dry run against misbehaving servers."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from mock_idp.client import ScimClient
from mock_idp.dryrun import DryRunTransport
from mock_idp.ledger import Ledger, LedgerTransport, UnsafeRequestError, read_ledger
from mock_idp.resilience import (
    RateLimiter,
    ResilientTransport,
    RetryPolicy,
    retry_after_seconds,
)
from mock_idp.transcript import Exchange
from soulanma_scim.embedded import free_port
from soulanma_scim.probe import ProbeError, probe
from soulanma_scim.reports.curl import curl_command
from soulanma_scim.target import Target
from tests.misbehaving_servers import scripted_server

TOKEN = "resilience-secret-token-789"


def resilient(
    delays: list[float], retries: int = 3, timeout: float = 2.0
) -> ResilientTransport:
    policy = RetryPolicy(timeout=timeout, retries=retries, max_retry_after=5.0)
    return ResilientTransport(httpx.HTTPTransport(), policy, sleep=delays.append)


def test_dropped_connections_retried_for_get() -> None:
    delays: list[float] = []
    with scripted_server("drop", "drop") as (server, script):
        client = ScimClient(server.url, TOKEN, transport=resilient(delays))
        exchange = client.get("someone")

    assert exchange.status == 200
    assert len(script.requests) == 3
    assert delays == [0.5, 1.0]


def test_dropped_post_not_sent_twice() -> None:
    with scripted_server("drop") as (server, script):
        client = ScimClient(server.url, TOKEN, transport=resilient([]))
        with pytest.raises(httpx.RemoteProtocolError):
            client.create({"userName": "a@example.com"})

    assert len(script.requests) == 1


def test_server_error_retried_for_idempotent_only() -> None:
    with scripted_server("status:500", "status:500") as (server, script):
        client = ScimClient(server.url, TOKEN, transport=resilient([]))
        created = client.create({"userName": "a@example.com"})
        read = client.get("someone")

    assert created.status == 500
    assert read.status == 200
    assert [method for method, _ in script.requests] == ["POST", "GET", "GET"]


def test_unavailable_post_is_retried() -> None:
    with scripted_server("status:503") as (server, script):
        client = ScimClient(server.url, TOKEN, transport=resilient([]))
        created = client.create({"userName": "a@example.com"})

    assert created.status == 200
    assert len(script.requests) == 2


def test_too_many_requests_waits_for_retry_after() -> None:
    delays: list[float] = []
    with scripted_server("429:2", "429:1") as (server, script):
        client = ScimClient(server.url, TOKEN, transport=resilient(delays))
        exchange = client.create({"userName": "a@example.com"})

    assert exchange.status == 200
    assert delays == [2.0, 1.0]
    assert len(script.requests) == 3


def test_retry_after_over_maximum_is_returned() -> None:
    delays: list[float] = []
    with scripted_server("429:600") as (server, script):
        client = ScimClient(server.url, TOKEN, transport=resilient(delays))
        exchange = client.get("someone")

    assert exchange.status == 429
    assert delays == []
    assert len(script.requests) == 1


def test_retries_give_up_with_last_response() -> None:
    delays: list[float] = []
    actions = ["status:502"] * 5
    with scripted_server(*actions) as (server, script):
        client = ScimClient(server.url, TOKEN, transport=resilient(delays, retries=2))
        exchange = client.get("someone")

    assert exchange.status == 502
    assert len(script.requests) == 3
    assert delays == [0.5, 1.0]


def test_slow_response_times_out() -> None:
    delays: list[float] = []
    with scripted_server("slow:1.5", "slow:1.5") as (server, script):
        transport = resilient(delays, retries=1, timeout=0.3)
        client = ScimClient(server.url, TOKEN, transport=transport)
        with pytest.raises(httpx.ReadTimeout) as raised:
            client.get("someone")

    assert len(script.requests) == 2
    assert TOKEN not in str(raised.value)


def test_refused_connection_retried_then_raised() -> None:
    delays: list[float] = []
    url = f"http://127.0.0.1:{free_port()}"
    client = ScimClient(url, TOKEN, transport=resilient(delays, retries=2))

    with pytest.raises(httpx.ConnectError) as raised:
        client.create({"userName": "a@example.com"})

    assert delays == [0.5, 1.0]
    assert TOKEN not in str(raised.value)


def test_retry_after_http_date_and_garbage() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_rate_limiter_spaces_requests() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 6))
        now[0] += seconds

    limiter = RateLimiter(4, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        limiter.wait()

    assert slept == [0.25, 0.25]


def ledgered(ledger: Ledger, inner: httpx.BaseTransport, base: str) -> ScimClient:
    transport = LedgerTransport(inner, ledger, base_url=base, shared_token=TOKEN)
    return ScimClient(base, TOKEN, transport=transport)


def test_ledger_written_before_create_is_sent(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.jsonl")
    ledger.start("run1", "http://unused", None)
    with scripted_server("drop") as (server, script):
        client = ledgered(ledger, httpx.HTTPTransport(), server.url)
        with pytest.raises(httpx.RemoteProtocolError):
            client.create({"userName": "a.run1-1@example.com"})

    state = read_ledger(ledger.path)
    assert len(script.requests) == 1
    assert state.pending_user_names == ["a.run1-1@example.com"]
    assert TOKEN not in ledger.path.read_text()


def test_ledger_records_created_and_deleted(tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(201, json={"id": "u1", "userName": "a@example.com"})
        return httpx.Response(204)

    ledger = Ledger(tmp_path / "ledger.jsonl")
    client = ledgered(ledger, httpx.MockTransport(answer), "http://scim.test")
    client.create({"userName": "a@example.com"})
    after_create = read_ledger(ledger.path)
    client.delete("u1")
    after_delete = read_ledger(ledger.path)

    assert after_create.users == {"u1": "a@example.com"}
    assert after_create.pending_user_names == []
    assert after_delete.users == {}


def test_ledger_guard_rejects_change_of_foreign_user(tmp_path: Path) -> None:
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.method)
        return httpx.Response(200, json={"Resources": [{"id": "someone-else"}]})

    ledger = Ledger(tmp_path / "ledger.jsonl")
    client = ledgered(ledger, httpx.MockTransport(answer), "http://scim.test")
    client.list()

    for method in ("PUT", "PATCH", "DELETE"):
        with pytest.raises(UnsafeRequestError):
            client.request(method, "/Users/someone-else", json={})
    assert sent == ["GET"]


def test_dry_run_transport_sends_nothing() -> None:
    dry_run = DryRunTransport()
    with scripted_server() as (server, script):
        client = ScimClient(server.url, TOKEN, transport=dry_run)
        created = client.create({"userName": "a@example.com"})
        client.delete(created.json()["id"])

    assert script.requests == []
    assert created.status == 201
    assert [request.method for request in dry_run.take_plan()] == ["POST", "DELETE"]


def test_curl_command_uses_token_placeholder() -> None:
    exchange = Exchange(
        method="POST",
        url="https://scim.test/scim-v2/Users",
        request_headers={"Authorization": "Bearer ***", "Content-Type": "a/b"},
        request_body='{"userName": "o\'brien@example.com"}',
        status=201,
        response_headers={},
        response_body="{}",
        duration=0.1,
    )

    command = curl_command(exchange)

    assert '"Authorization: Bearer $SOULANMA_SCIM_TOKEN"' in command
    assert "***" not in command
    assert command.startswith("curl -sS -i -X POST https://scim.test/scim-v2/Users")
    assert "o'\"'\"'brien" in command


def test_probe_reads_claims_and_admin_api(server: Target) -> None:
    capabilities = probe(server)
    without_admin = probe(Target(server.base_url, server.token))

    assert capabilities.available["discovery"] is True
    assert capabilities.available["admin_api"] is True
    assert capabilities.missing_reason("patch") is None
    assert without_admin.missing_reason("admin_api") == (
        "needs the workspace admin API (--admin-url and --admin-token)"
    )


def test_probe_reports_unclaimed_feature() -> None:
    with scripted_server() as (server, script):
        script.ok_body = {"patch": {"supported": False}, "filter": {"supported": True}}
        capabilities = probe(Target(server.url, TOKEN))

    assert capabilities.missing_reason("patch") == (
        "ServiceProviderConfig does not claim patch support"
    )
    assert capabilities.missing_reason("filter") is None


def test_probe_rejects_wrong_token(server: Target) -> None:
    with pytest.raises(ProbeError, match="rejected the SCIM token") as raised:
        probe(Target(server.base_url, "wrong-token-value"))

    assert "wrong-token-value" not in str(raised.value)


def test_ledger_lines_are_json(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.jsonl")
    ledger.start("run1", "http://scim.test", None)
    ledger.write("user-create", userName="a@example.com")

    lines = ledger.path.read_text().splitlines()
    assert [json.loads(line)["event"] for line in lines] == ["run", "user-create"]
