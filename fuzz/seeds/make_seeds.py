#!/usr/bin/env python3
"""Writes the checked-in seed corpora under fuzz/corpus/<target>/ from the repository's real
docs, schemas and request shapes. Run from anywhere: `python3 fuzz/seeds/make_seeds.py`.
Seeds are small, readable inputs; libFuzzer grows its own corpus from them in fuzz/.runs/."""

import json
import pathlib
import re
import shutil

FUZZ = pathlib.Path(__file__).resolve().parent.parent
ROOT = FUZZ.parent
CORPUS = FUZZ / "corpus"


def write(target, name, data):
    path = CORPUS / target / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())


def docs_loader():
    for integration in ["chronosphere", "github", "pagerduty"]:
        text = (ROOT / "integrations" / integration / "integration.yaml").read_bytes()
        write("docs_loader", f"integration-{integration}", b"\x00" + text)
    resources = [
        ("chronosphere", "teams"), ("chronosphere", "monitors"), ("chronosphere", "dashboards"),
        ("chronosphere", "notification_policies"), ("chronosphere", "slos"),
        ("github", "issues"), ("github", "repositories"), ("pagerduty", "incidents"),
    ]
    for integration, resource in resources:
        text = (ROOT / "integrations" / integration / "resources" / f"{resource}.yaml").read_bytes()
        write("docs_loader", f"resource-{integration}-{resource}", b"\x01" + text)
    # Both files of each bad-docs case: what each diagnostic looks like.
    for case in sorted((ROOT / "tests" / "bad-docs").iterdir()):
        folders = [p for p in case.iterdir() if p.is_dir()]
        if not folders:
            continue
        folder = folders[0]
        integration = folder / "integration.yaml"
        resources = sorted((folder / "resources").glob("*.yaml")) if (folder / "resources").is_dir() else []
        text = integration.read_bytes() if integration.is_file() else b""
        if resources:
            text += b"\n#=resource=\n" + resources[0].read_bytes()
        write("docs_loader", f"bad-{case.name}", b"\x02" + text)


def tool_order(crate):
    lib = (ROOT / "generated" / crate / "src" / "lib.rs").read_text()
    block = lib[lib.index("tools: &["):]
    block = block[: block.index("]")]
    return [name.lower() for name in re.findall(r"::([A-Z0-9_]+),", block)]


def sample(schema, name):
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "string":
        return "2030-01-01T00:00:00Z" if schema.get("format") == "date-time" else f"{name}-1"
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if kind == "array":
        return [sample(schema.get("items", {}), name)]
    if kind == "object":
        props = schema.get("properties", {})
        return {key: sample(value, key) for key, value in list(props.items())[:3]}
    return None


def arguments(crate, tool, full):
    schema = json.loads((ROOT / "generated" / crate / "schemas" / f"{tool}.input.json").read_text())
    props = schema.get("properties", {})
    wanted = props.keys() if full else schema.get("required", [])
    return {key: sample(props[key], key) for key in wanted if key != "next_cursor"}


def tool_arguments():
    tools = tool_order("chronosphere")
    picks = [i for i, t in enumerate(tools) if "team" in t or "monitor" in t or "slo" in t]
    picks += list(range(0, len(tools), 9))
    for index in sorted(set(picks)):
        tool = tools[index]
        for full in (False, True):
            args = arguments("chronosphere", tool, full)
            write("tool_arguments", f"{tool}-{'full' if full else 'required'}",
                  bytes([index]) + json.dumps(args).encode())
    list_teams = tools.index("list_all_chronosphere_teams")
    for name, args in [
        ("fields", {"fields": ["name", "slug"], "limit": 2}),
        ("fields-unknown", {"fields": ["nope"]}),
        ("cursor", {"next_cursor": "abc", "limit": 0}),
        ("wrong-type", {"limit": "ten", "names": "x"}),
        ("unknown-field", {"bogus": 1}),
    ]:
        write("tool_arguments", f"teams-{name}", bytes([list_teams]) + json.dumps(args).encode())
    # Discovery's meta-tools follow the catalog's tools.
    meta = len(tools)
    write("tool_arguments", "meta-search", bytes([meta]) + b'{"query": "list teams", "limit": 3}')
    write("tool_arguments", "meta-describe", bytes([meta + 1]) + b'{"names": ["list_all_chronosphere_teams"]}')
    write("tool_arguments", "meta-call", bytes([meta + 2]) +
          b'{"name": "get_single_chronosphere_team_by_id", "arguments": {"id": "t"}}')


HEADERS = "host: localhost:8080\ncontent-type: application/json\naccept: application/json, text/event-stream\n"
MODERN_META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
               "io.modelcontextprotocol/clientInfo": {"name": "fuzz", "version": "0"},
               "io.modelcontextprotocol/clientCapabilities": {}}


def rpc(method, params=None, id=1):
    message = {"jsonrpc": "2.0", "id": id, "method": method}
    if params is not None:
        message["params"] = params
    return json.dumps(message)


def http_jsonrpc():
    init = rpc("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                              "clientInfo": {"name": "fuzz", "version": "0"}})
    session = "mcp-protocol-version: 2025-11-25\nmcp-session-id: {session}\n"
    write("http_jsonrpc", "legacy-session",
          f"POST /mcp\n{HEADERS}\n{init}\n---\n"
          f"POST /mcp\n{HEADERS}{session}\n{json.dumps({'jsonrpc': '2.0', 'method': 'notifications/initialized'})}\n---\n"
          f"POST /mcp\n{HEADERS}{session}\n{rpc('tools/list', id=2)}\n---\n"
          f"DELETE /mcp\nhost: localhost\n{session}\n")
    write("http_jsonrpc", "legacy-call",
          f"POST /mcp\n{HEADERS}\n{init}\n---\n"
          f"POST /mcp\n{HEADERS}{session}\n"
          + rpc("tools/call", {"name": "get_single_chronosphere_team_by_id", "arguments": {"id": "x"}}, id=3)
          + f"\n---\nGET /mcp\nhost: localhost\naccept: text/event-stream\n{session}\n")
    for name, method, params, extra in [
        ("modern-list", "tools/list", {}, ""),
        ("modern-list-cursor", "tools/list", {"cursor": "2"}, ""),
        ("modern-discover", "server/discover", {}, ""),
        ("modern-call", "tools/call", {"name": "list_all_chronosphere_teams", "arguments": {"limit": 2, "fields": ["name"]}},
         "mcp-name: list_all_chronosphere_teams\n"),
        ("modern-call-bad-args", "tools/call", {"name": "list_all_chronosphere_teams", "arguments": [1]}, ""),
        ("modern-unknown-tool", "tools/call", {"name": "nope", "arguments": {}}, "mcp-name: nope\n"),
        ("modern-ping", "ping", {}, ""),
    ]:
        params = dict(params, _meta=MODERN_META)
        write("http_jsonrpc", name,
              f"POST /mcp\n{HEADERS}mcp-protocol-version: 2026-07-28\nmcp-method: {method}\n{extra}\n"
              + rpc(method, params))
    write("http_jsonrpc", "batch", f"POST /mcp\n{HEADERS}\n[{rpc('ping')}, {rpc('tools/list', id=2)}]")
    write("http_jsonrpc", "bad-origin", f"POST /mcp\n{HEADERS}origin: https://evil.example\n\n{rpc('tools/list')}")
    write("http_jsonrpc", "bad-host", f"POST /mcp\nhost: evil.example\ncontent-type: application/json\n\n{rpc('tools/list')}")
    write("http_jsonrpc", "not-json", f"POST /mcp\n{HEADERS}\n{{\"jsonrpc\": ")
    write("http_jsonrpc", "wrong-type", f"POST /mcp\nhost: localhost\ncontent-type: text/plain\n\nhello")
    write("http_jsonrpc", "other-path", f"POST /other\n{HEADERS}\n{rpc('ping')}")
    # Bare bodies, sent with the target's default headers.
    write("http_jsonrpc", "raw-modern", rpc("tools/list", {"_meta": MODERN_META}))
    write("http_jsonrpc", "raw-init", init)


ADMIN = "authorization: Bearer {admin}\ncontent-type: application/json\n"


def admin_api():
    account = json.dumps({"integration": "chronosphere",
                          "credentials": {"tenant": "acme", "api_token": "s3cret"}})
    server = json.dumps({"name": "Team audit", "config": {"methods": ["read"], "tags": []},
                         "expires_at": None})
    write("admin_api", "account-lifecycle",
          f"POST /integrated-account\n{ADMIN}\n{account}\n---\n"
          f"GET /integrated-account/{{account}}\n{ADMIN}\n---\n"
          f"GET /integrated-account?limit=1\n{ADMIN}\n---\n"
          f"DELETE /integrated-account/{{account}}\n{ADMIN}\n")
    write("admin_api", "server-lifecycle",
          f"POST /integrated-account\n{ADMIN}\n{account}\n---\n"
          f"POST /integrated-account/{{account}}/mcp\n{ADMIN}\n{server}\n---\n"
          f"PATCH /integrated-account/{{account}}/mcp/{{server}}\n{ADMIN}\n"
          + json.dumps({"name": "Writers", "config": {"methods": ["write"], "require_api_token_auth": True,
                                                      "tool_exposure": "discovery"},
                        "expires_at": "2030-01-02T00:00:00Z"})
          + f"\n---\nGET /integrated-account/{{account}}/mcp?limit=5&next_cursor=mcp_0\n{ADMIN}\n---\n"
          f"DELETE /integrated-account/{{account}}/mcp/{{server}}\n{ADMIN}\n")
    write("admin_api", "gateway",
          f"POST /integrated-account\n{ADMIN}\n{account}\n---\n"
          f"POST /integrated-account/{{account}}/mcp\n{ADMIN}\n{server}\n---\n"
          f"POST {{mcp}}\nhost: 127.0.0.1:8080\ncontent-type: application/json\naccept: application/json, text/event-stream\n"
          "mcp-protocol-version: 2026-07-28\nmcp-method: tools/list\n\n"
          + rpc("tools/list", {"_meta": MODERN_META}))
    write("admin_api", "api-tokens",
          f"POST /api-tokens\n{ADMIN}\n---\nGET /api-tokens?limit=2\n{ADMIN}\n---\n"
          f"DELETE /api-tokens/{{token}}\n{ADMIN}\n---\nDELETE /api-tokens/{{token}}\n{ADMIN}\n")
    for name, body in [
        ("bad-integration", {"integration": "chronosfere", "credentials": {}}),
        ("missing-credential", {"integration": "chronosphere", "credentials": {"tenant": "acme"}}),
        ("private-host", {"integration": "chronosphere", "credentials": {"tenant": "127.0.0.1", "api_token": "t"}}),
        ("github", {"integration": "github", "credentials": {"owner": "octo-org", "token": "ghp_x"}}),
        ("wrong-type", {"integration": "chronosphere", "credentials": {"tenant": 5, "api_token": "t"}}),
        ("unknown-field", {"integration": "chronosphere", "credentials": {}, "secret": 1}),
    ]:
        write("admin_api", f"account-{name}", f"POST /integrated-account\n{ADMIN}\n{json.dumps(body)}")
    write("admin_api", "server-bad-config",
          f"POST /integrated-account\n{ADMIN}\n{account}\n---\n"
          f"POST /integrated-account/{{account}}/mcp\n{ADMIN}\n"
          + json.dumps({"name": "x", "config": {"methods": ["lst"], "tags": ["billing"]}, "expires_at": "next week"}))
    write("admin_api", "no-token", f"GET /integrated-account\ncontent-type: application/json\n\n")
    write("admin_api", "bad-cursor", f"GET /integrated-account?limit=0&next_cursor=%ff\n{ADMIN}\n")
    write("admin_api", "health", "GET /health\nhost: localhost\n\n")
    write("admin_api", "raw-body", account)


def upstream_replies():
    teams = json.dumps({"teams": [{"slug": "a", "name": "A", "user_emails": ["a@example.com"]}],
                        "page": {"next_token": "tok-2"}})
    write("upstream_replies", "chronosphere-list",
          f"list_all_chronosphere_teams {{\"limit\": 1}}\n200\ncontent-type: application/json\n\n{teams}")
    write("upstream_replies", "chronosphere-get",
          "get_single_chronosphere_team_by_id {\"id\": \"a\"}\n200\n\n"
          + json.dumps({"team": {"slug": "a", "name": "A", "created_at": "2024-01-01T00:00:00Z"}}))
    write("upstream_replies", "chronosphere-error",
          "update_a_chronosphere_team_by_id {\"id\": \"a\", \"name\": \"B\"}\n429\n"
          "x-ratelimit-limit: 100\nx-ratelimit-remaining: 0\nretry-after: Wed, 21 Oct 2015 07:28:00 GMT\n\n"
          + json.dumps({"code": 8, "message": "slow down fz-api_token-q7v9xk2mw4pl8s"}))
    write("upstream_replies", "chronosphere-not-json",
          "list_all_chronosphere_monitors {}\n200\ncontent-type: text/html\n\n<html>oops</html>")
    write("upstream_replies", "github-link",
          "list_all_github_issues {\"repo\": \"r\", \"limit\": 2}\n200\n"
          "link: <http://api.github.com/repositories/1/issues?page=2&per_page=2>; rel=\"next\", "
          "<http://api.github.com/repositories/1/issues?page=9>; rel=\"last\"\n"
          "x-ratelimit-limit: 5000\nx-ratelimit-remaining: 4999\nx-ratelimit-reset: 1893456000\n\n"
          + json.dumps([{"id": 1, "number": 1, "title": "t", "state": "open", "labels": [{"name": "bug"}]}]))
    write("upstream_replies", "github-link-elsewhere",
          "list_all_github_repositories {}\n200\nlink: <https://evil.example/steal>; rel=next\n\n[{\"id\": 1}]")
    write("upstream_replies", "github-error",
          "get_single_github_issue_by_id {\"repo\": \"r\", \"id\": 1}\n403\n"
          "x-ratelimit-remaining: 0\nx-ratelimit-reset: 1700000000123\n\n"
          + json.dumps({"message": "API rate limit exceeded", "documentation_url": "https://docs.github.com"}))
    write("upstream_replies", "pagerduty-offset",
          "list_all_pagerduty_incidents {\"limit\": 1}\n200\nratelimit-remaining: 1.5\n\n"
          + json.dumps({"incidents": [{"id": "P1", "status": "triggered"}], "more": True, "offset": 0, "limit": 1}))
    write("upstream_replies", "pagerduty-redirect",
          "get_single_pagerduty_incident_by_id {\"id\": \"P1\"}\n302\nlocation: https://other.example/x\n\n")
    write("upstream_replies", "empty", "list_all_pagerduty_services {}\n204\n\n")


if __name__ == "__main__":
    for target in ["docs_loader", "tool_arguments", "http_jsonrpc", "admin_api", "upstream_replies"]:
        shutil.rmtree(CORPUS / target, ignore_errors=True)
    docs_loader()
    tool_arguments()
    http_jsonrpc()
    admin_api()
    upstream_replies()
