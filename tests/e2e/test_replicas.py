"""Two `mcp-server serve` replicas on one PostgreSQL database behind nginx (docs/deploy.md).

Everything runs on loopback and is started here: a throwaway PostgreSQL cluster
(tests/postgres/cluster.sh, unless MCPGEN_TEST_POSTGRES names one), the fake upstream, two
replicas and nginx with the deployment guide's proxy settings. What a deployment relies on:

- state lives in the database only: a server created through one replica is served by the other
  at once, and a server deleted through one is refused by the other at once (no cache to wait
  for);
- 2026-07-28 requests are stateless and spread over both replicas; 2025-11-25 sessions work
  whichever replica a request lands on (the session store, no affinity needed);
- the expiry purge deletes each expired server once across replicas;
- killing a replica under load costs at most the requests in flight on it, and the official
  client keeps working through the balancer.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client

from checks import all_tools
from conftest import READ_TIMEOUT_S, SEEDED_TEAMS, TOKEN
from harness import REPO, Process, binary, clean_env
from upstream import FakeUpstream

pytestmark = pytest.mark.anyio

ADMIN_TOKEN = "e2e-replicas-admin-token-41c9"
PURGE_INTERVAL = "300ms"
CLUSTER_SCRIPT = REPO / "tests/postgres/cluster.sh"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A PostgreSQL superuser URL: MCPGEN_TEST_POSTGRES, or a throwaway cluster for this module."""
    url = os.environ.get("MCPGEN_TEST_POSTGRES", "").strip()
    if url:
        yield url
        return
    # Not under pytest's own (mode 0700) folder: as root the cluster runs as `postgres`, which
    # must reach it.
    folder = Path(tempfile.mkdtemp(prefix="mcpgen-pg-"))
    started = subprocess.run([str(CLUSTER_SCRIPT), "start", str(folder)], capture_output=True, text=True)
    assert started.returncode == 0, f"cannot start PostgreSQL: {started.stderr}"
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run([str(CLUSTER_SCRIPT), "stop", str(folder)], capture_output=True)


def fresh_database(cluster: str, name: str) -> str:
    subprocess.run(["psql", cluster, "-q", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return cluster.rsplit("/", 1)[0] + "/" + name


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format replicas '$upstream_addr $status $request_method $request_uri $http_mcp_session_id';
    access_log {dir}/access.log replicas;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
{upstream}
    server {{
        listen 127.0.0.1:{port};
{location}
    }}
}}
"""


def deploy_snippet(name: str) -> str:
    """A block of docs/deploy.md's nginx file, so the test runs what the guide shows."""
    text = (REPO / "docs/deploy/nginx.conf").read_text()
    match = re.search(rf"# begin {name}\n(.*?)# end {name}\n", text, re.S)
    assert match, f"docs/deploy/nginx.conf has no '{name}' block"
    return match.group(1)


@dataclass
class Replica:
    name: str
    process: Process
    base: str


@dataclass
class Deployment:
    replicas: list[Replica]
    public: str
    nginx: Process
    access_log: Path
    database: str

    def admin(self, replica: int, method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        with httpx.Client(base_url=self.replicas[replica].base, headers=headers, timeout=10.0) as c:
            return c.request(method, path, json=body)

    def account(self) -> str:
        r = self.admin(0, "POST", "/integrated-account", {
            "integration": "chronosphere",
            "credentials": {"tenant": "e2e", "api_token": TOKEN},
        })
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def server(self, replica: int, account: str, **body: Any) -> dict[str, Any]:
        r = self.admin(replica, "POST", f"/integrated-account/{account}/mcp", {"name": "e2e", **body})
        assert r.status_code == 201, r.text
        return r.json()

    def via(self, replica: int, url: str) -> str:
        """`url` (under the public URL) addressed to one replica directly."""
        return self.replicas[replica].base + url.removeprefix(self.public)

    def upstreams(self) -> list[str]:
        """The replica address of every request nginx has logged so far."""
        return [line.split()[0] for line in self.access_log.read_text().splitlines() if line.strip()]


@pytest.fixture
def deployment(processes: list[Process], tmp_path: Path, upstream: FakeUpstream, cluster: str) -> Deployment:
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx_bin).is_file(), "nginx is not installed (Debian: apt-get install nginx-light)"
    database = fresh_database(cluster, f"replicas_{os.getpid()}_{int(time.monotonic() * 1000)}")
    public_port = free_port()
    public = f"http://127.0.0.1:{public_port}"
    env = clean_env(
        NO_COLOR="1",
        MCP_ADMIN_TOKEN=ADMIN_TOKEN,
        MCP_SECRET_KEY=os.urandom(32).hex(),
        MCP_MIN_EXPIRY_SECS="1",
        MCP_DATABASE=database,
    )
    replicas = []
    for name in ("a", "b"):
        argv = [
            str(binary("mcp-server")), "serve",
            "--listen", "127.0.0.1:0",
            "--public-url", public,
            "--base-url", f"chronosphere={upstream.url}",
            "--purge-interval", PURGE_INTERVAL,
        ]
        proc = Process(f"replica-{name}", argv, env, tmp_path)
        processes.append(proc)
        base = proc.wait_for("stderr", r"listening on (http://127\.0\.0\.1:\d+)$").group(1)
        replicas.append(Replica(name, proc, base))

    # The guide's upstream block with this test's replicas in place of its example servers.
    example = re.compile(r"^(\s*server )10\.0\.0\.\d+:8080( .*;)$", re.M)
    examples = iter(r.base.removeprefix("http://") for r in replicas)
    upstream_block = example.sub(lambda m: f"{m.group(1)}{next(examples)}{m.group(2)}", deploy_snippet("upstream"))
    conf = tmp_path / "nginx.conf"
    conf.write_text(NGINX_CONF.format(
        dir=tmp_path, port=public_port, upstream=upstream_block, location=deploy_snippet("location"),
    ))
    nginx = Process("nginx", [nginx_bin, "-p", str(tmp_path), "-c", str(conf)], clean_env(), tmp_path)
    processes.append(nginx)
    deadline = time.monotonic() + 10
    while True:
        try:
            if httpx.get(f"{public}/ready", timeout=1.0).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, f"nginx did not come up:\n{nginx.output()}"
        time.sleep(0.1)
    return Deployment(replicas, public, nginx, tmp_path / "access.log", database)


def stateless_call(url: str, name: str, arguments: dict[str, Any], id_: int = 1) -> httpx.Request:
    body = {"jsonrpc": "2.0", "id": id_, "method": "tools/call", "params": {
        "name": name, "arguments": arguments, "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
        }}}
    headers = {
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": "2026-07-28",
        "Mcp-Method": "tools/call",
        "Mcp-Name": name,
    }
    return httpx.Request("POST", url, json=body, headers=headers)


def answered(response: httpx.Response) -> bool:
    """A 200 whose JSON-RPC answer is a successful tool result."""
    if response.status_code != 200:
        return False
    reply = response.json()
    return "result" in reply and not reply["result"].get("isError")


async def test_state_is_shared_at_once_between_replicas(deployment: Deployment):
    account = deployment.account()
    created = deployment.server(0, account)
    # Created through replica A, served by replica B on the very next request.
    async with Client(deployment.via(1, created["url"]), mode="auto", read_timeout_seconds=READ_TIMEOUT_S) as c:
        assert len(await all_tools(c)) == 183

    # Deleted through A, refused by B at once (B has it cached from the request above).
    r = deployment.admin(0, "DELETE", f"/integrated-account/{account}/mcp/{created['id']}")
    assert r.status_code == 204, r.text
    with httpx.Client(timeout=10.0) as http:
        refused = http.send(stateless_call(deployment.via(1, created["url"]), "list_all_chronosphere_teams", {}))
    assert refused.status_code == 404, refused.text

    # Expired: both refuse it the moment it expires, whichever purges it. (5 s ahead: the
    # minimum is 1 s here, and the timestamp drops its fraction; a loaded machine is slow.)
    soon = datetime.now(timezone.utc) + timedelta(seconds=5)
    expiring = deployment.server(1, account, name="short", expires_at=soon.strftime("%Y-%m-%dT%H:%M:%SZ"))
    time.sleep(max(0.0, (soon - datetime.now(timezone.utc)).total_seconds()) + 0.1)
    with httpx.Client(timeout=10.0) as http:
        for replica in (0, 1):
            r = http.send(stateless_call(deployment.via(replica, expiring["url"]), "list_all_chronosphere_teams", {}))
            assert r.status_code == 404, r.text


async def test_stateless_requests_spread_and_sessions_work_on_any_replica(deployment: Deployment):
    account = deployment.account()
    url = deployment.server(0, account)["url"]
    with httpx.Client(timeout=10.0) as http:
        for i in range(20):
            r = http.send(stateless_call(url, "list_all_chronosphere_teams", {}, i))
            assert answered(r), r.text
    spread = Counter(deployment.upstreams())
    assert len(spread) == 2 and min(spread.values()) >= 5, f"not spread over both replicas: {spread}"

    # A 2025-11-25 session through the balancer: its requests land on both replicas in turn.
    before = len(deployment.upstreams())
    async with Client(url, mode="legacy", read_timeout_seconds=READ_TIMEOUT_S) as c:
        for i in range(8):
            result = await c.call_tool("get_single_chronosphere_team_by_id", {"id": f"team-{(i % SEEDED_TEAMS) + 1:04d}"})
            assert not result.is_error, result
    session_lines = [line.split() for line in deployment.access_log.read_text().splitlines()[before:]]
    with_session = Counter(fields[0] for fields in session_lines if len(fields) >= 5 and fields[4] != "-")
    assert len(with_session) == 2, f"the session's requests did not reach both replicas: {with_session}"


async def test_the_purge_deletes_each_expired_server_once(deployment: Deployment):
    account = deployment.account()
    soon = datetime.now(timezone.utc) + timedelta(seconds=5)
    ids = {deployment.server(i % 2, account, name=f"s{i}", expires_at=soon.strftime("%Y-%m-%dT%H:%M:%SZ"))["id"]
           for i in range(10)}
    deadline = time.monotonic() + 20

    def purged() -> list[str]:
        found: list[str] = []
        for replica in deployment.replicas:
            for line in replica.process.lines("stderr"):
                if "purged expired MCP servers" in line:
                    found += re.findall(r"mcp_[0-9a-f]{28}", line)
        return found

    while set(purged()) != ids:
        assert time.monotonic() < deadline, f"not all purged: {purged()}"
        time.sleep(0.2)
    time.sleep(1.0)  # more purge passes on both replicas
    counts = Counter(purged())
    assert all(counts[i] == 1 for i in ids), f"a server was purged more than once: {counts}"


async def test_killing_a_replica_under_load(deployment: Deployment, tmp_path: Path):
    account = deployment.account()
    url = deployment.server(0, account)["url"]
    outcomes: list[tuple[float, bool]] = []
    stop_at = time.monotonic() + 6.0
    killed_at = 0.0

    async def worker(n: int) -> None:
        async with httpx.AsyncClient(timeout=10.0) as http:
            i = 0
            while time.monotonic() < stop_at:
                i += 1
                try:
                    r = await http.send(stateless_call(url, "list_all_chronosphere_teams", {}, i))
                    ok = answered(r)
                except httpx.HTTPError:
                    ok = False
                outcomes.append((time.monotonic(), ok))

    async def killer() -> None:
        nonlocal killed_at
        await asyncio.sleep(2.0)
        killed_at = time.monotonic()
        deployment.replicas[1].process.popen.send_signal(signal.SIGKILL)

    await asyncio.gather(killer(), *(worker(n) for n in range(8)))
    failed = [t for t, ok in outcomes if not ok]
    after = [ok for t, ok in outcomes if t > killed_at]
    last_failure = max(failed, default=killed_at) - killed_at
    figures = {
        "requests": len(outcomes),
        "failed": len(failed),
        "requests_after_kill": len(after),
        "last_failure_after_kill_s": round(last_failure, 3),
        "concurrency": 8,
    }
    (tmp_path / "failover.json").write_text(json.dumps(figures))
    print(f"failover: {json.dumps(figures)}")
    if out := os.environ.get("MCPGEN_FAILOVER_RESULTS"):
        Path(out).write_text(json.dumps(figures, indent=2) + "\n")
    # At most the requests in flight on the killed replica fail; the rest carry on.
    assert len(failed) <= 8, figures
    assert len(after) > 50, figures
    assert last_failure < 1.0, figures

    # The official client still works through the balancer, in both eras.
    for mode in ("legacy", "auto"):
        async with Client(url, mode=mode, read_timeout_seconds=READ_TIMEOUT_S) as c:
            result = await c.call_tool("list_all_chronosphere_teams", {})
            assert not result.is_error, result
