"""The benchmark matrix behind `benches/run.sh`: one machine, one run, every figure.

Starts the fake Chronosphere upstream, measures it directly (the floor), then `mcp-server http`
and FastMCP's OpenAPI server on the same upstream with the same load generator and the same
protocol pattern (`loadgen --protocol`), at each concurrency. Also measures footprint (RSS idle
and under load, binary size, spawn-to-first-answer) and, unless `--quick`, runs the in-process
Rust benches (generator, 1,000-tool `tools/list`). Writes `results.json` and `results.md` to the
output folder and prints the markdown. Exits non-zero when any measured request failed, so the
CI smoke run (`--quick`) catches a harness or server that has rotted; targets missed are
reported, never asserted.

Standard library only: it runs under benches/.venv's Python, which also serves FastMCP.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHES = ROOT / "benches"
TOKEN = "bench-token"
TENANT = "bench"
LISTEN_RE = re.compile(r"listening on (http://\S+)")
PAGE_SIZE_DEFAULT = 50  # the fake's default page size; list calls send no page size

# The same upstream requests through each server: (op, mcp-server arguments, FastMCP arguments).
CALLS = [
    ("list_all_chronosphere_teams", {}, {}),
    ("get_single_chronosphere_team_by_id", {"id": "team-0001"}, {"slug": "team-0001"}),
]
DIRECT = [
    ("list_all_chronosphere_teams", "/api/v1/config/teams"),
    ("get_single_chronosphere_team_by_id", "/api/v1/config/teams/team-0001"),
]

TARGETS = {
    "tools_call_throughput_vs_fastmcp_at_16": 10.0,
    "added_latency_p50_us": 100.0,
    "tools_list_1000_p50_ms": 1.0,
    "generator_1000_resources_s": 1.0,
    "idle_rss_mb": 20.0,
    "binary_mb": 20.0,
}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- processes -------------------------------------------------------------------------------


class Proc:
    """A server we started: its process, URL and a log file for its stderr (and stdout)."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], workdir: Path,
                 url_stream: str = "stderr", timeout: float = 60.0) -> None:
        self.name = name
        self.log_path = workdir / f"{name}.log"
        self.log_file = open(self.log_path, "w")
        # Logs go to a file, never a pipe we might stop draining (a full pipe stalls a server).
        self.proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                     stdout=self.log_file, stderr=self.log_file)
        self.url = self._wait_for_url(timeout)
        log(f"{name} (pid {self.proc.pid}) at {self.url}")

    def _wait_for_url(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = LISTEN_RE.search(self.log_path.read_text(errors="replace"))
            if match:
                return match.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        tail = self.log_path.read_text(errors="replace")[-2000:]
        raise SystemExit(f"{self.name} did not print `listening on ...`:\n{tail}")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, from /proc/PID/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (OSError, ValueError, IndexError):
        return 0.0


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS / VmHWM in KiB from /proc/PID/status."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return values


class RssSampler:
    """Samples a process's VmRSS every 50 ms while a load runs; keeps the maximum."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.max_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.max_kib = max(self.max_kib, proc_status(self.pid).get("VmRSS", 0))
            self._stop.wait(0.05)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# --- load generator --------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.loadgen = str(Path(args.bin_dir) / "loadgen")
        self.failures: list[str] = []
        self.upstream_pid = 0

    def load(self, label: str, extra: list[str], concurrency: int,
             cpu_pids: dict[str, int] | None = None) -> dict:
        """One loadgen run; `cpu_pids` names processes whose CPU time per request to report."""
        before = {name: cpu_seconds(pid) for name, pid in (cpu_pids or {}).items()}
        argv = [self.loadgen, "run", "--label", label, "--concurrency", str(concurrency),
                "--duration", str(self.args.duration), "--warmup", str(self.args.warmup),
                "--threads", str(self.args.loadgen_threads), *extra]
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"loadgen failed for {label} N={concurrency}:\n{done.stderr}")
        report = json.loads(done.stdout)
        # Includes the warm-up, so divide by every request made, measured or not (approximated
        # by scaling the measured count by the whole run's length).
        total = report["requests"] * (self.args.duration + self.args.warmup) / self.args.duration
        report["cpu_us_per_request"] = {
            name: round((cpu_seconds(pid) - before[name]) * 1e6 / total, 1) if total else None
            for name, pid in (cpu_pids or {}).items()
        }
        lat = report["latency_us"]
        log(f"{label:<52} N={concurrency:<3} {report['throughput_rps']:>9.0f} req/s  "
            f"p50 {fmt_us(lat['p50'])}  p99 {fmt_us(lat['p99'])}  errors {report['errors']}")
        if report["errors"] or report["warmup_errors"] or report["requests"] == 0:
            self.failures.append(f"{label} N={concurrency}: {report['errors']} errors, "
                                 f"{report['warmup_errors']} warm-up errors, "
                                 f"{report['requests']} requests; first: {report['first_error']}")
        return report

    def mcp_matrix(self, server: str, url: str, pid: int, fastmcp: bool) -> dict:
        """tools/list and the two tools/calls at every concurrency, RSS sampled throughout."""
        runs = []
        protocol = ["--protocol", self.args.protocol]
        pids = {"server": pid, "upstream": self.upstream_pid}
        with RssSampler(pid) as sampler:
            for n in self.args.concurrency:
                report = self.load(f"{server} tools/list", ["--target", "mcp", "--url", url,
                                   "--method", "tools/list", *protocol], n, pids)
                runs.append({"op": "tools/list", **report})
                for tool, ours, theirs in CALLS:
                    arguments = theirs if fastmcp else ours
                    report = self.load(
                        f"{server} tools/call {tool}",
                        ["--target", "mcp", "--url", url, "--method", "tools/call", "--tool",
                         tool, "--arguments", json.dumps(arguments), *protocol], n, pids)
                    runs.append({"op": tool, **report})
        status = proc_status(pid)
        return {"runs": runs, "loaded_rss_kib": sampler.max_kib, "hwm_kib": status.get("VmHWM")}

    def direct_matrix(self, base: str) -> list[dict]:
        runs = []
        for n in self.args.concurrency:
            for op, path in DIRECT:
                report = self.load(f"direct upstream {op}",
                                   ["--target", "rest", "--url", base + path,
                                    "--header", f"API-Token: {TOKEN}"], n,
                                   {"upstream": self.upstream_pid})
                runs.append({"op": op, **report})
        return runs

    def relay_matrix(self, base: str, work: Path) -> list[dict]:
        """The two tool calls through `loadgen relay`: the extra hop with no MCP work."""
        runs = []
        for op, path in DIRECT:
            relay = Proc(f"relay-{op}", [self.loadgen, "relay", "--upstream", base + path,
                                         "--header", f"API-Token: {TOKEN}"], dict(os.environ), work)
            try:
                for n in self.args.concurrency:
                    report = self.load(f"relay {op}", [
                        "--target", "mcp", "--url", relay.url, "--method", "tools/call",
                        "--tool", op, "--protocol", self.args.protocol],
                        n, {"server": relay.pid, "upstream": self.upstream_pid})
                    runs.append({"op": op, **report})
            finally:
                relay.stop()
        return runs

    def first_answer(self, url: str) -> None:
        """One tools/list so that 'idle' means started and answered once."""
        argv = [self.loadgen, "run", "--target", "mcp", "--url", url, "--method", "tools/list",
                "--protocol", self.args.protocol, "--concurrency", "1", "--duration", "0.05",
                "--warmup", "0"]
        subprocess.run(argv, capture_output=True, text=True, check=False)


def fmt_us(value: float | int | None) -> str:
    if value is None:
        return "-"
    if value >= 10_000:
        return f"{value / 1000:.1f} ms"
    return f"{value:.0f} us" if value < 1000 else f"{value / 1000:.2f} ms"


# --- machine and footprint -------------------------------------------------------------------


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kib = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    except (OSError, ValueError):
        pass
    def version(argv: list[str]) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "unknown"
    try:
        from importlib.metadata import version as pkg_version
        fastmcp = pkg_version("fastmcp")
    except Exception:  # noqa: BLE001 - reported, not fatal
        fastmcp = "not installed"
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "rustc": version(["rustc", "-V"]),
        "python": platform.python_version(),
        "fastmcp": fastmcp,
        "loadavg_at_start": os.getloadavg(),
    }


def binary_size(path: Path) -> dict:
    size = path.stat().st_size
    stripped = None
    if shutil.which("strip"):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / path.name
            shutil.copy(path, copy)
            if subprocess.run(["strip", str(copy)], capture_output=True).returncode == 0:
                stripped = copy.stat().st_size
    return {"bytes": size, "stripped_bytes": stripped}


def startup(bench: Bench, argv: list[str], env: dict[str, str], runs: int) -> dict:
    done = subprocess.run([bench.loadgen, "startup", "--runs", str(runs), "--", *argv],
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"start-up measurement failed for {argv[0]}:\n{done.stderr}")
    return json.loads(done.stdout)


# --- in-process Rust benches -----------------------------------------------------------------

DIVAN_ROW = re.compile(
    r"^[\s│├╰─]*(?P<name>[A-Za-z_][\w]*)\s+(?P<fastest>[\d.]+ [nµm]?s)\s+│\s+"
    r"(?P<slowest>[\d.]+ [nµm]?s)\s+│\s+(?P<median>[\d.]+ [nµm]?s)\s+│\s+(?P<mean>[\d.]+ [nµm]?s)")


def seconds(text: str) -> float:
    value, unit = text.split()
    return float(value) * {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]


def cargo_bench(package: str, bench: str, workdir: Path, quick: bool) -> dict:
    """Runs one divan bench; quick mode runs each benchmark once, in the debug build that the
    tests already made (`cargo test --bench`), so the CI smoke run compiles no release build."""
    if quick:
        argv = ["cargo", "test", "-p", package, "--bench", bench]
    else:
        argv = ["cargo", "bench", "-p", package, "--bench", bench, "--"]
    log(" ".join(argv))
    done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
    (workdir / f"{bench}.txt").write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"`{' '.join(argv)}` failed:\n{done.stderr[-3000:]}")
    medians = {}
    for line in done.stdout.splitlines():
        match = DIVAN_ROW.match(line)
        if match:
            medians[match["name"]] = seconds(match["median"])
    return {"command": " ".join(argv), "median_s": medians, "output": done.stdout}


# --- report ----------------------------------------------------------------------------------


def find(runs: list[dict], op: str, n: int) -> dict | None:
    return next((r for r in runs if r["op"] == op and r["concurrency"] == n), None)


def ratios(results: dict) -> dict:
    ours = results["mcp_server"]["runs"]
    direct = results["direct"]
    peer = results.get("fastmcp", {}).get("runs", [])
    out: dict[str, dict] = {"throughput_vs_fastmcp": {}, "p50_fastmcp_over_ours": {},
                            "added_latency_p50_us": {}, "added_latency_p99_us": {},
                            "upstream_headroom": {}, "hop_p50_us": {}, "own_p50_us": {}}
    for n in results["concurrency"]:
        for op in ["tools/list"] + [c[0] for c in CALLS]:
            key = f"{op} N={n}"
            a, b = find(ours, op, n), find(peer, op, n)
            if a and b and b["throughput_rps"]:
                out["throughput_vs_fastmcp"][key] = a["throughput_rps"] / b["throughput_rps"]
                if a["latency_us"]["p50"]:
                    out["p50_fastmcp_over_ours"][key] = b["latency_us"]["p50"] / a["latency_us"]["p50"]
            d = find(direct, op, n)
            relay = find(results.get("relay", []), op, n)
            if relay and d:
                out["hop_p50_us"][key] = relay["latency_us"]["p50"] - d["latency_us"]["p50"]
            if relay and a:
                out["own_p50_us"][key] = a["latency_us"]["p50"] - relay["latency_us"]["p50"]
            if a and d:
                out["added_latency_p50_us"][key] = a["latency_us"]["p50"] - d["latency_us"]["p50"]
                out["added_latency_p99_us"][key] = a["latency_us"]["p99"] - d["latency_us"]["p99"]
                if a["throughput_rps"]:
                    out["upstream_headroom"][key] = d["throughput_rps"] / a["throughput_rps"]
    return out


def verdicts(results: dict) -> list[tuple[str, str, str, bool | None]]:
    """(target, goal, measured, met) for each issue target that this run measured."""
    r = results["ratios"]
    rows = []
    calls16 = [v for k, v in r["throughput_vs_fastmcp"].items()
               if k.endswith(" N=16") and not k.startswith("tools/list")]
    if calls16:
        worst = min(calls16)
        rows.append(("tools/call throughput vs FastMCP, 16 clients", ">= 10x", f"{worst:.1f}x (worst call)",
                     worst >= TARGETS["tools_call_throughput_vs_fastmcp_at_16"]))
    added = [v for k, v in r["added_latency_p50_us"].items()
             if k.endswith(" N=1") and not k.startswith("tools/list")]
    if added:
        worst = max(added)
        rows.append(("added latency per tools/call, p50, 1 client", "<= 100 us", f"{worst:.0f} us (worst call)",
                     worst <= TARGETS["added_latency_p50_us"]))
    tl = results.get("cargo_benches", {}).get("tools_list", {}).get("median_s", {})
    if "http_router_stateless" in tl and not results["quick"]:
        ms = tl["http_router_stateless"] * 1000
        rows.append(("tools/list of 1,000 tools, p50 (in process, whole router)", "<= 1 ms",
                     f"{ms:.3f} ms", ms <= TARGETS["tools_list_1000_p50_ms"]))
    gen = results.get("cargo_benches", {}).get("generate", {}).get("median_s", {})
    if "generate_in_memory" in gen and not results["quick"]:
        s = gen["generate_in_memory"]
        rows.append(("generator, 1,000 resources (load+validate+emit)", "< 1 s", f"{s:.3f} s",
                     s < TARGETS["generator_1000_resources_s"]))
    if "no_change_rerun" in gen:
        rows.append(("no-change generator run writes", "0 files", "0 files (asserted by the bench)", True))
    fp = results["footprint"]
    idle = fp["mcp_server"]["idle_rss_kib"] / 1024
    rows.append(("idle RSS", "<= 20 MB", f"{idle:.1f} MiB", idle <= TARGETS["idle_rss_mb"]))
    size = fp["mcp_server"]["binary"]["bytes"] / 1024 / 1024
    rows.append(("release binary", "<= 20 MB", f"{size:.1f} MiB", size <= TARGETS["binary_mb"]))
    return rows


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"# Benchmark results ({'quick smoke run' if results['quick'] else 'full run'})",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB, Linux {m['kernel']}; "
        f"{m['rustc']}; Python {m['python']}, fastmcp {m['fastmcp']}. Load average at start: "
        f"{', '.join(f'{x:.2f}' for x in m['loadavg_at_start'])}.",
        f"Protocol: {results['protocol']}; {results['duration_s']} s measured after "
        f"{results['warmup_s']} s warm-up per cell; {results['seed_teams']} teams in the upstream "
        f"(list calls return all of them in one page).",
        "",
        "## Throughput and latency",
        "",
        "| server | request | clients | req/s | p50 | p99 | server CPU/req | upstream CPU/req | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    blocks = [("direct upstream", results["direct"]), ("relay (extra hop)", results.get("relay", [])),
              ("mcp-server", results["mcp_server"]["runs"])]
    if "fastmcp" in results:
        blocks.append(("FastMCP", results["fastmcp"]["runs"]))
    for name, runs in blocks:
        for r in runs:
            lat = r["latency_us"]
            cpu = r.get("cpu_us_per_request", {})
            lines.append(f"| {name} | {r['op']} | {r['concurrency']} | {r['throughput_rps']:.0f} | "
                         f"{fmt_us(lat['p50'])} | {fmt_us(lat['p99'])} | {fmt_us(cpu.get('server'))} | "
                         f"{fmt_us(cpu.get('upstream'))} | {r['errors']} |")
    ra = results["ratios"]
    lines += ["", "## Ratios", "",
              "| request | clients | mcp-server / FastMCP throughput | FastMCP p50 / mcp-server p50 "
              "| mcp-server added p50 over direct | added p99 | direct / mcp-server throughput |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    keys = list(dict.fromkeys([*ra["throughput_vs_fastmcp"], *ra["added_latency_p50_us"]]))
    for key in keys:
        op, n = key.rsplit(" N=", 1)
        tput = ra["throughput_vs_fastmcp"].get(key)
        p50 = ra["p50_fastmcp_over_ours"].get(key)
        headroom = ra["upstream_headroom"].get(key)
        lines.append(
            f"| {op} | {n} | {f'{tput:.1f}x' if tput else '-'} | {f'{p50:.1f}x' if p50 else '-'} | "
            f"{fmt_us(ra['added_latency_p50_us'].get(key))} | "
            f"{fmt_us(ra['added_latency_p99_us'].get(key))} | "
            f"{f'{headroom:.2f}' if headroom else '-'} |")
    if ra["hop_p50_us"]:
        lines += ["", "## Added latency, split", "",
                  "The relay (`loadgen relay`) does only the extra hop: one POST in, one upstream "
                  "GET, the reply wrapped as a tool result.", "",
                  "| request | clients | the hop (relay p50 - direct p50) "
                  "| mcp-server's own work (mcp-server p50 - relay p50) |", "|---|---:|---:|---:|"]
        for key, hop in ra["hop_p50_us"].items():
            op, n = key.rsplit(" N=", 1)
            lines.append(f"| {op} | {n} | {fmt_us(hop)} | {fmt_us(ra['own_p50_us'].get(key))} |")
    fp = results["footprint"]
    lines += ["", "## Footprint", "", "| server | idle RSS | max RSS under load | peak (VmHWM) "
              "| spawn to first tools/list (p50) | binary |", "|---|---:|---:|---:|---:|---:|"]
    for name, key in [("mcp-server", "mcp_server"), ("FastMCP", "fastmcp")]:
        if key not in fp:
            continue
        f = fp[key]
        binary = f.get("binary")
        size = (f"{binary['bytes'] / 1048576:.1f} MiB"
                + (f" ({binary['stripped_bytes'] / 1048576:.1f} MiB stripped)" if binary and binary.get("stripped_bytes") else "")
                if binary else "-")
        start = f.get("startup", {}).get("to_first_answer_us_p50")
        lines.append(f"| {name} | {f['idle_rss_kib'] / 1024:.1f} MiB | {f['loaded_rss_kib'] / 1024:.1f} MiB | "
                     f"{(f.get('hwm_kib') or 0) / 1024:.1f} MiB | {fmt_us(start)} | {size} |")
    benches = results.get("cargo_benches", {})
    if benches:
        lines += ["", "## In-process benches (divan medians)", "", "| bench | median |", "|---|---:|"]
        for bench, data in benches.items():
            for name, s in data["median_s"].items():
                lines.append(f"| {bench}::{name} | {fmt_us(s * 1e6)} |")
    lines += ["", "## Targets", "", "| target | goal | measured | met |", "|---|---|---|---|"]
    for target, goal, measured, met in verdicts(results):
        lines.append(f"| {target} | {goal} | {measured} | {'yes' if met else 'no'} |")
    if results["quick"]:
        lines += ["", "A quick run is a smoke test: its figures are too short to quote."]
    return "\n".join(lines) + "\n"


# --- main ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny N and duration (CI smoke run)")
    parser.add_argument("--bin-dir", required=True, help="folder with release mcp-server, "
                        "fake-chronosphere and loadgen")
    parser.add_argument("--out", help="output folder (default benches/results, or "
                        "benches/results/quick with --quick)")
    parser.add_argument("--concurrency", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--duration", type=float)
    parser.add_argument("--warmup", type=float)
    parser.add_argument("--protocol", choices=["stateless", "session"], default="stateless")
    parser.add_argument("--seed-teams", type=int, default=20)
    parser.add_argument("--loadgen-threads", type=int, default=1)
    parser.add_argument("--startup-runs", type=int)
    parser.add_argument("--no-fastmcp", action="store_true", help="skip the FastMCP peer")
    parser.add_argument("--no-cargo-benches", action="store_true",
                        help="skip the in-process generator and tools/list benches")
    args = parser.parse_args()
    quick = args.quick
    args.concurrency = args.concurrency or ([1, 4] if quick else [1, 16, 64])
    args.duration = args.duration if args.duration is not None else (0.5 if quick else 5.0)
    args.warmup = args.warmup if args.warmup is not None else (0.2 if quick else 1.0)
    args.startup_runs = args.startup_runs or (2 if quick else 10)
    out = Path(args.out) if args.out else BENCHES / "results" / ("quick" if quick else "")
    out.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(args.bin_dir)
    bench = Bench(args)

    results: dict = {"quick": quick, "protocol": args.protocol, "concurrency": args.concurrency,
                     "duration_s": args.duration, "warmup_s": args.warmup,
                     "seed_teams": args.seed_teams, "machine": machine(), "footprint": {}}
    work = Path(tempfile.mkdtemp(prefix="mcpgen-bench-"))
    servers: list[Proc] = []
    try:
        fake = Proc("fake-chronosphere", [str(bin_dir / "fake-chronosphere"), "--listen",
                    "127.0.0.1:0", "--api-token", TOKEN, "--seed-teams", str(args.seed_teams),
                    "--no-record"], dict(os.environ), work)
        servers.append(fake)
        base = fake.url.rstrip("/")
        bench.upstream_pid = fake.pid
        log("measuring the upstream alone (the floor)")
        results["direct"] = bench.direct_matrix(base)
        log("measuring the extra hop alone (loadgen relay)")
        results["relay"] = bench.relay_matrix(base, work)
        results["upstream_rss_kib"] = proc_status(fake.pid).get("VmHWM")

        env = dict(os.environ, CHRONOSPHERE_TENANT=TENANT, CHRONOSPHERE_API_TOKEN=TOKEN)
        ours_argv = [str(bin_dir / "mcp-server"), "http", "--integration", "chronosphere",
                     "--listen", "127.0.0.1:0", "--base-url", base]
        ours = Proc("mcp-server", ours_argv, env, work)
        servers.append(ours)
        bench.first_answer(ours.url)
        time.sleep(0.3)
        idle = proc_status(ours.pid).get("VmRSS", 0)
        log(f"mcp-server idle RSS {idle / 1024:.1f} MiB")
        matrix = bench.mcp_matrix("mcp-server", ours.url, ours.pid, fastmcp=False)
        results["mcp_server"] = matrix
        ours.stop()
        servers.remove(ours)
        results["footprint"]["mcp_server"] = {
            "idle_rss_kib": idle, "loaded_rss_kib": matrix["loaded_rss_kib"],
            "hwm_kib": matrix["hwm_kib"], "binary": binary_size(bin_dir / "mcp-server"),
            "startup": startup(bench, ours_argv, env, args.startup_runs),
        }

        if not args.no_fastmcp:
            peer_argv = [sys.executable, str(BENCHES / "fastmcp" / "server.py"), "--upstream",
                         base, "--api-token", TOKEN, "--listen", "127.0.0.1:0"]
            peer = Proc("fastmcp", peer_argv, dict(os.environ), work)
            servers.append(peer)
            bench.first_answer(peer.url)
            time.sleep(0.3)
            peer_idle = proc_status(peer.pid).get("VmRSS", 0)
            matrix = bench.mcp_matrix("FastMCP", peer.url, peer.pid, fastmcp=True)
            results["fastmcp"] = matrix
            peer.stop()
            servers.remove(peer)
            results["footprint"]["fastmcp"] = {
                "idle_rss_kib": peer_idle, "loaded_rss_kib": matrix["loaded_rss_kib"],
                "hwm_kib": matrix["hwm_kib"],
                "startup": startup(bench, peer_argv, dict(os.environ), max(1, args.startup_runs // 2)),
            }
    finally:
        for server in servers:
            server.stop()
    results["ratios"] = ratios(results)

    if not args.no_cargo_benches:
        results["cargo_benches"] = {
            "generate": cargo_bench("generator", "generate", out, quick),
            "tools_list": cargo_bench("mcpgen-loadgen", "tools_list", out, quick),
        }
        for data in results["cargo_benches"].values():
            data.pop("output", None)

    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    text = markdown(results)
    (out / "results.md").write_text(text)
    print(text)
    shutil.rmtree(work, ignore_errors=True)
    if bench.failures:
        log("FAILED requests:\n  " + "\n  ".join(bench.failures))
        return 1
    log(f"wrote {out / 'results.json'} and {out / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
