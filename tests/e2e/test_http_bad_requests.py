"""Hostile and broken HTTP requests against `mcp-server http`, with raw httpx.

Every case asserts the exact status the server answers, then that the same server still serves
`tools/list` in both eras (2025-11-25 session handshake and stateless 2026-07-28). One server
takes the whole corpus, so a request that wedges or kills it fails every case after it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from conftest import SEEDED_TEAMS, TOKEN, creds
from harness import Process, clean_env, start_fake_upstream, start_http_server

LEGACY = "2025-11-25"
MODERN = "2026-07-28"
ACCEPT_BOTH = "application/json, text/event-stream"
JSON = "application/json"
# The server serves the teams tools only: five, so a health check can count them.
TOOLS = 5
HTTP_TIMEOUT = httpx.Timeout(30.0)


@dataclass
class Server:
    url: str
    process: Process
    origin: str = field(init=False)

    def __post_init__(self) -> None:
        self.origin = self.url.removesuffix("/mcp")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    log_dir = tmp_path_factory.mktemp("bad-requests")
    fake = start_fake_upstream(log_dir, TOKEN, SEEDED_TEAMS)
    try:
        started = start_http_server(log_dir, fake.url, clean_env(NO_COLOR="1", **creds()), "--tags", "teams")
    except BaseException:
        fake.process.stop()
        raise
    yield Server(started.url, started.process)
    code = started.process.stop()
    fake.process.stop()
    print(f"\n----- mcp-server http (exit {code}) -----\n{started.process.output()}")


def modern_meta() -> dict[str, Any]:
    return {
        "io.modelcontextprotocol/protocolVersion": MODERN,
        "io.modelcontextprotocol/clientCapabilities": {},
    }


def modern_request(method: str, rid: int = 1, params: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": rid, "method": method, "params": {**(params or {}), "_meta": modern_meta()}}


def modern_headers(method: str, **extra: str) -> dict[str, str]:
    return {"Accept": ACCEPT_BOTH, "Content-Type": JSON, "MCP-Protocol-Version": MODERN, "Mcp-Method": method, **extra}


def initialize_request(rid: int = 1) -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": rid,
        "method": "initialize",
        "params": {"protocolVersion": LEGACY, "capabilities": {}, "clientInfo": {"name": "e2e-raw", "version": "0"}},
    }


def rpc_body(response: httpx.Response) -> dict[str, Any]:
    """The JSON-RPC message of a response, whether sent as JSON or as one SSE event."""
    ctype = response.headers.get("content-type", "")
    if ctype.startswith("text/event-stream"):
        for line in response.text.splitlines():
            if line.startswith("data:") and line[5:].strip():
                msg = json.loads(line[5:])
                if "id" in msg:
                    return msg
        raise AssertionError(f"no JSON-RPC response in the SSE stream: {response.text!r}")
    return response.json()


def legacy_tools_list(c: httpx.Client, url: str) -> list[str]:
    init = c.post(url, json=initialize_request(), headers={"Accept": ACCEPT_BOTH})
    assert init.status_code == 200, (init.status_code, init.text)
    assert rpc_body(init)["result"]["protocolVersion"] == LEGACY
    session = init.headers.get("mcp-session-id")
    headers = {"Accept": ACCEPT_BOTH, "MCP-Protocol-Version": LEGACY}
    if session:
        headers["Mcp-Session-Id"] = session
    note = c.post(url, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=headers)
    assert note.status_code == 202, (note.status_code, note.text)
    listed = c.post(url, json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, headers=headers)
    assert listed.status_code == 200, (listed.status_code, listed.text)
    return [t["name"] for t in rpc_body(listed)["result"]["tools"]]


def modern_tools_list(c: httpx.Client, url: str) -> list[str]:
    r = c.post(url, json=modern_request("tools/list"), headers=modern_headers("tools/list"))
    assert r.status_code == 200, (r.status_code, r.text)
    return [t["name"] for t in rpc_body(r)["result"]["tools"]]


def assert_still_serves(server: Server) -> None:
    with httpx.Client(timeout=HTTP_TIMEOUT) as c:
        assert len(legacy_tools_list(c, server.url)) == TOOLS
        assert len(modern_tools_list(c, server.url)) == TOOLS
    assert server.process.popen.poll() is None, "the server exited"


def test_both_eras_work_over_raw_http(server):
    assert_still_serves(server)


# name -> (http method, headers, body bytes or JSON, expected status[, expected JSON-RPC error code])
HUGE = b'{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"pad":"' + b"x" * (8 * 1024 * 1024) + b'"}}'
CASES: dict[str, tuple[Any, ...]] = {
    "malformed-json": ("POST", {"Accept": ACCEPT_BOTH, "Content-Type": JSON}, b'{"jsonrpc": "2.0", "id": 1,', 400, -32700),
    "empty-body": ("POST", {"Accept": ACCEPT_BOTH, "Content-Type": JSON}, b"", 400, -32700),
    "json-not-jsonrpc": ("POST", {"Accept": ACCEPT_BOTH, "Content-Type": JSON}, {"hello": "world"}, 400, -32600),
    "jsonrpc-wrong-version": (
        "POST", {"Accept": ACCEPT_BOTH, "Content-Type": JSON}, {"jsonrpc": "1.0", "id": 1, "method": "tools/list"}, 400, -32600,
    ),
    "json-scalar": ("POST", {"Accept": ACCEPT_BOTH, "Content-Type": JSON}, b"42", 400, -32600),
    "batch-array": (
        "POST", {"Accept": ACCEPT_BOTH, "Content-Type": JSON}, [initialize_request(1), initialize_request(2)], 400, -32600,
    ),
    "initialize-params-wrong-type": (
        "POST", {"Accept": ACCEPT_BOTH, "Content-Type": JSON},
        {"jsonrpc": "2.0", "id": 7, "method": "initialize", "params": {"protocolVersion": 5}}, 400,
    ),
    # A well-formed JSON-RPC request whose params are wrong is answered at the JSON-RPC level
    # (200 with -32602, as for an unknown tool), not by the HTTP layer.
    "modern-tools-call-params-wrong-type": (
        "POST", {**modern_headers("tools/call"), "Mcp-Name": "5"}, modern_request("tools/call", params={"name": 5}),
        200, -32602,
    ),
    "modern-missing-mcp-name": (
        "POST", modern_headers("tools/call"),
        modern_request("tools/call", params={"name": "list_all_chronosphere_teams", "arguments": {}}), 400, -32020,
    ),
    "modern-initialize-is-removed": ("POST", modern_headers("initialize"), modern_request("initialize"), 404, -32601),
    "huge-body-8mib": ("POST", {"Accept": ACCEPT_BOTH, "Content-Type": JSON}, HUGE, 413),
    "wrong-content-type": ("POST", {"Accept": ACCEPT_BOTH, "Content-Type": "text/plain"}, initialize_request(), 415),
    "form-content-type": (
        "POST", {"Accept": ACCEPT_BOTH, "Content-Type": "application/x-www-form-urlencoded"}, b"a=b", 415,
    ),
    "missing-accept": ("POST", {"Content-Type": JSON, "Accept": ""}, initialize_request(), 406),
    "accept-html-only": ("POST", {"Content-Type": JSON, "Accept": "text/html"}, initialize_request(), 406),
    "bad-origin": ("POST", {"Accept": ACCEPT_BOTH, "Content-Type": JSON, "Origin": "https://evil.example"}, initialize_request(), 403),
    "null-origin": ("POST", {"Accept": ACCEPT_BOTH, "Content-Type": JSON, "Origin": "null"}, initialize_request(), 403),
    "bad-host": ("POST", {"Accept": ACCEPT_BOTH, "Content-Type": JSON, "Host": "evil.example"}, initialize_request(), 403),
    "unknown-session": (
        "POST",
        {"Accept": ACCEPT_BOTH, "Content-Type": JSON, "Mcp-Session-Id": "no-such-session", "MCP-Protocol-Version": LEGACY},
        {"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        404,
    ),
    "modern-header-mismatch": (
        "POST", modern_headers("tools/call"), modern_request("tools/list"), 400,
    ),
    "modern-unsupported-version": (
        "POST",
        {**modern_headers("tools/list"), "MCP-Protocol-Version": "1999-01-01"},
        {**modern_request("tools/list"), "params": {"_meta": {**modern_meta(), "io.modelcontextprotocol/protocolVersion": "1999-01-01"}}},
        400,
    ),
    "put": ("PUT", {"Accept": ACCEPT_BOTH, "Content-Type": JSON}, initialize_request(), 405),
    "patch": ("PATCH", {"Accept": ACCEPT_BOTH, "Content-Type": JSON}, initialize_request(), 405),
    "get-modern": ("GET", {"Accept": "text/event-stream", "MCP-Protocol-Version": MODERN}, None, 405),
    "delete-modern": ("DELETE", {"MCP-Protocol-Version": MODERN}, None, 405),
    "get-legacy-without-session": ("GET", {"Accept": "text/event-stream", "MCP-Protocol-Version": LEGACY}, None, 400),
    "delete-legacy-unknown-session": (
        "DELETE",
        {"MCP-Protocol-Version": LEGACY, "Mcp-Session-Id": "no-such-session"},
        None,
        404,
    ),
}


def send(c: httpx.Client, url: str, method: str, headers: dict[str, str], body: Any) -> httpx.Response:
    headers = {k: v for k, v in headers.items() if v != ""}
    if isinstance(body, (dict, list)):
        content = json.dumps(body).encode()
    else:
        content = body
    req = c.build_request(method, url, headers=headers, content=content)
    if "Accept" not in headers:
        req.headers.pop("accept", None)  # httpx adds `Accept: */*` by default
    if content is None:
        req.headers.pop("content-type", None)
    return c.send(req)


@pytest.mark.parametrize(
    "case", [pytest.param(v.values[0], id=k, marks=v.marks) if hasattr(v, "marks") else pytest.param(v, id=k) for k, v in CASES.items()]
)
def test_bad_request(server, case):
    method, headers, body, expected, *rpc_code = case
    with httpx.Client(timeout=HTTP_TIMEOUT) as c:
        r = send(c, server.url, method, headers, body)
    assert r.status_code == expected, f"got {r.status_code} {r.headers} {r.text[:500]!r}"
    if rpc_code:
        body = r.json()
        assert body["jsonrpc"] == "2.0" and body["error"]["code"] == rpc_code[0], body
        assert body["error"]["message"], body
    assert_still_serves(server)


def test_deleted_session_is_gone(server):
    """2025-11-25: DELETE ends a session; later requests naming it get 404."""
    with httpx.Client(timeout=HTTP_TIMEOUT) as c:
        init = c.post(server.url, json=initialize_request(), headers={"Accept": ACCEPT_BOTH})
        session = init.headers["mcp-session-id"]
        headers = {"Accept": ACCEPT_BOTH, "MCP-Protocol-Version": LEGACY, "Mcp-Session-Id": session}
        assert c.post(server.url, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=headers).status_code == 202
        deleted = c.delete(server.url, headers=headers)
        assert deleted.status_code in (200, 202, 204), deleted
        after = c.post(server.url, json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, headers=headers)
        assert after.status_code == 404, (after.status_code, after.text)
    assert_still_serves(server)


def test_allowed_origins_are_served(server):
    """Loopback origins (a local inspector, a browser on localhost) are allowed."""
    port = server.origin.rsplit(":", 1)[1]
    with httpx.Client(timeout=HTTP_TIMEOUT) as c:
        for origin in (f"http://127.0.0.1:{port}", f"http://localhost:{port}"):
            r = c.post(server.url, json=modern_request("tools/list"), headers={**modern_headers("tools/list"), "Origin": origin})
            assert r.status_code == 200, (origin, r.status_code, r.text)


def test_error_bodies_are_jsonrpc_where_they_can_be(server):
    """A malformed body gets a JSON-RPC parse error (-32700) with a null id, not just a status."""
    with httpx.Client(timeout=HTTP_TIMEOUT) as c:
        r = send(c, server.url, "POST", {"Accept": ACCEPT_BOTH, "Content-Type": JSON}, b"{nope")
    assert r.status_code == 400
    body = r.json()
    assert body["error"]["code"] == -32700, body
    assert body.get("id") is None


def test_many_bad_requests_do_not_leak_sessions_or_die(server):
    """A bounded burst of broken requests leaves the server healthy."""
    with httpx.Client(timeout=HTTP_TIMEOUT) as c:
        for i in range(200):
            send(c, server.url, "POST", {"Accept": ACCEPT_BOTH, "Content-Type": JSON}, b"{" * (i % 7 + 1))
    assert_still_serves(server)


def test_path_other_than_mcp_is_404(server):
    with httpx.Client(timeout=HTTP_TIMEOUT) as c:
        r = c.post(server.origin + "/not-mcp", json=modern_request("tools/list"), headers=modern_headers("tools/list"))
    assert r.status_code == 404

