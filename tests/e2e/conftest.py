"""Fixtures: a fresh fake upstream per test and MCP clients connected to the real server.

`connect` is parametrized over transport (stdio, Streamable HTTP) x client mode (`legacy`:
the 2025-11-25 initialize handshake; `auto`: the SDK probes `server/discover` and speaks
2026-07-28 when the server offers it). Every test using it therefore runs four times, against
real processes started on port 0. Processes are stopped at teardown even when a test fails,
and their output is printed for failing tests.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from harness import Process, binary, clean_env, server_argv, start_fake_upstream, start_http_server
from upstream import FakeUpstream

TOKEN = "e2e-secret-token-5f1c9a"
TENANT = "e2e-tenant"
SEEDED_TEAMS = 7
# Per MCP request: bounded so a hung server fails the test instead of the CI run.
READ_TIMEOUT_S = 30.0

ERAS = {"legacy": "2025-11-25", "auto": "2026-07-28"}

Connect = Callable[..., AbstractAsyncContextManager[Client]]


def creds(token: str = TOKEN, tenant: str = TENANT) -> dict[str, str]:
    return {"CHRONOSPHERE_TENANT": tenant, "CHRONOSPHERE_API_TOKEN": token}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


def _failed(request: pytest.FixtureRequest) -> bool:
    return any(getattr(request.node, f"rep_{w}", None) is not None and getattr(request.node, f"rep_{w}").failed
               for w in ("setup", "call"))


@pytest.fixture
def processes(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[Process]]:
    """Every process a test starts; all stopped at teardown, their output shown on failure.

    Stdio servers are started by the MCP client itself; their stderr lands in *.stderr.log.
    """
    started: list[Process] = []
    yield started
    for p in reversed(started):
        p.stop()
    if _failed(request):
        for p in started:
            sys.stdout.write(f"\n----- {p.name} (exit {p.popen.returncode}) -----\n{p.output()}\n")
        for log in sorted(tmp_path.glob("*.stderr.log")):
            sys.stdout.write(f"\n----- {log.name} -----\n{log.read_text(errors='replace')}\n")


@pytest.fixture
def upstream(processes: list[Process], tmp_path: Path) -> FakeUpstream:
    started = start_fake_upstream(tmp_path, TOKEN, SEEDED_TEAMS)
    processes.append(started.process)
    return FakeUpstream(started.url, TOKEN)


@pytest.fixture
def mcp_server_bin() -> Path:
    return binary("mcp-server")


@pytest.fixture
def start_http(processes: list[Process], tmp_path: Path, upstream: FakeUpstream):
    """Start `mcp-server http` against the fake upstream; returns the /mcp URL."""

    def _start(*extra: str, env: dict[str, str] | None = None, base_url: str | None = None) -> str:
        env = env or clean_env(NO_COLOR="1", **creds())
        started = start_http_server(tmp_path, base_url or upstream.url, env, *extra)
        processes.append(started.process)
        return started.url

    return _start


TRANSPORT_MODES = [("stdio", "legacy"), ("stdio", "auto"), ("http", "legacy"), ("http", "auto")]


@pytest.fixture(params=TRANSPORT_MODES, ids=[f"{t}-{m}" for t, m in TRANSPORT_MODES])
def transport_mode(request: pytest.FixtureRequest) -> tuple[str, str]:
    return request.param


@pytest.fixture
def connect(transport_mode, upstream: FakeUpstream, start_http, tmp_path: Path, mcp_server_bin: Path) -> Connect:
    """`async with connect(*server_flags, env=..., base_url=...) as client:` on this test's
    transport and mode; the server talks to this test's fake upstream unless `base_url` is given."""
    transport, mode = transport_mode

    @asynccontextmanager
    async def _connect(
        *extra: str, env: dict[str, str] | None = None, base_url: str | None = None
    ) -> AsyncIterator[Client]:
        server_env = env if env is not None else creds()
        if transport == "http":
            url = start_http(*extra, env=clean_env(NO_COLOR="1", **server_env), base_url=base_url)
            async with Client(url, mode=mode, read_timeout_seconds=READ_TIMEOUT_S) as client:
                yield client
        else:
            argv = server_argv("stdio", base_url or upstream.url, *extra)
            params = StdioServerParameters(
                command=argv[0], args=argv[1:], env={"NO_COLOR": "1", "RUST_BACKTRACE": "1", **server_env}
            )
            with open(tmp_path / "mcp-server-stdio.stderr.log", "a", encoding="utf-8") as errlog:
                async with Client(
                    stdio_client(params, errlog=errlog), mode=mode, read_timeout_seconds=READ_TIMEOUT_S
                ) as client:
                    yield client

    return _connect


@pytest.fixture
def connect_integration(transport_mode, processes: list[Process], tmp_path: Path, mcp_server_bin: Path):
    """`async with connect_integration(name, base_url, env) as client:` connects to
    `mcp-server --integration <name>` on this test's transport and mode, against any upstream
    (the in-process fakes of test_pagerduty.py and test_github.py); `env` holds the
    integration's credential variables and nothing else is inherited from the test run."""
    transport, mode = transport_mode

    @asynccontextmanager
    async def _connect(integration: str, base_url: str, env: dict[str, str], *extra: str) -> AsyncIterator[Client]:
        if transport == "http":
            started = start_http_server(
                tmp_path, base_url, clean_env(NO_COLOR="1", **env), *extra, integration=integration
            )
            processes.append(started.process)
            async with Client(started.url, mode=mode, read_timeout_seconds=READ_TIMEOUT_S) as client:
                yield client
        else:
            argv = server_argv("stdio", base_url, *extra, integration=integration)
            params = StdioServerParameters(
                command=argv[0], args=argv[1:], env={"NO_COLOR": "1", "RUST_BACKTRACE": "1", **env}
            )
            with open(tmp_path / f"mcp-server-stdio-{integration}.stderr.log", "a", encoding="utf-8") as errlog:
                async with Client(
                    stdio_client(params, errlog=errlog), mode=mode, read_timeout_seconds=READ_TIMEOUT_S
                ) as client:
                    yield client

    return _connect
