"""The issue's CPython workload: N instances of a class with seven
attributes, kept alive in a list, with or without __slots__.

    python3 instances.py N dict|slots [DIR]

Run under `-X tracemalloc` it prints tracemalloc's peak (bytes) at the end,
read through the C module _tracemalloc so that the reading itself imports
nothing that could raise the peak of a small run.

With DIR, under the tracker, it writes three reports with heaptag_dump():
DIR/0.json and DIR/1.json back to back before the instances are made, and
DIR/2.json after.  Report 2 less report 1 is what making the instances
allocated plus what one dump call makes on the Python side (ctypes'
arguments); report 1 less report 0 is that call alone, and figures.py
window-blocks subtracts it.  The tests count the instances' blocks so,
inside one process, because two start-ups of the interpreter need not
allocate alike: a .pth file in site-packages runs code at every start, and
what stdin is changes the objects made for it."""
import sys

N = int(sys.argv[1])

if sys.argv[2] == "slots":
    class C:
        __slots__ = ("a", "b", "c", "d", "e", "f", "g")

        def __init__(self, i):
            self.a = i; self.b = i; self.c = i; self.d = i
            self.e = i; self.f = i; self.g = i
else:
    class C:
        def __init__(self, i):
            self.a = i; self.b = i; self.c = i; self.d = i
            self.e = i; self.f = i; self.g = i

if len(sys.argv) > 3:
    import ctypes

    dump = ctypes.CDLL(None).heaptag_dump
    dump.argtypes, dump.restype = [ctypes.c_char_p], ctypes.c_int
    paths = [("%s/%d.json" % (sys.argv[3], k)).encode() for k in range(3)]
else:
    dump = paths = None

if dump and (dump(paths[0]) or dump(paths[1])):
    sys.exit("instances.py: heaptag_dump failed")
objs = [C(i) for i in range(N)]
if dump and dump(paths[2]):
    sys.exit("instances.py: heaptag_dump failed")

if "tracemalloc" in sys._xoptions:
    import _tracemalloc
    print(_tracemalloc.get_traced_memory()[1])
