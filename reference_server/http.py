"""Request and response plumbing shared by the SCIM and admin endpoints."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from reference_server import mutants
from reference_server.errors import SCIM_MEDIA_TYPE, ScimError, invalid_syntax

MAX_BODY_BYTES = 1024 * 1024
BODY_TIMEOUT_SECONDS = 30.0
_INTEGER = re.compile(r"-?[0-9]+")
# Nesting deeper than this is no SCIM body; refusing it early keeps the JSON
# decoder far from the interpreter's recursion limit.
MAX_JSON_DEPTH = 64
_JSON_TYPES = ("application/scim+json", "application/json")


def scim_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False),
        status_code=status,
        media_type=SCIM_MEDIA_TYPE,
        headers=headers,
    )


def scim_error_response(error: ScimError) -> Response:
    body = error.to_body()
    if mutants.active("numeric-error-status"):
        body["status"] = error.status
    if mutants.active("error-without-schemas"):
        del body["schemas"]
    headers = dict(error.headers)
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="Soulanma SCIM"'
    return scim_response(body, error.status, headers or None)


async def read_body(request: Request) -> bytes:
    """Read the request body, stopping with 413 once it passes the limit.

    A client that stops sending before its body is complete gets 408 after
    BODY_TIMEOUT_SECONDS instead of holding the connection open for ever.
    """
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    try:
        return await asyncio.wait_for(_read_limited(request), BODY_TIMEOUT_SECONDS)
    except asyncio.TimeoutError:
        raise ScimError(
            408,
            f"The request body did not arrive within {BODY_TIMEOUT_SECONDS:.0f} "
            "seconds.",
        ) from None
    except ClientDisconnect:
        detail = "The client disconnected before sending its body."
        raise ScimError(400, detail) from None


async def _read_limited(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large() -> ScimError:
    return ScimError(
        413, f"The request body is larger than the limit of {MAX_BODY_BYTES} bytes."
    )


def check_content_type(request: Request) -> None:
    """Accept the SCIM media type and plain JSON, with any parameters.

    RFC 7644, Section 3.8: the SCIM media type must be supported and plain JSON
    should be. A request without Content-Type is read as JSON.
    """
    header = request.headers.get("content-type")
    if header is None:
        return
    media_type = header.split(";", 1)[0].strip().lower()
    if media_type not in _JSON_TYPES:
        raise ScimError(
            415,
            f"Content-Type {media_type!r} is not supported; send "
            "application/scim+json or application/json.",
        )


async def read_json(request: Request) -> Any:
    """Return the parsed JSON body, or raise 400 `invalidSyntax` or 413 or 415."""
    check_content_type(request)
    raw = await read_body(request)
    if not raw.strip():
        raise invalid_syntax("The request body is empty; a JSON object is required.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise invalid_syntax(
            f"The request body is not UTF-8: {error.reason}."
        ) from None
    if _nesting_depth(text) > MAX_JSON_DEPTH:
        raise invalid_syntax(
            f"The JSON body nests deeper than {MAX_JSON_DEPTH} levels."
        )
    try:
        parsed = json.loads(text, parse_constant=_reject_constant)
    except (json.JSONDecodeError, ValueError) as error:
        raise invalid_syntax(f"The request body is not valid JSON: {error}.") from None
    # An escape such as \ud800 without its pair decodes to a lone surrogate,
    # which is no Unicode character: stored, it would fail every later read.
    try:
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise invalid_syntax(
            "The request body contains an unpaired surrogate escape such as "
            "\\ud800; send each character outside the BMP as a surrogate pair."
        ) from None
    return parsed


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _nesting_depth(text: str) -> int:
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def query_int(request: Request, name: str) -> int | None:
    """Return an integer query parameter, or raise 400 `invalidValue`."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    # int() would also take "1_0", "+5", Unicode spaces and non-ASCII digits;
    # only ASCII digits with an optional minus sign, between ASCII spaces,
    # are an integer here.
    text = raw.strip(" ")
    if _INTEGER.fullmatch(text) is None:
        raise ScimError(
            400,
            f"Query parameter {name!r} must be an integer, got {raw!r}.",
            "invalidValue",
        )
    # Past nine digits the value is beyond any page; clamping it avoids
    # converting thousands of digits.
    if len(text.lstrip("-")) > 9:
        return -(10**9) if text.startswith("-") else 10**9
    return int(text)
