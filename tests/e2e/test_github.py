"""The GitHub integration (integrations/github), driven by the official Python MCP client.

`mcp-server --integration github` runs over stdio and Streamable HTTP in both client modes (the
`transport_mode` fixture of conftest) against an in-process fake GitHub (fake_github.py) that
follows the excerpt of GitHub's OpenAPI description in tests/data/github/; the tests check the
fake's state and the requests it received. The owner is configuration (GITHUB_OWNER), never a
tool argument.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from jsonschema import Draft202012Validator

from checks import all_tools, invalid_params, ok, upstream_error
from fake_github import FakeGitHub

pytestmark = pytest.mark.anyio

TOKEN = "ghp_e2eToken0000000000000000000000000042"
ORG = "octo-org"

TOOLS = {
    "list_all_github_repositories",
    "get_single_github_repository_by_id",
    "list_all_github_user_repositories",
    "list_all_github_issues",
    "get_single_github_issue_by_id",
    "create_a_github_issue",
    "update_a_github_issue_by_id",
}


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub(TOKEN)
    yield fake
    fake.close()


@pytest.fixture
def connect_gh(connect_integration, github: FakeGitHub):
    """`connect_gh(owner=..., token=...)`: the server with GITHUB_OWNER and GITHUB_TOKEN set."""

    def _connect(*extra: str, owner: str = ORG, token: str = TOKEN):
        return connect_integration("github", github.url, {"GITHUB_OWNER": owner, "GITHUB_TOKEN": token}, *extra)

    return _connect


def present(value):
    """A record as the tools return it: typed outputs leave out null fields, nested ones too."""
    if isinstance(value, dict):
        return {k: present(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [present(v) for v in value]
    return value


def sent(fake: FakeGitHub, method: str | None = None):
    return [r for r in fake.requests() if method is None or r.method == method]


async def test_lists_every_tool_with_valid_schemas_and_no_owner_argument(connect_gh):
    async with connect_gh() as client:
        tools = {t.name: t for t in await all_tools(client)}
    assert set(tools) == TOOLS
    for name, tool in tools.items():
        assert len(name) <= 64
        Draft202012Validator.check_schema(tool.input_schema)
        Draft202012Validator.check_schema(tool.output_schema)
        assert tool.input_schema["type"] == "object" and tool.output_schema["type"] == "object", name
        assert "owner" not in tool.input_schema.get("properties", {}), f"{name}: the owner is configuration"
        assert tool.annotations.read_only_hint is name.startswith(("list_", "get_")), name
    for name in ("list_all_github_issues", "get_single_github_issue_by_id", "create_a_github_issue", "update_a_github_issue_by_id"):
        schema = tools[name].input_schema
        assert "repo" in schema["required"], name
    assert tools["get_single_github_issue_by_id"].input_schema["properties"]["id"]["type"] == "integer"
    assert tools["get_single_github_repository_by_id"].input_schema["properties"]["id"]["type"] == "string"
    create = tools["create_a_github_issue"].input_schema
    assert set(create["required"]) == {"repo", "title"}
    assert create["properties"]["labels"]["items"]["type"] == "string", "labels are sent by name"
    assert not {"id", "number", "state", "user"} & set(create["properties"])
    update = tools["update_a_github_issue_by_id"].input_schema
    assert set(update["required"]) == {"repo", "id"}, "a PATCH requires nothing of the record"
    assert update["properties"]["state"]["enum"] == ["open", "closed"]
    assert {"limit", "next_cursor", "state", "labels", "since"} <= set(tools["list_all_github_issues"].input_schema["properties"])


async def test_repositories_page_through_link_headers_on_another_path(connect_gh, github: FakeGitHub):
    names, cursor = [], None
    async with connect_gh() as client:
        for _ in range(6):
            args = {"limit": 2, "sort": "full_name"} | ({"next_cursor": cursor} if cursor else {})
            page = ok(await client.call_tool("list_all_github_repositories", args))
            names.append([r["name"] for r in page["result"]])
            cursor = page["next_cursor"]
            if cursor is None:
                break
    assert names == [["repo-01", "repo-02"], ["repo-03", "repo-04"], ["repo-05"]]
    calls = sent(github, "GET")
    assert [c.path for c in calls] == ["/orgs/octo-org/repos", "/organizations/9919/repos", "/organizations/9919/repos"]
    assert [c.query.get("page") for c in calls] == [None, ["2"], ["3"]]
    assert all(c.query["per_page"] == ["2"] and c.query["sort"] == ["full_name"] for c in calls)
    assert {c.authorization for c in calls} == {f"Bearer {TOKEN}"}


async def test_issues_follow_the_repositories_id_link_across_every_page(connect_gh, github: FakeGitHub):
    repo = github.repo(ORG, "repo-01")
    numbers, cursors = [], []
    async with connect_gh() as client:
        cursor = None
        for _ in range(6):
            args = {"repo": "repo-01", "state": "all", "limit": 3} | ({"next_cursor": cursor} if cursor else {})
            page = ok(await client.call_tool("list_all_github_issues", args))
            numbers += [i["number"] for i in page["result"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
            cursors.append(cursor)
    assert numbers == [7, 6, 5, 4, 3, 2, 1], "every issue once, newest first"
    calls = sent(github, "GET")
    assert [c.path for c in calls] == [
        "/repos/octo-org/repo-01/issues",
        f"/repositories/{repo['id']}/issues",
        f"/repositories/{repo['id']}/issues",
    ]
    assert [c.query.get("page") for c in calls] == [None, ["2"], ["3"]]
    assert all(c.query["state"] == ["all"] and c.query["per_page"] == ["3"] for c in calls)
    # The cursor is sealed: it is not the upstream URL, and it names no token.
    for cursor in cursors:
        assert "/repositories/" not in cursor and TOKEN not in cursor


async def test_issue_filters_reach_github(connect_gh, github: FakeGitHub):
    async with connect_gh() as client:
        open_bugs = ok(await client.call_tool("list_all_github_issues", {"repo": "repo-01", "labels": "bug"}))
    assert [i["number"] for i in open_bugs["result"]] == [7, 5, 3, 1], "open issues labelled bug, newest first"
    (call,) = sent(github, "GET")
    assert call.query == {"labels": ["bug"]}, "nothing but what was asked: state defaults upstream"
    assert open_bugs["result"][0]["labels"][0]["name"] == "bug"


async def test_the_owner_comes_from_configuration(connect_gh, github: FakeGitHub):
    async with connect_gh(owner="octocat") as client:
        users = ok(await client.call_tool("list_all_github_user_repositories", {}))
        hello = ok(await client.call_tool("get_single_github_repository_by_id", {"id": "hello-world"}))
        not_an_org = await client.call_tool("list_all_github_repositories", {})
        async with invalid_params("owner"):
            await client.call_tool("get_single_github_repository_by_id", {"id": "Hello-World", "owner": "octo-org"})
    assert [r["full_name"] for r in users["result"]] == ["octocat/Hello-World", "octocat/Spoon-Knife"]
    assert hello == present(github.repo("octocat", "Hello-World"))
    assert hello["watchers_count"] == 0, "fields the docs leave out still reach clients"
    assert upstream_error(not_an_org, 404)["message"] == "Not Found"
    assert [c.path for c in sent(github)] == ["/users/octocat/repos", "/repos/octocat/hello-world", "/orgs/octocat/repos"]


async def test_get_a_repository_and_a_missing_one(connect_gh, github: FakeGitHub):
    async with connect_gh() as client:
        repo = ok(await client.call_tool("get_single_github_repository_by_id", {"id": "repo-02"}))
        missing = await client.call_tool("get_single_github_repository_by_id", {"id": "no-such-repo"})
    assert repo == present(github.repo(ORG, "repo-02"))
    assert upstream_error(missing, 404)["message"] == "Not Found"
    assert [c.path for c in sent(github)] == ["/repos/octo-org/repo-02", "/repos/octo-org/no-such-repo"]


async def test_issue_lifecycle_create_get_update(connect_gh, github: FakeGitHub):
    repo = github.repo(ORG, "repo-02")
    async with connect_gh() as client:
        created = ok(await client.call_tool("create_a_github_issue", {
            "repo": "repo-02", "title": "Found a bug", "body": "It crashes.",
            "labels": ["bug", "p1"], "assignees": ["hubot"], "milestone": 1,
        }))
        number = created["number"]
        stored = github.issues[repo["id"]][number]
        assert (stored["title"], stored["body"], stored["state"]) == ("Found a bug", "It crashes.", "open")
        assert [label["name"] for label in stored["labels"]] == ["bug", "p1"]
        assert [a["login"] for a in stored["assignees"]] == ["hubot"] and stored["milestone"]["number"] == 1
        (post,) = sent(github, "POST")
        assert post.path == "/repos/octo-org/repo-02/issues"
        assert post.body == {"title": "Found a bug", "body": "It crashes.", "labels": ["bug", "p1"],
                             "assignees": ["hubot"], "milestone": 1}, "no wrapper, no owner, no repo"

        got = ok(await client.call_tool("get_single_github_issue_by_id", {"repo": "repo-02", "id": number}))
        assert got == present(stored)

        closed = ok(await client.call_tool("update_a_github_issue_by_id", {
            "repo": "repo-02", "id": number, "state": "closed", "state_reason": "not_planned", "labels": ["wontfix"],
        }))
        assert (closed["state"], closed["state_reason"]) == ("closed", "not_planned")
        assert (stored["state"], stored["closed_at"]) == ("closed", "2026-03-01T12:00:00Z")
        assert [label["name"] for label in stored["labels"]] == ["wontfix"]
        assert stored["title"] == "Found a bug", "PATCH keeps fields left out"
        (patch,) = sent(github, "PATCH")
        assert patch.path == f"/repos/octo-org/repo-02/issues/{number}"
        assert {k: v for k, v in patch.body.items() if k != "number"} == {
            "state": "closed", "state_reason": "not_planned", "labels": ["wontfix"]}
        assert patch.body.get("number", number) == number

        missing = await client.call_tool("get_single_github_issue_by_id", {"repo": "repo-02", "id": 999})
    assert upstream_error(missing, 404)["message"] == "Not Found"


async def test_validation_failures_are_githubs_422(connect_gh, github: FakeGitHub):
    repo = github.repo(ORG, "repo-01")
    before = dict(github.issues[repo["id"]][1])
    async with connect_gh() as client:
        nobody = await client.call_tool("create_a_github_issue", {"repo": "repo-01", "title": "x", "assignees": ["nobody"]})
        bad_milestone = await client.call_tool("update_a_github_issue_by_id", {"repo": "repo-01", "id": 1, "milestone": 99})
        async with invalid_params("title"):
            await client.call_tool("create_a_github_issue", {"repo": "repo-01"})
        async with invalid_params("state"):
            await client.call_tool("update_a_github_issue_by_id", {"repo": "repo-01", "id": 1, "state": "done"})
    assert upstream_error(nobody, 422)["message"] == "Validation Failed"
    assert upstream_error(bad_milestone, 422)["message"] == "Validation Failed"
    assert len(github.issues[repo["id"]]) == 7 and github.issues[repo["id"]][1] == before
    assert [c.method for c in sent(github)] == ["POST", "PATCH"], "bad arguments never reach GitHub"


async def test_rate_limits_and_a_wrong_token(connect_gh, github: FakeGitHub):
    wrong = "ghp_wrongToken000000000000000000000000099"
    async with connect_gh() as client:
        github.fail_next(403, "API rate limit exceeded for user ID 1.",
                         **{"x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "retry-after": "60"})
        limited = await client.call_tool("list_all_github_repositories", {})
    error = upstream_error(limited, 403)
    assert error["message"] == "API rate limit exceeded for user ID 1."
    assert (error["ratelimit-limit"], error["ratelimit-remaining"]) == (5000, 0)
    async with connect_gh(token=wrong) as client:
        refused = await client.call_tool("list_all_github_issues", {"repo": "repo-01"})
    assert upstream_error(refused, 401)["message"] == "Bad credentials"
    assert wrong not in str(refused.content) and wrong not in str(refused.structured_content)
    assert sent(github)[-1].authorization == f"Bearer {wrong}"


def test_link_urls_of_the_fake_are_absolute_and_keep_the_query(github: FakeGitHub):
    """The fake itself, as GitHub: absolute `rel="next"` URLs on the `/repositories/{id}` path."""
    import json
    import urllib.request

    req = urllib.request.Request(
        f"{github.url}/repos/octo-org/repo-01/issues?state=all&per_page=3",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    with urllib.request.urlopen(req, timeout=10) as reply:
        link = reply.headers["Link"]
        assert len(json.loads(reply.read())) == 3
    rels = dict(reversed(part.split("; rel=")) for part in link.split(", "))
    nxt = urlsplit(rels['"next"'].strip("<>"))
    assert (nxt.scheme, nxt.netloc) == ("http", urlsplit(github.url).netloc)
    assert nxt.path == f"/repositories/{github.repo(ORG, 'repo-01')['id']}/issues"
    assert parse_qs(nxt.query) == {"state": ["all"], "per_page": ["3"], "page": ["2"]}
    assert parse_qs(urlsplit(rels['"last"'].strip("<>")).query)["page"] == ["3"]
