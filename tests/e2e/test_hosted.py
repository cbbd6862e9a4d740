"""Hosted mode end to end: `mcp-server serve` against the fake upstream, managed through its
admin API (and CLI), used by the official MCP client at `/mcp/<token>` URLs.

Covers what a hosted deployment promises: method and tag filters hold for listing and calling,
`require_api_token_auth` demands an API token, unknown / deleted / expired tokens get one 404,
expired servers are purged from the database, and a restart (SIGTERM or SIGKILL) loses nothing.

With MCPGEN_TEST_STORE=postgres (and MCPGEN_TEST_POSTGRES naming a cluster, as tests/run-all.sh
sets) the same tests run with `serve` on a fresh PostgreSQL database instead of a SQLite file.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from checks import all_tools, ok
from conftest import READ_TIMEOUT_S, SEEDED_TEAMS, TOKEN
from harness import Process, binary, clean_env
from upstream import FakeUpstream

pytestmark = pytest.mark.anyio

ADMIN_TOKEN = "e2e-admin-token-7d2f0c1b9a"
READ_TOOLS = ["list_all_chronosphere_teams", "get_single_chronosphere_team_by_id"]
WRITE_TOOLS = ["create_a_chronosphere_team", "update_a_chronosphere_team_by_id", "delete_a_chronosphere_team_by_id"]
# An unfiltered server lists the whole Config API.
CHRONOSPHERE_TOOLS = 183
NOT_FOUND = {"error": "not_found", "message": "no MCP server at this URL"}
# The test-only floor for `expires_at` (60 s in production), so expiry tests take seconds.
MIN_EXPIRY_S = 1
PURGE_INTERVAL = "300ms"


@dataclass
class Hosted:
    """A running `mcp-server serve` and how to start it again on the same database."""

    base: str
    process: Process
    launch: Callable[[], Hosted] = field(repr=False)
    db: str
    env: dict[str, str] = field(repr=False)

    def restart(self, how: signal.Signals) -> Hosted:
        """Stops this server with `how` and starts another on the same database."""
        self.process.popen.send_signal(how)
        self.process.popen.wait(timeout=10)
        self.process.stop()
        return self.launch()

    def admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        with httpx.Client(base_url=self.base, headers=headers, timeout=10.0) as c:
            return c.request(method, path, json=body)

    def account(self) -> str:
        r = self.admin("POST", "/integrated-account", {
            "integration": "chronosphere",
            "credentials": {"tenant": "e2e", "api_token": TOKEN},
        })
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def server(self, account: str, **body: Any) -> dict[str, Any]:
        r = self.admin("POST", f"/integrated-account/{account}/mcp", {"name": "e2e", **body})
        assert r.status_code == 201, r.text
        return r.json()

    def server_rows(self) -> int:
        if self.db.startswith("postgres"):
            out = subprocess.run(["psql", self.db, "-tAc", "SELECT COUNT(*) FROM mcp_servers"],
                                 check=True, capture_output=True, text=True).stdout
            return int(out.strip())
        with sqlite3.connect(self.db) as conn:
            return conn.execute("SELECT COUNT(*) FROM mcp_servers").fetchone()[0]


def raw_post(url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    """A well-formed 2026-07-28 `tools/list` POST, to see statuses the SDK hides."""
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
    }}}
    all_headers = {
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": "2026-07-28",
        "Mcp-Method": "tools/list",
        **(headers or {}),
    }
    return httpx.post(url, json=body, headers=all_headers, timeout=10.0)


def client(url: str, mode: str = "auto", bearer: str | None = None) -> Client:
    if bearer is None:
        return Client(url, mode=mode, read_timeout_seconds=READ_TIMEOUT_S)
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {bearer}"}, timeout=READ_TIMEOUT_S)
    return Client(streamable_http_client(url, http_client=http), mode=mode, read_timeout_seconds=READ_TIMEOUT_S)


async def tool_names(url: str, mode: str = "auto", bearer: str | None = None) -> list[str]:
    async with client(url, mode, bearer) as c:
        return [t.name for t in await all_tools(c)]


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.1)


def serve_argv(db: Path | str, upstream: FakeUpstream, *extra: str) -> list[str]:
    return [
        str(binary("mcp-server")), "serve",
        "--listen", "127.0.0.1:0",
        "--database", str(db),
        "--base-url", f"chronosphere={upstream.url}",
        "--purge-interval", PURGE_INTERVAL,
        *extra,
    ]


def fresh_database(tmp_path: Path) -> str:
    """A SQLite file in `tmp_path`, or a new PostgreSQL database with MCPGEN_TEST_STORE=postgres."""
    if os.environ.get("MCPGEN_TEST_STORE", "").strip() != "postgres":
        return str(tmp_path / "hosted.db")
    cluster = os.environ.get("MCPGEN_TEST_POSTGRES", "").strip()
    assert cluster, "MCPGEN_TEST_STORE=postgres needs MCPGEN_TEST_POSTGRES (a superuser URL; tests/run-all.sh sets it)"
    name = f"e2e_hosted_{os.getpid()}_{time.monotonic_ns()}"
    subprocess.run(["psql", cluster, "-q", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return cluster.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def hosted(processes: list[Process], tmp_path: Path, upstream: FakeUpstream) -> Hosted:
    db = fresh_database(tmp_path)
    env = clean_env(
        NO_COLOR="1",
        MCP_ADMIN_TOKEN=ADMIN_TOKEN,
        MCP_SECRET_KEY=os.urandom(32).hex(),
        MCP_MIN_EXPIRY_SECS=str(MIN_EXPIRY_S),
    )
    runs = 0

    def launch() -> Hosted:
        nonlocal runs
        runs += 1
        proc = Process(f"mcp-server-serve-{runs}", serve_argv(db, upstream), env, tmp_path)
        processes.append(proc)
        base = proc.wait_for("stderr", r"listening on (http://127\.0\.0\.1:\d+)$").group(1)
        return Hosted(base, proc, launch, db, env)

    return launch()


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_a_discovery_server_searches_describes_and_calls(hosted: Hosted, upstream: FakeUpstream, mode: str):
    server = hosted.server(hosted.account(), config={"tool_exposure": "discovery", "methods": ["read"]})
    assert server["config"]["tool_exposure"] == "discovery"
    async with client(server["url"], mode) as c:
        assert [t.name for t in await all_tools(c)] == ["search_tools", "describe_tools", "call_tool"]
        found = ok(await c.call_tool("search_tools", {"query": "who is on the SRE team", "limit": 3}))
        assert "get_single_chronosphere_team_by_id" in [t["name"] for t in found["tools"]], found
        described = ok(await c.call_tool("describe_tools", {"names": ["list_all_chronosphere_teams"]}))
        assert "limit" in described["tools"][0]["inputSchema"]["properties"]
        page = ok(
            await c.call_tool("call_tool", {"name": "list_all_chronosphere_teams", "arguments": {"limit": 100}})
        )
        assert len(page["result"]) == SEEDED_TEAMS
        with pytest.raises(Exception) as refused:
            await c.call_tool("call_tool", {"name": "create_a_chronosphere_team", "arguments": {"name": "No"}})
        assert "create_a_chronosphere_team" in str(refused.value)


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_a_read_only_server_lists_and_calls_only_read_tools(hosted: Hosted, upstream: FakeUpstream, mode: str):
    server = hosted.server(hosted.account(), config={"methods": ["read"], "tags": ["teams"]})
    assert server["url"].startswith(f"{hosted.base}/mcp/")
    async with client(server["url"], mode) as c:
        assert [t.name for t in await all_tools(c)] == READ_TOOLS
        page = ok(await c.call_tool("list_all_chronosphere_teams", {"limit": 100}))
        assert len(page["result"]) == SEEDED_TEAMS
        team = ok(await c.call_tool("get_single_chronosphere_team_by_id", {"id": page["result"][0]["slug"]}))
        assert team["slug"] == page["result"][0]["slug"]
        with pytest.raises(Exception) as refused:
            await c.call_tool("create_a_chronosphere_team", {"slug": "e2e-hosted", "name": "No"})
        assert "create_a_chronosphere_team" in str(refused.value)
    assert upstream.get_team("e2e-hosted") is None, "a hidden tool reached the upstream"


async def test_tag_and_method_filters_combine(hosted: Hosted):
    account = hosted.account()
    writers = hosted.server(account, name="writers", config={"methods": ["write"], "tags": ["teams"]})
    assert await tool_names(writers["url"]) == WRITE_TOOLS
    exact = hosted.server(account, name="exact", config={"methods": ["get"], "tags": ["rbac"]})
    assert await tool_names(exact["url"]) == ["get_single_chronosphere_team_by_id"]
    r = hosted.admin("POST", f"/integrated-account/{account}/mcp", {"name": "x", "config": {"tags": ["billing"]}})
    assert r.status_code == 400 and r.json()["error"] == "invalid_filter", r.text
    assert "billing" in r.json()["message"]
    r = hosted.admin("POST", f"/integrated-account/{account}/mcp", {"name": "x", "config": {"methods": ["custom"]}})
    assert r.status_code == 400 and r.json()["error"] == "no_matching_tools", r.text


async def test_require_api_token_auth(hosted: Hosted):
    server = hosted.server(hosted.account(), config={"require_api_token_auth": True, "tags": ["teams"]})
    issued = hosted.admin("POST", "/api-tokens").json()

    for headers in [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Bearer {ADMIN_TOKEN}"}]:
        r = raw_post(server["url"], headers)
        assert r.status_code == 401, (headers, r.text)
        assert r.json()["error"] == "unauthorized"
    with pytest.raises(Exception):
        await tool_names(server["url"])
    for mode in ["legacy", "auto"]:
        assert await tool_names(server["url"], mode, bearer=issued["token"]) == READ_TOOLS + WRITE_TOOLS

    assert hosted.admin("DELETE", f"/api-tokens/{issued['id']}").status_code == 204
    r = raw_post(server["url"], {"Authorization": f"Bearer {issued['token']}"})
    assert r.status_code == 401, "a deleted API token stops working"


async def test_deleted_and_unknown_servers_get_the_same_404(hosted: Hosted):
    account = hosted.account()
    server = hosted.server(account)
    assert len(await tool_names(server["url"])) == CHRONOSPHERE_TOOLS
    assert hosted.admin("DELETE", f"/integrated-account/{account}/mcp/{server['id']}").status_code == 204

    deleted = raw_post(server["url"])
    unknown = raw_post(f"{hosted.base}/mcp/{'x' * 43}")
    assert (deleted.status_code, deleted.json()) == (404, NOT_FOUND)
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
    with pytest.raises(Exception):
        await tool_names(server["url"])


async def test_an_expired_server_is_gone_at_once_and_purged(hosted: Hosted):
    account = hosted.account()
    expires = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=4)
    server = hosted.server(account, name="short", expires_at=rfc3339(expires))
    kept = hosted.server(account, name="kept")
    assert server["expires_at"] == rfc3339(expires)
    assert len(await tool_names(server["url"])) == CHRONOSPHERE_TOOLS

    wait_until(lambda: datetime.now(timezone.utc) > expires + timedelta(milliseconds=200), 10, "the expiry")
    r = raw_post(server["url"])
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    listed = hosted.admin("GET", f"/integrated-account/{account}/mcp").json()
    assert [s["id"] for s in listed["result"]] == [kept["id"]]
    assert hosted.admin("GET", f"/integrated-account/{account}/mcp/{server['id']}").status_code == 404

    wait_until(lambda: hosted.server_rows() == 1, 10, "the purge to delete the expired row")
    assert len(await tool_names(kept["url"])) == CHRONOSPHERE_TOOLS
    assert "purged expired MCP servers" in hosted.process.stderr_text()


def test_expiry_must_be_ahead_by_the_minimum(hosted: Hosted):
    account = hosted.account()
    past = rfc3339(datetime.now(timezone.utc) - timedelta(seconds=5))
    r = hosted.admin("POST", f"/integrated-account/{account}/mcp", {"name": "late", "expires_at": past})
    assert r.status_code == 400 and r.json()["error"] == "invalid_expires_at", r.text


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
async def test_a_restart_loses_nothing(hosted: Hosted, how: signal.Signals):
    account = hosted.account()
    reader = hosted.server(account, name="reader", config={"methods": ["read"]})
    guarded = hosted.server(account, name="guarded", config={"require_api_token_auth": True},
                            expires_at=rfc3339(datetime.now(timezone.utc) + timedelta(days=1)))
    token = hosted.admin("POST", "/api-tokens").json()["token"]
    before = hosted.admin("GET", f"/integrated-account/{account}/mcp").json()

    again = hosted.restart(how)
    assert again.admin("GET", f"/integrated-account/{account}").status_code == 200
    assert again.admin("GET", f"/integrated-account/{account}/mcp").json() == before
    for url in (reader["url"], guarded["url"]):
        # URLs name the old port; the token is what matters.
        moved = url.replace(hosted.base, again.base)
        bearer = token if url == guarded["url"] else None
        async with client(moved, bearer=bearer) as c:
            assert ok(await c.call_tool("list_all_chronosphere_teams", {"limit": 1}))["result"]
    assert raw_post(guarded["url"].replace(hosted.base, again.base)).status_code == 401


def run_cli(hosted: Hosted, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    import subprocess

    proc = subprocess.run(
        [str(binary("mcp-server")), *args, "--database", hosted.db],
        env=env or hosted.env, capture_output=True, text=True, timeout=60,
    )
    return proc.returncode, proc.stdout, proc.stderr


async def test_operator_cli_shares_the_database(hosted: Hosted):
    import json

    code, out, err = run_cli(hosted, "accounts", "add", "--integration", "chronosphere",
                             "--credential", "tenant=e2e", env={**hosted.env, "CHRONOSPHERE_API_TOKEN": TOKEN})
    assert code == 0, err
    account = json.loads(out)["id"]
    assert hosted.admin("GET", f"/integrated-account/{account}").status_code == 200

    code, out, err = run_cli(hosted, "servers", "create", "--account", account, "--name", "cli",
                             "--methods", "read", "--tags", "teams", "--public-url", hosted.base)
    assert code == 0, err
    created = json.loads(out)
    assert await tool_names(created["url"]) == READ_TOOLS

    code, out, err = run_cli(hosted, "servers", "create", "--account", account, "--name", "cli-discovery",
                             "--exposure", "discovery", "--public-url", hosted.base)
    assert code == 0, err
    discovery = json.loads(out)
    assert discovery["config"]["tool_exposure"] == "discovery"
    assert await tool_names(discovery["url"]) == ["search_tools", "describe_tools", "call_tool"]
    code, _, err = run_cli(hosted, "servers", "rm", discovery["id"])
    assert code == 0, err

    code, out, _ = run_cli(hosted, "servers", "list", "--account", account)
    assert code == 0 and [s["id"] for s in json.loads(out)] == [created["id"]]
    assert "url" not in json.loads(out)[0]

    code, _, err = run_cli(hosted, "servers", "rm", created["id"])
    assert code == 0, err
    assert raw_post(created["url"]).status_code == 404

    code, _, err = run_cli(hosted, "accounts", "rm", "acct_missing")
    assert code == 2 and "not found" in err, err
    code, _, err = run_cli(hosted, "accounts", "add", "--integration", "chronosphere", "--credential", "tenant=x",
                           env={k: v for k, v in hosted.env.items() if k != "MCP_SECRET_KEY"})
    assert code == 2 and "MCP_SECRET_KEY" in err, err


@pytest.mark.parametrize("missing", ["MCP_ADMIN_TOKEN", "MCP_SECRET_KEY"])
def test_serve_refuses_to_start_without_its_secrets(tmp_path: Path, upstream: FakeUpstream, missing: str):
    env = clean_env(MCP_ADMIN_TOKEN=ADMIN_TOKEN, MCP_SECRET_KEY=os.urandom(32).hex())
    del env[missing]
    proc = Process("refused", serve_argv(tmp_path / "refused.db", upstream), env, tmp_path)
    try:
        assert proc.popen.wait(timeout=30) == 2
        proc.stop()
        assert missing in proc.stderr_text() and "--dev" in proc.stderr_text()
    finally:
        proc.stop()
    assert not (tmp_path / "refused.db").exists(), "nothing is created before the checks pass"


def test_a_malformed_secret_key_is_named(tmp_path: Path, upstream: FakeUpstream):
    env = clean_env(MCP_ADMIN_TOKEN=ADMIN_TOKEN, MCP_SECRET_KEY="not-hex")
    proc = Process("bad-key", serve_argv(tmp_path / "bad.db", upstream), env, tmp_path)
    try:
        assert proc.popen.wait(timeout=30) == 2
    finally:
        proc.stop()
    assert "MCP_SECRET_KEY must be hexadecimal" in proc.stderr_text()


async def test_dev_mode_generates_and_prints_secrets_once(processes: list[Process], tmp_path: Path,
                                                          upstream: FakeUpstream):
    env = clean_env(NO_COLOR="1")
    env.pop("MCP_ADMIN_TOKEN", None)
    env.pop("MCP_SECRET_KEY", None)
    proc = Process("serve-dev", serve_argv(tmp_path / "dev.db", upstream, "--dev"), env, tmp_path)
    processes.append(proc)
    base = proc.wait_for("stderr", r"listening on (http://127\.0\.0\.1:\d+)$").group(1)
    admin = proc.wait_for("stderr", r"MCP_ADMIN_TOKEN=(\S+)").group(1)
    proc.wait_for("stderr", r"MCP_SECRET_KEY=[0-9a-f]{64}\b")
    r = httpx.get(f"{base}/integrated-account", headers={"Authorization": f"Bearer {admin}"})
    assert r.status_code == 200, r.text
    assert proc.stderr_text().count(admin) == 1, "the admin token is printed once and never logged"
