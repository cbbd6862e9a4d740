"""The `mcp-server` command line: credentials, the `tools` inventory, refusals at start-up.

These run the binary directly (no MCP client) and check exit codes and what a user reads.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from checks import chronosphere_tool_names, ok
from conftest import READ_TIMEOUT_S, TENANT, TOKEN
from harness import binary, clean_env, server_argv

RUN_TIMEOUT_S = 30
TEAM_TOOLS = {
    "list_all_chronosphere_teams",
    "get_single_chronosphere_team_by_id",
    "create_a_chronosphere_team",
    "update_a_chronosphere_team_by_id",
    "delete_a_chronosphere_team_by_id",
}


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(binary("mcp-server")), *args],
        env=env if env is not None else clean_env(NO_COLOR="1"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )


@pytest.mark.parametrize("mode", ["stdio", "http"])
def test_missing_credentials_exit_2_naming_the_variables(mode):
    extra = ["--listen", "127.0.0.1:0"] if mode == "http" else []
    r = run(mode, "--integration", "chronosphere", "--base-url", "http://127.0.0.1:9", *extra)
    assert r.returncode == 2, r
    assert "CHRONOSPHERE_TENANT" in r.stderr and "CHRONOSPHERE_API_TOKEN" in r.stderr, r.stderr
    assert r.stdout == "", "stdout is the MCP channel: errors belong on stderr"


def test_one_missing_credential_is_named():
    r = run(
        "stdio", "--integration", "chronosphere",
        env=clean_env(NO_COLOR="1", CHRONOSPHERE_TENANT=TENANT),
    )
    assert r.returncode == 2, r
    assert "CHRONOSPHERE_API_TOKEN" in r.stderr, r.stderr


def test_unknown_integration_is_refused():
    r = run("tools", "--integration", "no_such_integration")
    assert r.returncode != 0
    assert "no_such_integration" in r.stderr, r.stderr
    assert "chronosphere" in r.stderr, "the error should list the integrations that exist"


def test_tools_json_inventory():
    r = run("tools", "--integration", "chronosphere", "--json")
    assert r.returncode == 0, r
    inventory = json.loads(r.stdout)
    tools = inventory["tools"] if isinstance(inventory, dict) else inventory
    assert {t["name"] for t in tools} == chronosphere_tool_names()


def test_tools_json_respects_methods_filter():
    r = run("tools", "--integration", "chronosphere", "--methods", "read", "--tags", "teams", "--json")
    assert r.returncode == 0, r
    inventory = json.loads(r.stdout)
    tools = inventory["tools"] if isinstance(inventory, dict) else inventory
    assert {t["name"] for t in tools} == {n for n in TEAM_TOOLS if n.startswith(("list_", "get_"))}


def test_tools_human_readable():
    r = run("tools", "--integration", "chronosphere")
    assert r.returncode == 0, r
    for name in chronosphere_tool_names():
        assert name in r.stdout


def test_filters_matching_no_tool_are_refused():
    r = run("tools", "--integration", "chronosphere", "--tags", "no-such-tag")
    assert r.returncode != 0, r
    assert "no-such-tag" in r.stderr, r.stderr


def test_help_everywhere():
    for args in ([], ["stdio"], ["http"], ["tools"]):
        r = run(*args, "--help")
        assert r.returncode == 0, r
        assert "--integration" in r.stdout or not args, r.stdout


@pytest.mark.anyio
async def test_credentials_from_flags(upstream, tmp_path):
    """`--credential k=v` works with no credential in the environment."""
    argv = server_argv("stdio", upstream.url, "--credential", f"tenant={TENANT}", "--credential", f"api_token={TOKEN}")
    params = StdioServerParameters(command=argv[0], args=argv[1:], env={"NO_COLOR": "1"})
    with open(tmp_path / "mcp-server-stdio.stderr.log", "w", encoding="utf-8") as errlog:
        async with Client(stdio_client(params, errlog=errlog), mode="legacy", read_timeout_seconds=READ_TIMEOUT_S) as c:
            page = ok(await c.call_tool("list_all_chronosphere_teams", {"limit": 1}))
    assert len(page["result"]) == 1


def test_serving_needs_an_integration_and_the_bare_inventory_lists_every_one():
    """`mcp-server` serves Chronosphere, GitHub and PagerDuty: `stdio` and `http` ask which one,
    naming all three; `tools` alone lists every tool of every one."""
    for mode in ("stdio", "http"):
        r = run(mode)
        assert r.returncode == 2, r
        for name in ("chronosphere", "github", "pagerduty"):
            assert name in r.stderr, r.stderr
    r = run("tools", "--json")
    assert r.returncode == 0, r
    inventory = json.loads(r.stdout)
    tools = inventory["tools"] if isinstance(inventory, dict) else inventory
    names = {t["name"] for t in tools}
    assert chronosphere_tool_names() <= names
    assert {"list_all_github_issues", "create_a_pagerduty_incident", "delete_a_pagerduty_service_by_id"} <= names
    assert len(names) == 183 + 9 + 7
