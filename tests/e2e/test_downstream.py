"""The downstream example crate (examples/downstream): `inkwell-mcp`, whose tools `build.rs`
generated from its own docs, driven by the official Python MCP client.

The tools run over stdio and Streamable HTTP in both client modes (the `transport_mode`
fixture of conftest) against an in-process fake Inkwell API (fake_inkwell.py), whose state the
tests check directly. The same binary also serves this repository's Chronosphere tools, and the
crate's typed-client example runs against the same fake.
"""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from checks import all_tools, invalid_params, ok, upstream_error
from conftest import READ_TIMEOUT_S, SEEDED_TEAMS, creds
from fake_inkwell import FakeInkwell
from harness import Process, binary, clean_env

pytestmark = pytest.mark.anyio

API_KEY = "inkwell-e2e-key-7d2b0c"
RUN_TIMEOUT_S = 30

NOTEBOOK_TOOLS = {"list_all_inkwell_notebooks", "get_single_inkwell_notebook_by_id", "create_a_inkwell_notebook"}
NOTE_TOOLS = {
    "list_all_inkwell_notes",
    "get_single_inkwell_note_by_id",
    "create_a_inkwell_note",
    "update_a_inkwell_note_by_id",
    "delete_a_inkwell_note_by_id",
    "archive_inkwell_notes",
}


@pytest.fixture
def inkwell() -> Iterator[FakeInkwell]:
    fake = FakeInkwell(API_KEY)
    yield fake
    fake.close()


@pytest.fixture
def inkwell_bin() -> Path:
    return binary("inkwell-mcp")


@pytest.fixture
def connect_inkwell(transport_mode, inkwell: FakeInkwell, processes: list[Process], tmp_path: Path, inkwell_bin: Path):
    """`async with connect_inkwell(api_key=...) as client:` on this test's transport and mode."""
    transport, mode = transport_mode

    @asynccontextmanager
    async def _connect(*extra: str, api_key: str = API_KEY) -> AsyncIterator[Client]:
        argv = [str(inkwell_bin), transport, "--integration", "inkwell", "--base-url", inkwell.url, *extra]
        if transport == "http":
            env = clean_env(NO_COLOR="1", INKWELL_API_KEY=api_key)
            proc = Process("inkwell-mcp-http", [*argv, "--listen", "127.0.0.1:0"], env, tmp_path)
            processes.append(proc)
            url = proc.wait_for("stderr", r"listening on (http://\S+/mcp)").group(1)
            async with Client(url, mode=mode, read_timeout_seconds=READ_TIMEOUT_S) as client:
                yield client
        else:
            env = {"NO_COLOR": "1", "RUST_BACKTRACE": "1", "INKWELL_API_KEY": api_key}
            params = StdioServerParameters(command=argv[0], args=argv[1:], env=env)
            with open(tmp_path / "inkwell-mcp-stdio.stderr.log", "a", encoding="utf-8") as errlog:
                async with Client(
                    stdio_client(params, errlog=errlog), mode=mode, read_timeout_seconds=READ_TIMEOUT_S
                ) as client:
                    yield client

    return _connect


async def test_lists_the_tools_generated_from_the_example_docs(connect_inkwell):
    async with connect_inkwell() as client:
        tools = {t.name: t for t in await all_tools(client)}
    assert set(tools) == NOTEBOOK_TOOLS | NOTE_TOOLS
    for name, tool in tools.items():
        assert tool.input_schema.get("type") == "object", name
        assert tool.output_schema and tool.output_schema.get("type") == "object", name
        read = name.startswith(("list_", "get_"))
        assert tool.annotations.read_only_hint is read, name
    assert tools["delete_a_inkwell_note_by_id"].annotations.destructive_hint is True
    notes_list = tools["list_all_inkwell_notes"].input_schema["properties"]
    assert {"notebook_id", "tag", "archived", "limit", "next_cursor"} <= set(notes_list)
    create = tools["create_a_inkwell_note"].input_schema
    assert set(create["required"]) == {"notebook_id", "title"}
    # Read-only record fields are outputs only.
    assert not {"id", "archived", "created_at"} & set(create["properties"])
    assert "archive" in tools["archive_inkwell_notes"].description.lower()


async def test_pages_through_notebooks_with_page_and_per_page(connect_inkwell, inkwell: FakeInkwell):
    pages = []
    cursor = None
    async with connect_inkwell() as client:
        for _ in range(5):
            args = {"limit": 2} | ({"next_cursor": cursor} if cursor else {})
            page = ok(await client.call_tool("list_all_inkwell_notebooks", args))
            pages.append([nb["id"] for nb in page["result"]])
            cursor = page["next_cursor"]
            if cursor is None:
                break
    assert pages == [["nb_1", "nb_2"], ["nb_3"]]
    sent = [r for r in inkwell.requests() if r.path == "/v1/notebooks"]
    assert [(r.query.get("page"), r.query.get("per_page")) for r in sent] == [(["1"], ["2"]), (["2"], ["2"])]
    assert {r.authorization for r in sent} == {f"Bearer {API_KEY}"}


async def test_note_lifecycle_create_get_update_archive_delete(connect_inkwell, inkwell: FakeInkwell):
    async with connect_inkwell() as client:
        created = ok(
            await client.call_tool(
                "create_a_inkwell_note",
                {"notebook_id": "nb_2", "title": "Retro", "body": "- went well", "tags": ["meeting"]},
            )
        )
        note_id = created["id"]
        assert inkwell.notes[note_id]["title"] == "Retro"
        assert ok(await client.call_tool("get_single_inkwell_note_by_id", {"id": note_id})) == inkwell.notes[note_id]

        # Filters reach the upstream; the newest note comes first.
        meetings = ok(await client.call_tool("list_all_inkwell_notes", {"notebook_id": "nb_2", "tag": "meeting"}))
        assert [n["id"] for n in meetings["result"]] == [note_id, "note_3", "note_2"]

        updated = ok(await client.call_tool("update_a_inkwell_note_by_id", {"id": note_id, "pinned": True}))
        assert (updated["pinned"], updated["title"]) == (True, "Retro")
        (patch,) = [r.body for r in inkwell.requests() if r.method == "PATCH"]
        # Only the fields given (the runtime also copies the path id into the record).
        assert {k: v for k, v in patch.items() if k != "id"} == {"pinned": True}, patch
        assert patch.get("id", note_id) == note_id, patch

        archived = ok(await client.call_tool("archive_inkwell_notes", {"id": note_id}))
        assert archived["archived"] is True
        current = ok(await client.call_tool("list_all_inkwell_notes", {}))
        assert note_id not in {n["id"] for n in current["result"]}
        old = ok(await client.call_tool("list_all_inkwell_notes", {"archived": True}))
        assert {n["id"] for n in old["result"]} == {note_id, "note_5"}

        ok(await client.call_tool("delete_a_inkwell_note_by_id", {"id": note_id}))
        assert note_id not in inkwell.notes
        gone = await client.call_tool("get_single_inkwell_note_by_id", {"id": note_id})
    error = upstream_error(gone, 404)
    assert error["message"] == f"Note {note_id} not found.", "the message comes from `error.message`"


async def test_records_keep_fields_the_docs_do_not_mention(connect_inkwell):
    async with connect_inkwell() as client:
        notebook = ok(await client.call_tool("get_single_inkwell_notebook_by_id", {"id": "nb_1"}))
    assert notebook["color"] == "blue"
    assert notebook["note_count"] == 2


async def test_bad_arguments_never_reach_the_upstream(connect_inkwell, inkwell: FakeInkwell):
    async with connect_inkwell() as client:
        async with invalid_params("title"):
            await client.call_tool("create_a_inkwell_note", {"notebook_id": "nb_1"})
        async with invalid_params("pinned"):
            await client.call_tool("update_a_inkwell_note_by_id", {"id": "note_1", "pinned": "yes"})
    assert inkwell.requests() == []


async def test_upstream_errors_carry_status_message_and_the_docs_rate_limit_headers(
    connect_inkwell, inkwell: FakeInkwell
):
    async with connect_inkwell() as client:
        inkwell.fail_next(
            429,
            "Slow down.",
            **{"X-Inkwell-RateLimit-Limit": "60", "X-Inkwell-RateLimit-Remaining": "0", "X-Inkwell-RateLimit-Reset": "12"},
        )
        limited = await client.call_tool("list_all_inkwell_notebooks", {})
        error = upstream_error(limited, 429)
        assert (error["ratelimit-limit"], error["ratelimit-remaining"], error["ratelimit-reset"]) == (60, 0, 12)
        assert error["message"] == "Slow down."
        invalid = await client.call_tool("create_a_inkwell_note", {"notebook_id": "nb_9", "title": "x"})
        assert upstream_error(invalid, 422)["message"] == "Notebook nb_9 does not exist."


async def test_a_wrong_api_key_is_a_401_that_never_shows_the_key(connect_inkwell):
    wrong = "wrong-inkwell-key-31f9"
    async with connect_inkwell(api_key=wrong) as client:
        result = await client.call_tool("list_all_inkwell_notes", {})
    error = upstream_error(result, 401)
    assert error["message"] == "Invalid API key."
    assert wrong not in str(result.content) and wrong not in str(result.structured_content)


async def test_the_same_binary_serves_a_generated_integration_of_this_repository(
    inkwell_bin: Path, upstream, tmp_path: Path
):
    """`src/main.rs` mixes in `mcpgen_chronosphere::INTEGRATION`: served, and callable."""
    argv = [str(inkwell_bin), "stdio", "--integration", "chronosphere", "--base-url", upstream.url]
    params = StdioServerParameters(command=argv[0], args=argv[1:], env={"NO_COLOR": "1", **creds()})
    with open(tmp_path / "inkwell-mcp-chronosphere.stderr.log", "a", encoding="utf-8") as errlog:
        async with Client(stdio_client(params, errlog=errlog), read_timeout_seconds=READ_TIMEOUT_S) as client:
            names = {t.name for t in await all_tools(client)}
            teams = ok(await client.call_tool("list_all_chronosphere_teams", {"limit": 100}))
    assert "list_all_chronosphere_teams" in names and not any("inkwell" in n for n in names)
    assert len(teams["result"]) == SEEDED_TEAMS

    # Without --integration, a binary serving two integrations asks which one to serve, naming
    # both; the bare `tools` inventory lists the tools of every integration.
    r = subprocess.run(
        [str(inkwell_bin), "stdio"], env=clean_env(NO_COLOR="1"), stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
    )
    assert r.returncode == 2, r
    assert "inkwell" in r.stderr and "chronosphere" in r.stderr, r.stderr
    r = subprocess.run(
        [str(inkwell_bin), "tools"], env=clean_env(NO_COLOR="1"), capture_output=True, text=True, timeout=RUN_TIMEOUT_S
    )
    assert r.returncode == 0, r
    assert "list_all_inkwell_notes" in r.stdout and "list_all_chronosphere_teams" in r.stdout, r.stdout


def test_the_typed_client_example_calls_the_api_without_mcp(inkwell: FakeInkwell):
    example = binary("examples/typed_client")
    env = clean_env(NO_COLOR="1", INKWELL_API_KEY=API_KEY, INKWELL_BASE_URL=inkwell.url)
    r = subprocess.run([str(example)], env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert r.returncode == 0, r
    lines = r.stdout.splitlines()
    assert lines[:3] == ["notebook nb_1: Inbox (2 notes)", "notebook nb_2: Meetings (2 notes)", "notebook nb_3: Ideas (1 notes)"]
    created = [n for n in inkwell.notes.values() if n["tags"] == ["typed-client"]]
    assert len(created) == 1 and created[0]["notebook_id"] == "nb_1" and created[0]["archived"] is True
    note_id = created[0]["id"]
    assert lines[3:] == [
        f"created {note_id} in nb_1",
        "1 note(s) tagged typed-client on the first page",
        f"archived {note_id}: true",
    ]
    # Two notebook pages of two (the example asks for small pages), then create, list, archive.
    assert [(r.method, r.path) for r in inkwell.requests()] == [
        ("GET", "/v1/notebooks"),
        ("GET", "/v1/notebooks"),
        ("POST", "/v1/notes"),
        ("GET", "/v1/notes"),
        ("POST", f"/v1/notes/{note_id}/archive"),
    ]


def test_the_typed_client_reports_upstream_errors_without_the_key(inkwell: FakeInkwell):
    example = binary("examples/typed_client")
    wrong = "wrong-inkwell-key-8a1e"
    env = clean_env(NO_COLOR="1", INKWELL_API_KEY=wrong, INKWELL_BASE_URL=inkwell.url)
    r = subprocess.run([str(example)], env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert r.returncode == 1, r
    assert "401" in r.stderr and "Invalid API key." in r.stderr, r.stderr
    assert wrong not in r.stderr + r.stdout
