#!/usr/bin/env python3
"""The table of bench/goker.sh, from the raw results of one run.

    goker_table.py RESULTS_DIR            the markdown table on stdout
    goker_table.py --replace FILE TABLE   put TABLE between FILE's markers

RESULTS_DIR is goker.sh's temporary directory: run.txt (facts of the run),
meta.tsv (package directory, name, subtype, rate), scenarios.tsv (chanfuzz
go list), cf.tsv (random, pct, exhaustive: one line per mode, seed and
variant), fuzz.tsv (libFuzzer: one line per run), peers.tsv (one line per
real run of the Go runtime and goleak). Exit 1 when a buggy variant was
found in no seed of a strategy or a fixed variant had a finding (goker.sh
--quick fails then), 0 otherwise.
"""
import math
import os
import statistics
import sys
from collections import defaultdict

BEGIN, END = "<!-- goker-table:begin -->", "<!-- goker-table:end -->"
PUBLISHED = ("GoBench paper (Yuan et al., CGO 2021), on all 68 GoKer blocking kernels: "
             "goleak 42/68, go-deadlock 28/68, dingo-hunter 1/68")


def rows(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def p95(values):
    """Nearest rank: the smallest value at or above 95% of the values."""
    s = sorted(values)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def num(x):
    if x == int(x):
        return str(int(x))
    return "%.1f" % x


def secs(x):
    if x < 0.01:
        return "<0.01"
    if x < 10:
        return "%.2f" % x
    return "%.0f" % x


def spread(values, fmt):
    """median/p95 of a list, formatted."""
    if not values:
        return "-"
    return "%s/%s" % (fmt(statistics.median(values)), fmt(p95(values)))


class Results:
    def __init__(self, d):
        self.facts = dict((r[0], r[1] if len(r) > 1 else "") for r in rows(os.path.join(d, "run.txt")))
        self.meta = rows(os.path.join(d, "meta.tsv"))
        self.scenarios = rows(os.path.join(d, "scenarios.tsv"))
        self.cf = rows(os.path.join(d, "cf.tsv"))
        self.fuzz = rows(os.path.join(d, "fuzz.tsv"))
        self.peers = rows(os.path.join(d, "peers.tsv"))
        self.modes = self.facts["modes"].split(",")
        by_name = {m[1]: m for m in self.meta}
        by_dir = {m[0]: m for m in self.meta}

        def package_of(scenario):
            # PKG.TestName, PKG the package's name or its import path in dots
            pkg = scenario.rsplit(".", 1)[0]
            return by_name.get(pkg) or by_dir.get(pkg.split(".")[-1]) or [pkg, pkg, "-", "-"]

        self.package_of = package_of
        self.buggy = [s[0] for s in self.scenarios if s[1] == "buggy"]
        self.fixed = [s[0] for s in self.scenarios if s[1] == "fixed"]
        per_dir = defaultdict(int)
        for s in self.buggy:
            per_dir[package_of(s)[0]] += 1
        self.label = {s: package_of(s)[0] if per_dir[package_of(s)[0]] == 1
                      else package_of(s)[0] + "." + s.rsplit(".", 1)[1] for s in self.buggy}
        self.problems = []

    # random, pct: per variant the lines of every seed
    def seeded(self, mode, scenario, variant):
        return [r for r in self.cf if r[0] == mode and r[2] == scenario and r[3] == variant]

    def seeded_cell(self, mode, scenario):
        lines = self.seeded(mode, scenario, "buggy")
        if not lines:
            return "no result", 0, 0
        found = [r for r in lines if r[4] == "1"]
        execs = [int(r[6]) for r in found]
        # the variant stops at its first finding of the expected kinds, so
        # its seconds scaled by detection/executions is the time to it
        sec = [float(r[7]) * int(r[6]) / max(1, int(r[5])) for r in found]
        cell = "%d/%d" % (len(found), len(lines))
        if found:
            cell += " · %s · %s s" % (spread(execs, num), spread(sec, secs))
        expect = self.expected(scenario)
        extra = defaultdict(int)
        for r in lines:
            for kind in r[8].split(","):
                if kind != "-" and kind not in expect:
                    extra[kind] += 1
        if extra:
            cell += " (also " + ", ".join("%s %d/%d" % (k, n, len(lines)) for k, n in sorted(extra.items())) + ")"
        if len(found) < len(lines):
            missed = [r for r in lines if r[4] != "1"]
            self.problems.append("%s, %s: buggy variant not as expected in %d of %d seeds (verdicts: %s)" % (
                self.label[scenario], mode, len(missed), len(lines),
                ", ".join(sorted(set("%s [%s]" % (r[9], r[8]) for r in missed)))))
        return cell, len(found), len(lines)

    def expected(self, scenario):
        """The kinds the buggy variant expects (chanfuzz go list)."""
        for sc in self.scenarios:
            if sc[0] == scenario and sc[1] == "buggy" and len(sc) > 3:
                return set(sc[3].split(","))
        return set()

    def exhaustive_cell(self, scenario):
        lines = [r for r in self.cf if r[0] == "exhaustive" and r[2] == scenario and r[3] == "buggy"]
        if not lines:
            return "no result", 0, 0
        r = lines[0]
        if r[4] == "1":
            return "found at %s (%s s)" % (r[6], secs(float(r[7]))), 1, 1
        how = "ended at %s" % r[10] if r[11] == "1" else "cap %s, not ended" % r[10]
        self.problems.append("%s, exhaustive: %s, %s (seen: %s)" % (self.label[scenario], r[9], how, r[8]))
        return "**%s**, %s" % (r[9], how), 0, 1

    def fuzz_cell(self, scenario):
        lines = [r for r in self.fuzz if r[1] == scenario and r[2] == "buggy"]
        if not lines:
            return "no result", 0, 0
        found = [r for r in lines if r[4] == "expected"]
        cell = "%d/%d" % (len(found), len(lines))
        if found:
            cell += " · %s · %s s" % (spread([int(r[5]) for r in found], num),
                                      spread([float(r[6]) for r in found], secs))
        other = defaultdict(int)
        for r in lines:
            if r[4] != "expected":
                other[r[3] if r[3] != "-" else "nothing"] += 1
        if other:
            cell += " (" + ", ".join("%s %d" % (k, n) for k, n in sorted(other.items())) + ")"
            self.problems.append("%s, libfuzzer: no expected finding in %d of %d seeds (%s)" % (
                self.label[scenario], len(lines) - len(found), len(lines),
                ", ".join("%s %d" % (k, n) for k, n in sorted(other.items()))))
        return cell, len(found), len(lines)

    def fixed_cell(self, scenario):
        """Every finding of the scenario's fixed variant, per strategy."""
        notes, alarm = [], False
        for mode in ("portfolio", "random", "pct", "exhaustive"):
            lines = self.seeded(mode, scenario, "fixed")
            if mode not in self.modes or not lines:
                continue
            bad = defaultdict(int)
            for r in lines:
                if r[4] != "1" or r[8] != "-":
                    bad[r[8]] += 1
            if bad:
                alarm = True
                what = ", ".join("%s %d/%d" % (k, n, len(lines)) for k, n in sorted(bad.items()))
                notes.append("**%s: %s**" % (mode, what))
                self.problems.append("%s fixed, %s: %s" % (self.label_of_fixed(scenario), mode, what))
            elif mode == "exhaustive":
                r = lines[0]
                notes.append("exh. %s %s" % ("ended at" if r[11] == "1" else "cap", r[10]))
        if "libfuzzer" in self.modes:
            lines = [r for r in self.fuzz if r[1] == scenario and r[2] == "fixed"]
            bad = [r for r in lines if r[3] != "-"]
            if bad:
                alarm = True
                what = ", ".join(sorted(set(r[3] for r in bad)))
                notes.append("**libfuzzer: %s**" % what)
                self.problems.append("%s fixed, libfuzzer: %s" % (self.label_of_fixed(scenario), what))
            elif lines:
                notes.append("lf. %s ex." % lines[0][5])
        if not alarm:
            notes.insert(0, "clean")
        return "; ".join(notes), alarm

    def label_of_fixed(self, scenario):
        return self.label.get(scenario, scenario)

    def peer_cell(self, tool, scenario):
        lines = [r for r in self.peers if r[0] == tool and r[1] == scenario]
        if not lines:
            return "-", None
        hit = "leak" if tool == "leak" else None
        found = [r for r in lines if (r[3] == hit if hit else r[3] not in ("clean", "norun"))]
        kinds = defaultdict(int)
        for r in lines:
            if r[3] not in ("clean", "leak" if tool == "leak" else "clean"):
                kinds[("test " if tool == "leak" else "") + r[3]] += 1
        cell = "%d/%d" % (len(found), len(lines))
        if kinds:
            cell += " (" + ", ".join("%d %s" % (n, k) for k, n in sorted(kinds.items())) + ")"
        cell += " · %s s" % secs(statistics.median(float(r[4]) for r in lines))
        return cell, len(found)

    def header(self):
        f = self.facts
        dirty = " (with uncommitted changes)" if f.get("dirty", "0") != "0" else ""
        out = ["`bench/goker.sh` on `%s` (%d test packages, %d buggy and %d fixed tests), %s, "
               "%s, load average %s at the start and %s at the end; the tree at commit %s%s; %s s in all."
               % (f["dir"], len(self.meta), len(self.buggy), len(self.fixed), f["started"],
                  f["machine"], f["load_start"], f.get("load_end", "?"), f["commit"], dirty,
                  f.get("seconds_total", "?")), ""]
        stride = f["stride"]
        budget = f["budget"] if f["budget"] != "-" else "each test's own (1000; `//chanfuzz:budget` raises it)"
        build = build_of(f["chanfuzz"])
        for mode in ("portfolio", "random", "pct"):
            if mode in self.modes:
                out.append("- chanfuzz %s: `chanfuzz go test PKGS --mode %s --seed S --json`, %s seeds "
                           "(S = j×%s, j = 1..%s), budget %s per variant; %s s; %s"
                           % (mode, mode, f["seeds_" + mode], stride, f["seeds_" + mode], budget,
                              f.get("seconds_" + mode, "?"), build))
        if "exhaustive" in self.modes:
            out.append("- chanfuzz exhaustive: `--mode exhaustive --bound %s --budget %s --time %s` once "
                       "(deterministic within the budget); %s s"
                       % (f["bound"], f["exhaustive_budget"], f["exhaustive_time"], f.get("seconds_exhaustive", "?")))
        if "libfuzzer" in self.modes:
            out.append("- chanfuzz libfuzzer: `chanfuzz go fuzz --work DIR` compiled the target once (%s s); each "
                       "buggy variant's `fuzz_<scenario>_buggy` ran alone for %s seeds (`-seed=j×%s -runs=%s "
                       "-max_total_time=%s`), each fixed variant once for %s s; %s s; %s"
                       % (f.get("seconds_fuzz_build", "?"), f["seeds_libfuzzer"], stride, f["fuzz_runs"],
                          f["fuzz_time"], f["fuzz_fixed_time"], f.get("seconds_libfuzzer", "?"),
                          build_of(f["fuzz_chanfuzz"])))
        if f["peers"] == "1":
            out.append("- Go runtime: %s, each buggy test compiled once (`go test -c`) and run %s times "
                       "(`-test.count=1 -test.timeout %ss`); goleak %s (`goleak.VerifyTestMain` added to a "
                       "temporary copy) the same; %s s for both"
                       % (f.get("go_version", "?"), f["runs"], f["timeout"], f.get("goleak_version", "?"),
                          f.get("seconds_peers", "?")))
        return out

    def table(self):
        modes = [m for m in ("portfolio", "random", "pct", "exhaustive", "libfuzzer") if m in self.modes]
        peers = self.facts["peers"] == "1"
        cols = ["kernel", "subtype", "rate"] + ["chanfuzz " + m for m in modes] + ["fixed variant"]
        if peers:
            cols += ["Go runtime", "goleak"]
        out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        totals = {m: [0, 0] for m in modes}  # found in every seed, at least once
        peer_tot = {"plain": [0, 0], "leak": [0, 0]}
        alarms = 0
        failed = False
        cells = {"portfolio": lambda s: self.seeded_cell("portfolio", s),
                 "random": lambda s: self.seeded_cell("random", s), "pct": lambda s: self.seeded_cell("pct", s),
                 "exhaustive": self.exhaustive_cell, "libfuzzer": self.fuzz_cell}
        for s in sorted(self.buggy, key=lambda s: self.label[s]):
            meta = self.package_of(s)
            row = [self.label[s], meta[2], meta[3]]
            for m in modes:
                cell, found, tried = cells[m](s)
                failed |= found == 0
                row.append(cell)
                totals[m][0] += found == tried > 0
                totals[m][1] += found > 0
            fixed = s if s in self.fixed else None
            if fixed:
                cell, alarm = self.fixed_cell(s)
                alarms += alarm
                failed |= alarm
            else:
                cell = "-"
            row.append(cell)
            if peers:
                for tool in ("plain", "leak"):
                    cell, n = self.peer_cell(tool, s)
                    row.append(cell)
                    if n:
                        runs = int(cell.split("/")[1].split(" ")[0])
                        peer_tot[tool][1] += 1
                        peer_tot[tool][0] += n == runs
            out.append("| " + " | ".join(row) + " |")
        for s in self.fixed:  # fixed tests of scenarios without a buggy one
            if s not in self.buggy:
                cell, alarm = self.fixed_cell(s)
                alarms += alarm
                failed |= alarm
                if alarm:
                    self.problems.append("%s (no buggy variant): %s" % (s, cell))
        n = len(self.buggy)
        tot = ["**totals**", "", ""]
        for m in modes:
            if m == "exhaustive":
                tot.append("**%d/%d** found" % (totals[m][0], n))
            else:
                tot.append("**%d/%d** in every seed, %d/%d at least once" % (totals[m][0], n, totals[m][1], n))
        tot.append("%d of %d with a finding" % (alarms, len(self.fixed)))
        if peers:
            for tool in ("plain", "leak"):
                tot.append("**%d/%d** at least once, %d/%d in every run"
                           % (peer_tot[tool][1], n, peer_tot[tool][0], n))
        out.append("| " + " | ".join(tot) + " |")
        return out, failed

    def notes(self):
        out = ["Cells: `k/K · a/b · c/d s` is found in k of K seeds (the buggy variant's verdict was "
               "\"as expected\"), the median/p95 (nearest rank) over those k seeds of the executions to the "
               "first expected finding, and of the seconds to it. For portfolio, random and pct the seconds are the "
               "variant's seconds × executions to detection / executions (the variant stops at its finding, "
               "so this is its own time; translation and compilation, once per run, are not in it); for "
               "libfuzzer they are the wall time of the target's process, start-up included. \"also KIND "
               "i/K\" counts seeds whose buggy variant also showed a kind it does not expect. Exhaustive: "
               "the schedule of the first finding, or where the search stopped (\"ended\": every schedule "
               "within the bound ran; \"cap\": its budget or time ran out first). Fixed variant: \"clean\" when no "
               "strategy found anything on it, then where its exhaustive search ended (\"exh.\") and the "
               "executions of its libFuzzer run (\"lf.\"); a finding there is a false alarm, in bold. Rate: "
               "the reproduction rate the GoBench authors report, from the kernel's package comment. Go "
               "runtime and goleak: the runs that reported the bug, what else happened (hang: the test "
               "timeout fired; for goleak a \"test hang\" never got to its check), and the median wall time "
               "of one run.", "", "Published, for reference: " + PUBLISHED + "."]
        if self.problems:
            out += ["", "Not as expected:", ""] + ["- " + p for p in self.problems]
        return out


def build_of(binary):
    """What the binary's CMake build is, from the CMakeCache.txt above it."""
    d = os.path.dirname(binary)
    while d not in ("/", ""):
        cache = os.path.join(d, "CMakeCache.txt")
        if os.path.exists(cache):
            v = {}
            for line in open(cache):
                if "=" in line and ":" in line.split("=")[0]:
                    k, val = line.rstrip("\n").split("=", 1)
                    v[k.split(":")[0]] = val
            parts = [os.path.basename(v.get("CMAKE_C_COMPILER", "?")), v.get("CMAKE_BUILD_TYPE", "?")]
            if v.get("CHANFUZZ_SANITIZE"):
                parts.append("sanitize=" + v["CHANFUZZ_SANITIZE"])
            if v.get("CHANFUZZ_CHECKS") == "ON":
                parts.append("invariant checks")
            return "build `%s` (%s)" % (os.path.basename(d), ", ".join(parts))
        d = os.path.dirname(d)
    return "binary " + binary


def replace(path, table_path, begin=BEGIN, end=END):
    """Puts the table between FILE's begin and end lines (bench/run.sh's
    block has its own)."""
    text = open(path).read()
    if begin not in text or end not in text or text.index(begin) > text.index(end):
        return 1
    table = open(table_path).read().rstrip("\n")
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    with open(path, "w") as f:
        f.write(head + begin + "\n" + table + "\n" + end + tail)
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "--replace":
        return replace(argv[2], argv[3])
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    r = Results(argv[1])
    table, failed = r.table()
    print("\n".join(r.header() + [""] + table + [""] + r.notes()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
