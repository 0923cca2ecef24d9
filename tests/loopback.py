"""A real HTTP server on a loopback address for the live-source tests: routes written by the
tests (pages, feeds, failures), every request recorded. It only ever binds 127.0.0.0/8."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]


# A route answers a request (its headers, lower-cased) with a Reply.
Route = Callable[[dict[str, str]], Reply]


class LoopbackServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        assert host.startswith("127."), "test servers bind loopback addresses only"
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.requests.append(Seen(self.path, headers))
                route = server.routes.get(self.path)
                reply = route(headers) if route else Reply(404, b"not here")
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if isinstance(reply.body, bytes):
                        self.send_header("Content-Length", str(len(reply.body)))
                        self.end_headers()
                        self.wfile.write(reply.body)
                    else:
                        self.end_headers()
                        for chunk in reply.body:
                            self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading, as it should for a gigantic body

            def log_message(self, *_: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.port = self.httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


@contextmanager
def serving(host: str = "127.0.0.1") -> Iterator[LoopbackServer]:
    server = LoopbackServer(host)
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def endless(chunk_size: int = 64 * 1024, limit: int = 200 * 1024 * 1024) -> Iterator[bytes]:
    """A body that goes on until the client hangs up (bounded, so a test cannot hang)."""
    sent = 0
    while sent < limit:
        sent += chunk_size
        yield b"x" * chunk_size
