"""Timeouts, retries with backoff, Retry-After and a request rate limit.

`ResilientTransport` wraps any httpx transport, so the clients keep their
interface and unit tests swap the network for a mock transport.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

logger = logging.getLogger("mock_idp")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Errors raised before the request reached the server, so any method is safe
# to send again.
NOT_SENT_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
# Errors after which the server may have acted on the request.
MAYBE_SENT_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ReadError,
    httpx.ReadTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
    httpx.RemoteProtocolError,
)


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait for a response and how to retry a failed request.

    `timeout` is in seconds for each of connect, read, write and pool, per
    attempt. The delay before retry n is `backoff * 2 ** (n - 1)`, at most
    `max_backoff`. A 429 waits for its Retry-After, and is returned as it is
    when that is longer than `max_retry_after` seconds.
    """

    timeout: float = 10.0
    retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 30.0

    def delay(self, retry: int) -> float:
        return float(min(self.backoff * 2 ** (retry - 1), self.max_backoff))


class RateLimiter:
    """Space requests at least `1 / max_rps` seconds apart, across threads."""

    def __init__(
        self,
        max_rps: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_rps <= 0:
            raise ValueError(f"max_rps must be positive, got {max_rps}")
        self.interval = 1.0 / max_rps
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self._sleep(start - now)


class ResilientTransport(httpx.BaseTransport):
    """Send each request with the policy's timeout, retrying where it is safe.

    Connection failures before the request was sent are retried for every
    method. Read errors, timeouts and 5xx responses are retried only for
    idempotent methods, and 503 for every method, because a server that
    returns 503 did not act on the request. A 429 is retried after its
    Retry-After. The last response or error is returned or raised as it is.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport,
        policy: RetryPolicy | None = None,
        *,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._inner = inner
        self.policy = policy or RetryPolicy()
        self._limiter = limiter
        self._sleep = sleep

    def close(self) -> None:
        self._inner.close()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        # NOTE: httpx applies the timeout to each connect, read and write, not to
        # the whole attempt, so a server that trickles bytes can exceed it.
        request.extensions["timeout"] = httpx.Timeout(self.policy.timeout).as_dict()
        retry = 0
        while True:
            if self._limiter is not None:
                self._limiter.wait()
            try:
                response = self._inner.handle_request(request)
            except httpx.TransportError as error:
                if retry >= self.policy.retries or not _may_retry_error(request, error):
                    raise
                retry += 1
                self._pause(
                    request, type(error).__name__, retry, self.policy.delay(retry)
                )
                continue

            delay = self._retry_delay(request, response, retry)
            if delay is None:
                return response
            response.close()
            retry += 1
            self._pause(request, str(response.status_code), retry, delay)

    def _retry_delay(
        self, request: httpx.Request, response: httpx.Response, retry: int
    ) -> float | None:
        if retry >= self.policy.retries:
            return None
        status = response.status_code
        if status == 429:
            wait = retry_after_seconds(response.headers.get("retry-after"))
            if wait is None:
                return self.policy.delay(retry + 1)
            if wait > self.policy.max_retry_after:
                logger.warning(
                    "%s %s: Retry-After of %.0fs is over the maximum of %.0fs, "
                    "not retrying",
                    request.method, request.url, wait, self.policy.max_retry_after,
                )  # fmt: skip
                return None
            return wait
        if status == 503 or (status >= 500 and request.method in IDEMPOTENT_METHODS):
            return self.policy.delay(retry + 1)
        return None

    def _pause(
        self, request: httpx.Request, cause: str, retry: int, delay: float
    ) -> None:
        logger.warning(
            "%s %s failed with %s, retry %d of %d in %.1fs",
            request.method, request.url, cause, retry, self.policy.retries, delay,
        )  # fmt: skip
        self._sleep(delay)


def _may_retry_error(request: httpx.Request, error: httpx.TransportError) -> bool:
    if isinstance(error, NOT_SENT_ERRORS):
        return True
    return isinstance(error, MAYBE_SENT_ERRORS) and request.method in IDEMPOTENT_METHODS


def retry_after_seconds(value: str | None) -> float | None:
    """Parse Retry-After as seconds or an HTTP date (RFC 9110, Section 10.2.3)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())
