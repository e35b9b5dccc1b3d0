"""Per-class scopes with pymalloc on: N instances of the tests' 7-attribute
class built inside heaptag_push("C") ... heaptag_pop().

The scope functions are called through ctypes, and the instances go into a
list made beforehand from ints made beforehand, so the scope holds the
instances' own blocks and nothing else.  Under -X tracemalloc it prints
the bytes traced over the same stretch.

    python3 scoped.py N dict|slots
"""
import ctypes
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

traced = "tracemalloc" in sys._xoptions
if traced:  # the independent measure: tracemalloc's bytes over the scope
    import _tracemalloc
lib = ctypes.CDLL(None)
if traced:
    push = pop = lambda *a: None
else:
    push, pop = lib.heaptag_push, lib.heaptag_pop
    push.argtypes, push.restype = [ctypes.c_char_p], None
    pop.argtypes, pop.restype = [], None
name = b"C"
idx = list(range(N))
objs = [None] * N
C(0)  # the class's first instance warms its caches outside the scope
before = _tracemalloc.get_traced_memory()[0] if traced else 0
push(name)
for i in idx:
    objs[i] = C(i)
pop()
if traced:
    print(_tracemalloc.get_traced_memory()[0] - before)
