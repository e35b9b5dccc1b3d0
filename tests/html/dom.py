#!/usr/bin/env python3
"""Read the DOM of a heaptag run page as Chromium dumped it (--dump-dom)
and print one figure: the tests compare it with the report's own numbers.

  dom.py FILE attr ID NAME     attribute NAME of the element with id ID
  dom.py FILE points ID        number of points of a polyline/polygon
  dom.py FILE rows ID          rows in the tbody of table ID (shown, all)
  dom.py FILE count SELECTOR   elements matching "tag.class" or "tag[attr]"
  dom.py FILE text ID          the text inside element ID
"""
import html.parser
import sys


class Dom(html.parser.HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.by_id = {}
        self.elements = []
        self.stack = []

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": [], "children": [],
              "parent": self.stack[-1] if self.stack else None}
        if el["parent"]:
            el["parent"]["children"].append(el)
        self.elements.append(el)
        if "id" in el["attrs"]:
            self.by_id[el["attrs"]["id"]] = el
        if tag not in self.VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i]["tag"] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        for el in self.stack:
            el["text"].append(data)


def walk(el):
    yield el
    for c in el["children"]:
        yield from walk(c)


def main():
    path, cmd = sys.argv[1], sys.argv[2]
    d = Dom()
    d.feed(open(path, encoding="utf-8").read())

    def get(i):
        if i not in d.by_id:
            raise SystemExit(f"dom.py: no element #{i}")
        return d.by_id[i]

    if cmd == "attr":
        print(get(sys.argv[3])["attrs"].get(sys.argv[4], ""))
    elif cmd == "points":
        print(len(get(sys.argv[3])["attrs"]["points"].split()))
    elif cmd == "rows":
        rows = [e for e in walk(get(sys.argv[3])) if e["tag"] == "tr" and e["parent"]["tag"] == "tbody"]
        print(sum("hidden" not in r["attrs"] for r in rows), len(rows))
    elif cmd == "count":
        sel = sys.argv[3]
        if "[" in sel:
            tag, attr = sel[:-1].split("[")
            ok = lambda e: e["tag"] == tag and attr in e["attrs"]
        elif "." in sel:
            tag, cls = sel.split(".")
            ok = lambda e: e["tag"] == tag and cls in e["attrs"].get("class", "").split()
        else:
            ok = lambda e: e["tag"] == sel
        print(sum(ok(e) for e in d.elements))
    elif cmd == "text":
        print(" ".join("".join(get(sys.argv[3])["text"]).split()))
    else:
        raise SystemExit(f"dom.py: unknown command {cmd}")


if __name__ == "__main__":
    main()
