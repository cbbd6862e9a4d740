"""Discovery exposure (`--exposure discovery`) through the official Python client: three
meta-tools instead of 183, and a call through `call_tool` behaving exactly like a direct call
(validation, filters, upstream errors). Over stdio and HTTP, both protocol eras.
"""

from __future__ import annotations

import pytest

from checks import all_tools, invalid_params, ok, upstream_error

pytestmark = pytest.mark.anyio

META = ["search_tools", "describe_tools", "call_tool"]


async def test_lists_three_meta_tools_and_a_search_finds_the_tool(connect):
    async with connect("--exposure", "discovery") as client:
        tools = await all_tools(client)
        assert [t.name for t in tools] == META
        search = next(t for t in tools if t.name == "search_tools")
        assert "183 tools" in search.description
        assert search.annotations.read_only_hint is True

        found = ok(
            await client.call_tool("search_tools", {"query": "silence alerts for checkout during the deploy", "limit": 3})
        )
        names = [t["name"] for t in found["tools"]]
        assert "create_a_chronosphere_muting_rule" in names, found
        assert len(names) <= 3 and found["matched"] >= len(names)
        assert all(t["summary"] and t["method"] for t in found["tools"]), found


async def test_search_narrows_by_tags_and_methods(connect):
    async with connect("--exposure", "discovery") as client:
        found = ok(
            await client.call_tool("search_tools", {"query": "rules", "tags": ["traces"], "methods": ["list"], "limit": 25})
        )
    names = [t["name"] for t in found["tools"]]
    assert names and all(n.startswith("list_all_") for n in names), names
    assert all("traces" in t["tags"] for t in found["tools"]), found


async def test_describe_returns_the_full_schemas(connect):
    async with connect("--exposure", "discovery") as client:
        described = ok(await client.call_tool("describe_tools", {"names": ["list_all_chronosphere_teams"]}))
    (tool,) = described["tools"]
    assert tool["name"] == "list_all_chronosphere_teams"
    assert {"limit", "next_cursor", "slugs", "names"} <= set(tool["inputSchema"]["properties"])
    assert "result" in tool["outputSchema"]["properties"]
    assert tool["annotations"]["readOnlyHint"] is True


async def test_call_tool_runs_the_tool_like_a_direct_call(connect, upstream):
    async with connect("--exposure", "discovery") as client:
        page = ok(
            await client.call_tool("call_tool", {"name": "list_all_chronosphere_teams", "arguments": {"limit": 2}})
        )
        assert len(page["result"]) == 2 and page["next_cursor"], page
        async with invalid_params("limit"):
            await client.call_tool("call_tool", {"name": "list_all_chronosphere_teams", "arguments": {"limit": "two"}})
        upstream_error(
            await client.call_tool("call_tool", {"name": "get_single_chronosphere_team_by_id", "arguments": {"id": "nope"}}),
            404,
        )
        async with invalid_params("call_tool"):
            await client.call_tool("list_all_chronosphere_teams", {})


async def test_hidden_tools_cannot_be_found_described_or_called(connect, upstream):
    async with connect("--exposure", "discovery", "--methods", "read") as client:
        found = ok(await client.call_tool("search_tools", {"query": "create a new team", "limit": 25}))
        assert all(t["method"] in ("list", "get") for t in found["tools"]), found
        async with invalid_params("create_a_chronosphere_team"):
            await client.call_tool("describe_tools", {"names": ["create_a_chronosphere_team"]})
        before, _ = upstream.requests()
        async with invalid_params("create_a_chronosphere_team"):
            await client.call_tool(
                "call_tool", {"name": "create_a_chronosphere_team", "arguments": {"name": "Hidden"}}
            )
        after, _ = upstream.requests()
    assert after == before, "nothing reached the upstream"


async def test_bad_meta_arguments_are_invalid_params(connect):
    async with connect("--exposure", "discovery") as client:
        async with invalid_params("query"):
            await client.call_tool("search_tools", {})
        async with invalid_params("limit"):
            await client.call_tool("search_tools", {"query": "teams", "limit": 0})
        async with invalid_params("bogus"):
            await client.call_tool("search_tools", {"query": "teams", "bogus": 1})
        async with invalid_params("names"):
            await client.call_tool("describe_tools", {"names": []})
