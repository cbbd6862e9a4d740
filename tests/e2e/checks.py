"""Assertions shared by the end-to-end tests: tool results and protocol errors.

A tool result must carry `structuredContent` and the same JSON as a text block (older clients
read only text); an upstream failure is `isError: true` with `{"error": {"status", "message",
...}}`; invalid arguments are a JSON-RPC -32602 error that names the offending field.
"""

from __future__ import annotations

import json
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from mcp import MCPError

INVALID_PARAMS = -32602


def _text_json(result) -> list[Any]:
    found = []
    for block in result.content:
        if getattr(block, "type", None) == "text":
            try:
                found.append(json.loads(block.text))
            except ValueError:
                pass
    return found


def structured(result) -> Any:
    assert result.structured_content is not None, f"no structuredContent in {result!r}"
    assert result.structured_content in _text_json(result), (
        f"no text block carries the structuredContent as JSON: {result.content!r}"
    )
    return result.structured_content


def ok(result) -> Any:
    assert not result.is_error, f"tool call failed: {result.content!r}"
    return structured(result)


def upstream_error(result, status: int) -> dict[str, Any]:
    """An upstream failure: structured `{"error": {...}}`, and a text block a person (or an
    older client that reads only text) can act on: it names the status and the message."""
    assert result.is_error, f"expected isError for HTTP {status}, got {result!r}"
    body = result.structured_content
    assert isinstance(body, dict) and set(body) == {"error"}, body
    error = body["error"]
    assert error["status"] == status, error
    assert isinstance(error.get("message"), str) and error["message"].strip(), error
    text = " ".join(getattr(b, "text", "") for b in result.content)
    assert str(status) in text and error["message"] in text, (text, error)
    return error


def tool_failure(result, *words: str) -> dict[str, Any]:
    """A failure that is not an upstream HTTP status (timeout, refused connection, oversized
    reply): `isError` with a structured message that a person can act on, naming `words`."""
    assert result.is_error, f"expected isError, got {result!r}"
    body = result.structured_content
    assert isinstance(body, dict) and set(body) == {"error"}, body
    error = body["error"]
    message = error.get("message")
    assert isinstance(message, str) and message.strip(), error
    text = " ".join(getattr(b, "text", "") for b in result.content)
    assert message in text, (text, error)
    for word in words:
        assert word.lower() in message.lower(), f"{word!r} not in {message!r}"
    return error


@asynccontextmanager
async def invalid_params(*must_mention: str):
    """Expect the block to raise MCPError -32602 whose message or data names every given word."""
    try:
        yield
    except MCPError as e:
        assert e.code == INVALID_PARAMS, f"expected -32602, got {e.code}: {e.message}"
        said = f"{e.message} {json.dumps(e.data) if e.data is not None else ''}"
        for word in must_mention:
            assert word in said, f"-32602 error does not name {word!r}: {said}"
    else:
        raise AssertionError(f"expected a -32602 error naming {must_mention}, but the call succeeded")


async def all_tools(client) -> list:
    """Every tool the server lists, following `nextCursor` from page to page (a whole API does
    not fit in one `tools/list` message)."""
    tools, cursor, pages = [], None, 0
    while True:
        listing = await client.list_tools(cursor=cursor)
        tools.extend(listing.tools)
        pages += 1
        cursor = listing.next_cursor
        if cursor is None:
            return tools
        assert pages < 100, "the tools/list cursors never end"


def chronosphere_tool_names() -> set[str]:
    """The Chronosphere tools the checked-in schema files are for: a source independent of the
    server under test."""
    schemas = Path(__file__).resolve().parents[2] / "generated" / "chronosphere" / "schemas"
    return {p.name.removesuffix(".input.json") for p in schemas.glob("*.input.json")}
