#!/usr/bin/env python3
"""check_report.py -- checks of chanfuzz's HTML report (harness/report/README.md, "HTML").

  check_report.py page PAGE [RUN_JSON]   the page of `chanfuzz run timeout_unbuffered_result
                                         --html`, as written or as Chromium's --dump-dom
                                         serialised it: well-formed, self-contained, the
                                         table row, the blocked sender's lane, the graph
  check_report.py dom DOM [RUN_JSON]     the same, on Chromium's --dump-dom, whose script
                                         must have run
  check_report.py png FILE               a screenshot: a PNG that is not blank

Only the standard library (no PIL on the machine): the PNG is decoded with zlib.
"""
import html.parser
import json
import re
import struct
import sys
import zlib

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Page(html.parser.HTMLParser):
    """Elements with their attributes and parents; fails on a close tag that does not close
    the innermost open element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.elements, self.errors = [], [], []
        self.scripts, self._script = [], None

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "parents": list(self.stack), "text": ""}
        self.elements.append(element)
        if tag == "script":
            self._script = element
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, "attrs": dict(attrs), "parents": list(self.stack),
                              "text": ""})

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1]["tag"] != tag:
            self.errors.append("line %d: </%s> closes <%s>" % (
                self.getpos()[0], tag, self.stack[-1]["tag"] if self.stack else "nothing"))
            return
        element = self.stack.pop()
        if tag == "script":
            self.scripts.append(element)
            self._script = None

    def handle_data(self, data):
        for element in self.stack:
            element["text"] += data


def classes(element):
    return element["attrs"].get("class", "").split()


def select(page, tag=None, cls=None, **attrs):
    found = []
    for e in page.elements:
        if tag and e["tag"] != tag:
            continue
        if cls and cls not in classes(e):
            continue
        if any(e["attrs"].get(k.replace("_", "-")) != v for k, v in attrs.items()):
            continue
        found.append(e)
    return found


def inside(element, parent):
    return any(p is parent for p in element["parents"])


def check_page(path, run_json=None, browser=False):
    text = open(path, encoding="utf-8").read()
    page = Page()
    page.feed(text)
    page.close()
    assert not page.errors, "not well-formed: " + "; ".join(page.errors[:5])
    assert not page.stack, "unclosed: " + ", ".join(e["tag"] for e in page.stack)
    # Self-contained: no URL to fetch anything from.
    assert not re.search(r"https?://", text), "an http(s) URL in the page"
    for e in page.elements:
        assert "src" not in e["attrs"], "a src attribute on <%s>" % e["tag"]
        href = e["attrs"].get("href")
        assert href is None or href.startswith("#"), "href %r is not a fragment" % href
        assert e["tag"] not in ("link", "iframe", "img", "object", "embed"), e["tag"]

    if browser:
        # The script ran to its end in the browser: the sorting is wired.
        root = select(page, "html")[0]
        assert root["attrs"].get("data-report-script") == "ready", "the page's script did not run"

    # The embedded JSON is the report the page is a view of.
    data = [s for s in page.scripts if s["attrs"].get("id") == "chanfuzz-report"]
    assert len(data) == 1, "no embedded JSON report"
    report = json.loads(data[0]["text"])
    assert report["format"] == "chanfuzz.report/1", report["format"]
    findings = [entry["finding"] for entry in report["findings"]]
    if run_json:
        lines = [json.loads(l) for l in open(run_json) if l.strip()]
        run_findings = [l for l in lines if l.get("format") == "chanfuzz.finding/1"]
        assert findings == run_findings, "the embedded findings are not run --json's"
        summaries = [l for l in lines if l.get("format") == "chanfuzz.summary/1"]
        assert [s["progress"] for s in report["summaries"]] == [s["progress"] for s in summaries]

    # The table: the finding's row, under its crash state's group.
    rows = select(page, "tr", "finding-row")
    assert len(rows) == 1, "%d table rows, not 1" % len(rows)
    row = rows[0]
    cells = {classes(c)[0]: c["text"].strip() for c in page.elements
             if c["tag"] == "td" and inside(c, row)}
    assert cells["kind"] == "partial deadlock", cells
    assert cells["scenario"] == "timeout_unbuffered_result" and cells["variant"] == "buggy", cells
    assert cells["crash-state"].startswith("partial deadlock: chan send at "), cells
    assert cells["executions"].isdigit(), cells
    assert cells["reproducer"].endswith(".trace"), cells
    assert cells["replay"].startswith("chanfuzz replay "), cells
    heads = select(page, "tr", "group-head")
    assert len(heads) == 1 and cells["crash-state"] in heads[0]["text"], "no crash-state group"

    # The timeline: the blocked sender's lane ends at its send.
    lanes = select(page, "g", "lane")
    assert len(lanes) >= 2, "%d lanes" % len(lanes)
    blocked = [l for l in lanes if l["attrs"].get("data-end-kind") == "blocked"]
    assert len(blocked) == 1, [l["attrs"] for l in lanes]
    lane = blocked[0]["attrs"]
    assert lane["data-end-event"] == "block [chan send]", lane
    assert "timeout_unbuffered_result.c:51 (send_result)" in lane["data-end-site"], lane
    line = [e for e in page.elements if e["tag"] == "line" and inside(e, blocked[0])
            and "lane-line" in classes(e)][0]["attrs"]
    send = [m for m in select(page, "g", "mark") if m["attrs"]["data-event"] == "block [chan send]"
            and m["attrs"]["data-goroutine"] == lane["data-goroutine"]]
    assert len(send) == 1, "no mark for the send"
    assert float(line["x2"]) == float(send[0]["attrs"]["data-x"]), (line, send[0]["attrs"])
    assert all(float(line["x2"]) >= float(m["attrs"]["data-x"]) for m in select(page, "g", "mark")
               if m["attrs"]["data-goroutine"] == lane["data-goroutine"]), "a mark after the end"
    forever = [e for e in page.elements if inside(e, blocked[0]) and "blocked-forever" in classes(e)]
    assert forever, "no blocked-forever span"
    for kind in ("op-spawn", "op-select", "op-timer", "op-exit"):
        assert select(page, "g", kind), "no %s mark" % kind
    assert select(page, "g", "virtual-jump"), "no virtual-time jump"
    titles = [e for e in page.elements if e["tag"] == "title" and inside(e, send[0])]
    assert titles and "timeout_unbuffered_result.c:51" in titles[0]["text"], "no hover text"

    # The witness: the channel held only by the leaked goroutine.
    goroutine = "g" + lane["data-goroutine"]
    nodes = {n["attrs"]["data-node"]: n for n in select(page, "g", "node")}
    assert goroutine in nodes and "chan#1" in nodes, sorted(nodes)
    assert nodes["chan#1"]["attrs"]["data-kind"] == "chan"
    assert "leaked" in nodes[goroutine]["text"], nodes[goroutine]["text"]
    assert "timeout_unbuffered_result.c:55" in nodes["chan#1"]["text"], "no site on the node"
    edges = [(e["attrs"]["data-from"], e["attrs"]["data-to"], e["attrs"]["data-label"])
             for e in select(page, "g", "edge")]
    assert (goroutine, "chan#1", "waits on") in edges, edges
    holders = [f for f, t, label in edges if t == "chan#1" and label == "holds"]
    assert holders == [goroutine], "chan#1 held by %s" % holders

    # The run's figures, when the page has the run's summary.
    charts = [c["attrs"].get("aria-label") for c in select(page, "svg", "chart")]
    if run_json:
        assert "executions over time" in charts and "findings over time" in charts, charts
    print("page %s: well-formed, self-contained; 1 row, %d lanes, %d nodes, %d edges" % (
        path, len(lanes), len(nodes), len(edges)))


def png_pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, idat, header = 8, b"", None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    channels = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous, at = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc
                                      else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def check_png(path):
    width, height, channels, rows = png_pixels(path)
    counts = {}
    for row in rows[::4]:
        for x in range(0, width * channels, channels * 4):
            pixel = row[x:x + 3]
            counts[pixel] = counts.get(pixel, 0) + 1
    total = sum(counts.values())
    commonest = max(counts.values())
    assert len(counts) > 20, "%d colours: blank" % len(counts)
    assert commonest < 0.97 * total, "%.1f%% one colour: blank" % (100.0 * commonest / total)
    print("png %s: %dx%d, %d colours sampled, the commonest %.0f%%" % (
        path, width, height, len(counts), 100.0 * commonest / total))


if __name__ == "__main__":
    if sys.argv[1] in ("page", "dom"):
        check_page(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None,
                   browser=sys.argv[1] == "dom")
    elif sys.argv[1] == "png":
        check_png(sys.argv[2])
    else:
        sys.exit("usage: check_report.py page|dom PAGE [RUN_JSON] | png FILE")
