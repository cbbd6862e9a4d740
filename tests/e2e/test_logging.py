"""What the server's logs may carry, at every level (docs/security.md, finding 6).

With `RUST_LOG=debug` or `trace`, rmcp logs every message it receives and sends, tool arguments
and results included. The server keeps those libraries at `warn` unless `RUST_LOG` names them,
and logs only tool names, timings, outcomes and the name of a rejected field itself. Each test
runs over stdio and Streamable HTTP in both protocol eras against the real binary.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checks import invalid_params, ok
from conftest import creds
from harness import Process

pytestmark = pytest.mark.anyio

CREATE = "create_a_chronosphere_team"
GET = "get_single_chronosphere_team_by_id"
LIST = "list_all_chronosphere_teams"

EMAIL = "canary.person+4242@example.org"
BAD_LIMIT = "canary-limit-value-0451"


def server_logs(processes: list[Process], tmp_path: Path) -> str:
    """Everything mcp-server wrote to stderr, over either transport."""
    texts = [p.stderr_text() for p in processes if p.name.startswith("mcp-server")]
    texts += [log.read_text(errors="replace") for log in tmp_path.glob("mcp-server-stdio.stderr.log")]
    return "\n".join(texts)


async def exercise(client) -> None:
    created = ok(await client.call_tool(CREATE, {"slug": "canary-team", "name": "Canary", "user_emails": [EMAIL]}))
    assert created["user_emails"] == [EMAIL]
    assert ok(await client.call_tool(GET, {"id": "canary-team"}))["user_emails"] == [EMAIL]
    async with invalid_params("limit"):
        await client.call_tool(LIST, {"limit": BAD_LIMIT})


@pytest.mark.parametrize("level", ["debug", "trace"])
async def test_verbose_levels_log_no_arguments_or_results(connect, processes, tmp_path, level):
    async with connect(env=creds() | {"RUST_LOG": level}) as client:
        await exercise(client)
    logs = server_logs(processes, tmp_path)
    # The logs are there (so the test can fail), and say what happened without the values.
    assert "tool call succeeded" in logs, logs
    assert "tool call rejected: invalid arguments" in logs and "field=limit" in logs, logs
    assert EMAIL not in logs, logs
    assert BAD_LIMIT not in logs, logs
    assert "canary-team" not in logs, logs


async def test_naming_rmcp_explicitly_is_an_opt_in_that_is_announced(connect, processes, tmp_path):
    async with connect(env=creds() | {"RUST_LOG": "info,rmcp=debug"}) as client:
        await exercise(client)
    logs = server_logs(processes, tmp_path)
    assert "RUST_LOG names these targets explicitly" in logs, logs
    assert "targets=rmcp" in logs, logs
