"""Broken input on the stdio transport, written by hand to the server's stdin.

stdout is the protocol channel: every line the server prints there must be one JSON-RPC
message (logs belong on stderr), garbage must not kill the server, and it must keep answering.
"""

from __future__ import annotations

import json

from conftest import creds
from harness import Process, clean_env, server_argv

LEGACY = "2025-11-25"


def initialize(rid: int) -> str:
    return json.dumps({
        "jsonrpc": "2.0", "id": rid, "method": "initialize",
        "params": {"protocolVersion": LEGACY, "capabilities": {}, "clientInfo": {"name": "e2e-raw", "version": "0"}},
    })


def start(upstream, tmp_path, processes) -> Process:
    proc = Process("mcp-server-stdio-raw", server_argv("stdio", upstream.url, "--tags", "teams"), clean_env(NO_COLOR="1", **creds()),
                   tmp_path, stdin=True)
    processes.append(proc)
    return proc


def response(proc: Process, rid: int) -> dict:
    m = proc.wait_for("stdout", rf'"id"\s*:\s*{rid}\b')
    return json.loads(m.string)


def assert_stdout_is_only_jsonrpc(proc: Process) -> None:
    for line in proc.lines("stdout"):
        msg = json.loads(line)
        assert msg.get("jsonrpc") == "2.0", line


def test_garbage_before_initialize_is_survived(upstream, tmp_path, processes):
    proc = start(upstream, tmp_path, processes)
    for garbage in ("this is not json", "{", "[]", "42", '{"jsonrpc":"2.0"}', '{"hello":"world"}'):
        proc.send_line(garbage)
    proc.send_line(initialize(99))
    init = response(proc, 99)
    assert init["result"]["protocolVersion"] == LEGACY, init
    proc.send_line(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}))
    proc.send_line(json.dumps({"jsonrpc": "2.0", "id": 100, "method": "tools/list"}))
    assert len(response(proc, 100)["result"]["tools"]) == 5
    assert proc.popen.poll() is None
    assert_stdout_is_only_jsonrpc(proc)


def test_bad_calls_after_initialize_get_errors_not_silence(upstream, tmp_path, processes):
    proc = start(upstream, tmp_path, processes)
    proc.send_line(initialize(1))
    response(proc, 1)
    proc.send_line(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}))
    proc.send_line(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                               "params": {"name": "get_single_chronosphere_team_by_id", "arguments": {"id": 5}}}))
    assert response(proc, 2)["error"]["code"] == -32602
    proc.send_line(json.dumps({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                               "params": {"name": "no_such_tool", "arguments": {}}}))
    assert response(proc, 3)["error"]["code"] == -32602
    proc.send_line(json.dumps({"jsonrpc": "2.0", "id": 4, "method": "no/such/method"}))
    assert response(proc, 4)["error"]["code"] == -32601
    proc.send_line(json.dumps({"jsonrpc": "2.0", "id": 5, "method": "tools/call",
                               "params": {"name": "get_single_chronosphere_team_by_id", "arguments": {"id": "team-0001"}}}))
    ok = response(proc, 5)["result"]
    assert not ok.get("isError") and ok["structuredContent"]["slug"] == "team-0001", ok
    assert_stdout_is_only_jsonrpc(proc)


def test_eof_on_stdin_exits_cleanly(upstream, tmp_path, processes):
    proc = start(upstream, tmp_path, processes)
    proc.send_line(initialize(1))
    response(proc, 1)
    proc.popen.stdin.close()
    assert proc.popen.wait(timeout=15) == 0, proc.output()
