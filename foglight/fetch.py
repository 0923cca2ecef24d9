"""The fetch boundary: pages and feeds over HTTP, politely and safely.

``Fetcher.get`` is the one way foglight reaches the network. Before every connection,
including each hop of a redirect, the url's host is resolved and refused when any of its
addresses is loopback, private, link-local, reserved, multicast or unspecified (unless the
user allows private addresses), so a feed cannot make foglight probe the machine or its
network. Redirects are followed by hand up to a limit, bodies are streamed up to a size
limit, every host gets at most one request per ``min_interval`` seconds, 429 and 5xx answers
are retried with backoff (honouring Retry-After), and robots.txt is read once per host and
obeyed.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from foglight import __version__
from foglight.errors import InputError

USER_AGENT = f"foglight/{__version__} (+https://github.com/foglight; news event ledger)"

# An article page is tens of kilobytes; 10 MB leaves room for inlined images and scripts
# while refusing a runaway or hostile body before it fills memory.
DEFAULT_MAX_PAGE_BYTES = 10 * 1024 * 1024
# News sites answer within seconds; a page that takes longer is retried on a later poll.
DEFAULT_TIMEOUT_SECONDS = 20.0
# Browsers stop at 20; canonicalising redirects rarely take more than three hops.
DEFAULT_MAX_REDIRECTS = 5
# One request per host per second is the usual polite crawl rate.
DEFAULT_MIN_INTERVAL_SECONDS = 1.0
# Three retries with doubling waits ride out a brief outage; a longer one is the next poll's.
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF_SECONDS = 2.0
# A Retry-After longer than this is not waited for now: the page is retried on a later poll.
MAX_RETRY_AFTER_SECONDS = 120.0
# RFC 9309: a crawler should not use a cached robots.txt for more than 24 hours.
ROBOTS_CACHE_SECONDS = 24 * 3600.0
# After robots.txt could not be read, the site is left alone this long before trying again,
# so a poll with many items on one unreachable site does not wait for each of them.
ROBOTS_RETRY_SECONDS = 300.0

_RETRYABLE = frozenset({429, 500, 502, 503, 504})


class FetchError(InputError):
    """A url could not be fetched; recorded as a failure and retried on a later poll."""


class BlockedAddress(FetchError):
    """The url is not http(s), or its host resolves to an address foglight will not reach."""


class RobotsDisallowed(FetchError):
    """The site's robots.txt asks crawlers to stay away from this url."""


@dataclass(frozen=True)
class FetchOptions:
    """How foglight talks to the web; one object from the command line down."""

    allow_private: bool = False
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    max_bytes: int = DEFAULT_MAX_PAGE_BYTES
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    min_interval: float = DEFAULT_MIN_INTERVAL_SECONDS
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF_SECONDS
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Page:
    """What a fetch brought back."""

    url: str  # after redirects
    status: int  # 200, or 304 for a conditional request whose content has not changed
    body: bytes
    content_type: str | None
    charset: str | None  # as the Content-Type header declares it
    etag: str | None
    last_modified: str | None
    retry_after: float | None = None  # seconds, from a 429's or 503's Retry-After

    @property
    def not_modified(self) -> bool:
        return self.status == 304


# Resolves a host name to its addresses; injectable so a test can pose as a public host.
Resolver = Callable[[str], list[str]]


def resolve(host: str) -> list[str]:
    """The host's addresses, as the connection will see them (``getaddrinfo`` also reads
    numeric forms such as 2130706433 or 0x7f.1 without asking DNS)."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}") from exc
    return sorted({str(info[4][0]) for info in infos})


def is_public(address: str) -> bool:
    """Whether an address is on the public internet: not loopback, private, shared (CGNAT,
    where some clouds keep their metadata service), link-local, site-local, reserved,
    multicast or unspecified, also when wrapped in IPv6 (IPv4-mapped, 6to4, Teredo)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    candidates: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        wrapped = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
        candidates += [w for w in wrapped if w is not None]
    return all(
        candidate.is_global
        and not (
            candidate.is_private
            or candidate.is_loopback
            or candidate.is_link_local
            or candidate.is_reserved
            or candidate.is_multicast
            or candidate.is_unspecified
            # Deprecated IPv6 site-local (fec0::/10), which Python still calls global.
            or (isinstance(candidate, ipaddress.IPv6Address) and candidate.is_site_local)
        )
        for candidate in candidates
    )


class _CheckedBackend(httpcore.SyncBackend):
    """Opens connections only to addresses the fetcher allows, checked at connect time: a
    name that resolved to a public address for ``Fetcher.guard`` and to a private one a
    moment later (DNS rebinding) still cannot reach the private one. TLS keeps the host name
    for SNI and certificate checks."""

    def __init__(self, allowed: Callable[[str], bool]) -> None:
        self._allowed = allowed

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = resolve(host)
        except FetchError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        usable = [a for a in addresses if self._allowed(a)]
        if not usable:
            raise httpcore.ConnectError(f"refused to connect to {host}: not a public address")
        error: Exception | None = None
        for address in usable:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                error = exc
        assert error is not None
        raise error


@dataclass
class Fetcher:
    """One HTTP client for a run: connection reuse, per-host pacing, robots.txt cache."""

    options: FetchOptions = field(default_factory=FetchOptions)
    resolver: Resolver = resolve
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _client: httpx.Client = field(init=False)
    # Per origin (scheme, host, port): when the last request went out.
    _last_request: dict[str, float] = field(init=False, default_factory=dict)
    # Per origin: until when the entry holds, and the rules (None: no rules) or the error
    # that kept robots.txt from being read.
    _robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | FetchError | None]] = (
        field(init=False, default_factory=dict)
    )

    def __post_init__(self) -> None:
        transport = httpx.HTTPTransport(trust_env=False)
        # httpx offers no public hook for the network backend; the pool is replaced with one
        # that checks every address it connects to (see _CheckedBackend).
        transport._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=_CheckedBackend(self.address_allowed),
        )
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(self.options.timeout),
            follow_redirects=False,  # every hop is checked by ``guard`` first
            headers={"User-Agent": self.options.user_agent},
            trust_env=False,  # a proxy from the environment would bypass the address check
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- safety ------------------------------------------------------------------------------

    def address_allowed(self, address: str) -> bool:
        return self.options.allow_private or is_public(address)

    def guard(self, url: str) -> None:
        """Refuse a url foglight must not connect to, before any connection is made (the
        connection itself checks again: ``_CheckedBackend``)."""
        try:
            parts = urlsplit(url)
            host = parts.hostname
            parts.port  # noqa: B018 (raises ValueError for a port out of range)
        except ValueError as exc:
            raise BlockedAddress(f"refused {url!r}: not a valid url ({exc})") from exc
        if parts.scheme not in ("http", "https"):
            raise BlockedAddress(
                f"refused {url!r}: only http and https urls are fetched, not {parts.scheme!r}"
            )
        if not host:
            raise BlockedAddress(f"refused {url!r}: the url names no host")
        if parts.username is not None or parts.password is not None:
            raise BlockedAddress(f"refused {url!r}: urls with a user name or password")
        addresses = [host] if _is_ip(host) else self.resolver(host)
        blocked = [a for a in addresses if not self.address_allowed(a)]
        if blocked or not addresses:
            raise BlockedAddress(
                f"refused {url!r}: {host} resolves to {', '.join(blocked) or 'nothing'}, a "
                "loopback, private, link-local or reserved address. foglight only fetches "
                "public addresses; pass --allow-private to fetch from your own network."
            )

    # -- fetching ----------------------------------------------------------------------------

    def get(self, url: str, conditional: Mapping[str, str] | None = None) -> Page:
        """GET ``url`` (guarded, paced, robots-checked, retried), following redirects."""
        self._check(url)
        attempt = 0
        while True:
            page = self._follow(url, conditional)
            if page.status not in _RETRYABLE:
                break
            backoff = self.options.backoff * 2**attempt
            wait = page.retry_after if page.retry_after is not None else backoff
            if attempt >= self.options.retries or wait > MAX_RETRY_AFTER_SECONDS:
                break
            attempt += 1
            self.sleep(wait)
        if page.status >= 400:
            raise FetchError(f"{url}: HTTP {page.status} after {attempt + 1} attempt(s)")
        return page

    def _check(self, url: str) -> None:
        """The address rule and the site's robots.txt, before any request for ``url``."""
        self.guard(url)
        if not self._allowed_by_robots(url):
            raise RobotsDisallowed(f"{url} is disallowed by its site's robots.txt; skipped")

    def _follow(self, url: str, conditional: Mapping[str, str] | None, robots: bool = True) -> Page:
        seen = {url}
        current = url
        for _ in range(self.options.max_redirects + 1):
            page = self._request(current, conditional)
            if page.status not in (301, 302, 303, 307, 308):
                return page
            target = page.url
            if target in seen:
                raise FetchError(f"{url}: redirect loop at {target}")
            seen.add(target)
            if robots:
                self._check(target)
            else:
                self.guard(target)
            current = target
        raise FetchError(f"{url}: more than {self.options.max_redirects} redirects")

    def _request(self, url: str, conditional: Mapping[str, str] | None) -> Page:
        assert self._client is not None
        self._pace(url)
        headers = dict(conditional or {})
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    return _page(url=urljoin(url, location), response=response, body=b"")
                body = self._read_limited(url, response)
                return _page(url=url, response=response, body=body)
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url}: timed out ({exc.__class__.__name__})") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(f"{url}: {exc.__class__.__name__}: {exc}") from exc

    def _read_limited(self, url: str, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.options.max_bytes:
            raise FetchError(
                f"{url}: body of {int(declared):,} bytes is over the limit of "
                f"{self.options.max_bytes:,}"
            )
        chunks: list[bytes] = []
        size = 0
        # The timeout bounds each read; this bounds the whole body, so a server that trickles
        # a byte at a time cannot hold a poll for ever.
        deadline = self.clock() + 3 * self.options.timeout
        for chunk in response.iter_bytes():
            if self.clock() > deadline:
                raise FetchError(f"{url}: body still arriving after {3 * self.options.timeout:g} s")
            size += len(chunk)
            if size > self.options.max_bytes:
                raise FetchError(
                    f"{url}: body over the limit of {self.options.max_bytes:,} bytes; "
                    "stopped reading"
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def _pace(self, url: str) -> None:
        origin = _origin(url)
        last = self._last_request.get(origin)
        now = self.clock()
        if last is not None and now - last < self.options.min_interval:
            self.sleep(self.options.min_interval - (now - last))
        self._last_request[origin] = self.clock()

    def _allowed_by_robots(self, url: str) -> bool:
        origin = _origin(url)
        cached = self._robots.get(origin)
        if cached is None or cached[0] < self.clock():
            cached = self._load_robots(url)
            self._robots[origin] = cached
        rules = cached[1]
        if isinstance(rules, FetchError):
            raise rules
        return rules is None or rules.can_fetch(self.options.user_agent, url)

    def _load_robots(
        self, url: str
    ) -> tuple[float, urllib.robotparser.RobotFileParser | FetchError | None]:
        """The site's rules (None when it has none) or why they could not be read, with how
        long that holds. As RFC 9309 says: a 4xx means no rules; a 5xx, a 429 or an
        unreachable robots.txt means the whole site is off limits for now (its pages fail
        and are retried on a later poll)."""
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
        robots_url = f"{parts.scheme}://{parts.hostname}{port}/robots.txt"
        now = self.clock()
        try:
            self.guard(robots_url)
            page = self._follow(robots_url, None, robots=False)
            if page.status >= 500 or page.status == 429:
                raise FetchError(f"HTTP {page.status}")
        except FetchError as exc:
            error = FetchError(f"cannot read {robots_url} ({exc}); will retry later")
            return now + ROBOTS_RETRY_SECONDS, error
        if 400 <= page.status < 500:
            return now + ROBOTS_CACHE_SECONDS, None
        rules = urllib.robotparser.RobotFileParser()
        rules.parse(page.body.decode("utf-8", errors="replace").splitlines())
        return now + ROBOTS_CACHE_SECONDS, rules


def _origin(url: str) -> str:
    """scheme://host:port, without user info: the unit of pacing and of robots.txt."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _page(*, url: str, response: httpx.Response, body: bytes) -> Page:
    content_type = response.headers.get("content-type")
    charset = None
    if content_type and "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    return Page(
        url=url,
        status=response.status_code,
        body=body,
        content_type=content_type,
        charset=charset or None,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        retry_after=retry_after_seconds(response.headers.get("retry-after")),
    )


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header value in seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]+", value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
