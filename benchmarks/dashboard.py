"""Interaction speed of the dashboard, measured from the browser.

Starts the dashboard on a free loopback port, opens it in headless Chromium
(Debian's package), and changes controls the way an analyst would: the truce
length (only the truce side re-runs), the aid level (both policies re-run) and a
what-if value (both re-run). For each change (after a one-second pause, so
the page has settled) it records, in the page's own clock (``performance.now()``),
the time from the Enter key to the animation frame after the one in which the
outcome table shows the new settings: every chart and table of the page is
updated in the same message, so the plots have been repainted by then. It also records the server's wall time
to compute the view (engine, pairing and summaries), so the two can be told
apart.

    .venv/bin/python benchmarks/dashboard.py [--runs 2000] [--repeats 5] [--out out/benchmarks/dashboard.json]

The issue's target is a redraw within 1 s for at least 2,000 runs per policy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", default=str(REPO / "scenarios" / "kherson-2022-11.yaml"))
    ap.add_argument("--runs", type=int, default=2000, help="futures per policy (default 2000)")
    ap.add_argument("--repeats", type=int, default=5, help="changes per kind of control")
    ap.add_argument("--processes", type=int, default=0, help="engine worker processes (as `ceasefire serve`)")
    ap.add_argument("--stocks", default=None,
                    help="comma-separated fan charts to show (default: the page's default five; empty: none)")
    ap.add_argument("--kinds", default="truce_length,aid_level,what_if",
                    help="which controls to change (comma-separated: truce_length, aid_level, what_if)")
    ap.add_argument("--out", default=str(REPO / "out" / "benchmarks" / "dashboard.json"))
    args = ap.parse_args(argv)

    import logging

    from playwright.sync_api import sync_playwright

    server_log: list[str] = []

    class _Keep(logging.Handler):
        def emit(self, record):
            server_log.append(record.getMessage())

    logging.getLogger("ceasefire.dashboard").addHandler(_Keep())
    logging.getLogger("ceasefire.dashboard").setLevel(logging.INFO)

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for tests/
    from tests.dashboard.harness import chromium_path, launch_chromium, running_server, timed_change, wait_idle
    from ceasefire.dashboard.state import DAYS_PER_MONTH, settings_from_query

    if chromium_path() is None:
        print("no Chromium found (install Debian's `chromium` package)", file=sys.stderr)
        return 2
    results: dict[str, list[dict]] = {"truce_length": [], "aid_level": [], "what_if": []}
    with running_server([args.scenario], processes=args.processes) as (url, ctx), sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        query = f"runs={args.runs}&seed=0" + (f"&stocks={args.stocks}" if args.stocks is not None else "")
        s, problems = settings_from_query(query, ctx.scenarios, ctx.default_key)
        assert not problems, problems
        t0 = time.perf_counter()
        page.goto(f"{url}?{query}")
        wait_idle(page, s.digest(), 300_000)
        first_load_s = time.perf_counter() - t0

        def measure(kind: str, css: str, text: str, new) -> None:
            page.wait_for_timeout(1000)  # an analyst's pause: the page has settled before the next change
            ms = timed_change(page, css, text, new.digest(), timeout_ms=300_000)
            view = ctx.computer.view(new)
            line = next((m for m in reversed(server_log) if new.digest() in m), "")
            results[kind].append({"input": text, "redraw_ms": round(ms, 1), "server_compute_s": round(view.seconds, 3),
                                  "server_log": line})
            print(f"{kind:13s} {text:>8s}: {ms:7.0f} ms from Enter to redraw; server: {line}", flush=True)

        # warm-up change (first use of each code path)
        s = s.replace(days=round(5.5 * DAYS_PER_MONTH))
        timed_change(page, "cf-length", "5.5", s.digest(), timeout_ms=300_000)
        kinds = set(args.kinds.split(","))
        for i in range(args.repeats if "truce_length" in kinds else 0):
            m = 6 + i
            s = s.replace(days=round(m * DAYS_PER_MONTH))
            measure("truce_length", "cf-length", f"{m}", s)
        for i in range(args.repeats if "aid_level" in kinds else 0):
            a = round(1.1 + 0.1 * i, 2)
            s = s.replace(aid_level=a)
            measure("aid_level", "cf-aid", f"{a:g}", s)
        path = "supporters." + (ctx.scenarios[ctx.default_key].supporter_names or ["?"])[0] + ".will_decay_per_day"
        if path.split(".")[1] != "?" and "what_if" in kinds:
            page.locator(".cf-param-select select").select_option(
                label=next(o for o, v in page_options(ctx, path)))
            for i in range(args.repeats):
                text = f"x{2 + i}"
                s = s.with_override(path, text)
                measure("what_if", "cf-whatif-input", text, s)
        browser.close()

    summary = {
        kind: {
            "n": len(rows),
            "redraw_ms_median": statistics.median(r["redraw_ms"] for r in rows),
            "redraw_ms_max": max(r["redraw_ms"] for r in rows),
            "server_compute_s_median": statistics.median(r["server_compute_s"] for r in rows),
        }
        for kind, rows in results.items() if rows
    }
    report = {
        "runs_per_policy": args.runs,
        "scenario": Path(args.scenario).name,
        "processes": args.processes,
        "stocks": args.stocks if args.stocks is not None else "default",
        "cpu_count": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "first_page_load_s": round(first_load_s, 2),
        "summary": summary,
        "changes": results,
        "target": "redraw within 1000 ms for >= 2000 runs per policy",
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(json.dumps(summary, indent=2))
    print(f"wrote {out}")
    return 0


def page_options(ctx, path: str):
    """(label, path) of the what-if chooser's option for ``path``."""
    from ceasefire.dashboard.app import option_label
    from ceasefire.dashboard.catalogue import parameter_rows

    sc = ctx.scenarios[ctx.default_key]
    return [(option_label(r), r.path) for r in parameter_rows(sc) if r.path == path]


if __name__ == "__main__":
    raise SystemExit(main())
