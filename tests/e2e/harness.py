"""Starting, watching and always stopping the binaries under test.

The end-to-end suite drives the real `mcp-server` and `fake-chronosphere` binaries. This module
owns their lifecycle: where the binaries are, how a process is started with a clean
environment, how its announced address is read (by waiting on its output, never by sleeping),
and how it is stopped at teardown whatever happened. It knows nothing about MCP.
"""

from __future__ import annotations

import ctypes
import os
import re
import shlex
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Generous but bounded: a debug build on a loaded 2-core CI machine can take a few seconds.
STARTUP_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the test runner dies, even by SIGKILL, so no
    server outlives a crashed or killed test run (Linux's PR_SET_PDEATHSIG; a no-op elsewhere)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class BinaryMissing(RuntimeError):
    """A binary under test has not been built."""


def binary(name: str) -> Path:
    """Path of a built workspace binary.

    `MCPGEN_BIN_DIR` wins; otherwise `$CARGO_TARGET_DIR/debug` (or `target/debug`). A missing
    binary is an error, never a skip: a suite that silently skips proves nothing.
    """
    bin_dir = os.environ.get("MCPGEN_BIN_DIR")
    if bin_dir:
        path = Path(bin_dir) / name
    else:
        target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
        path = target / os.environ.get("MCPGEN_PROFILE", "debug") / name
    if not path.is_file():
        raise BinaryMissing(
            f"{path} does not exist: build it first (`cargo build -p mcp-server -p fake-chronosphere`) "
            "or point MCPGEN_BIN_DIR at the folder that holds it"
        )
    return path


# The credential variables of every integration `mcp-server` serves (`<NAME>_<CREDENTIAL>`).
CREDENTIAL_PREFIXES = ("CHRONOSPHERE_", "GITHUB_", "PAGERDUTY_")


def clean_env(**extra: str) -> dict[str, str]:
    """The parent's environment without any integration's credentials, plus `extra`.

    Credentials a developer (or a CI runner: GITHUB_TOKEN) happens to have exported must not
    make a test pass (or fail).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(CREDENTIAL_PREFIXES)}
    env.setdefault("RUST_BACKTRACE", "1")
    env.update(extra)
    return env


class Process:
    """A child process whose stdout and stderr are drained continuously by reader threads.

    Draining matters: a server that logs to a pipe nobody reads blocks once the pipe fills.
    Every line is kept so that a failing test can show what the process said.
    """

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path, stdin: bool = False):
        self.name = name
        self.argv = argv
        self.log_path = log_dir / f"{name}.log"
        self._lines: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self._cond = threading.Condition()
        self._log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self._log.write(f"$ {shlex.join(argv)}\n")
        self._log.flush()
        self.popen = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            # Own process group: a Ctrl-C in the terminal reaches the runner, which stops us.
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        self._threads = [
            threading.Thread(target=self._drain, args=("stdout", self.popen.stdout), daemon=True),
            threading.Thread(target=self._drain, args=("stderr", self.popen.stderr), daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _drain(self, stream: str, pipe) -> None:
        for raw in iter(pipe.readline, b""):
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            with self._cond:
                self._lines[stream].append(line)
                if not self._log.closed:
                    self._log.write(f"[{stream}] {line}\n")
                    self._log.flush()
                self._cond.notify_all()
        pipe.close()
        with self._cond:
            self._cond.notify_all()

    def wait_for(self, stream: str, pattern: str, timeout: float = STARTUP_TIMEOUT_S) -> re.Match[str]:
        """First line on `stream` matching `pattern`; raises if the process exits or time runs out."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        seen = 0
        with self._cond:
            while True:
                lines = self._lines[stream]
                for line in lines[seen:]:
                    if m := regex.search(line):
                        return m
                seen = len(lines)
                if self.popen.poll() is not None and not any(t.is_alive() for t in self._threads):
                    raise RuntimeError(
                        f"{self.name} exited with {self.popen.returncode} before printing "
                        f"/{pattern}/ on {stream}:\n{self.output()}"
                    )
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"{self.name} did not print /{pattern}/ on {stream} within {timeout}s:\n{self.output()}"
                    )
                self._cond.wait(min(remaining, 0.5))

    def send_line(self, line: str) -> None:
        """Write one line to the child's stdin (started with `stdin=True`)."""
        assert self.popen.stdin is not None, "started without stdin=True"
        self.popen.stdin.write(line.encode() + b"\n")
        self.popen.stdin.flush()

    def lines(self, stream: str) -> list[str]:
        with self._cond:
            return list(self._lines[stream])

    def output(self) -> str:
        with self._cond:
            out = "\n".join(f"  stdout| {l}" for l in self._lines["stdout"])
            err = "\n".join(f"  stderr| {l}" for l in self._lines["stderr"])
        return f"$ {shlex.join(self.argv)}\n{out}\n{err}".rstrip()

    def stderr_text(self) -> str:
        with self._cond:
            return "\n".join(self._lines["stderr"])

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after a bound; always reaps the child and closes the log."""
        if self.popen.stdin is not None and not self.popen.stdin.closed:
            try:
                self.popen.stdin.close()
            except OSError:
                pass  # the child already went away
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=STOP_TIMEOUT_S)
        for t in self._threads:
            t.join(timeout=STOP_TIMEOUT_S)
        with self._cond:
            if not self._log.closed:
                self._log.close()
        return self.popen.returncode


@dataclass
class Started:
    process: Process
    url: str


def start_fake_upstream(log_dir: Path, token: str, seed_teams: int) -> Started:
    argv = [
        str(binary("fake-chronosphere")),
        "--listen",
        "127.0.0.1:0",
        "--api-token",
        token,
        "--seed-teams",
        str(seed_teams),
    ]
    proc = Process("fake-chronosphere", argv, clean_env(), log_dir)
    try:
        m = proc.wait_for("stdout", r"listening on (http://127\.0\.0\.1:\d+)")
    except BaseException:
        proc.stop()
        raise
    return Started(proc, m.group(1))


def server_argv(mode: str, upstream_url: str, *extra: str, integration: str = "chronosphere") -> list[str]:
    """`mcp-server stdio|http` for one integration: with several served, `--integration` is
    required."""
    argv = [str(binary("mcp-server")), mode, "--integration", integration, "--base-url", upstream_url]
    if mode == "http":
        argv += ["--listen", "127.0.0.1:0"]
    return argv + list(extra)


def start_http_server(
    log_dir: Path, upstream_url: str, env: dict[str, str], *extra: str, integration: str = "chronosphere"
) -> Started:
    argv = server_argv("http", upstream_url, *extra, integration=integration)
    proc = Process(f"mcp-server-http-{integration}", argv, env, log_dir)
    try:
        m = proc.wait_for("stderr", r"listening on (http://\S+/mcp)")
    except BaseException:
        proc.stop()
        raise
    return Started(proc, m.group(1))
