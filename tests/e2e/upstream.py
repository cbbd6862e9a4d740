"""A handle on a running fake Chronosphere: its URL, its token, its test controls.

Tests use it to seed and inspect upstream state directly (bypassing the MCP server), so an
assertion like "create really created the team" checks the upstream, not the server's word.
The `/_fake/...` control routes are those of tests/fake-chronosphere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

TEAMS = "/api/v1/config/teams"


@dataclass
class FakeUpstream:
    url: str
    token: str

    def _client(self, token: str | None = None) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"API-Token": token or self.token}, timeout=10.0)

    # -- the real API, as a reference client -------------------------------------------------

    def list_teams(self) -> list[dict[str, Any]]:
        teams: list[dict[str, Any]] = []
        token = ""
        with self._client() as c:
            for _ in range(1000):
                r = c.get(TEAMS, params={"page.max_size": 100, "page.token": token})
                r.raise_for_status()
                body = r.json()
                teams += body.get("teams", [])
                token = (body.get("page") or {}).get("next_token") or ""
                if not token:
                    return teams
        raise AssertionError("fake upstream pagination never ended")

    def get_team(self, slug: str) -> dict[str, Any] | None:
        with self._client() as c:
            r = c.get(f"{TEAMS}/{slug}")
        if r.status_code == 404:
            return None
        r.raise_for_status()
        return r.json()["team"]

    def create_team(self, team: dict[str, Any]) -> dict[str, Any]:
        with self._client() as c:
            r = c.post(TEAMS, json={"team": team})
        r.raise_for_status()
        return r.json()["team"]

    # -- test controls (tests/fake-chronosphere/src/controls.rs) ---------------------------

    def control(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        with httpx.Client(base_url=self.url, timeout=10.0) as c:
            r = c.post(f"/_fake/{path}", json=body or {})
        r.raise_for_status()
        return r.json()

    def reset(self, seed_teams: int = 0) -> None:
        self.control("reset")
        if seed_teams:
            self.control("seed", {"count": seed_teams})

    def rate_limit(self, requests: int, retry_after: str | None = None, **ietf: int) -> None:
        """The next `requests` API requests get 429, with `Retry-After` and `X-RateLimit-{limit,
        remaining,reset}` headers for whichever are given."""
        plan: dict[str, Any] = {"requests": requests, **ietf}
        if retry_after is not None:
            plan["retry_after"] = retry_after
        self.control("rate-limit", plan)

    def requests(self) -> tuple[int, list[dict[str, Any]]]:
        """How many API requests the fake has served, and the last 100 of them."""
        with httpx.Client(base_url=self.url, timeout=10.0) as c:
            r = c.get("/_fake/requests")
        r.raise_for_status()
        body = r.json()
        return body["count"], body["requests"]
