"""A fake GitHub REST API (repositories and issues), in-process.

It follows the excerpt of GitHub's OpenAPI description in tests/data/github/: bearer auth (401
`Bad credentials` otherwise), `per_page` (default 30, at most 100) and `page` in, an RFC 8288
`Link` header out with absolute `rel="next"`/`"last"` (and `"prev"`/`"first"`) URLs that keep
the request's other parameters, `{"message", "documentation_url"}` error bodies (404 Not Found,
422 Validation Failed with `errors`), 201 on create, and `x-ratelimit-*` headers on every reply.

Like GitHub, the `Link` URLs do not repeat the request's path: the pages after the first of
`/repos/{owner}/{repo}/issues` are `/repositories/{id}/issues?page=N`, those of
`/orgs/{org}/repos` are `/organizations/{id}/repos?page=N` and those of `/users/{user}/repos`
are `/user/{id}/repos?page=N`; the fake answers those paths too.

It runs on a thread of the test process (`http.server`, port 0): tests read and seed its state
directly (`repos`, `issues`, `add_repo`, `add_issue`), and every request is recorded
(`requests()`).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100
DOCS = "https://docs.github.com/rest"
RATE_LIMIT = {"x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4999", "x-ratelimit-reset": "1900000000"}


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


class _Reply(Exception):
    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def _error(status: int, message: str, **extra: Any) -> _Reply:
    return _Reply(status, {"message": message, **extra, "documentation_url": DOCS, "status": str(status)})


NOT_FOUND = (404, "Not Found")


def _invalid(resource: str, field_name: str, code: str, value: Any = None) -> _Reply:
    error: dict[str, Any] = {"resource": resource, "field": field_name, "code": code}
    if value is not None:
        error["value"] = value
    return _error(422, "Validation Failed", errors=[error])


class FakeGitHub:
    """An organization `octo-org` with `org_repos` repositories (`repo-01`...; `repo-01` has
    `issues` issues, newest first, one in four closed) and a user `octocat` with two public
    repositories."""

    def __init__(self, token: str, org_repos: int = 5, issues: int = 7) -> None:
        self.token = token
        self.lock = threading.Lock()
        self.accounts: dict[str, dict[str, Any]] = {
            "octo-org": {"login": "octo-org", "id": 9919, "type": "Organization"},
            "octocat": {"login": "octocat", "id": 583231, "type": "User"},
        }
        self.collaborators = {"octocat", "hubot", "monalisa"}
        self.milestones = {1: {"number": 1, "title": "v1.0", "state": "open"}}
        self.repos: dict[int, dict[str, Any]] = {}
        self.issues: dict[int, dict[int, dict[str, Any]]] = {}
        self.seen: list[Seen] = []
        self.failures: list[Failure] = []
        for n in range(org_repos):
            self.add_repo("octo-org", f"repo-{n + 1:02d}", language=["Rust", "Python", "Go"][n % 3])
        self.add_repo("octocat", "Hello-World")
        self.add_repo("octocat", "Spoon-Knife", fork=True)
        first = self.repo("octo-org", "repo-01")
        for n in range(issues):
            issue = self.add_issue(first["id"], f"Issue {n + 1}", labels=["bug"] if n % 2 == 0 else [])
            if n % 4 == 3:
                issue.update(state="closed", state_reason="completed", closed_at="2026-03-01T00:00:00Z")

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

    def repo(self, owner: str, name: str) -> dict[str, Any] | None:
        return next(
            (r for r in self.repos.values()
             if r["owner"]["login"].lower() == owner.lower() and r["name"].lower() == name.lower()),
            None,
        )

    def add_repo(self, owner: str, name: str, **fields: Any) -> dict[str, Any]:
        ident = 1296269 + len(self.repos)
        account = self.accounts[owner]
        full = f"{owner}/{name}"
        stamp = f"2026-01-{len(self.repos) + 1:02d}T09:00:00Z"
        repo = {
            "id": ident,
            "node_id": f"R_{ident}",
            "name": name,
            "full_name": full,
            "owner": dict(account),
            "private": False,
            "visibility": "public",
            "description": fields.get("description", f"The {name} repository."),
            "fork": fields.get("fork", False),
            "archived": False,
            "default_branch": "main",
            "language": fields.get("language"),
            "topics": [],
            "stargazers_count": len(self.repos) * 3,
            "forks_count": 1,
            "open_issues_count": 0,
            "has_issues": True,
            "size": 108,
            "html_url": f"https://github.com/{full}",
            "url": f"https://api.github.com/repos/{full}",
            "pushed_at": stamp,
            "created_at": stamp,
            "updated_at": stamp,
            "watchers_count": 0,  # not in the docs: must reach clients anyway
        }
        self.repos[ident] = repo
        self.issues[ident] = {}
        return repo

    def add_issue(self, repo_id: int, title: str, **fields: Any) -> dict[str, Any]:
        repo = self.repos[repo_id]
        issues = self.issues[repo_id]
        number = max(issues, default=0) + 1
        stamp = f"2026-02-{min(number, 28):02d}T10:{number % 60:02d}:00Z"
        issue = {
            "id": 1_000_000 + repo_id % 1000 * 1000 + number,
            "node_id": f"I_{repo_id}_{number}",
            "number": number,
            "title": title,
            "body": fields.get("body"),
            "state": "open",
            "state_reason": None,
            "user": {"login": "octocat", "id": 583231},
            "labels": [self._label(name) for name in fields.get("labels", [])],
            "assignees": [{"login": login, "id": 1} for login in fields.get("assignees", [])],
            "milestone": self.milestones.get(fields.get("milestone")),
            "locked": False,
            "comments": 0,
            "author_association": "OWNER",
            "html_url": f"{repo['html_url']}/issues/{number}",
            "url": f"https://api.github.com/repos/{repo['full_name']}/issues/{number}",
            "repository_url": repo["url"],
            "closed_at": None,
            "created_at": stamp,
            "updated_at": stamp,
            "reactions": {"total_count": 0},  # not in the docs
        }
        issues[number] = issue
        repo["open_issues_count"] = sum(1 for i in issues.values() if i["state"] == "open")
        return issue

    def _label(self, name: str) -> dict[str, Any]:
        return {"id": abs(hash(name)) % 10**9, "name": name, "color": "f29513", "description": None, "default": False}


class _Handler(BaseHTTPRequestHandler):
    api: FakeGitHub
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

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
                if self.headers.get("Authorization") != f"Bearer {api.token}":
                    raise _error(401, "Bad credentials")
                if api.failures:
                    failure = api.failures.pop(0)
                    raise _Reply(failure.status, {"message": failure.message, "documentation_url": DOCS}, failure.headers)
                if body is not None and not isinstance(body, dict):
                    raise _error(400, "Problems parsing JSON")
                reply = self._route(method, url.path, query, body or {})
            except _Reply as answer:
                reply = answer
        self._send(reply)

    # -- pagination -------------------------------------------------------------------------

    def _page(self, records: list[dict[str, Any]], query: dict[str, list[str]], link_path: str) -> _Reply:
        """One page of `records`, with a `Link` header whose URLs are on `link_path`."""
        try:
            page = int(query.get("page", ["1"])[0])
            per_page = int(query.get("per_page", [str(DEFAULT_PER_PAGE)])[0])
        except ValueError:
            raise _error(400, "Invalid page or per_page") from None
        page = max(page, 1)
        per_page = min(max(per_page, 1), MAX_PER_PAGE)
        last = max((len(records) + per_page - 1) // per_page, 1)
        start = (page - 1) * per_page
        rest = {k: v[-1] for k, v in query.items() if k != "page"}

        def link(n: int, rel: str) -> str:
            return f'<{self.api.url}{link_path}?{urlencode({**rest, "page": n})}>; rel="{rel}"'

        links = []
        if page > 1:
            links += [link(page - 1, "prev")]
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        if page > 1:
            links += [link(1, "first")]
        headers = {"Link": ", ".join(links)} if links else {}
        return _Reply(200, records[start : start + per_page], headers)

    # -- routes -----------------------------------------------------------------------------

    def _route(self, method: str, path: str, query: dict[str, list[str]], body: dict[str, Any]) -> _Reply:
        api = self.api
        if method == "GET" and (
            (m := re.fullmatch(r"/orgs/([^/]+)/repos", path))
            or (m := re.fullmatch(r"/organizations/(\d+)/repos", path))
        ):
            account = self._account(m.group(1), "Organization")
            repos = [r for r in api.repos.values() if r["owner"]["login"] == account["login"]]
            kind = query.get("type", ["all"])[0]
            if kind == "forks":
                repos = [r for r in repos if r["fork"]]
            elif kind == "sources":
                repos = [r for r in repos if not r["fork"]]
            if query.get("sort", ["created"])[0] == "full_name":
                repos.sort(key=lambda r: r["full_name"].lower())
            return self._page(repos, query, f"/organizations/{account['id']}/repos")
        if method == "GET" and (
            (m := re.fullmatch(r"/users/([^/]+)/repos", path))
            or (m := re.fullmatch(r"/user/(\d+)/repos", path))
        ):
            account = self._account(m.group(1), None)
            repos = sorted(
                (r for r in api.repos.values() if r["owner"]["login"] == account["login"] and not r["private"]),
                key=lambda r: r["full_name"].lower(),
            )
            return self._page(repos, query, f"/user/{account['id']}/repos")
        if method == "GET" and (m := re.fullmatch(r"/repos/([^/]+)/([^/]+)", path)):
            return _Reply(200, self._repo(m))

        if (m := re.fullmatch(r"/repos/([^/]+)/([^/]+)/issues", path)) or (
            m := re.fullmatch(r"/repositories/(\d+)/issues", path)
        ):
            repo = self._repo(m)
            issues = api.issues[repo["id"]]
            if method == "GET":
                return self._list_issues(repo, list(issues.values()), query)
            if method == "POST":
                title = body.get("title")
                if not isinstance(title, (str, int)) or str(title).strip() == "":
                    raise _invalid("Issue", "title", "missing_field")
                self._check_people_and_milestone(body)
                issue = api.add_issue(repo["id"], str(title), **{k: v for k, v in body.items() if k != "title"})
                return _Reply(201, issue, {"Location": issue["url"]})
        if (m := re.fullmatch(r"/repos/([^/]+)/([^/]+)/issues/(\d+)", path)) or (
            m := re.fullmatch(r"/repositories/(\d+)/issues/(\d+)", path)
        ):
            repo = self._repo(m)
            issue = api.issues[repo["id"]].get(int(m.groups()[-1]))
            if issue is None:
                raise _error(*NOT_FOUND)
            if method == "GET":
                return _Reply(200, issue)
            if method == "PATCH":
                return _Reply(200, self._update_issue(repo, issue, body))
        raise _error(*NOT_FOUND)

    def _account(self, key: str, kind: str | None) -> dict[str, Any]:
        account = next(
            (a for a in self.api.accounts.values() if a["login"].lower() == key.lower() or str(a["id"]) == key),
            None,
        )
        if account is None or (kind is not None and account["type"] != kind):
            raise _error(*NOT_FOUND)
        return account

    def _repo(self, m: re.Match[str]) -> dict[str, Any]:
        groups = m.groups()
        if groups[0].isdigit() and m.re.pattern.startswith("/repositories"):
            repo = self.api.repos.get(int(groups[0]))
        else:
            repo = self.api.repo(groups[0], groups[1])
        if repo is None:
            raise _error(*NOT_FOUND)
        return repo

    def _list_issues(self, repo: dict[str, Any], issues: list[dict[str, Any]], query: dict[str, list[str]]) -> _Reply:
        state = query.get("state", ["open"])[0]
        if state not in ("open", "closed", "all"):
            raise _invalid("Issue", "state", "invalid", state)
        if state != "all":
            issues = [i for i in issues if i["state"] == state]
        if "labels" in query:
            wanted = {name for name in query["labels"][0].split(",") if name}
            issues = [i for i in issues if wanted <= {label["name"] for label in i["labels"]}]
        if "assignee" in query:
            who = query["assignee"][0]
            if who == "none":
                issues = [i for i in issues if not i["assignees"]]
            elif who == "*":
                issues = [i for i in issues if i["assignees"]]
            else:
                issues = [i for i in issues if who in {a["login"] for a in i["assignees"]}]
        if "creator" in query:
            issues = [i for i in issues if i["user"]["login"] == query["creator"][0]]
        key = {"created": "created_at", "updated": "updated_at", "comments": "comments"}[query.get("sort", ["created"])[0]]
        issues = sorted(issues, key=lambda i: (i[key], i["number"]), reverse=query.get("direction", ["desc"])[0] == "desc")
        return self._page(issues, query, f"/repositories/{repo['id']}/issues")

    def _check_people_and_milestone(self, body: dict[str, Any]) -> None:
        for login in body.get("assignees") or []:
            if login not in self.api.collaborators:
                raise _invalid("Issue", "assignees", "invalid", login)
        milestone = body.get("milestone")
        if milestone is not None and milestone not in self.api.milestones:
            raise _invalid("Issue", "milestone", "invalid", milestone)

    def _update_issue(self, repo: dict[str, Any], issue: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        if "state" in body and body["state"] not in ("open", "closed"):
            raise _invalid("Issue", "state", "invalid", body["state"])
        self._check_people_and_milestone(body)
        if "title" in body:
            if not isinstance(body["title"], (str, int)) or str(body["title"]).strip() == "":
                raise _invalid("Issue", "title", "missing_field")
            issue["title"] = str(body["title"])
        if "body" in body:
            issue["body"] = body["body"]
        if "labels" in body:
            issue["labels"] = [self.api._label(name) for name in body["labels"]]
        if "assignees" in body:
            issue["assignees"] = [{"login": login, "id": 1} for login in body["assignees"]]
        if "milestone" in body:
            issue["milestone"] = self.api.milestones.get(body["milestone"])
        if "state" in body and body["state"] != issue["state"]:
            issue["state"] = body["state"]
            closed = body["state"] == "closed"
            issue["state_reason"] = body.get("state_reason") or ("completed" if closed else "reopened")
            issue["closed_at"] = "2026-03-01T12:00:00Z" if closed else None
        issue["updated_at"] = "2026-03-01T12:00:00Z"
        issues = self.api.issues[repo["id"]]
        repo["open_issues_count"] = sum(1 for i in issues.values() if i["state"] == "open")
        return issue

    def _send(self, reply: _Reply) -> None:
        payload = json.dumps(reply.body).encode()
        self.send_response(reply.status)
        for name, value in {**RATE_LIMIT, **reply.headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
