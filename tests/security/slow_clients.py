#!/usr/bin/env python3
"""Reproduces the slow-client attacks of docs/security.md (finding 1) against a running server,
and reports how the server held up.

    tests/security/slow_clients.py slow-body    URL [--sockets 50] [--pid PID] [--within 10]
    tests/security/slow_clients.py half-headers URL [--sockets 50] [--pid PID] [--within 10]

`slow-body` opens SOCKETS connections that each POST `Content-Length: 4000000` JSON to URL and
send all but the last byte, slowly; `half-headers` opens SOCKETS connections that each send half
a request head and stop. URL is an MCP endpoint: `http://127.0.0.1:PORT/mcp` for `mcp-server
http`, `http://127.0.0.1:PORT/mcp/<anything>` for `mcp-server serve` (an unknown token).

Each connection is watched until the server answers or closes it. The script prints one JSON
line: the mode, how many connections were answered or closed within `--within` seconds, the
slowest, the first status line seen, and (with `--pid`, on Linux) the server's RSS before and at
its peak. It exits 1 if any connection was still open at the end. Only the standard library is
used, so it runs anywhere Python 3.10+ does.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

BODY_BYTES = 4_000_000
CHUNK = 64 * 1024


@dataclass
class Outcome:
    """What happened to one connection."""

    seconds: float | None = None  # when the server answered or closed; None: still open
    status_line: str = ""


@dataclass
class Report:
    mode: str
    sockets: int
    within_s: float
    outcomes: list[Outcome] = field(default_factory=list)
    rss_before_kib: int | None = None
    rss_peak_kib: int | None = None

    @property
    def finished(self) -> int:
        return sum(1 for o in self.outcomes if o.seconds is not None)

    def as_json(self) -> dict:
        times = [o.seconds for o in self.outcomes if o.seconds is not None]
        statuses = sorted({o.status_line for o in self.outcomes if o.status_line})
        return {
            "mode": self.mode,
            "sockets": self.sockets,
            "answered_or_closed": self.finished,
            "still_open": self.sockets - self.finished,
            "slowest_s": round(max(times), 3) if times else None,
            "within_s": self.within_s,
            "status_lines": statuses,
            "rss_before_kib": self.rss_before_kib,
            "rss_peak_kib": self.rss_peak_kib,
        }


def rss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def head(url: str, content_length: int | None) -> bytes:
    parts = urlsplit(url)
    lines = [
        f"POST {parts.path or '/'} HTTP/1.1",
        f"Host: {parts.hostname}:{parts.port}",
        "Content-Type: application/json",
        "Accept: application/json, text/event-stream",
        "MCP-Protocol-Version: 2026-07-28",
        "Mcp-Method: tools/list",
    ]
    if content_length is not None:
        lines.append(f"Content-Length: {content_length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def watch(sock: socket.socket, started: float, deadline: float, outcome: Outcome) -> None:
    """Waits until the server sends something or closes the connection."""
    while time.monotonic() < deadline:
        sock.settimeout(max(0.05, min(0.5, deadline - time.monotonic())))
        try:
            data = sock.recv(4096)
        except socket.timeout:
            continue
        except OSError:
            data = b""  # reset by the server: closed
        outcome.seconds = time.monotonic() - started
        if data:
            outcome.status_line = data.split(b"\r\n", 1)[0].decode("latin-1")
        return


def slow_body(url: str, outcome: Outcome, started: float, deadline: float) -> None:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(head(url, BODY_BYTES))
        sent = 0
        sock.setblocking(False)
        # All but the last byte, in chunks, stopping as soon as the server has answered.
        while sent < BODY_BYTES - 1 and time.monotonic() < deadline:
            try:
                data = sock.recv(4096)
                outcome.seconds = time.monotonic() - started
                if data:
                    outcome.status_line = data.split(b"\r\n", 1)[0].decode("latin-1")
                return
            except BlockingIOError:
                pass
            except OSError:
                outcome.seconds = time.monotonic() - started
                return
            try:
                sent += sock.send(b" " * min(CHUNK, BODY_BYTES - 1 - sent))
            except BlockingIOError:
                time.sleep(0.01)
            except OSError:
                outcome.seconds = time.monotonic() - started
                return
            time.sleep(0.005)
        sock.setblocking(True)
        watch(sock, started, deadline, outcome)


def half_headers(url: str, outcome: Outcome, started: float, deadline: float) -> None:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        whole = head(url, 2)
        sock.sendall(whole[: len(whole) // 2])
        watch(sock, started, deadline, outcome)


ATTACKS = {"slow-body": slow_body, "half-headers": half_headers}


def run(mode: str, url: str, sockets: int = 50, within: float = 10.0, pid: int | None = None) -> Report:
    report = Report(mode, sockets, within, [Outcome() for _ in range(sockets)])
    report.rss_before_kib = rss_kib(pid) if pid else None
    started = time.monotonic()
    deadline = started + within
    attack = ATTACKS[mode]
    threads = [
        threading.Thread(target=attack, args=(url, outcome, started, deadline), daemon=True)
        for outcome in report.outcomes
    ]
    for thread in threads:
        thread.start()
    peak = report.rss_before_kib
    while any(thread.is_alive() for thread in threads):
        if pid:
            now = rss_kib(pid)
            if now is not None and (peak is None or now > peak):
                peak = now
        time.sleep(0.05)
    report.rss_peak_kib = peak
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=sorted(ATTACKS))
    parser.add_argument("url")
    parser.add_argument("--sockets", type=int, default=50)
    parser.add_argument("--within", type=float, default=10.0, help="seconds to wait for every connection")
    parser.add_argument("--pid", type=int, help="the server's process id, to report its RSS")
    args = parser.parse_args()
    report = run(args.mode, args.url, args.sockets, args.within, args.pid)
    print(json.dumps(report.as_json()))
    return 0 if report.finished == report.sockets else 1


if __name__ == "__main__":
    sys.exit(main())
