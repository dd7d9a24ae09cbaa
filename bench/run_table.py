#!/usr/bin/env python3
"""run_table.py: bench/run.sh's parsing and reporting, from the raw files
the script leaves in its work directory.

  run_table.py parse-runtime BENCH_RUNTIME_OUTPUT   -> primitives lines (TSV)
  run_table.py parse-list CHANFUZZ_LIST_OUTPUT      -> buggy scenario, tags
  run_table.py plot-data DIR OUTDIR                 -> gnuplot's data files
  run_table.py markdown DIR PLOTS_PATH              -> the Markdown tables
  run_table.py json DIR                             -> the measurements
  run_table.py replace FILE TABLE                   -> FILE's bench-table block

Every measurement is {name, value, unit, baseline, target, met}: value in
unit; baseline the same quantity on the reference it is compared with, in
the same unit (Go for a primitive, libFuzzer without feedback for the
feedback gain, the best single strategy for the portfolio, the 2-goroutine
scenario for cost growth), or null; target a bound on value ("<= 2.0"), or
null; met whether value is within target, or null without a target.
"""
import json
import math
import os
import re
import sys

import goker_table

ROW_NAMES = {1: "switch", 2: "swapcontext", 3: "yield", 4: "pingpong", 5: "buffered",
             6: "select", 7: "spawn"}
ROW_LABELS = {"switch": "bare switch round trip", "swapcontext": "glibc swapcontext round trip",
              "yield": "yield round trip (Gosched x2)", "pingpong": "unbuffered ping-pong round trip",
              "buffered": "buffered send+receive (cap 128)", "select": "select over 4, one ready",
              "spawn": "spawn+exit", "memory": "memory per blocked goroutine"}
RATIO_NAMES = {"yield round trip / bare switch": "yield_over_switch",
               "ping-pong / yield round trip": "pingpong_over_yield",
               "spawn+exit / yield round trip": "spawn_over_yield"}
STRATEGY_LABELS = {"random": "random", "pct": "PCT", "portfolio": "portfolio",
                   "exhaustive": "exhaustive", "libfuzzer_fb": "libFuzzer +feedback",
                   "libfuzzer_nofb": "libFuzzer -feedback"}


read_tsv = goker_table.rows


def facts(d):
    return {k: v for k, v in (r[:2] for r in read_tsv(os.path.join(d, "run.tsv")) if len(r) >= 2)}


def parse_runtime(path):
    """bench_runtime's table: `N  label  min median ops ref` and row 8's KiB."""
    for line in open(path):
        m = re.match(r"^\s*([1-7])\s+.*?\s{2,}([\d.]+)\s+([\d.]+)\s+\d+", line)
        if m:
            print(f"chanfuzz\t{ROW_NAMES[int(m.group(1))]}\t{m.group(2)}\t{m.group(3)}\tns")
            continue
        m = re.match(r"^\s*8\s+memory per blocked goroutine\s+([\d.]+) KiB per goroutine", line)
        if m:
            b = float(m.group(1)) * 1024
            print(f"chanfuzz\tmemory\t{b:.0f}\t{b:.0f}\tbytes")
            continue
        m = re.match(r"^\s+(.+?)\s{2,}([\d.]+)(x| KiB)\s+<= ([\d.]+)(x| KiB)", line)
        if m:
            name = RATIO_NAMES.get(m.group(1), re.sub(r"\W+", "_", m.group(1)).strip("_"))
            unit = "x" if m.group(3) == "x" else "KiB"
            print(f"ratio\t{name}\t{m.group(2)}\t{m.group(4)}\t{unit}")


def parse_list(path):
    """`chanfuzz list`: fixed-width columns, cut at the header's offsets."""
    lines = open(path).read().splitlines()
    header = lines[0]
    cols = [header.index(c) for c in ("scenario", "variant", "expect", "tags", "description")]
    scenario = tags = None
    for line in lines[1:]:
        cell = [line[cols[i]:cols[i + 1] if i + 1 < len(cols) else None].strip()
                for i in range(len(cols))]
        if cell[0]:
            scenario, tags = cell[0], ",".join(cell[3].split())
        if cell[1] == "buggy":
            print(f"{scenario}\t{tags}")


def quantile(values, q):
    """Nearest rank: the smallest value with at least q of them at or below."""
    v = sorted(values)
    return v[max(0, math.ceil(q * len(v)) - 1)]


class Cell:
    """One scenario under one strategy: the runs, and the first findings."""

    def __init__(self):
        self.runs = 0
        self.skipped = 0   # runs of a variant that did not run (older Go semantics)
        self.execs = []     # executions to the first finding, of the runs that found it
        self.seconds = []

    def add(self, execs, seconds):
        self.runs += 1
        if execs is not None:
            self.execs.append(execs)
            self.seconds.append(seconds)

    def median(self, cap=None):
        """The median over all runs, a miss counted as cap (None: found runs only)."""
        if cap is None:
            return quantile(self.execs, 0.5) if self.execs else None
        return quantile(self.execs + [cap] * (self.runs - len(self.execs)), 0.5)


def number(text):
    return None if text in ("-", "", "null", None) else float(text)


def load(d):
    """{(suite, scenario): {strategy: Cell}}, the strategies in order, tags."""
    cells, order = {}, []

    def cell(suite, scenario, strategy):
        if strategy not in order:
            order.append(strategy)
        return cells.setdefault((suite, scenario), {}).setdefault(strategy, Cell())

    for mode, _seed, scenario, _ok, execs, seconds in read_tsv(os.path.join(d, "detect.tsv")):
        if execs == "skip":
            cell("c", scenario, mode).skipped += 1
            continue
        e = number(execs)
        cell("c", scenario, mode).add(e, number(seconds) if e is not None else None)
    for target, feedback, _seed, execs, seconds in read_tsv(os.path.join(d, "libfuzzer.tsv")):
        scenario = re.sub(r"^fuzz_|_buggy$", "", target)
        e = number(execs)
        cell("c", scenario, "libfuzzer_fb" if feedback == "1" else "libfuzzer_nofb").add(
            e, number(seconds) if e is not None else None)
    for r in read_tsv(os.path.join(d, "goker", "cf.tsv")):
        mode, _seed, scenario, variant, ok, execs, etd, seconds = r[:8]
        if variant != "buggy":
            continue
        e = number(etd) if ok == "1" else None
        per_exec = number(seconds) / max(1.0, number(execs) or 1.0)
        cell("goker", scenario, mode).add(e, e * per_exec if e is not None else None)
    tags = {s: t.split(",") for s, t in read_tsv(os.path.join(d, "variants.tsv"))}
    order.sort(key=lambda s: list(STRATEGY_LABELS).index(s) if s in STRATEGY_LABELS else 99)
    return cells, order, tags


def measurement(name, value, unit, baseline=None, target=None):
    met = None
    if target is not None and value is not None:
        op, bound = target.split()
        met = value <= float(bound) if op == "<=" else value >= float(bound)
    return {"name": name, "value": value, "unit": unit, "baseline": baseline,
            "target": target, "met": met}


def fmt(x):
    return "-" if x is None else f"{x:.4g}" if abs(x) < 1000 else f"{x:,.0f}"


def measurements(d):
    f = facts(d)
    out = []
    prim = {(r[0], r[1]): r for r in read_tsv(os.path.join(d, "primitives.tsv"))}
    for (impl, row), r in prim.items():
        if impl == "chanfuzz":
            go = prim.get(("go", row))
            unit = r[4]
            out.append(measurement(f"primitives.{row}.{'bytes' if unit == 'bytes' else 'ns'}",
                                   float(r[2]), unit, float(go[2]) if go else None))
        elif impl == "ratio":
            unit = r[4]
            out.append(measurement(f"runtime.{row}", float(r[2]), unit, None, f"<= {r[3]}"))
    cells, order, tags = load(d)
    cap = float(f.get("fuzz_cap", "100000"))
    for (suite, scenario), by in sorted(cells.items()):
        prefix = f"detect.{'goker.' if suite == 'goker' else ''}{scenario}"
        for strategy, c in by.items():
            if not c.runs:
                continue
            name = f"{prefix}.{strategy}"
            out.append(measurement(f"{name}.found", len(c.execs), "runs", None, None))
            out.append(measurement(f"{name}.runs", c.runs, "runs", None, None))
            for what, values, unit in (("executions", c.execs, "executions"), ("seconds", c.seconds, "s")):
                for q, label in ((0.5, "median"), (0.95, "p95")):
                    out.append(measurement(f"{name}.{what}_{label}",
                                           quantile(values, q) if values else None, unit))
        if suite == "c" and "rare" in tags.get(scenario, []) and "libfuzzer_fb" in by:
            on, off = by["libfuzzer_fb"].median(cap), by["libfuzzer_nofb"].median(cap)
            out.append(measurement(f"feedback.{scenario}.executions_median", on, "executions",
                                   off, f"<= {off / 2:g}"))
        singles = [by[s].median() for s in ("random", "pct") if s in by and by[s].median() is not None]
        if "portfolio" in by and singles:
            best = min(singles)
            p = by["portfolio"].median()
            out.append(measurement(f"portfolio.{scenario}.executions_median", p, "executions",
                                   best, f"<= {2 * best:g}"))
    growth = read_tsv(os.path.join(d, "growth.tsv"))[1:]
    base = {r[1]: float(r[4]) for r in growth if r[0] == "2"}
    for g, k, _n, rate, ns in growth:
        out.append(measurement(f"growth.g{g}.k{k}.exec_per_s", float(rate), "exec/s"))
        out.append(measurement(f"growth.g{g}.k{k}.ns_per_op", float(ns), "ns", base[k],
                               f"<= {2 * base[k]:g}"))
    return out


def ms(x):
    if x is None:
        return "-"
    return f"{x * 1000:.3g} ms" if x < 1 else f"{x:.3g} s"


def detect_cell(c, strategy):
    if c.skipped and not c.runs:
        return "not run (Go 1.23 default)"
    if not c.execs:
        return f"missed ({c.runs} runs)"
    med, p95 = quantile(c.execs, 0.5), quantile(c.execs, 0.95)
    if strategy == "exhaustive":
        text = f"{med:.0f}"
    else:
        text = f"{med:.0f} / {p95:.0f}"
    text += f" · {ms(quantile(c.seconds, 0.5))}"
    if len(c.execs) < c.runs:
        text += f" ({len(c.execs)}/{c.runs})"
    return text


def markdown(d, plots):
    f = facts(d)
    ms_list = measurements(d)
    by_name = {m["name"]: m for m in ms_list}
    w = []
    w.append(f"Run {f.get('started', '?')} at {f.get('commit', '?')}{' (--quick)' if f.get('quick') == '1' else ''}"
             f" on {f.get('machine', '?')}; load average {f.get('load_start', '?')} at the start,"
             f" {f.get('load_end', '?')} at the end; {f.get('seconds_total', '?')} s in all"
             f" (primitives {f.get('seconds_primitives', '-')} s, detection {f.get('seconds_detect', '-')} s,"
             f" libFuzzer {f.get('seconds_libfuzzer', '-')} s, GoKer {f.get('seconds_goker', '-')} s,"
             f" growth {f.get('seconds_growth', '-')} s).")
    if f.get("note"):
        w.append("")
        w.append(f.get("note"))
    w.append("")
    w.append("**Runtime primitives** (min of the timed runs; Go at GOMAXPROCS=1, "
             f"{f.get('go_version', 'not installed')})")
    w.append("")
    w.append("| operation | chanfuzz | Go | Go / chanfuzz |")
    w.append("|---|---:|---:|---:|")
    prim = {(r[0], r[1]): r for r in read_tsv(os.path.join(d, "primitives.tsv"))}
    for row in list(ROW_NAMES.values()) + ["memory"]:
        c, g = prim.get(("chanfuzz", row)), prim.get(("go", row))
        if not c:
            continue
        unit = "B" if c[4] == "bytes" else "ns"
        gv = f"{float(g[2]):.1f} {unit}" if g else "-"
        ratio = f"{float(g[2]) / float(c[2]):.2f}x" if g and float(c[2]) > 0 else "-"
        w.append(f"| {ROW_LABELS[row]} | {float(c[2]):.1f} {unit} | {gv} | {ratio} |")
    w.append("")
    w.append("| runtime ratio | measured | target | |")
    w.append("|---|---:|---:|---|")
    for m in ms_list:
        if m["name"].startswith("runtime."):
            w.append(f"| {m['name'][8:]} | {m['value']:.2f} {m['unit']} | {m['target']} {m['unit']} |"
                     f" {'met' if m['met'] else '**missed**'} |")
    cells, order, tags = load(d)
    seeds = f.get("seeds", "?")
    w.append("")
    w.append(f"**Time to detect**: executions to the first finding, median / p95 over the seeds that "
             f"found it, · median seconds; (k/n) when only k of n runs found it. {seeds} seeds per "
             f"randomized strategy (`--seed j*{f.get('stride', '1000003')}`, libFuzzer `-seed=j`), "
             f"budget {f.get('budget', '?')} executions (libFuzzer {f.get('fuzz_cap', '?')}); exhaustive: "
             f"schedules to the first finding at bound {f.get('bound', '?')}, at most "
             f"{f.get('exhaustive_budget', '?')}. Seconds: the run's own clock to the finding (libFuzzer: "
             "the target process, start-up included).")
    for suite, title in (("c", "C catalogue"), ("goker", f"GoKer kernels (chanfuzz go test, {f.get('goker_seeds', '?')} seeds)")):
        rows = sorted(k for k in cells if k[0] == suite)
        if not rows:
            continue
        strategies = [s for s in order if any(s in cells[k] for k in rows)]
        w.append("")
        w.append(f"| {title} | " + " | ".join(STRATEGY_LABELS.get(s, s) for s in strategies) + " |")
        w.append("|---|" + "---:|" * len(strategies))
        for k in rows:
            rare = " (rare)" if "rare" in tags.get(k[1], []) else ""
            w.append(f"| {k[1]}{rare} | " + " | ".join(
                detect_cell(cells[k][s], s) if s in cells[k] else "" for s in strategies) + " |")
    gains = [m for m in ms_list if m["name"].startswith("feedback.")]
    if gains:
        w.append("")
        w.append("**Interleaving feedback on the `rare` scenarios** (libFuzzer median executions, a miss "
                 "counted as the cap; goal: feedback at least halves the median)")
        w.append("")
        w.append("| scenario | with feedback | without | gain | goal met |")
        w.append("|---|---:|---:|---:|---|")
        for m in gains:
            gain = m["baseline"] / m["value"] if m["value"] else float("inf")
            w.append(f"| {m['name'].split('.')[1]} | {m['value']:.0f} | {m['baseline']:.0f} | "
                     f"{gain:.2f}x | {'yes' if m['met'] else '**no**'} |")
    port = [m for m in ms_list if m["name"].startswith("portfolio.")]
    if port:
        worse = [m for m in port if m["met"] is False]
        w.append("")
        w.append(f"**Portfolio against the best single strategy** (median executions, target within 2x): "
                 f"{len(port) - len(worse)} of {len(port)} scenarios within"
                 + ("; over: " + ", ".join(f"{m['name'].split('.')[1]} {m['value']:.0f} vs {m['baseline']:.0f}"
                                            for m in worse) if worse else "") + ".")
    growth = read_tsv(os.path.join(d, "growth.tsv"))[1:]
    if growth:
        ks = sorted({int(r[1]) for r in growth})
        w.append("")
        w.append("**Cost growth** (bench_growth: G goroutines each sending K values on one unbuffered "
                 "channel to main, random decisions, CPU time): executions per CPU-second · CPU ns per channel operation")
        w.append("")
        w.append("| goroutines | " + " | ".join(f"K = {k}" for k in ks) + " |")
        w.append("|---:|" + "---:|" * len(ks))
        for g in sorted({int(r[0]) for r in growth}):
            cellz = []
            for k in ks:
                r = next(r for r in growth if int(r[0]) == g and int(r[1]) == k)
                m = by_name[f"growth.g{g}.k{k}.ns_per_op"]
                flag = "" if m["met"] else " **>2x**"
                cellz.append(f"{float(r[3]):,.0f} · {float(r[4]):.1f} ns{flag}")
            w.append(f"| {g} | " + " | ".join(cellz) + " |")
    w.append("")
    w.append(f"![time to detect per strategy]({plots}/ttd.png) ![cost growth]({plots}/growth.png)")
    return "\n".join(w) + "\n"


def plot_data(d, out):
    os.makedirs(out, exist_ok=True)
    cells, order, _tags = load(d)
    names = []
    for strategy in order:
        runs, found = 0, []
        for (suite, _s), by in cells.items():
            if suite == "c" and strategy in by:
                runs += by[strategy].runs
                found += by[strategy].execs
        if not runs:
            continue
        names.append(strategy)
        with open(os.path.join(out, f"ttd_{strategy}.dat"), "w") as f:
            # The empirical distribution: the share of all runs (misses
            # included) that found their bug within x executions.
            for i, x in enumerate(sorted(found), 1):
                f.write(f"{x:g}\t{i / runs:.4f}\n")
            if not found:
                f.write("1\t0\n")
    with open(os.path.join(out, "vars.gp"), "w") as f:
        f.write(f'strategies = "{" ".join(names)}"\n')
        f.write("labels = \"" + " ".join(STRATEGY_LABELS.get(s, s).replace(" ", "") for s in names) + "\"\n")
    growth = read_tsv(os.path.join(d, "growth.tsv"))[1:]
    for k in sorted({r[1] for r in growth}, key=int):
        with open(os.path.join(out, f"growth_k{k}.dat"), "w") as f:
            for r in growth:
                if r[1] == k:
                    f.write("\t".join(r) + "\n")
    with open(os.path.join(out, "vars.gp"), "a") as f:
        f.write(f'ks = "{" ".join(sorted({r[1] for r in growth}, key=int))}"\n')


def replace(path, table_path):
    return goker_table.replace(path, table_path, "<!-- bench-table:begin -->", "<!-- bench-table:end -->")


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[1]
    if cmd == "parse-runtime":
        parse_runtime(argv[2])
    elif cmd == "parse-list":
        parse_list(argv[2])
    elif cmd == "plot-data":
        plot_data(argv[2], argv[3])
    elif cmd == "markdown":
        sys.stdout.write(markdown(argv[2], argv[3]))
    elif cmd == "json":
        json.dump(measurements(argv[2]), sys.stdout, indent=1)
        sys.stdout.write("\n")
    elif cmd == "replace":
        return replace(argv[2], argv[3])
    else:
        print(f"run_table.py: unknown command '{cmd}'", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
