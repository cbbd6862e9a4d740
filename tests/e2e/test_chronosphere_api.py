"""The whole Chronosphere Config API through the official Python client: every tool listed (over
several `tools/list` pages), and calls of each method kind and each special shape the swagger
has (a singleton, a read-only resource, one without update, a nested one, tools renamed to fit
64 characters) against the fake upstream, which serves every path of the swagger.

Each test runs over stdio and Streamable HTTP in both client modes. Upstream state is checked
through the fake's own request log, not only through the server's answers.
"""

from __future__ import annotations

import re

import pytest

from checks import all_tools, chronosphere_tool_names, ok, upstream_error

pytestmark = pytest.mark.anyio

CONFIG = "/api/v1/config"


def last_request(upstream) -> dict:
    _, requests = upstream.requests()
    return requests[-1]


async def test_every_tool_is_listed_with_client_safe_schemas(connect):
    async with connect() as client:
        tools = await all_tools(client)
    names = [t.name for t in tools]
    assert len(names) == len(set(names)), "a tool is listed twice"
    assert set(names) == chronosphere_tool_names()
    assert len(names) == 183, "one tool per operation of the Config API"
    for tool in tools:
        assert re.fullmatch(r"[a-z0-9_]{1,64}", tool.name), tool.name
        assert tool.description and tool.description.strip(), tool.name
        for schema in (tool.input_schema, tool.output_schema):
            assert schema is not None and schema.get("type") == "object", tool.name
            text = str(schema)
            for banned in ("$ref", "$defs", "oneOf", "anyOf", "allOf"):
                assert banned not in text, (tool.name, banned)
        reads = tool.name.startswith(("list_", "get_"))
        assert tool.annotations.read_only_hint is reads, tool.name
        assert tool.annotations.destructive_hint is tool.name.startswith(("update_", "delete_")), tool.name


async def test_a_family_tag_serves_just_that_part_of_the_api(connect):
    async with connect("--tags", "alerting", "--methods", "list") as client:
        names = {t.name for t in await all_tools(client)}
    assert names == {
        "list_all_chronosphere_log_scale_actions",
        "list_all_chronosphere_log_scale_alerts",
        "list_all_chronosphere_monitors",
        "list_all_chronosphere_muting_rules",
        "list_all_chronosphere_notification_policies",
        "list_all_chronosphere_notifiers",
        "list_all_chronosphere_slos",
    }


async def test_the_five_standard_methods_on_buckets(connect, upstream):
    async with connect() as client:
        created = ok(await client.call_tool("create_a_chronosphere_bucket", {"name": "Checkout", "team_slug": "sre"}))
        assert created["slug"] == "checkout", created
        assert last_request(upstream)["body"] == {"bucket": {"name": "Checkout", "team_slug": "sre"}}

        got = ok(await client.call_tool("get_single_chronosphere_bucket_by_id", {"id": "checkout"}))
        assert got["team_slug"] == "sre"

        updated = ok(
            await client.call_tool(
                "update_a_chronosphere_bucket_by_id",
                {"id": "checkout", "name": "Checkout", "description": "payments"},
            )
        )
        assert updated["description"] == "payments" and "team_slug" not in updated, updated
        request = last_request(upstream)
        assert (request["method"], request["path"]) == ("PUT", f"{CONFIG}/buckets/checkout")

        page = ok(await client.call_tool("list_all_chronosphere_buckets", {"slugs": ["checkout"]}))
        assert [b["slug"] for b in page["result"]] == ["checkout"] and page["next_cursor"] is None

        ok(await client.call_tool("delete_a_chronosphere_bucket_by_id", {"id": "checkout"}))
        upstream_error(await client.call_tool("get_single_chronosphere_bucket_by_id", {"id": "checkout"}), 404)


async def test_a_singleton_has_no_id_and_lives_on_a_bare_path(connect, upstream):
    pools = {"default_pool": {"name": "default"}, "pools": [{"name": "checkout", "allocation": {"percent_of_license": 40}}]}
    async with connect() as client:
        upstream_error(await client.call_tool("get_single_chronosphere_resource_pools", {}), 404)
        ok(await client.call_tool("create_a_chronosphere_resource_pools", pools))
        request = last_request(upstream)
        assert (request["method"], request["path"]) == ("POST", f"{CONFIG}/resource-pools")
        assert request["body"] == {"resource_pools": pools}

        got = ok(await client.call_tool("get_single_chronosphere_resource_pools", {}))
        assert got["pools"][0]["name"] == "checkout", got
        ok(await client.call_tool("update_a_chronosphere_resource_pools", {"default_pool": {"name": "rest"}}))
        got = ok(await client.call_tool("get_single_chronosphere_resource_pools", {}))
        assert got["default_pool"]["name"] == "rest" and "pools" not in got, got
        ok(await client.call_tool("delete_a_chronosphere_resource_pools", {}))
        request = last_request(upstream)
        assert (request["method"], request["path"]) == ("DELETE", f"{CONFIG}/resource-pools")


async def test_read_only_services_list_and_get_and_nothing_else(connect, upstream):
    upstream.control(
        "records",
        {
            "path": f"{CONFIG}/services",
            "records": [{"slug": "checkout", "name": "Checkout"}, {"slug": "search", "name": "Search"}],
        },
    )
    async with connect() as client:
        names = {t.name for t in await all_tools(client)}
        services = {n for n in names if re.search(r"_services?(_by_id)?$", n)}
        assert services == {"list_all_chronosphere_services", "get_single_chronosphere_service_by_id"}
        page = ok(await client.call_tool("list_all_chronosphere_services", {}))
        assert [s["slug"] for s in page["result"]] == ["checkout", "search"]
        got = ok(await client.call_tool("get_single_chronosphere_service_by_id", {"id": "search"}))
        assert got["name"] == "Search"


async def test_service_accounts_have_no_update(connect, upstream):
    async with connect() as client:
        names = {t.name for t in await all_tools(client)}
        accounts = {n for n in names if "service_account" in n}
        assert accounts == {
            "list_all_chronosphere_service_accounts",
            "get_single_chronosphere_service_account_by_id",
            "create_a_chronosphere_service_account",
            "delete_a_chronosphere_service_account_by_id",
        }
        created = ok(
            await client.call_tool("create_a_chronosphere_service_account", {"name": "CI deployer", "unrestricted": True})
        )
        assert created["slug"] == "ci-deployer", created
        got = ok(await client.call_tool("get_single_chronosphere_service_account_by_id", {"id": "ci-deployer"}))
        assert got["unrestricted"] is True
        ok(await client.call_tool("delete_a_chronosphere_service_account_by_id", {"id": "ci-deployer"}))
        page = ok(await client.call_tool("list_all_chronosphere_service_accounts", {}))
        assert page["result"] == []


async def test_nested_service_attributes_take_their_parent_from_an_argument(connect, upstream):
    upstream.control("records", {"path": f"{CONFIG}/services", "records": [{"slug": "checkout", "name": "Checkout"}]})
    async with connect() as client:
        ok(
            await client.call_tool(
                "create_a_chronosphere_service_attribute",
                {"service_slug": "checkout", "team_slug": "payments", "description": "Takes the money"},
            )
        )
        request = last_request(upstream)
        assert (request["method"], request["path"]) == ("POST", f"{CONFIG}/services/checkout/attributes")

        got = ok(await client.call_tool("get_single_chronosphere_service_attribute_by_id", {"id": "checkout"}))
        assert got["team_slug"] == "payments", got
        assert last_request(upstream)["path"] == f"{CONFIG}/services/checkout/attributes"

        ok(
            await client.call_tool(
                "update_a_chronosphere_service_attribute_by_id", {"id": "checkout", "team_slug": "platform"}
            )
        )
        page = ok(await client.call_tool("list_all_chronosphere_service_attributes", {}))
        assert [a["team_slug"] for a in page["result"]] == ["platform"], page
        assert last_request(upstream)["path"] == f"{CONFIG}/service-attributes"

        ok(await client.call_tool("delete_a_chronosphere_service_attribute_by_id", {"id": "checkout"}))
        request = last_request(upstream)
        assert (request["method"], request["path"]) == ("DELETE", f"{CONFIG}/services/checkout/attributes")


async def test_tools_renamed_to_fit_64_characters_work(connect, upstream):
    strategy = "/api/v1/config/trace-jaeger-remote-sampling-strategies"
    async with connect() as client:
        ok(
            await client.call_tool(
                "create_a_chronosphere_trace_jaeger_remote_sampling_strategy",
                {"name": "Checkout", "service_name": "checkout"},
            )
        )
        got = ok(await client.call_tool("get_chronosphere_trace_jaeger_remote_sampling_strategy", {"id": "checkout"}))
        assert got["service_name"] == "checkout"
        assert last_request(upstream)["path"] == f"{strategy}/checkout"
        ok(await client.call_tool("delete_chronosphere_trace_jaeger_remote_sampling_strategy", {"id": "checkout"}))
