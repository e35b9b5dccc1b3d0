/* C++ allocation through every form of operator new/delete, inside heaptag::Scope scopes.
 *
 * cpp-new: C++ allocation through operator new/delete, new[]/delete[],
 * nothrow and aligned new, inside heaptag::Scope scopes.  libstdc++'s
 * operators call malloc/aligned_alloc, so the tracker sees every one with
 * its exact size; the model is told the block the operator really got
 * (for an array of a type with a destructor: 8 bytes of element count,
 * the Itanium ABI "cookie", before the first element).
 *
 *   cpp-new EXPECTED_FILE BASELINE_REPORT
 */
#include "heaptag.h"
#include "model.h"

#include <cstdio>
#include <new>

namespace
{

struct Widget {
    long id;
    char name[40];
};

struct Tracked {
    int value;
    Tracked() : value(7) {}
    ~Tracked() { value = 0; }
};

void *cookie_block(Tracked *a) { return reinterpret_cast<char *>(a) - sizeof(size_t); }

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: cpp-new EXPECTED_FILE BASELINE_REPORT\n");
        return 2;
    }
    model_begin(argv[2]);
    Widget *w;
    int *ints;
    Tracked *tracked;
    char *aligned, *nothrow_block;
    {
        heaptag::Scope scope("Widget");
        w = new Widget();
        model_alloc("Widget", w, sizeof(Widget));
        ints = new int[25];
        model_alloc("Widget", ints, 25 * sizeof(int));
        {
            HEAPTAG_SCOPE("Widget.payload");
            tracked = new Tracked[3];
            model_alloc("Widget.payload", cookie_block(tracked),
                        3 * sizeof(Tracked) + sizeof(size_t));
            aligned = new (std::align_val_t(64)) char[128];
            model_alloc("Widget.payload", aligned, 128);
        }
        nothrow_block = new (std::nothrow) char[300];
        model_alloc("Widget", nothrow_block, 300);
    }
    model_free(w);
    delete w;
    model_free(ints);
    delete[] ints;
    model_free(cookie_block(tracked));
    delete[] tracked;
    model_free(aligned);
    operator delete[](aligned, std::align_val_t(64));
    // still live at exit: nothrow_block
    {
        heaptag::Scope scope("Gadget");
        Widget *g = new Widget();
        model_alloc("Gadget", g, sizeof(Widget));
        model_free(g);
        delete g;
    }
    model_write(argv[1]);
    return nothrow_block ? 0 : 1;
}
