"""Unit tests of the mock identity provider, against httpx.MockTransport."""

from __future__ import annotations

import json
from urllib.parse import unquote

import httpx
import pytest

from mock_idp.admin import AdminClient
from mock_idp.client import ScimClient
from mock_idp.identities import EMAIL_DOMAIN, IdentityFactory
from mock_idp.provisioning import (
    EDITOR_PATH,
    SOULANMA_USER_URN,
    IdentityProvider,
    ProvisioningError,
)
from mock_idp.transcript import Exchange, Transcript

BASE_URL = "http://scim.test/scim-v2"
TOKEN = "scim-secret-token-123"
ADMIN_TOKEN = "admin-secret-token-456"


def json_response(status: int, body: object) -> httpx.Response:
    return httpx.Response(
        status, json=body, headers={"Content-Type": "application/scim+json"}
    )


class Recorder:
    """A MockTransport handler that keeps requests and returns queued responses."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.requests: list[httpx.Request] = []
        self.responses = list(responses)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.responses:
            return self.responses.pop(0)
        return json_response(200, {})


def make_client(recorder: Recorder) -> ScimClient:
    return ScimClient(BASE_URL, TOKEN, transport=httpx.MockTransport(recorder))


def test_find_by_user_name_encodes_filter() -> None:
    recorder = Recorder()

    make_client(recorder).find_by_user_name("a.b+c@example.com")

    url = recorder.requests[0].url
    assert url.path == "/scim-v2/Users"
    raw_query = url.query.decode()
    assert " " not in raw_query
    assert "%22" in raw_query
    assert unquote(raw_query) == 'filter=userName eq "a.b+c@example.com"'


def test_client_sends_bearer_token_and_scim_media_type() -> None:
    recorder = Recorder(json_response(201, {"id": "1"}))

    exchange = make_client(recorder).create({"userName": "a@example.com"})

    request = recorder.requests[0]
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/scim+json"
    assert request.headers["Accept"] == "application/scim+json"
    assert exchange.status == 201
    assert exchange.json() == {"id": "1"}


def test_client_methods_use_expected_verbs_and_paths() -> None:
    recorder = Recorder()
    client = make_client(recorder)

    client.get("u 1")
    client.replace("u1", {"userName": "a@example.com"})
    client.patch("u1", [{"op": "remove", "path": "title"}])
    client.delete("u1")
    client.list(start_index=3, count=2)

    calls = [(r.method, r.url.raw_path.decode()) for r in recorder.requests]
    assert calls == [
        ("GET", "/scim-v2/Users/u%201"),
        ("PUT", "/scim-v2/Users/u1"),
        ("PATCH", "/scim-v2/Users/u1"),
        ("DELETE", "/scim-v2/Users/u1"),
        ("GET", "/scim-v2/Users?startIndex=3&count=2"),
    ]
    patch_body = json.loads(recorder.requests[2].content)
    assert patch_body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]
    assert patch_body["Operations"] == [{"op": "remove", "path": "title"}]


def test_raw_request_without_token() -> None:
    recorder = Recorder(json_response(401, {}))

    make_client(recorder).request("GET", "/Users", authenticate=False)

    assert "Authorization" not in recorder.requests[0].headers


def test_raw_request_sends_content_as_given() -> None:
    recorder = Recorder()

    make_client(recorder).request(
        "POST", "/Users", content=b"{not json", headers={"Content-Type": "text/x"}
    )

    assert recorder.requests[0].content == b"{not json"
    assert recorder.requests[0].headers["Content-Type"] == "text/x"


def test_transcript_redacts_scim_token() -> None:
    recorder = Recorder(json_response(200, {"echo": TOKEN}))
    client = make_client(recorder)

    exchange = client.request("GET", f"/Users?token={TOKEN}")

    recorded = client.transcript.exchanges[0]
    assert recorded.request_headers["authorization"] == "Bearer ***"
    assert exchange.request_headers["authorization"] == "Bearer ***"
    assert TOKEN not in client.transcript.render()
    assert TOKEN not in recorded.url
    assert "***" in recorded.response_body


def test_transcript_keeps_scheme_of_other_credentials() -> None:
    recorder = Recorder(json_response(401, {}))
    client = make_client(recorder)

    client.request("GET", "/Users", headers={"Authorization": "Basic dXNlcjpwdw=="})

    rendered = client.transcript.render()
    assert "Basic ***" in rendered
    assert "dXNlcjpwdw==" not in rendered


def test_transcript_renders_last_exchanges() -> None:
    transcript = Transcript()
    for number in range(3):
        transcript.record(
            Exchange("GET", f"http://x/{number}", {}, "", 200, {}, "", 0.001)
        )

    rendered = transcript.render(last=2)

    assert "http://x/0" not in rendered
    assert "http://x/1" in rendered
    assert "http://x/2" in rendered


def test_admin_client_redacts_tokens_in_responses() -> None:
    scim_token = "fresh-scim-token-789"
    recorder = Recorder(
        httpx.Response(201, json={"id": "w1", "scim_token": scim_token})
    )
    admin = AdminClient(
        "http://admin.test/admin/api",
        ADMIN_TOKEN,
        httpx.MockTransport(recorder),
    )

    exchange = admin.create_workspace("Test")

    assert exchange.json()["scim_token"] == scim_token
    rendered = admin.transcript.render()
    assert scim_token not in rendered
    assert ADMIN_TOKEN not in rendered
    assert recorder.requests[0].headers["Authorization"] == f"Bearer {ADMIN_TOKEN}"
    assert json.loads(recorder.requests[0].content)["plan"] == "enterprise"


def test_identities_are_unique_and_reserved() -> None:
    factory = IdentityFactory("run1")

    people = [factory.new() for _ in range(50)]

    emails = [person.email for person in people]
    assert len(set(emails)) == 50
    assert all(email.endswith(f"@{EMAIL_DOMAIN}") for email in emails)
    assert all("run1-" in email for email in emails)
    assert all(email.isascii() for email in emails)


def test_identity_factories_differ_between_runs() -> None:
    first = IdentityFactory().new()
    second = IdentityFactory().new()

    assert first.email != second.email


def test_provision_looks_up_then_posts_extension_only_with_editor() -> None:
    empty = {"totalResults": 0, "Resources": []}
    recorder = Recorder(
        json_response(200, empty),
        json_response(201, {"id": "u1"}),
        json_response(200, empty),
        json_response(201, {"id": "u2"}),
    )
    idp = IdentityProvider(make_client(recorder))
    factory = IdentityFactory("run2")
    with_role, without_role = factory.new(), factory.new()

    idp.provision(with_role, True)
    idp.provision(without_role)

    methods = [request.method for request in recorder.requests]
    assert methods == ["GET", "POST", "GET", "POST"]
    body = json.loads(recorder.requests[1].content)
    assert body[SOULANMA_USER_URN] == {"editor": True}
    assert SOULANMA_USER_URN in body["schemas"]
    plain = json.loads(recorder.requests[3].content)
    assert SOULANMA_USER_URN not in plain
    assert SOULANMA_USER_URN not in plain["schemas"]
    assert idp.user_id(with_role) == "u1"
    assert idp.created_ids == ["u1", "u2"]


def test_role_and_activation_operations() -> None:
    recorder = Recorder(json_response(200, {}), json_response(201, {"id": "u1"}))
    idp = IdentityProvider(make_client(recorder))
    person = IdentityFactory("run3").new()
    idp.provision(person)

    idp.clear_role(person)
    idp.deactivate(person, style="path-less")
    idp.reactivate(person, style="string")

    operations = [
        json.loads(request.content)["Operations"] for request in recorder.requests[2:]
    ]
    assert operations == [
        [{"op": "remove", "path": EDITOR_PATH}],
        [{"op": "replace", "value": {"active": False}}],
        [{"op": "Replace", "path": "active", "value": "True"}],
    ]


def test_import_all_pages_until_total() -> None:
    def page(start: int, ids: list[str]) -> httpx.Response:
        return json_response(
            200,
            {
                "totalResults": 5,
                "startIndex": start,
                "itemsPerPage": len(ids),
                "Resources": [{"id": user_id} for user_id in ids],
            },
        )

    recorder = Recorder(page(1, ["a", "b"]), page(3, ["c", "d"]), page(5, ["e"]))
    idp = IdentityProvider(make_client(recorder))

    result = idp.import_all(2)

    assert [resource["id"] for resource in result.resources] == list("abcde")
    starts = [request.url.params["startIndex"] for request in recorder.requests]
    assert starts == ["1", "3", "5"]


def test_import_all_stops_on_short_pages() -> None:
    recorder = Recorder(
        json_response(200, {"totalResults": 3, "Resources": [{"id": "a"}]}),
        json_response(200, {"totalResults": 3, "Resources": []}),
    )
    idp = IdentityProvider(make_client(recorder))

    with pytest.raises(ProvisioningError):
        idp.import_all(1)
