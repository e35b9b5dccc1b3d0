"""heaptag — tag Python allocations with a type, for libheaptag.so.

    import heaptag
    with heaptag.scope("Response"):          # allocations on this thread are Responses
        r = Response(...)
    heaptag.instance_new("Response")         # count one more instance

The calls go to the tracker's C API (heaptag.h) in the running process:
heaptag_push, heaptag_pop, heaptag_instance_new, heaptag_instance_free and
heaptag_dump, found with dlsym in the process's global symbols, where an
LD_PRELOAD'ed libheaptag.so puts them.  Without the tracker every function
is a no-op and active() is False, so tagged code runs unchanged anywhere.

Python objects reach the tracker only through malloc: run the interpreter
with PYTHONMALLOC=malloc, or pymalloc's arenas hide every small object.

Only ctypes is used, so this package stays pure Python; a compiled helper
(e.g. a _pymem extension module) can live beside this file in the package.
"""
import ctypes

__all__ = ["active", "scope", "push", "pop", "instance_new", "instance_free", "dump"]

# Type names are passed as C strings.  The tracker caches names by address,
# so each name is encoded once and the same bytes object (the same address)
# is passed on every call; keeping it here also keeps that address valid.
_names = {}


def _c_name(name):
    b = _names.get(name)
    if b is None:
        if not isinstance(name, str) or not name or "\0" in name:
            raise ValueError("heaptag: a type name is a non-empty string without NUL: %r" % (name,))
        b = _names[name] = name.encode("utf-8")
    return b


def _find(sym, restype, argtypes):
    try:
        f = getattr(_process, sym)
    except AttributeError:
        return None
    f.restype = restype
    f.argtypes = argtypes
    return f


try:
    _process = ctypes.CDLL(None)          # dlopen(NULL): the process and what it preloaded
except OSError:                            # not a dynamic process: no tracker either
    _process = None

if _process is not None:
    _push = _find("heaptag_push", None, [ctypes.c_char_p])
    _pop = _find("heaptag_pop", None, [])
    _inew = _find("heaptag_instance_new", None, [ctypes.c_char_p])
    _ifree = _find("heaptag_instance_free", None, [ctypes.c_char_p])
    _dump = _find("heaptag_dump", ctypes.c_int, [ctypes.c_char_p])
else:
    _push = _pop = _inew = _ifree = _dump = None
# All or nothing: a half-found API (another library with one of the names)
# must not push scopes it cannot pop.
if not (_push and _pop and _inew and _ifree):
    _push = _pop = _inew = _ifree = _dump = None


def active():
    """True when libheaptag.so is loaded in this process."""
    return _push is not None


def push(name):
    """Open a type scope on this thread (heaptag_push)."""
    if _push is not None:
        _push(_c_name(name))


def pop():
    """Close the innermost type scope of this thread (heaptag_pop)."""
    if _pop is not None:
        _pop()


def instance_new(name):
    """Count one more instance of NAME (heaptag_instance_new)."""
    if _inew is not None:
        _inew(_c_name(name))


def instance_free(name):
    """Count one instance of NAME gone (heaptag_instance_free)."""
    if _ifree is not None:
        _ifree(_c_name(name))


def dump(path=None):
    """Write a report now (heaptag_dump); False without the tracker or on error."""
    if _dump is None:
        return False
    return _dump(None if path is None else str(path).encode()) == 0


class scope:
    """`with heaptag.scope("Response"): ...` — push on entry, pop on exit
    (also when the block raises).  The name is encoded when the scope is
    made, so entering allocates nothing that the scope would count."""
    __slots__ = ("_name",)

    def __init__(self, name):
        self._name = _c_name(name)

    def __enter__(self):
        if _push is not None:
            _push(self._name)
        return self

    def __exit__(self, *exc):
        if _pop is not None:
            _pop()
        return False
