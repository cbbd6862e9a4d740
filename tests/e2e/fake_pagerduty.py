"""A fake PagerDuty REST API v2 (incidents and services), in-process.

It follows the excerpt of PagerDuty's OpenAPI description in tests/data/pagerduty/: header auth
`Authorization: Token token=<key>` (401 otherwise), classic offset pagination (`offset`/`limit`
in; `offset`, `limit`, `more` and `total` out, `total` null unless `total=true`; `limit` at most
100), records under the plural key and single records under the singular one, request bodies
wrapped the same way, `{"error": {"message", "code", "errors"}}` error bodies (400 Invalid Input
Provided, 404 Not Found), 201 on create and 204 on delete.

Keys come in PagerDuty's two kinds: an account-level key, with which creating and updating an
incident needs a `From` header naming a user of the account (400 otherwise, as PagerDuty does),
and a user-level key, which acts as its user and needs none.

It runs on a thread of the test process (`http.server`, port 0), so tests read and seed its
state directly (`services`, `incidents`, `add_service`, `add_incident`), and it records every
request (`requests()`) so a test can check what the server sent upstream.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
USER_EMAIL = "responder@example.com"


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    authorization: str | None
    from_header: str | None
    body: Any


@dataclass
class Failure:
    status: int
    message: str
    headers: dict[str, str] = field(default_factory=dict)


class _Reply(Exception):
    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def _error(status: int, code: int, message: str, *errors: str, **headers: str) -> _Reply:
    error: dict[str, Any] = {"message": message, "code": code}
    if errors:
        error["errors"] = list(errors)
    return _Reply(status, {"error": error}, headers)


def _invalid(*errors: str) -> _Reply:
    return _error(400, 2001, "Invalid Input Provided", *errors)


NOT_FOUND = (404, 2100, "Not Found")


class FakePagerDuty:
    """`services` seeded services (`PSVC001`...) and `incidents` seeded incidents (`PINC001`...,
    numbers 1...), spread over the services, one in three acknowledged."""

    def __init__(self, account_key: str, user_key: str, services: int = 3, incidents: int = 5) -> None:
        self.account_key = account_key
        self.user_key = user_key
        self.lock = threading.Lock()
        self.services: dict[str, dict[str, Any]] = {}
        self.incidents: dict[str, dict[str, Any]] = {}
        self.seen: list[Seen] = []
        self.failures: list[Failure] = []
        self._next_service = 1
        self._next_incident = 1
        for n in range(services):
            self.add_service(f"Service {n + 1:03d}")
        service_ids = list(self.services)
        for n in range(incidents):
            incident = self.add_incident(f"Incident {n + 1}", service_ids[n % len(service_ids)])
            if n % 3 == 1:
                incident["status"] = "acknowledged"

        fake = self

        class Handler(_Handler):
            api = fake

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def fail_next(self, status: int, message: str, **headers: str) -> None:
        """The next authorized request gets this error instead of its answer."""
        with self.lock:
            self.failures.append(Failure(status, message, headers))

    def requests(self) -> list[Seen]:
        with self.lock:
            return list(self.seen)

    # -- state ------------------------------------------------------------------------------

    def _ref(self, kind: str, ident: str, summary: str) -> dict[str, Any]:
        plural = {"service": "services", "escalation_policy": "escalation_policies"}[kind]
        return {
            "id": ident,
            "type": f"{kind}_reference",
            "summary": summary,
            "self": f"https://api.pagerduty.com/{plural}/{ident}",
            "html_url": f"https://acme.pagerduty.com/{plural}/{ident}",
        }

    def add_service(self, name: str, **fields: Any) -> dict[str, Any]:
        ident = f"PSVC{self._next_service:03d}"
        self._next_service += 1
        service = {
            "id": ident,
            "type": "service",
            "summary": name,
            "self": f"https://api.pagerduty.com/services/{ident}",
            "html_url": f"https://acme.pagerduty.com/service-directory/{ident}",
            "name": name,
            "description": fields.get("description"),
            "auto_resolve_timeout": fields.get("auto_resolve_timeout", 14400),
            "acknowledgement_timeout": fields.get("acknowledgement_timeout", 1800),
            "status": "active",
            "created_at": f"2026-01-{self._next_service:02d}T09:00:00Z",
            "last_incident_timestamp": None,
            "escalation_policy": self._ref(
                "escalation_policy", (fields.get("escalation_policy") or {}).get("id", "PEP0001"), "Default"
            ),
            "teams": [],
            "alert_creation": "create_alerts_and_incidents",
            "integrations": [],  # not in the docs: must reach clients anyway
        }
        self.services[ident] = service
        return service

    def add_incident(self, title: str, service_id: str, **fields: Any) -> dict[str, Any]:
        number = self._next_incident
        self._next_incident += 1
        ident = f"PINC{number:03d}"
        service = self.services[service_id]
        stamp = f"2026-02-{min(number, 28):02d}T10:{number % 60:02d}:00Z"
        incident = {
            "id": ident,
            "type": "incident",
            "summary": f"[#{number}] {title}",
            "self": f"https://api.pagerduty.com/incidents/{ident}",
            "html_url": f"https://acme.pagerduty.com/incidents/{ident}",
            "incident_number": number,
            "title": title,
            "status": "triggered",
            "urgency": fields.get("urgency", "high"),
            "incident_key": fields.get("incident_key") or f"key-{number}",
            "service": self._ref("service", service_id, service["name"]),
            "escalation_policy": dict(service["escalation_policy"]),
            "assignments": [],
            "assigned_via": "escalation_policy",
            "created_at": stamp,
            "updated_at": stamp,
            "last_status_change_at": stamp,
            "resolved_at": None,
            "body": fields.get("body"),
            "alert_counts": {"all": 0, "triggered": 0, "resolved": 0},  # not in the docs
        }
        self.incidents[ident] = incident
        service["last_incident_timestamp"] = stamp
        return incident


def _page(kind: str, records: list[dict[str, Any]], query: dict[str, list[str]]) -> dict[str, Any]:
    try:
        offset = int(query.get("offset", ["0"])[0])
        limit = int(query.get("limit", [str(DEFAULT_LIMIT)])[0])
    except ValueError:
        raise _invalid("Offset and limit must be integers.") from None
    if offset < 0 or not 1 <= limit <= MAX_LIMIT:
        raise _invalid(f"Limit must be between 1 and {MAX_LIMIT}; offset must not be negative.")
    page = records[offset : offset + limit]
    return {
        kind: page,
        "limit": limit,
        "offset": offset,
        "more": offset + len(page) < len(records),
        "total": len(records) if query.get("total", ["false"])[0] == "true" else None,
    }


def _many(query: dict[str, list[str]], name: str) -> list[str]:
    """A PagerDuty array parameter: `name[]` repeated (the documented spelling)."""
    return query.get(f"{name}[]", [])


class _Handler(BaseHTTPRequestHandler):
    api: FakePagerDuty
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        api = self.api
        auth = self.headers.get("Authorization")
        with api.lock:
            api.seen.append(Seen(method, url.path, query, auth, self.headers.get("From"), body))
            try:
                if auth == f"Token token={api.account_key}":
                    user_level = False
                elif auth == f"Token token={api.user_key}":
                    user_level = True
                else:
                    raise _error(401, 2006, "Unauthorized")
                if api.failures:
                    failure = api.failures.pop(0)
                    raise _error(failure.status, 2000 + failure.status, failure.message, **failure.headers)
                reply = self._route(method, url.path, query, body, user_level)
            except _Reply as answer:
                reply = answer
        self._send(reply)

    def _needs_user(self, user_level: bool) -> None:
        """POST /incidents and PUT /incidents/{id} take `From` with an account-level key."""
        if not user_level and self.headers.get("From") != USER_EMAIL:
            raise _invalid("You must specify a user's email address in the \"From\" header to perform this action")

    def _wrapped(self, body: Any, key: str) -> dict[str, Any]:
        if not isinstance(body, dict) or not isinstance(body.get(key), dict):
            raise _invalid(f"{key.capitalize()} must be an object under `{key}`.")
        return body[key]

    def _route(self, method: str, path: str, query: dict[str, list[str]], body: Any, user_level: bool) -> _Reply:
        api = self.api
        if path == "/services" and method == "GET":
            services = sorted(api.services.values(), key=lambda s: s["name"].lower())
            if "query" in query:
                services = [s for s in services if query["query"][0].lower() in s["name"].lower()]
            if "name" in query:
                services = [s for s in services if s["name"] == query["name"][0]]
            if query.get("sort_by", ["name"])[0] == "name:desc":
                services.reverse()
            return _Reply(200, _page("services", services, query))
        if path == "/services" and method == "POST":
            fields = self._wrapped(body, "service")
            errors = []
            if fields.get("type") != "service":
                errors.append("Type must be service.")
            if not isinstance(fields.get("name"), str) or not fields["name"].strip():
                errors.append("Name can't be blank.")
            elif any(s["name"] == fields["name"] for s in api.services.values()):
                errors.append("Name has already been taken.")
            policy = fields.get("escalation_policy")
            if not isinstance(policy, dict) or not policy.get("id"):
                errors.append("Escalation policy must be specified.")
            if fields.get("status", "active") != "active":
                errors.append("Status must be active when creating a service.")
            if errors:
                raise _invalid(*errors)
            service = api.add_service(fields["name"], **{k: v for k, v in fields.items() if k != "name"})
            return _Reply(201, {"service": service})
        if m := re.fullmatch(r"/services/([^/]+)", path):
            service = api.services.get(m.group(1))
            if service is None:
                raise _error(*NOT_FOUND)
            if method == "GET":
                return _Reply(200, {"service": service})
            if method == "PUT":
                fields = self._wrapped(body, "service")
                if "name" in fields and (not isinstance(fields["name"], str) or not fields["name"].strip()):
                    raise _invalid("Name can't be blank.")
                for key in ("name", "description", "status", "auto_resolve_timeout", "acknowledgement_timeout"):
                    if key in fields:
                        service[key] = fields[key]
                if isinstance(fields.get("escalation_policy"), dict):
                    service["escalation_policy"] = api._ref("escalation_policy", fields["escalation_policy"]["id"], "Default")
                service["summary"] = service["name"]
                return _Reply(200, {"service": service})
            if method == "DELETE":
                del api.services[service["id"]]
                return _Reply(204)

        if path == "/incidents" and method == "GET":
            incidents = list(api.incidents.values())
            if statuses := _many(query, "statuses"):
                incidents = [i for i in incidents if i["status"] in statuses]
            else:  # PagerDuty's default: open incidents and resolved ones alike
                pass
            if service_ids := _many(query, "service_ids"):
                incidents = [i for i in incidents if i["service"]["id"] in service_ids]
            if urgencies := _many(query, "urgencies"):
                incidents = [i for i in incidents if i["urgency"] in urgencies]
            if query.get("sort_by", [""])[0] == "incident_number:desc":
                incidents.reverse()
            return _Reply(200, _page("incidents", incidents, query))
        if path == "/incidents" and method == "POST":
            self._needs_user(user_level)
            fields = self._wrapped(body, "incident")
            errors = []
            if fields.get("type") != "incident":
                errors.append("Type must be incident.")
            if not isinstance(fields.get("title"), str) or not fields["title"].strip():
                errors.append("Title can't be blank.")
            service = fields.get("service")
            if not isinstance(service, dict) or service.get("type") != "service_reference":
                errors.append("Service must be a service_reference.")
            elif service.get("id") not in api.services:
                errors.append("Service not found.")
            if errors:
                raise _invalid(*errors)
            key = fields.get("incident_key")
            if key and any(i["incident_key"] == key and i["status"] != "resolved" for i in api.incidents.values()):
                raise _invalid("Open incident with matching dedup key already exists on this service")
            extra = {k: v for k, v in fields.items() if k not in ("title", "service")}
            incident = api.add_incident(fields["title"], service["id"], **extra)
            return _Reply(201, {"incident": incident})
        if m := re.fullmatch(r"/incidents/([^/]+)", path):
            ident = m.group(1)
            incident = api.incidents.get(ident) or next(
                (i for i in api.incidents.values() if str(i["incident_number"]) == ident), None
            )
            if method == "GET":
                if incident is None:
                    raise _error(*NOT_FOUND)
                return _Reply(200, {"incident": incident})
            if method == "PUT":
                self._needs_user(user_level)
                if incident is None:
                    raise _error(*NOT_FOUND)
                fields = self._wrapped(body, "incident")
                if fields.get("type") not in ("incident", "incident_reference"):
                    raise _invalid("Type must be incident or incident_reference.")
                if "status" in fields and fields["status"] not in ("triggered", "acknowledged", "resolved"):
                    raise _invalid("Status is not valid.")
                if "urgency" in fields and fields["urgency"] not in ("high", "low"):
                    raise _invalid("Urgency is not valid.")
                stamp = "2026-03-01T12:00:00Z"
                for key in ("title", "urgency"):
                    if key in fields:
                        incident[key] = fields[key]
                if "status" in fields and fields["status"] != incident["status"]:
                    incident["status"] = fields["status"]
                    incident["last_status_change_at"] = stamp
                    incident["resolved_at"] = stamp if fields["status"] == "resolved" else None
                incident["summary"] = f"[#{incident['incident_number']}] {incident['title']}"
                incident["updated_at"] = stamp
                return _Reply(200, {"incident": incident})
        raise _error(*NOT_FOUND)

    def _send(self, reply: _Reply) -> None:
        payload = b"" if reply.body is None else json.dumps(reply.body).encode()
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.status != 204:
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if reply.status != 204:
            self.wfile.write(payload)
