"""A small loopback web server for the demo site and the crawl tests.

Serves a folder (with optional per-path headers in `_headers.json`) and/or programmed
routes: status codes, redirects, delays, content types, custom headers. Answers conditional
requests from an ETag (hash of the body) and a Last-Modified date with 304, and logs every
request it received (path and headers) so a test can say what was fetched and how.

    with SiteServer(root="examples/site") as server:
        print(server.url("/"))
"""
from __future__ import annotations

import email.utils
import hashlib
import json
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_LAST_MODIFIED = "Mon, 02 Jan 2023 00:00:00 GMT"


@dataclass
class Route:
    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    redirect: str | None = None  # Location; status 301 unless a 3xx is given
    validators: bool = True  # send ETag/Last-Modified and answer conditional requests
    last_modified: str = DEFAULT_LAST_MODIFIED
    fail_first: int = 0  # answer the first N requests with fail_status (a flaky server)
    fail_status: int = 503
    fail_headers: dict[str, str] = field(default_factory=dict)  # e.g. Retry-After
    endless: bool = False  # send `body` over and over, no Content-Length (a /dev/zero)
    served: int = 0

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass
class Hit:
    path: str
    headers: dict[str, str]  # names lower-cased
    status: int
    at: float


class QuietHTTPServer(ThreadingHTTPServer):
    """Clients that hang up (timeouts, size limits) are expected here, not errors."""

    daemon_threads = True
    # Several crawler processes open connections in bursts; a full accept queue (the default
    # holds 5) drops a SYN, and its retransmit a second later fails a 1-second test timeout.
    request_queue_size = 128

    def handle_error(self, request, client_address):
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SiteServer:
    def __init__(self, root: str | Path | None = None, routes: dict[str, Route] | None = None,
                 host: str = "127.0.0.1", port: int = 0, delay: float = 0.0):
        self.root = Path(root) if root else None
        self.routes: dict[str, Route] = dict(routes or {})
        self.host = host
        self.delay = delay  # default delay for every path (slow sites, kill tests)
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._headers = self._load_headers()
        self.httpd = QuietHTTPServer((host, port), self._handler_class())
        self.port = self.httpd.server_address[1]
        self._thread: threading.Thread | None = None

    # --- control ------------------------------------------------------------------------
    def start(self) -> "SiteServer":
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="site-server",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def url(self, path: str = "/", host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}{path}"

    def route(self, path: str, **kwargs) -> Route:
        self.routes[path] = Route(**kwargs)
        return self.routes[path]

    def paths(self) -> list[str]:
        with self._lock:
            return [h.path for h in self.hits]

    def clear(self) -> None:
        with self._lock:
            self.hits.clear()

    # --- serving ------------------------------------------------------------------------
    def _load_headers(self) -> dict:
        if self.root and (self.root / "_headers.json").exists():
            return json.loads((self.root / "_headers.json").read_text(encoding="utf-8"))
        return {}

    def resolve(self, path: str) -> Route | None:
        if path in self.routes:
            return self.routes[path]
        bare = urlsplit(path).path
        if bare in self.routes:
            return self.routes[bare]
        if not self.root:
            return None
        target = (self.root / bare.lstrip("/")).resolve()
        if not str(target).startswith(str(self.root.resolve())):
            return None
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() or target.name.startswith("_"):
            return None
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype.endswith("xml"):
            ctype += "; charset=utf-8"
        headers = dict(self._headers.get(bare, {}))
        ctype = headers.pop("Content-Type", ctype)
        mtime = email.utils.formatdate(target.stat().st_mtime, usegmt=True)
        return Route(body=target.read_bytes(), content_type=ctype, headers=headers,
                     last_modified=mtime)

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                route = server.resolve(self.path)
                status = route.status if route else 404
                if route and route.redirect:
                    status = route.status if 300 <= route.status < 400 else 301
                delay = route.delay if route and route.delay else server.delay
                if delay:
                    time.sleep(delay)
                if route is None:
                    return self._send(404, b"<html><body>not found</body></html>",
                                      {"Content-Type": "text/html"})
                if route.redirect:
                    return self._send(status, b"", {"Location": route.redirect})
                with server._lock:
                    route.served += 1
                    failing = route.served <= route.fail_first
                if failing:
                    return self._send(route.fail_status, b"busy", dict(route.fail_headers))
                body = route.payload()
                headers = {"Content-Type": route.content_type, **route.headers}
                if route.endless:
                    return self._send_endless(body or b"\0" * 65536, headers)
                if route.validators and status == 200:
                    etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                    headers.setdefault("ETag", etag)
                    headers.setdefault("Last-Modified", route.last_modified)
                    if self._not_modified(headers["ETag"], headers["Last-Modified"]):
                        return self._send(304, b"", {"ETag": headers["ETag"]})
                self._send(status, body, headers)

            def _not_modified(self, etag: str, last_modified: str) -> bool:
                inm = self.headers.get("If-None-Match")
                if inm is not None:  # If-None-Match wins over If-Modified-Since (RFC 9110)
                    return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
                ims = self.headers.get("If-Modified-Since")
                if ims:
                    try:
                        return (email.utils.parsedate_to_datetime(last_modified)
                                <= email.utils.parsedate_to_datetime(ims))
                    except (TypeError, ValueError):
                        return False
                return False

            def _send(self, status: int, body: bytes, headers: dict):
                with server._lock:
                    server.hits.append(Hit(self.path, {k.lower(): v for k, v in self.headers.items()},
                                           status, time.time()))
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if body and status != 304:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout, size limit): that is the test

            def _send_endless(self, chunk: bytes, headers: dict):
                with server._lock:
                    server.hits.append(Hit(self.path, {k.lower(): v for k, v in self.headers.items()},
                                           200, time.time()))
                self.close_connection = True
                try:
                    self.send_response(200)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Connection", "close")
                    self.end_headers()
                    while True:  # until the client hangs up
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format, *args):
                pass

        return Handler


def main(argv: list[str] | None = None) -> None:
    """`python -m deboil.crawler.testserver FOLDER [PORT]`: serve a folder until Ctrl-C."""
    import sys

    args = argv if argv is not None else sys.argv[1:]
    server = SiteServer(root=args[0] if args else "examples/site",
                        port=int(args[1]) if len(args) > 1 else 0)
    print(f"serving {server.root} on {server.url()}", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
