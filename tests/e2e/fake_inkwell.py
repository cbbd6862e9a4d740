"""A fake Inkwell API (the made-up notes service of examples/downstream), in-process.

It follows the docs in examples/downstream/docs/inkwell: bearer auth, `page`/`per_page`
pagination with records under `data`, `{"error": {"code", "message"}}` error bodies, and
`X-Inkwell-RateLimit-*` headers on a 429. It runs on a thread of the test process
(`http.server`, port 0), so tests read and seed its state directly, and it records every
request so a test can check what the server sent upstream.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PREFIX = "/v1"
DEFAULT_PER_PAGE = 20


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    authorization: str | None
    body: Any


@dataclass
class Failure:
    status: int
    message: str
    headers: dict[str, str] = field(default_factory=dict)


class FakeInkwell:
    """Three notebooks and five notes (one archived) to start with."""

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.lock = threading.Lock()
        self.notebooks: dict[str, dict[str, Any]] = {}
        self.notes: dict[str, dict[str, Any]] = {}
        self.seen: list[Seen] = []
        self.failures: list[Failure] = []
        for name in ("Inbox", "Meetings", "Ideas"):
            self._add_notebook({"name": name})
        for notebook, title, tags in [
            ("nb_1", "Groceries", ["home"]),
            ("nb_2", "Weekly sync", ["meeting"]),
            ("nb_2", "Planning", ["meeting", "q3"]),
            ("nb_3", "Rename the project", []),
            ("nb_1", "Old list", ["home"]),
        ]:
            self._add_note({"notebook_id": notebook, "title": title, "body": f"# {title}", "tags": tags})
        self.notes["note_5"]["archived"] = True

        fake = self

        class Handler(_Handler):
            api = fake

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # A short poll interval: `shutdown()` waits for one at teardown.
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{PREFIX}"

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

    def _add_notebook(self, fields: dict[str, Any]) -> dict[str, Any]:
        ident = f"nb_{len(self.notebooks) + 1}"
        notebook = {
            "id": ident,
            "name": fields["name"],
            "description": fields.get("description", ""),
            "created_at": f"2026-01-0{len(self.notebooks) + 1}T09:00:00Z",
            "color": "blue",  # not in the docs: must reach clients anyway
        }
        self.notebooks[ident] = notebook
        return notebook

    def _add_note(self, fields: dict[str, Any]) -> dict[str, Any]:
        ident = f"note_{max((int(k[5:]) for k in self.notes), default=0) + 1}"
        stamp = f"2026-02-{len(self.notes) + 1:02d}T10:00:00Z"
        note = {
            "id": ident,
            "notebook_id": fields["notebook_id"],
            "title": fields["title"],
            "body": fields.get("body", ""),
            "tags": list(fields.get("tags", [])),
            "pinned": bool(fields.get("pinned", False)),
            "archived": False,
            "created_at": stamp,
            "updated_at": stamp,
        }
        self.notes[ident] = note
        return note

    def notebook_view(self, notebook: dict[str, Any]) -> dict[str, Any]:
        count = sum(1 for n in self.notes.values() if n["notebook_id"] == notebook["id"])
        return notebook | {"note_count": count}


class _Reply(Exception):
    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def _error(status: int, code: str, message: str, **headers: str) -> _Reply:
    return _Reply(status, {"error": {"code": code, "message": message}}, headers)


def _page(records: list[dict[str, Any]], query: dict[str, list[str]]) -> dict[str, Any]:
    try:
        page = int(query.get("page", ["1"])[0])
        per_page = int(query.get("per_page", [str(DEFAULT_PER_PAGE)])[0])
    except ValueError:
        raise _error(400, "bad_request", "page and per_page must be integers") from None
    if page < 1 or not 1 <= per_page <= 100:
        raise _error(400, "bad_request", "page starts at 1; per_page is 1 to 100")
    start = (page - 1) * per_page
    return {"data": records[start : start + per_page], "page": page, "per_page": per_page, "total": len(records)}


class _Handler(BaseHTTPRequestHandler):
    api: FakeInkwell
    protocol_version = "HTTP/1.1"  # keep-alive, as the runtime's pooled client expects
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms stalls

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # tests read `requests()` instead

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

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
        with api.lock:
            api.seen.append(Seen(method, url.path, query, self.headers.get("Authorization"), body))
            try:
                if self.headers.get("Authorization") != f"Bearer {api.api_key}":
                    raise _error(401, "unauthorized", "Invalid API key.")
                if api.failures:
                    failure = api.failures.pop(0)
                    raise _error(failure.status, "failure", failure.message, **failure.headers)
                reply = _Reply(200, self._route(method, url.path, query, body))
            except _Reply as answer:
                reply = answer
        self._send(reply)

    def _route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Any:
        api = self.api
        if not path.startswith(PREFIX + "/"):
            raise _error(404, "not_found", f"No route for {path}.")
        path = path[len(PREFIX) :]
        if body is None:
            body = {}  # archive is a POST without a body
        elif not isinstance(body, dict):
            raise _error(400, "bad_request", "The body must be a JSON object.")

        if path == "/notebooks" and method == "GET":
            return _page([api.notebook_view(n) for n in api.notebooks.values()], query)
        if path == "/notebooks" and method == "POST":
            if not isinstance(body.get("name"), str) or not body["name"]:
                raise _error(422, "invalid", "`name` is required.")
            return api.notebook_view(api._add_notebook(body))
        if m := re.fullmatch(r"/notebooks/([^/]+)", path):
            if method != "GET":
                raise _error(405, "method_not_allowed", f"{method} is not allowed here.")
            notebook = api.notebooks.get(m.group(1))
            if notebook is None:
                raise _error(404, "not_found", f"Notebook {m.group(1)} not found.")
            return api.notebook_view(notebook)

        if path == "/notes" and method == "GET":
            archived = query.get("archived", ["false"])[0] == "true"
            notes = [n for n in reversed(api.notes.values()) if n["archived"] == archived]
            if "notebook_id" in query:
                notes = [n for n in notes if n["notebook_id"] == query["notebook_id"][0]]
            if "tag" in query:
                notes = [n for n in notes if query["tag"][0] in n["tags"]]
            return _page(notes, query)
        if path == "/notes" and method == "POST":
            for key in ("notebook_id", "title"):
                if not isinstance(body.get(key), str) or not body[key]:
                    raise _error(422, "invalid", f"`{key}` is required.")
            if body["notebook_id"] not in api.notebooks:
                raise _error(422, "invalid", f"Notebook {body['notebook_id']} does not exist.")
            return api._add_note(body)
        if m := re.fullmatch(r"/notes/([^/]+)(/archive)?", path):
            note = api.notes.get(m.group(1))
            if note is None:
                raise _error(404, "not_found", f"Note {m.group(1)} not found.")
            if m.group(2):
                if method != "POST":
                    raise _error(405, "method_not_allowed", f"{method} is not allowed here.")
                note["archived"] = True
                return note
            if method == "GET":
                return note
            if method == "PATCH":
                for key in ("notebook_id", "title", "body", "tags", "pinned"):
                    if key in body:
                        note[key] = body[key]
                note["updated_at"] = "2026-03-01T12:00:00Z"
                return note
            if method == "DELETE":
                del api.notes[note["id"]]
                raise _Reply(204)
        raise _error(404, "not_found", f"No route for {method} {path}.")

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
