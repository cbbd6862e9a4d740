"""The five Chronosphere team tools, driven by the official Python MCP client (the rest of the
API: test_chronosphere_api.py).

Each test runs over stdio and Streamable HTTP, in both client modes (legacy handshake and
2026-07-28 auto-negotiation), against the real `mcp-server` and a fresh fake upstream seeded
with seven teams. Upstream state is checked directly, not only through the server.
"""

from __future__ import annotations

import re

import pytest

from checks import all_tools, invalid_params, ok, tool_failure, upstream_error
from conftest import ERAS, SEEDED_TEAMS, TOKEN, creds

pytestmark = pytest.mark.anyio

LIST = "list_all_chronosphere_teams"
GET = "get_single_chronosphere_team_by_id"
CREATE = "create_a_chronosphere_team"
UPDATE = "update_a_chronosphere_team_by_id"
DELETE = "delete_a_chronosphere_team_by_id"
TEAM_TOOLS = {LIST, GET, CREATE, UPDATE, DELETE}


async def tool_names(client) -> set[str]:
    return {t.name for t in await all_tools(client)}


async def test_negotiates_expected_protocol_era(connect, transport_mode):
    _, mode = transport_mode
    async with connect() as client:
        assert client.protocol_version == ERAS[mode]


async def test_lists_the_five_team_tools_with_schemas_and_annotations(connect):
    async with connect("--tags", "teams") as client:
        tools = {t.name: t for t in await all_tools(client)}
    assert set(tools) == TEAM_TOOLS
    for name, tool in tools.items():
        assert re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", name)
        assert tool.description and tool.description.strip(), name
        for schema in (tool.input_schema, tool.output_schema):
            assert schema is not None, f"{name} lacks a schema"
            assert schema.get("type") == "object", (name, schema)
            assert not {"oneOf", "anyOf", "allOf"} & set(schema), (name, schema)
            assert "$ref" not in str(schema) and "$defs" not in schema, (name, schema)
        ann = tool.annotations
        assert ann is not None, name
        assert (ann.title or tool.title), f"{name} has no title"
        assert ann.open_world_hint is True, name
        assert ann.read_only_hint is (name in {LIST, GET}), name
        if name == DELETE:
            assert ann.destructive_hint is True
        if name == UPDATE:
            assert ann.idempotent_hint is True
        if name in {LIST, GET}:
            # Read-only tools must not be flagged destructive (the default when absent is true).
            assert ann.destructive_hint in (None, False) or ann.read_only_hint, name

    list_props = tools[LIST].input_schema["properties"]
    assert {"limit", "next_cursor", "slugs", "names"} <= set(list_props)
    assert set(tools[LIST].output_schema["properties"]) >= {"result", "next_cursor"}
    for name in (GET, UPDATE, DELETE):
        assert "id" in tools[name].input_schema["properties"], name
        assert "id" in tools[name].input_schema.get("required", []), name
    assert {"slug", "name", "description", "user_emails", "dry_run"} <= set(tools[CREATE].input_schema["properties"])
    assert {"create_if_missing", "dry_run", "name"} <= set(tools[UPDATE].input_schema["properties"])


async def test_pages_through_seeded_teams(connect, upstream):
    expected = {t["slug"] for t in upstream.list_teams()}
    assert len(expected) == SEEDED_TEAMS
    pages: list[list[str]] = []
    cursor = None
    async with connect() as client:
        for _ in range(10):
            args = {"limit": 3} | ({"next_cursor": cursor} if cursor else {})
            page = ok(await client.call_tool(LIST, args))
            assert set(page) >= {"result", "next_cursor"}, page
            pages.append([team["slug"] for team in page["result"]])
            cursor = page["next_cursor"]
            if cursor is None:
                break
            assert isinstance(cursor, str) and cursor, page
    assert [len(p) for p in pages] == [3, 3, 1], pages
    slugs = [s for p in pages for s in p]
    assert len(slugs) == len(set(slugs)), f"duplicates across pages: {pages}"
    assert set(slugs) == expected


async def test_list_filters_by_slugs_and_names(connect, upstream):
    seeded = upstream.list_teams()
    a, b, c = seeded[0], seeded[1], seeded[2]
    async with connect() as client:
        by_slug = ok(await client.call_tool(LIST, {"slugs": [a["slug"], b["slug"]]}))
        by_name = ok(await client.call_tool(LIST, {"names": [c["name"]]}))
    assert sorted(t["slug"] for t in by_slug["result"]) == sorted([a["slug"], b["slug"]])
    assert [t["slug"] for t in by_name["result"]] == [c["slug"]]
    assert by_slug["next_cursor"] is None


async def test_get_returns_the_upstream_record(connect, upstream):
    team = upstream.list_teams()[4]
    async with connect() as client:
        got = ok(await client.call_tool(GET, {"id": team["slug"]}))
    # Not filtered: every upstream field comes back, read-only timestamps included.
    assert got == team


async def test_create_then_get(connect, upstream):
    new = {
        "slug": "e2e-observability",
        "name": "E2E Observability",
        "description": "Created through MCP",
        "user_emails": ["ada@example.com", "grace@example.com"],
    }
    async with connect() as client:
        created = ok(await client.call_tool(CREATE, new))
        assert {k: created[k] for k in new} == new
        assert created.get("created_at"), created
        got = ok(await client.call_tool(GET, {"id": new["slug"]}))
    assert got == created
    assert upstream.get_team(new["slug"]) == created


async def test_create_dry_run_creates_nothing(connect, upstream):
    async with connect() as client:
        result = await client.call_tool(CREATE, {"slug": "e2e-dry", "name": "Dry", "dry_run": True})
        ok(result)
    assert upstream.get_team("e2e-dry") is None


async def test_create_duplicate_slug_is_409(connect, upstream):
    existing = upstream.list_teams()[0]
    async with connect() as client:
        result = await client.call_tool(CREATE, {"slug": existing["slug"], "name": "Duplicate"})
    upstream_error(result, 409)


async def test_update_replaces_fields(connect, upstream):
    team = upstream.list_teams()[1]
    async with connect() as client:
        updated = ok(
            await client.call_tool(
                UPDATE,
                {"id": team["slug"], "name": "Renamed", "description": "new", "user_emails": ["x@example.com"]},
            )
        )
        got = ok(await client.call_tool(GET, {"id": team["slug"]}))
    assert updated["slug"] == team["slug"]
    assert (updated["name"], updated["description"], updated["user_emails"]) == ("Renamed", "new", ["x@example.com"])
    assert got == updated == upstream.get_team(team["slug"])


async def test_update_missing_team(connect, upstream):
    async with connect() as client:
        missing = await client.call_tool(UPDATE, {"id": "e2e-nope", "name": "Nope"})
        upstream_error(missing, 404)
        upserted = ok(await client.call_tool(UPDATE, {"id": "e2e-upsert", "name": "Upsert", "create_if_missing": True}))
    assert upserted["slug"] == "e2e-upsert"
    assert upstream.get_team("e2e-upsert") is not None


async def test_delete_then_get_is_404(connect, upstream):
    team = upstream.list_teams()[2]
    async with connect() as client:
        deleted = ok(await client.call_tool(DELETE, {"id": team["slug"]}))
        assert isinstance(deleted, dict)
        result = await client.call_tool(GET, {"id": team["slug"]})
    upstream_error(result, 404)
    assert upstream.get_team(team["slug"]) is None


async def test_get_unknown_team_is_structured_404(connect):
    async with connect() as client:
        result = await client.call_tool(GET, {"id": "no-such-team"})
    error = upstream_error(result, 404)
    assert "ratelimit-reset" not in error
    assert any("404" in getattr(b, "text", "") for b in result.content), result.content


async def test_path_id_cannot_escape_the_resource(connect, upstream):
    """An id is one path segment: `../teams` must not turn into a list call upstream."""
    async with connect() as client:
        result = await client.call_tool(GET, {"id": "../teams"})
    upstream_error(result, 404)


async def test_rate_limited_call_reports_normalized_headers(connect, upstream):
    async with connect() as client:
        await client.list_tools()
        upstream.rate_limit(1, retry_after="17")
        before, _ = upstream.requests()
        result = await client.call_tool(LIST, {"limit": 2})
        error = upstream_error(result, 429)
        assert error["ratelimit-reset"] == 17, error
        # The server does not retry on its own (the caller decides): one upstream request.
        after, _ = upstream.requests()
        assert after - before == 1
        assert len(ok(await client.call_tool(LIST, {"limit": 2}))["result"]) == 2


async def test_rate_limit_headers_are_mapped_to_ietf_names(connect, upstream):
    async with connect() as client:
        upstream.rate_limit(1, limit=100, remaining=0, reset=42)
        error = upstream_error(await client.call_tool(GET, {"id": "team-0001"}), 429)
    assert (error["ratelimit-limit"], error["ratelimit-remaining"], error["ratelimit-reset"]) == (100, 0, 42), error


async def test_requests_carry_the_token_and_encode_list_filters(connect, upstream):
    async with connect() as client:
        ok(await client.call_tool(LIST, {"limit": 2, "slugs": ["team-0001", "a b&c"]}))
    _, log = upstream.requests()
    req = log[-1]
    assert req["method"] == "GET" and req["path"] == "/api/v1/config/teams", req
    assert req["headers"].get("api-token") == TOKEN
    query = req["query"] or ""
    assert "page.max_size=2" in query, query
    assert "slugs=team-0001" in query and ("slugs=a%20b%26c" in query or "slugs=a+b%26c" in query), query


async def test_wrong_credentials_are_401_without_leaking_the_token(connect):
    wrong = "e2e-wrong-token-83d1e2"
    async with connect(env=creds(token=wrong)) as client:
        result = await client.call_tool(GET, {"id": "anything"})
    upstream_error(result, 401)
    dump = result.model_dump_json()
    assert wrong not in dump and TOKEN not in dump


async def test_wrong_argument_type_is_invalid_params(connect):
    async with connect() as client:
        async with invalid_params("id"):
            await client.call_tool(GET, {"id": 123})
        async with invalid_params("limit"):
            await client.call_tool(LIST, {"limit": "three"})
        async with invalid_params("user_emails"):
            await client.call_tool(CREATE, {"name": "x", "user_emails": "not-a-list"})


async def test_missing_required_argument_is_invalid_params(connect):
    async with connect() as client:
        async with invalid_params("id"):
            await client.call_tool(DELETE, {})


async def test_unknown_argument_is_invalid_params(connect, upstream):
    async with connect() as client:
        async with invalid_params("bogus_field"):
            await client.call_tool(GET, {"id": upstream.list_teams()[0]["slug"], "bogus_field": 1})


async def test_unknown_tool_is_invalid_params(connect):
    async with connect() as client:
        async with invalid_params("no_such_tool"):
            await client.call_tool("no_such_tool", {})


async def test_methods_read_hides_and_refuses_write_tools(connect, upstream):
    async with connect("--methods", "read", "--tags", "teams") as client:
        assert await tool_names(client) == {LIST, GET}
        async with invalid_params(CREATE):
            await client.call_tool(CREATE, {"slug": "e2e-hidden", "name": "Hidden"})
    assert upstream.get_team("e2e-hidden") is None


async def test_methods_by_name(connect):
    async with connect("--methods", "get,delete", "--tags", "teams") as client:
        assert await tool_names(client) == {GET, DELETE}


async def test_tags_filter(connect):
    async with connect("--tags", "teams") as client:
        assert await tool_names(client) == TEAM_TOOLS
    async with connect("--methods", "write", "--tags", "rbac") as client:
        assert await tool_names(client) == {CREATE, UPDATE, DELETE}


async def test_upstream_timeout_is_a_tool_error_and_the_server_keeps_serving(connect, upstream):
    async with connect("--timeout", "300ms") as client:
        upstream.control("delay", {"requests": 1, "millis": 5000})
        error = tool_failure(await client.call_tool(GET, {"id": "team-0001"}), "time")
        assert "status" not in error or error["status"] is None, error
        assert ok(await client.call_tool(GET, {"id": "team-0001"}))["slug"] == "team-0001"


async def test_unreachable_upstream_is_a_tool_error(connect, processes):
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    async with connect(base_url="http://127.0.0.1:1") as client:
        tool_failure(await client.call_tool(LIST, {}))
        tool_failure(await client.call_tool(GET, {"id": "team-0001"}))


async def test_oversized_upstream_reply_is_a_tool_error(connect, upstream):
    upstream.control("seed", {"count": 40})
    async with connect("--max-body-bytes", "2KiB") as client:
        tool_failure(await client.call_tool(LIST, {"limit": 40}))
        # A small reply still fits.
        assert ok(await client.call_tool(GET, {"id": "team-0001"}))["slug"] == "team-0001"


async def test_fields_keeps_only_the_chosen_fields(connect, upstream):
    async with connect("--tags", "teams") as client:
        tools = {t.name: t for t in await all_tools(client)}
        assert tools[LIST].input_schema["properties"]["fields"]["items"]["enum"] == [
            "created_at", "description", "name", "slug", "updated_at", "user_emails"
        ]
        assert "fields" not in tools[CREATE].input_schema["properties"]
        page = ok(await client.call_tool(LIST, {"limit": 3, "fields": ["slug", "name"]}))
        assert len(page["result"]) == 3 and page["next_cursor"], page
        assert all(set(team) <= {"slug", "name"} and "slug" in team for team in page["result"]), page
        slug = page["result"][0]["slug"]
        assert ok(await client.call_tool(GET, {"id": slug, "fields": ["slug"]})) == {"slug": slug}
        async with invalid_params("fields", "nme"):
            await client.call_tool(LIST, {"fields": ["nme"]})
    _, requests = upstream.requests()
    assert all("fields" not in (r["query"] or "") for r in requests), "fields is not sent upstream"


async def test_a_page_over_the_result_budget_comes_in_parts_that_resume_exactly(connect, upstream):
    upstream.control("seed", {"count": 30})
    expected = [t["slug"] for t in upstream.list_teams()]
    async with connect("--max-result-bytes", "2KiB") as client:
        seen, cursor, calls = [], None, 0
        while True:
            args = {"limit": 100} if cursor is None else {"limit": 100, "next_cursor": cursor}
            result = await client.call_tool(LIST, args)
            page = ok(result)
            assert len(result.content[0].text.encode()) <= 2048, "the answer is within budget"
            seen += [t["slug"] for t in page["result"]]
            cursor, calls = page["next_cursor"], calls + 1
            if cursor is None:
                break
        assert seen == expected, "every team once, in order"
        assert calls > 2, "the budget cut the upstream page"


async def test_a_record_over_the_result_budget_says_to_use_fields(connect, upstream):
    team = upstream.list_teams()[0]
    async with connect("--max-result-bytes", "60") as client:
        error = tool_failure(await client.call_tool(GET, {"id": team["slug"]}), "fields", "budget")
        assert error["kind"] == "result_too_large", error
        assert ok(await client.call_tool(GET, {"id": team["slug"], "fields": ["slug"]})) == {"slug": team["slug"]}
