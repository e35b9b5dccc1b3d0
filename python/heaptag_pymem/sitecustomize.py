# Reports CPython's object and mem domains to heaptag from the program's
# first line on (`heaptag run --python`; docs/python.md).
#
# Python's site module loads this file at start-up when this folder is on
# PYTHONPATH (`heaptag run --python` puts it there).  Then it runs the
# sitecustomize this file shadows, if any (Debian ships one), so the
# interpreter starts as it would have.
import os as _os
import sys as _sys

try:
    import _heaptag_pymem

    _heaptag_pymem.install()
except ImportError as _e:  # a Python this extension was not built for
    _sys.stderr.write("heaptag: cannot load the CPython hooks: %s\n" % _e)


def _run_shadowed():
    import importlib.machinery
    import importlib.util

    here = _os.path.dirname(_os.path.abspath(__file__))
    rest = [p for p in _sys.path if _os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.origin == _os.path.abspath(__file__):
        return
    mod = importlib.util.module_from_spec(spec)
    _sys.modules["sitecustomize"] = mod
    spec.loader.exec_module(mod)


_run_shadowed()
del _run_shadowed
