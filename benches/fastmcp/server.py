"""FastMCP's OpenAPI server over the teams endpoints: the peer mcp-server is compared with.

`python server.py --upstream URL --api-token TOKEN [--listen 127.0.0.1:0]` builds the server with
`FastMCP.from_openapi` from `teams.openapi.json` (beside this file), names the two tools as
mcp-server names them, and serves stateless Streamable HTTP at `/mcp` with JSON responses (the
settings mcp-server uses). Once bound it prints `listening on http://ADDR/mcp` on stderr, as
mcp-server does, so the harness starts both the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import socket
import sys
from pathlib import Path

import httpx2
import uvicorn
from fastmcp import FastMCP

SPEC = Path(__file__).with_name("teams.openapi.json")

# operationId -> the tool names mcp-server generates, so the load is identical but for arguments.
TOOL_NAMES = {
    "ListTeams": "list_all_chronosphere_teams",
    "ReadTeam": "get_single_chronosphere_team_by_id",
}


def build(upstream: str, api_token: str) -> FastMCP:
    spec = json.loads(SPEC.read_text())
    spec["servers"] = [{"url": upstream}]
    # One pooled client, as mcp-server keeps one; timeouts match mcp-server's default (30 s).
    client = httpx2.AsyncClient(
        base_url=upstream,
        headers={"API-Token": api_token},
        timeout=30.0,
    )
    return FastMCP.from_openapi(
        openapi_spec=spec,
        client=client,
        name="chronosphere-fastmcp",
        mcp_names=TOOL_NAMES,
    )


def parse_listen(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise SystemExit(f"--listen wants HOST:PORT, got {text!r}")
    return host, int(port)


async def serve(server: FastMCP, host: str, port: int) -> None:
    app = server.http_app(path="/mcp", stateless_http=True, json_response=True)
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted connections only when the
    # listening socket says so, and without it every keep-alive reply stalls ~40 ms (Nagle plus
    # delayed ACK), which is how uvicorn behaves when it binds the port itself.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_host, bound_port = sock.getsockname()[:2]
    config = uvicorn.Config(
        app,
        log_level="warning",
        # An access-log line per request would cost FastMCP throughput that mcp-server's one
        # info line per tool call also costs it; FastMCP is given the quieter setting.
        access_log=False,
        lifespan="on",
        timeout_keep_alive=60,
    )
    uvicorn_server = uvicorn.Server(config)
    print(f"listening on http://{bound_host}:{bound_port}/mcp", file=sys.stderr, flush=True)
    await uvicorn_server.serve(sockets=[sock])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", required=True, help="base URL of the (fake) Chronosphere API")
    parser.add_argument("--api-token", required=True, help="API-Token header value for the upstream")
    parser.add_argument("--listen", default="127.0.0.1:0", help="HOST:PORT; port 0 picks a free one")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    host, port = parse_listen(args.listen)
    asyncio.run(serve(build(args.upstream, args.api_token), host, port))


if __name__ == "__main__":
    main()
