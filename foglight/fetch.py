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
import socket
import time
import urllib.robotparser
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

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
    respect_robots: bool = True
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
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc.strerror}") from exc
    return sorted({str(info[4][0]) for info in infos})


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


@dataclass
class Fetcher:
    """One HTTP client for a run: connection reuse, per-host pacing, robots.txt cache."""

    options: FetchOptions = field(default_factory=FetchOptions)
    resolver: Resolver = resolve
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _client: httpx.Client | None = None
    _last_request: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.options.timeout),
            follow_redirects=False,  # every hop is checked by ``guard`` first
            headers={"User-Agent": self.options.user_agent},
            trust_env=False,  # a proxy from the environment would bypass the address check
        )

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- safety ------------------------------------------------------------------------------

    def guard(self, url: str) -> None:
        """Refuse a url foglight must not connect to, before any connection is made."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise BlockedAddress(
                f"refused {url!r}: only http and https urls are fetched, not {parts.scheme!r}"
            )
        host = parts.hostname
        if not host:
            raise BlockedAddress(f"refused {url!r}: the url names no host")
        if self.options.allow_private:
            return
        try:
            addresses = [host] if _is_ip(host) else self.resolver(host)
        except FetchError as exc:
            raise BlockedAddress(f"refused {url!r}: {exc}") from exc
        blocked = [a for a in addresses if not _is_public(a)]
        if blocked or not addresses:
            raise BlockedAddress(
                f"refused {url!r}: {host} resolves to {', '.join(blocked) or 'nothing'}, a "
                "loopback, private, link-local or reserved address. foglight only fetches "
                "public addresses; pass --allow-private to fetch from your own network."
            )

    # -- fetching ----------------------------------------------------------------------------

    def get(self, url: str, conditional: Mapping[str, str] | None = None) -> Page:
        """GET ``url`` (guarded, paced, robots-checked, retried), following redirects."""
        self.guard(url)
        if self.options.respect_robots and not self._allowed_by_robots(url):
            raise RobotsDisallowed(f"{url} is disallowed by its site's robots.txt; skipped")
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

    def _follow(self, url: str, conditional: Mapping[str, str] | None) -> Page:
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
        except httpx.HTTPError as exc:
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
        host = urlsplit(url).netloc.lower()
        last = self._last_request.get(host)
        now = self.clock()
        if last is not None and now - last < self.options.min_interval:
            self.sleep(self.options.min_interval - (now - last))
        self._last_request[host] = self.clock()

    def _allowed_by_robots(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        rules = self._robots[origin]
        return rules is None or rules.can_fetch(self.options.user_agent, url)

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """The site's rules, or None when it has none. As RFC 9309 says: a 4xx means no
        rules; a 5xx or an unreachable robots.txt means the whole site is off limits for now
        (the fetch fails and is retried on a later poll)."""
        robots_url = origin + "/robots.txt"
        try:
            self.guard(robots_url)
            page = self._follow(robots_url, None)
        except FetchError as exc:
            raise FetchError(f"cannot read {robots_url} ({exc}); will retry later") from exc
        if 400 <= page.status < 500:
            return None
        if page.status >= 500:
            raise FetchError(f"{robots_url}: HTTP {page.status}; will retry later")
        rules = urllib.robotparser.RobotFileParser()
        rules.parse(page.body.decode("utf-8", errors="replace").splitlines())
        return rules


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
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
