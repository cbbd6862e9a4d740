"""The slow-client repro scripts (tests/security/slow_clients.py, docs/security.md finding 1)
against the real binaries: `mcp-server http` and `mcp-server serve`, each started with one-second
head and body timeouts so the run stays short.

Before the fix, `serve` read up to 4 MiB of every body before looking at the token (50 sockets:
RSS 28 MB -> 235 MB, all still waiting after 42 s), and neither mode ever closed a connection that
sent half its headers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness import REPO, Process, binary, clean_env, server_argv

SCRIPT = REPO / "tests" / "security" / "slow_clients.py"
LIMIT_FLAGS = ["--header-timeout", "1s", "--body-timeout", "1s"]
SOCKETS = 20
WITHIN_S = 8.0


def start(kind: str, tmp_path: Path, processes: list[Process], upstream_url: str) -> tuple[Process, str]:
    """Starts `kind` (`http` or `serve`); returns it and the URL to attack."""
    if kind == "http":
        env = clean_env(NO_COLOR="1", CHRONOSPHERE_TENANT="t", CHRONOSPHERE_API_TOKEN="x")
        proc = Process("mcp-server-http", server_argv("http", upstream_url, *LIMIT_FLAGS), env, tmp_path)
        processes.append(proc)
        url = proc.wait_for("stderr", r"listening on (http://\S+/mcp)").group(1)
        return proc, url
    env = clean_env(NO_COLOR="1", MCP_ADMIN_TOKEN="slow-clients-admin-token", MCP_SECRET_KEY=os.urandom(32).hex())
    argv = [str(binary("mcp-server")), "serve", "--listen", "127.0.0.1:0",
            "--database", str(tmp_path / "slow.db"), *LIMIT_FLAGS]
    proc = Process("mcp-server-serve", argv, env, tmp_path)
    processes.append(proc)
    base = proc.wait_for("stderr", r"listening on (http://127\.0\.0\.1:\d+)$").group(1)
    return proc, f"{base}/mcp/not-a-real-token-{os.urandom(8).hex()}"


def attack(mode: str, url: str, pid: int) -> dict:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), mode, url, "--sockets", str(SOCKETS), "--within", str(WITHIN_S),
         "--pid", str(pid)],
        capture_output=True, text=True, timeout=WITHIN_S + 30,
    )
    assert done.stdout.strip(), done.stderr
    report = json.loads(done.stdout)
    assert done.returncode == 0, report
    return report


@pytest.mark.parametrize("kind", ["http", "serve"])
def test_half_sent_headers_are_closed_within_the_header_timeout(kind, tmp_path, processes, upstream):
    proc, url = start(kind, tmp_path, processes, upstream.url)
    report = attack("half-headers", url, proc.popen.pid)
    assert report["still_open"] == 0, report
    assert report["slowest_s"] < 4.0, report
    assert proc.popen.poll() is None, "the server kept running"


def test_a_slow_body_to_an_unknown_token_is_refused_without_reading_it(tmp_path, processes, upstream):
    proc, url = start("serve", tmp_path, processes, upstream.url)
    report = attack("slow-body", url, proc.popen.pid)
    assert report["status_lines"] == ["HTTP/1.1 404 Not Found"], report
    assert report["slowest_s"] < 2.0, report
    # Twenty 4 MB bodies were on offer; none was read.
    assert report["rss_peak_kib"] - report["rss_before_kib"] < 32 * 1024, report


def test_a_slow_body_to_mcp_is_answered_408_within_the_body_timeout(tmp_path, processes, upstream):
    proc, url = start("http", tmp_path, processes, upstream.url)
    report = attack("slow-body", url, proc.popen.pid)
    assert report["status_lines"] == ["HTTP/1.1 408 Request Timeout"], report
    assert report["slowest_s"] < 5.0, report
    assert proc.popen.poll() is None, "the server kept running"
