"""The PagerDuty integration (integrations/pagerduty), driven by the official Python MCP client.

`mcp-server --integration pagerduty` runs over stdio and Streamable HTTP in both client modes
(the `transport_mode` fixture of conftest) against an in-process fake PagerDuty
(fake_pagerduty.py) that follows the excerpt of PagerDuty's OpenAPI description in
tests/data/pagerduty/; the tests check the fake's state and the requests it received.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from jsonschema import Draft202012Validator

from checks import all_tools, invalid_params, ok, upstream_error
from fake_pagerduty import FakePagerDuty

pytestmark = pytest.mark.anyio

ACCOUNT_KEY = "pd-account-key-e2e-0c4f1a"
USER_KEY = "pd-user-key-e2e-7b9d22"

TOOLS = {
    "list_all_pagerduty_incidents",
    "get_single_pagerduty_incident_by_id",
    "create_a_pagerduty_incident",
    "update_a_pagerduty_incident_by_id",
    "list_all_pagerduty_services",
    "get_single_pagerduty_service_by_id",
    "create_a_pagerduty_service",
    "update_a_pagerduty_service_by_id",
    "delete_a_pagerduty_service_by_id",
}


@pytest.fixture
def pagerduty() -> Iterator[FakePagerDuty]:
    fake = FakePagerDuty(ACCOUNT_KEY, USER_KEY)
    yield fake
    fake.close()


@pytest.fixture
def connect_pd(connect_integration, pagerduty: FakePagerDuty):
    """`connect_pd(key=...)`: the server with PAGERDUTY_API_KEY set to `key` (the user key by
    default)."""

    def _connect(*extra: str, key: str = USER_KEY):
        return connect_integration("pagerduty", pagerduty.url, {"PAGERDUTY_API_KEY": key}, *extra)

    return _connect


def present(value):
    """A record as the tools return it: typed outputs leave out null fields, nested ones too."""
    if isinstance(value, dict):
        return {k: present(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [present(v) for v in value]
    return value


def sent(fake: FakePagerDuty, method: str, path: str):
    return [r for r in fake.requests() if r.method == method and r.path == path]


async def test_lists_every_tool_with_valid_schemas(connect_pd):
    async with connect_pd() as client:
        tools = {t.name: t for t in await all_tools(client)}
    assert set(tools) == TOOLS
    for name, tool in tools.items():
        Draft202012Validator.check_schema(tool.input_schema)
        assert tool.input_schema["type"] == "object", name
        assert tool.output_schema and tool.output_schema["type"] == "object", name
        Draft202012Validator.check_schema(tool.output_schema)
        assert tool.annotations.read_only_hint is name.startswith(("list_", "get_")), name
        assert tool.description and tool.description.strip(), name
    assert tools["delete_a_pagerduty_service_by_id"].annotations.destructive_hint is True
    incidents = tools["list_all_pagerduty_incidents"].input_schema["properties"]
    assert {"limit", "next_cursor", "statuses__", "service_ids__", "urgencies__", "since", "until"} <= set(incidents)
    assert "offset" not in incidents, "pagination fills `offset` itself"
    create = tools["create_a_pagerduty_incident"].input_schema["properties"]
    # Read-only record fields are outputs only; the caller never sends an id on create.
    assert {"type", "title", "service", "urgency", "body"} <= set(create)
    assert not {"id", "incident_number", "created_at", "assignments"} & set(create)
    assert create["service"]["properties"]["type"]["enum"] == ["service_reference", "service"]
    # The From limitation is told to the model.
    assert "From" in tools["create_a_pagerduty_incident"].description
    assert "From" in tools["update_a_pagerduty_incident_by_id"].description


async def test_a_full_last_page_ends_on_more_false_without_an_extra_call(connect_pd, pagerduty: FakePagerDuty):
    pagerduty.add_incident("Sixth", "PSVC001")  # 6 incidents: two full pages of 3
    pages = []
    cursor = None
    async with connect_pd() as client:
        for _ in range(5):
            args = {"limit": 3} | ({"next_cursor": cursor} if cursor else {})
            page = ok(await client.call_tool("list_all_pagerduty_incidents", args))
            pages.append([i["id"] for i in page["result"]])
            cursor = page["next_cursor"]
            if cursor is None:
                break
    assert pages == [["PINC001", "PINC002", "PINC003"], ["PINC004", "PINC005", "PINC006"]]
    calls = sent(pagerduty, "GET", "/incidents")
    assert len(calls) == 2, "`more: false` on a full page ends the list: no third, empty call"
    assert [(r.query.get("offset"), r.query["limit"]) for r in calls] == [(None, ["3"]), (["3"], ["3"])]
    assert {r.authorization for r in calls} == {f"Token token={USER_KEY}"}


async def test_a_short_last_page_and_the_default_page_size(connect_pd, pagerduty: FakePagerDuty):
    async with connect_pd() as client:
        first = ok(await client.call_tool("list_all_pagerduty_services", {"limit": 2}))
        second = ok(await client.call_tool("list_all_pagerduty_services", {"limit": 2, "next_cursor": first["next_cursor"]}))
        everything = ok(await client.call_tool("list_all_pagerduty_services", {}))
    assert [s["name"] for s in first["result"]] == ["Service 001", "Service 002"]
    assert [s["name"] for s in second["result"]] == ["Service 003"] and second["next_cursor"] is None
    assert len(everything["result"]) == 3 and everything["next_cursor"] is None
    assert everything["result"][0]["integrations"] == [], "fields the docs leave out still reach clients"
    assert "limit" not in sent(pagerduty, "GET", "/services")[-1].query, "no limit: PagerDuty's default"


async def test_list_filters_use_pagerduty_array_parameters(connect_pd, pagerduty: FakePagerDuty):
    async with connect_pd() as client:
        acked = ok(await client.call_tool(
            "list_all_pagerduty_incidents",
            {"statuses__": ["acknowledged"], "service_ids__": ["PSVC002", "PSVC003"], "date_range": "all"},
        ))
    expected = [i["id"] for i in pagerduty.incidents.values()
                if i["status"] == "acknowledged" and i["service"]["id"] in ("PSVC002", "PSVC003")]
    assert [i["id"] for i in acked["result"]] == expected == ["PINC002", "PINC005"]
    (call,) = sent(pagerduty, "GET", "/incidents")
    assert call.query["statuses[]"] == ["acknowledged"]
    assert call.query["service_ids[]"] == ["PSVC002", "PSVC003"]
    assert call.query["date_range"] == ["all"]


async def test_incident_lifecycle_with_a_user_key(connect_pd, pagerduty: FakePagerDuty):
    async with connect_pd() as client:
        created = ok(await client.call_tool("create_a_pagerduty_incident", {
            "type": "incident",
            "title": "The server is on fire.",
            "service": {"id": "PSVC002", "type": "service_reference"},
            "urgency": "low",
            "body": {"type": "incident_body", "details": "Disk full on db-1."},
        }))
        ident = created["id"]
        assert pagerduty.incidents[ident]["title"] == "The server is on fire."
        assert pagerduty.incidents[ident]["service"]["id"] == "PSVC002"
        (post,) = sent(pagerduty, "POST", "/incidents")
        assert post.body == {"incident": {
            "type": "incident",
            "title": "The server is on fire.",
            "service": {"id": "PSVC002", "type": "service_reference"},
            "urgency": "low",
            "body": {"type": "incident_body", "details": "Disk full on db-1."},
        }}, "the record goes under the `incident` wrapper"
        assert post.from_header is None

        got = ok(await client.call_tool("get_single_pagerduty_incident_by_id", {"id": ident}))
        assert got == present(pagerduty.incidents[ident])
        by_number = ok(await client.call_tool(
            "get_single_pagerduty_incident_by_id", {"id": str(created["incident_number"])}
        ))
        assert by_number["id"] == ident

        updated = ok(await client.call_tool(
            "update_a_pagerduty_incident_by_id", {"id": ident, "type": "incident", "status": "resolved"}
        ))
        assert updated["status"] == "resolved" == pagerduty.incidents[ident]["status"]
        assert pagerduty.incidents[ident]["resolved_at"] is not None
        (put,) = sent(pagerduty, "PUT", f"/incidents/{ident}")
        assert put.body["incident"]["status"] == "resolved" and put.body["incident"]["type"] == "incident"
        assert set(put.body) == {"incident"}

        missing = await client.call_tool("get_single_pagerduty_incident_by_id", {"id": "PNOPE00"})
    assert upstream_error(missing, 404)["message"] == "Not Found"


async def test_incident_writes_with_an_account_key_get_pagerdutys_from_error(connect_pd, pagerduty: FakePagerDuty):
    """Format gap: no `From` header can be sent, so an account-level key cannot write incidents;
    PagerDuty's 400 comes back as the tool's error, and nothing changes."""
    before = {k: dict(v) for k, v in pagerduty.incidents.items()}
    async with connect_pd(key=ACCOUNT_KEY) as client:
        listed = ok(await client.call_tool("list_all_pagerduty_incidents", {}))
        created = await client.call_tool("create_a_pagerduty_incident", {
            "type": "incident", "title": "x", "service": {"id": "PSVC001", "type": "service_reference"},
        })
        updated = await client.call_tool(
            "update_a_pagerduty_incident_by_id", {"id": "PINC001", "type": "incident", "status": "acknowledged"}
        )
    assert len(listed["result"]) == 5, "reads work with an account-level key"
    assert upstream_error(created, 400)["message"] == "Invalid Input Provided"
    assert upstream_error(updated, 400)["message"] == "Invalid Input Provided"
    assert pagerduty.incidents == before
    assert {r.authorization for r in pagerduty.requests()} == {f"Token token={ACCOUNT_KEY}"}


async def test_service_lifecycle_create_get_update_delete(connect_pd, pagerduty: FakePagerDuty):
    async with connect_pd() as client:
        created = ok(await client.call_tool("create_a_pagerduty_service", {
            "type": "service",
            "name": "Checkout",
            "description": "Takes the money.",
            "escalation_policy": {"id": "PEP0042", "type": "escalation_policy_reference"},
            "acknowledgement_timeout": 600,
        }))
        ident = created["id"]
        assert pagerduty.services[ident]["name"] == "Checkout"
        assert pagerduty.services[ident]["escalation_policy"]["id"] == "PEP0042"
        (post,) = sent(pagerduty, "POST", "/services")
        assert set(post.body) == {"service"} and post.body["service"]["acknowledgement_timeout"] == 600

        assert ok(await client.call_tool("get_single_pagerduty_service_by_id", {"id": ident})) == present(pagerduty.services[ident])

        updated = ok(await client.call_tool(
            "update_a_pagerduty_service_by_id", {"id": ident, "name": "Checkout v2", "status": "maintenance"}
        ))
        assert (updated["name"], updated["status"]) == ("Checkout v2", "maintenance")
        assert pagerduty.services[ident]["description"] == "Takes the money.", "PUT keeps fields left out"
        (put,) = sent(pagerduty, "PUT", f"/services/{ident}")
        assert {k: v for k, v in put.body["service"].items() if k != "id"} == {"name": "Checkout v2", "status": "maintenance"}

        ok(await client.call_tool("delete_a_pagerduty_service_by_id", {"id": ident}))
        assert ident not in pagerduty.services
        gone = await client.call_tool("get_single_pagerduty_service_by_id", {"id": ident})
        deleted_again = await client.call_tool("delete_a_pagerduty_service_by_id", {"id": ident})
    assert upstream_error(gone, 404)["message"] == "Not Found"
    assert upstream_error(deleted_again, 404)["message"] == "Not Found"


async def test_invalid_writes_are_pagerdutys_400(connect_pd, pagerduty: FakePagerDuty):
    """PagerDuty answers invalid input with 400 `Invalid Input Provided` (its ArgumentError; it
    documents no 422 for these operations)."""
    async with connect_pd() as client:
        taken = await client.call_tool("create_a_pagerduty_service", {
            "type": "service", "name": "Service 001",
            "escalation_policy": {"id": "PEP0001", "type": "escalation_policy_reference"},
        })
        no_service = await client.call_tool("create_a_pagerduty_incident", {
            "type": "incident", "title": "x", "service": {"id": "PNOPE00", "type": "service_reference"},
        })
        bad_urgency = await client.call_tool(
            "update_a_pagerduty_incident_by_id", {"id": "PINC001", "type": "incident", "urgency": "urgent"}
        )
        async with invalid_params("escalation_level"):
            await client.call_tool("update_a_pagerduty_incident_by_id", {"id": "PINC001", "escalation_level": "two"})
    assert upstream_error(taken, 400)["message"] == "Invalid Input Provided"
    assert upstream_error(no_service, 400)["message"] == "Invalid Input Provided"
    assert upstream_error(bad_urgency, 400)["message"] == "Invalid Input Provided"
    assert len(pagerduty.services) == 3 and len(pagerduty.incidents) == 5
    assert pagerduty.incidents["PINC001"]["urgency"] == "high"
    # A record enum lets unknown values through (replies may grow new ones); PagerDuty refuses it.
    # An argument of the wrong type never leaves the server.
    assert len(sent(pagerduty, "PUT", "/incidents/PINC001")) == 1


async def test_rate_limits_and_a_wrong_key(connect_pd, pagerduty: FakePagerDuty):
    wrong = "pd-wrong-key-19ae"
    async with connect_pd() as client:
        pagerduty.fail_next(429, "Rate Limit Exceeded", **{"ratelimit-limit": "960", "ratelimit-remaining": "0", "ratelimit-reset": "30"})
        limited = await client.call_tool("list_all_pagerduty_services", {})
    error = upstream_error(limited, 429)
    assert error["message"] == "Rate Limit Exceeded"
    assert (error["ratelimit-limit"], error["ratelimit-remaining"], error["ratelimit-reset"]) == (960, 0, 30)
    async with connect_pd(key=wrong) as client:
        refused = await client.call_tool("list_all_pagerduty_incidents", {})
    assert upstream_error(refused, 401)["message"] == "Unauthorized"
    assert wrong not in str(refused.content) and wrong not in str(refused.structured_content)
