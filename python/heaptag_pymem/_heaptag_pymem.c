/* _heaptag_pymem: CPython's object and mem domains, reported to heaptag.
 *
 * install() puts hooks in front of the allocators of PYMEM_DOMAIN_OBJ and
 * PYMEM_DOMAIN_MEM with PyMem_SetAllocator, as tracemalloc does.  Each hook
 * forwards to the allocator it replaced (pymalloc, in a production
 * interpreter) and reports the block through heaptag.h's allocator API,
 * without a pool: pymalloc's arenas come from mmap, which heaptag does not
 * count (docs/adr/0011).  Requests pymalloc passes on to malloc are
 * recognised by the tracker as malloc blocks and counted once.  The raw
 * domain is malloc itself, which the tracker sees already.
 *
 * The hooks run with the GIL held (both domains require it), so a freed
 * address cannot be handed out again between the allocator's return and
 * the report.  A free is reported before the block goes back. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <heaptag.h>

static PyMemAllocatorEx orig_obj, orig_mem;
static int installed;

/* pymalloc passes a request of 0 bytes to malloc as 1 byte: report the
 * size the block has, so the tracker recognises it. */
static inline size_t at_least_1(size_t n) { return n ? n : 1; }

static void *hook_malloc(void *ctx, size_t n)
{
    PyMemAllocatorEx *a = ctx;
    void *p = a->malloc(a->ctx, n);
    if (p)
        heaptag_block_alloc(p, at_least_1(n), NULL);
    return p;
}

static void *hook_calloc(void *ctx, size_t nelem, size_t elsize)
{
    PyMemAllocatorEx *a = ctx;
    void *p = a->calloc(a->ctx, nelem, elsize);
    if (p) /* the allocator checked nelem * elsize for overflow */
        heaptag_block_alloc(p, at_least_1(nelem * elsize), NULL);
    return p;
}

static void *hook_realloc(void *ctx, void *old, size_t n)
{
    PyMemAllocatorEx *a = ctx;
    void *p = a->realloc(a->ctx, old, n);
    if (p) {
        if (old)
            heaptag_block_realloc(old, p, at_least_1(n));
        else
            heaptag_block_alloc(p, at_least_1(n), NULL);
    }
    return p;
}

static void hook_free(void *ctx, void *p)
{
    PyMemAllocatorEx *a = ctx;
    if (p)
        heaptag_block_free(p);
    a->free(a->ctx, p);
}

static void hook(PyMemAllocatorDomain domain, PyMemAllocatorEx *orig)
{
    PyMem_GetAllocator(domain, orig);
    PyMemAllocatorEx h = {orig, hook_malloc, hook_calloc, hook_realloc, hook_free};
    PyMem_SetAllocator(domain, &h);
}

/* install() -> True if the hooks are in (now or before), False when the
 * tracker is not loaded in this process (nothing to report to). */
static PyObject *install(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    if (!installed) {
        if (!heaptag_block_alloc || !heaptag_block_realloc || !heaptag_block_free)
            Py_RETURN_FALSE;
        hook(PYMEM_DOMAIN_MEM, &orig_mem);
        hook(PYMEM_DOMAIN_OBJ, &orig_obj);
        installed = 1;
    }
    Py_RETURN_TRUE;
}

static PyObject *is_installed(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyBool_FromLong(installed);
}

static PyMethodDef methods[] = {
    {"install", install, METH_NOARGS,
     "Report CPython's object and mem domain blocks to heaptag (True if done)."},
    {"installed", is_installed, METH_NOARGS, "Whether the hooks are in."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "_heaptag_pymem",
    "CPython's allocator domains reported to heaptag (docs/python.md).",
    -1,
    methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC PyInit__heaptag_pymem(void) { return PyModule_Create(&module); }
