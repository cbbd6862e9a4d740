#!/usr/bin/env python3
"""Merges the `loadgen soak` reports of one benches/soak.sh run into soak-<profile>.json and a
Markdown table (soak-<profile>.md), and prints the table. Standard library only."""

import argparse
import json
import os
import platform
import time
from pathlib import Path


def mib(kib):
    return "-" if kib is None else f"{kib / 1024:.1f}"


def ms(us):
    return "-" if us is None else f"{us / 1000:.1f} ms"


def machine():
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
            "load_average": os.getloadavg()}


def row(report, profile):
    target, era, _ = report["label"].split(" ")
    rss = report.get("rss_kib") or {}
    by_status = report.get("tool_errors_expected_by_status", {})
    lat = report["latency_us"]["all"]
    return (f"| {target} | {report['protocol']} ({era}) | {profile} | {report['answered']} "
            f"| {report['throughput_rps']:.0f} | {ms(lat['p50'])} | {ms(lat['p99'])} "
            f"| {report['protocol_errors']} | {report['lost']} "
            f"| {report['tool_errors_expected']} ({by_status.get('429', 0)} × 429, "
            f"{by_status.get('404', 0)} × 404) | {report['tool_errors_unexpected']} "
            f"| {mib(rss.get('start'))} / {mib(rss.get('peak'))} / {mib(rss.get('end'))} "
            f"| {'yes' if report['pass'] else 'NO'} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--seconds", required=True)
    parser.add_argument("--failed", type=int, default=0, help="1 when soak.sh saw a failure")
    parser.add_argument("--json", required=True)
    parser.add_argument("--md", required=True)
    parser.add_argument("reports", nargs="*")
    args = parser.parse_args()

    reports = [json.loads(Path(path).read_text()) for path in args.reports]
    runs = [r for r in reports if r["label"].endswith(" run")]
    warmups = [r for r in reports if r["label"].endswith(" warmup")]
    failures = [f"{r['label']}: {f}" for r in reports for f in r["failures"]]
    passed = not args.failed and not failures
    bound = next((r["rss_kib"]["bound"] for r in reports if r.get("rss_kib")), None)

    lines = [
        f"# Soak ({args.profile} build, {args.seconds} s per era and target)",
        "",
        f"`benches/soak.sh {args.seconds}{' --release' if args.profile == 'release' else ''}`, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {runs[0]['clients'] if runs else '?'} "
        "clients; load average at the end "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg()) + ".",
        "",
        "| target | era | build | requests | req/s | p50 | p99 | protocol errors | lost "
        "| isError expected | isError unexpected | RSS start / peak / end (MiB) | pass |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|",
        *[row(r, args.profile) for r in runs],
        "",
        f"RSS bound: end <= start + {mib(bound)} MiB per run. Warm-ups (2 s each, judged the same "
        f"way): {sum(r['answered'] for r in warmups)} requests, "
        f"{sum(r['protocol_errors'] for r in warmups)} protocol errors, "
        f"{sum(r['lost'] for r in warmups)} lost.",
        "",
        "First use of the URLs (one tools/list walk each, before the warm-up's start RSS): "
        + "; ".join(f"{r['label'].rsplit(' ', 1)[0]}: {r['urls']} URL(s), "
                    f"{mib(r['rss_kib'].get('before_priming'))} -> {mib(r['rss_kib']['start'])} MiB"
                    for r in warmups if r.get("rss_kib")) + ".",
        "",
        f"Result: {'PASS' if passed else 'FAIL'}",
    ]
    lines += [f"- {failure}" for failure in failures]
    if args.failed and not failures:
        lines.append("- see soak.sh's log (a server exited or panicked, or a report is missing)")
    table = "\n".join(lines) + "\n"
    Path(args.md).write_text(table)
    Path(args.json).write_text(json.dumps({
        "profile": args.profile, "seconds": float(args.seconds), "pass": passed,
        "machine": machine(), "runs": runs, "warmups": warmups,
    }, indent=1) + "\n")
    print(table)


if __name__ == "__main__":
    main()
