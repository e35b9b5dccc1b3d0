#!/usr/bin/python3
"""py_scene.py — ADR-007's classes in CPython, the keep scene of hc-scene.

    py_scene.py URL -n N --layout dict|slots|allslots [--tracemalloc]

The seven classes of the record (Session, ConnectionPool, Connection,
Request, Response, Timeout, Headers) with the attributes of the C model
(client/src/types.c), in one of three layouts: no slots (dict), __slots__ on
the five hot classes (slots, the ADR's choice), or on all seven (allslots).
One Session, one pooled keep-alive http.client connection to URL (hc-serve
on loopback); each request is a Request with its own Headers and Timeout,
sent, then dropped; every Response is kept, filled from the real exchange.

Types, as the C client tags them: each object's own storage is TYPE, the
data it holds TYPE.payload.  A Response's payload is its body, status line
and raw head (rebuilt from the fields), copied out of what http.client
received; a Headers object's payload its item list and field strings.
Tagging is through the heaptag package (python/heaptag): run under
`heaptag run` with PYTHONMALLOC=malloc, or nothing is tagged.

--tracemalloc: also measure the kept Responses' own storage with
tracemalloc (every live block allocated through build_response), the
independent figure heaptag's must agree with.

The last stdout line is key=value pairs, as hc-scene's.
Exit status: 0 every request answered 200 with the same body length;
1 a request failed; 2 usage.
"""
import argparse
import http.client
import sys
import urllib.parse

import heaptag

HOT = ("Response", "Request", "Connection", "Timeout", "Headers")
# The attributes of each class, as client/src/types.c declares them.
ATTRS = {
    "Response": ("raw", "status_line", "status_code", "headers", "body", "_text", "_json"),
    "Request": ("method", "url", "headers", "body", "timeout"),
    "Connection": ("scheme", "host", "port", "fd", "ssl", "rbuf", "requests"),
    "Timeout": ("connect", "read", "total"),
    "Headers": ("_items", "_count", "_capacity"),
    "Session": ("pool", "headers", "timeout", "follow_redirects", "max_redirects", "verify",
                "ca_file", "decode_content", "hooks", "_ssl_ctx"),
    "ConnectionPool": ("_idle", "_idle_count", "_idle_capacity", "maxsize", "opened", "reused"),
}


def make_class(name, slotted):
    """A class whose __init__ sets every attribute, in declaration order,
    so a dict-backed instance gets its keys in one order (key sharing, as
    a hand-written class would)."""
    attrs = ATTRS[name]
    src = "def __init__(self, %s):\n" % ", ".join(attrs)
    src += "".join("    self.%s = %s\n" % (a, a) for a in attrs)
    ns = {}
    exec(src, ns)
    body = {"__init__": ns["__init__"]}
    if slotted:
        body["__slots__"] = attrs
    return type(name, (), body)


def classes(layout):
    slotted = {"dict": (), "slots": HOT, "allslots": tuple(ATTRS)}[layout]
    return {n: make_class(n, n in slotted) for n in ATTRS}


def copy_str(s):
    """A new str equal to S (str has no copy: slicing and str() return S)."""
    return s.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")


def build_response(C, raw, status_line, code, headers, body):
    return C["Response"](raw, status_line, code, headers, body, None, None)  # RESPONSE_LINE


# tracemalloc attributes each block to the line that allocated it: every
# block whose traceback passes through this line is a Response's own.
RESPONSE_LINE = next(i for i, l in enumerate(open(__file__), 1) if l.rstrip().endswith("# RESPONSE_LINE"))


def tracemalloc_response_bytes():
    import tracemalloc
    snap = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(True, __file__, RESPONSE_LINE)])
    return sum(t.size for t in snap.traces)


class Client:
    def __init__(self, url, C, tracemalloc):
        self.C = C
        self.tm = tracemalloc
        u = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = u.hostname, u.port or 80, u.path or "/"
        self.url = url
        tmo = self.new("Timeout", lambda: C["Timeout"](10, 10, 30))
        h = self.new("Headers", lambda: C["Headers"](
            [("User-Agent", "hc/1.0"), ("Accept", "*/*")], 2, 2))
        pool = self.new("ConnectionPool", lambda: C["ConnectionPool"]([], 0, 0, 10, 0, 0))
        self.session = self.new("Session", lambda: C["Session"](
            pool, h, tmo, 1, 30, 1, None, 1, None, None))

    def new(self, name, make):
        with heaptag.scope(name):
            obj = make()
        heaptag.instance_new(name)
        return obj

    def connection(self):
        pool = self.session.pool
        if pool._idle:
            pool.reused += 1
            return pool._idle.pop()
        with heaptag.scope("Connection.payload"):
            hc = http.client.HTTPConnection(self.host, self.port)
            hc.connect()
        pool.opened += 1
        return self.new("Connection", lambda: self.C["Connection"](
            "http", self.host, self.port, hc.sock.fileno(), None, hc, 0))

    def send(self, method):
        C = self.C
        with heaptag.scope("Request.payload"):
            url = "%s" % self.url
        hdrs = self.new("Headers", lambda: C["Headers"]([], 0, 0))
        tmo = self.new("Timeout", lambda: C["Timeout"](10, 10, 30))
        req = self.new("Request", lambda: C["Request"](method, url, hdrs, None, tmo))
        conn = self.connection()
        conn.requests += 1
        sh = self.session.headers._items
        # The exchange itself is untagged: how http.client buffers a body
        # depends on how the reads split, so its transient blocks differ
        # from run to run.  What the Response keeps is then copied into
        # its payload, block by block, the same every run.
        conn.rbuf.request(req.method, self.path, headers=dict(sh))
        hr = conn.rbuf.getresponse()
        received = hr.read()
        fields = hr.getheaders()
        code = hr.status
        version, reason = hr.version, hr.reason
        del hr
        with heaptag.scope("Response.payload"):
            body = bytes(memoryview(received))
            status_line = "HTTP/%d.%d %d %s" % (version // 10, version % 10, code, reason)
            raw = (status_line + "\r\n" + "".join("%s: %s\r\n" % f for f in fields) + "\r\n").encode("latin-1")
        del received
        # The fields are copied out of http.client's message (which goes
        # away with hr): a Headers object owns its items, as in the C client.
        with heaptag.scope("Headers.payload"):
            items = [(copy_str(n), copy_str(v)) for n, v in fields]
        del fields
        rh = self.new("Headers", lambda: C["Headers"](items, len(items), len(items)))
        if self.tm:
            r = build_response(C, raw, status_line, code, rh, body)
        else:
            r = self.new("Response", lambda: build_response(C, raw, status_line, code, rh, body))
        # The Request, its Headers and its Timeout are dropped on return, as
        # hc_request_free drops them.
        for name in ("Request", "Headers", "Timeout"):
            heaptag.instance_free(name)
        self.session.pool._idle.append(conn)
        return r


def main():
    ap = argparse.ArgumentParser(description="ADR-007's classes in CPython: the keep scene")
    ap.add_argument("url")
    ap.add_argument("-n", type=int, required=True)
    ap.add_argument("--layout", choices=("dict", "slots", "allslots"), required=True)
    ap.add_argument("--tracemalloc", action="store_true")
    a = ap.parse_args()
    if a.n < 1:
        ap.error("-n must be positive")
    if a.tracemalloc:
        import tracemalloc
        # One frame is enough and ten times faster than eight: every block
        # of a Response is allocated with build_response's line on top (a
        # Response's __init__ only stores into storage made by the call).
        tracemalloc.start(1)
    # One untagged exchange first: http.client imports modules and fills
    # caches on its first use, which no class of the scene owns.
    u = urllib.parse.urlsplit(a.url)
    try:
        warm = http.client.HTTPConnection(u.hostname, u.port or 80)
        warm.request("GET", u.path or "/")
        warm.getresponse().read()
        warm.close()
    except (OSError, http.client.HTTPException) as e:
        print("py-scene: %s: %s" % (a.url, e), file=sys.stderr)
        return 1
    del warm
    cl = Client(a.url, classes(a.layout), a.tracemalloc)
    kept = [None] * a.n
    first_len = None
    for i in range(a.n):
        try:
            r = cl.send("GET")
        except (OSError, http.client.HTTPException) as e:
            print("py-scene: request %d: %s" % (i + 1, e), file=sys.stderr)
            return 1
        if r.status_code != 200:
            print("py-scene: request %d: status %d" % (i + 1, r.status_code), file=sys.stderr)
            return 1
        if first_len is None:
            first_len = len(r.body)
        elif len(r.body) != first_len:
            print("py-scene: request %d: body of %d bytes, the first had %d"
                  % (i + 1, len(r.body), first_len), file=sys.stderr)
            return 1
        kept[i] = r
    pool = cl.session.pool
    line = ("layout=%s scene=keep requests=%d errors=0 body_bytes=%d connections_opened=%d "
            "connections_reused=%d python=%d.%d.%d"
            % (a.layout, a.n, first_len, pool.opened, pool.reused, *sys.version_info[:3]))
    if a.tracemalloc:
        line += " tracemalloc_response_bytes=%d" % tracemalloc_response_bytes()
    print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
