#!/usr/bin/env python3
"""Site-capturing macros (go.h: every macro that expands GO_SITE) must be
called on one line, arguments included.

A site is __LINE__ at the macro's expansion, and for a call that spans
lines gcc gives the line of the macro's name and clang the line of the
closing parenthesis (checked: gcc 12, clang 14). Traces, crash states and
reports would then differ between compilers, and the same decisions must
give the same trace on both. Prints FILE:LINE: for each offending call and
exits 1 if there is any.

    scripts/check-site-lines.py [FILE|DIR ...]   (default: scenarios/)
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def site_macros():
    text = open(os.path.join(ROOT, "runtime/include/chanfuzz/go.h")).read()
    text = text.replace("\\\n", " ")
    names = set()
    for m in re.finditer(r"#define\s+(go_\w+)\(([^)]*)\)\s+(.*)", text):
        if "GO_SITE" in m.group(3) or "_at(" in m.group(3):
            names.add(m.group(1))
    return names


def strip_comments_and_strings(text):
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'', blank, text,
                  flags=re.S)


def offenders(path, names):
    code = strip_comments_and_strings(open(path).read())
    pattern = re.compile(r"\b(" + "|".join(sorted(names)) + r")\s*\(")
    for m in pattern.finditer(code):
        depth, i = 0, m.end() - 1
        while i < len(code):
            if code[i] == "(":
                depth += 1
            elif code[i] == ")":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        if "\n" in code[m.start():i]:
            yield code.count("\n", 0, m.start()) + 1, m.group(1)


def files(args):
    for arg in args or [os.path.join(ROOT, "scenarios")]:
        if os.path.isdir(arg):
            for d, _, names in os.walk(arg):
                yield from (os.path.join(d, n) for n in sorted(names) if n.endswith(".c"))
        else:
            yield arg


def main():
    names = site_macros()
    bad = 0
    for path in files(sys.argv[1:]):
        for line, name in offenders(path, names):
            print(f"{os.path.relpath(path, ROOT)}:{line}: {name}(...) spans lines: its site "
                  "would differ between gcc and clang; put the call on one line")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
