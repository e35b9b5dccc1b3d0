"""The issue's CPython workload: N instances of a class with seven
attributes, kept alive in a list, with or without __slots__.

    python3 instances.py N dict|slots

Run under `-X tracemalloc` it prints tracemalloc's peak (bytes) at the end,
read through the C module _tracemalloc so that the reading itself imports
nothing that could raise the peak of a small run."""
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

objs = [C(i) for i in range(N)]

if "tracemalloc" in sys._xoptions:
    import _tracemalloc
    print(_tracemalloc.get_traced_memory()[1])
