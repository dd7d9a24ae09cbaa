#!/usr/bin/env python3
"""The README's catalogue table, generated, never written by hand.

    chanfuzz list --json > list.json
    chanfuzz run all --json > run.jsonl
    scripts/catalogue-table.py list.json run.jsonl

One row per scenario: name, pattern (its description), primitives (its
tags without the family words), what the buggy variant leaks (its expected
finding kinds), what fixes it, and the executions the run needed to find
the buggy variant ("-" for a fixed-only scenario).
"""
import json
import sys

FAMILIES = {"pattern", "stress", "seed", "kernel", "demo", "rare"}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: catalogue-table.py LIST.json RUN.jsonl")
    variants = json.load(open(sys.argv[1]))
    summary = None
    for line in open(sys.argv[2]):
        line = line.strip()
        if line:
            record = json.loads(line)
            if record.get("format") == "chanfuzz.summary/1":
                summary = record
    if summary is None:
        sys.exit(f"{sys.argv[2]}: no summary line (chanfuzz.summary/1)")
    found = {(v["scenario"], v["variant"]): v for v in summary["variants"]}
    scenarios = {}
    for v in variants:
        s = scenarios.setdefault(v["scenario"], {"fix": v.get("fix"), "tags": v["tags"],
                                                 "description": v["description"]})
        s[v["variant"]] = v
    print("| scenario | pattern | primitives | buggy variant leaks | fix | executions to find |")
    print("|---|---|---|---|---|---|")
    for name in sorted(scenarios):
        s = scenarios[name]
        primitives = " ".join(t for t in s["tags"] if t not in FAMILIES)
        if "rare" in s["tags"]:
            primitives += " (rare)"
        leaks = ", ".join(s["buggy"]["expect"]) if "buggy" in s else "— (fixed only)"
        run = found.get((name, "buggy"))
        if run is None:
            needed = "-"
        elif run.get("executions_to_detection") is None:
            needed = f"MISSED ({run['verdict']})"
        else:
            needed = str(run["executions_to_detection"])
        fixed = found.get((name, "fixed"))
        if fixed and not fixed.get("as_expected", True):
            needed += f"; fixed: {fixed['verdict']}"
        print(f"| `{name}` | {s['description']} | {primitives} | {leaks} | {s['fix'] or '-'} | {needed} |")


if __name__ == "__main__":
    main()
