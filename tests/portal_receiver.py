"""A portal on 127.0.0.1 for the outbox's tests and bench/outbox.py: http.server on a thread, receiving status
changes as a real receiver should (the signature checked, a change seen twice kept once by its idempotency
key), and misbehaving on demand: answering 500, answering too late, taking the change and answering too late.

`decide(request_number, payload)` says what to do with each request: "ok", "fail" (500, the change not
taken), "slow" (the change not taken, no answer until after the client gave up), "late" (the change taken,
then no answer until after the client gave up: a lost acknowledgement, so hoso sends it again).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from workers.portal import KEY_HEADER, SIGNATURE_HEADER, verify

Decide = Callable[[int, dict[str, Any]], str]


@dataclass(frozen=True)
class Seen:
    """One request as it arrived."""

    number: int
    key: str
    payload: dict[str, Any]
    body: bytes
    signed: bool  # the signature verified with the receiver's secret
    action: str
    started: float  # time.monotonic() when it arrived


@dataclass
class Receiver:
    secret: str
    decide: Decide = field(default=lambda n, p: "ok")
    late_s: float = 1.0  # how long "slow" and "late" keep the client waiting
    seen: list[Seen] = field(default_factory=list)  # every request, in the order they arrived
    taken: list[dict[str, Any]] = field(default_factory=list)  # each change once, in the order first taken
    duplicates: int = 0  # requests for a change already taken (dropped by its key)
    _keys: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _count: int = 0
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/hoso/status"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="portal-receiver", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        started = time.monotonic()
        body = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        key = h.headers.get(KEY_HEADER) or ""
        signed = verify(self.secret, body, h.headers.get(SIGNATURE_HEADER))
        payload = json.loads(body) if body else {}
        with self._lock:
            self._count += 1
            number = self._count
        action = self.decide(number, payload) if signed else "unsigned"
        with self._lock:
            self.seen.append(Seen(number, key, payload, body, signed, action, started))
        if action in ("ok", "late"):
            self._take(key, payload)
        if action in ("slow", "late"):
            time.sleep(self.late_s)
        status = {"ok": 200, "late": 200, "slow": 200, "fail": 500, "unsigned": 401}[action]
        try:
            h.send_response(status)
            h.send_header("Content-Length", "0")
            h.end_headers()
        except OSError:
            pass  # the client gave up already

    def _take(self, key: str, payload: dict[str, Any]) -> None:
        with self._lock:
            if key in self._keys:
                self.duplicates += 1
                return
            self._keys.add(key)
            self.taken.append(payload)

    def taken_per_dossier(self) -> dict[str, list[str]]:
        """Each dossier's changes as the portal took them: their keys, in order."""
        out: dict[str, list[str]] = {}
        with self._lock:
            for p in self.taken:
                out.setdefault(p["code"], []).append(p["key"])
        return out

    def out_of_order(self, expected: dict[str, list[str]]) -> list[str]:
        """What broke each dossier's order (`expected`: its changes' keys, oldest first): a request for an earlier
        change after a later one, or a change's first request before the previous one was acknowledged."""
        with self._lock:
            seen = list(self.seen)
        problems: list[str] = []
        for code, keys in expected.items():
            index = {k: i for i, k in enumerate(keys)}
            mine = sorted((s for s in seen if s.key in index), key=lambda s: s.started)
            positions = [index[s.key] for s in mine]
            if positions != sorted(positions):
                problems.append(f"{code}: requests went back to an earlier change ({positions})")
            for i in range(1, len(keys)):
                first = next((s for s in mine if index[s.key] == i), None)
                acked = [s for s in mine if index[s.key] == i - 1 and s.action == "ok"]
                if first is not None and not (acked and acked[0].started < first.started):
                    problems.append(f"{code}: change {i + 1} sent before change {i} was acknowledged")
        return problems
