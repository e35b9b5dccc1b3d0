/* Tests of the massif.out parser (tools/massif/massif_parse.c) on real files valgrind 3.19
 * wrote (tests/massif/fixtures/) and on hand-corrupted text.
 *
 * The fixtures were made with --peak-inaccuracy=0 --threshold=0.1:
 *   peak_prog.massif.out  massif_peak_prog 1000: peak exactly 128000 bytes
 *   cxx_map.massif.out    a C++ std::map<string, vector<int>> (long
 *                         demangled names with parentheses and commas)
 *   perl_hash.massif.out  perl building a hash of 800 strings
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "massif/massif_parse.h"

#ifndef FIXTURE_DIR
#error "build with -DFIXTURE_DIR=\"...\""
#endif

static char *load_fixture(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", FIXTURE_DIR, name);
    char *buf = massif_read_file(path, len);
    if (buf == NULL)
        fail_msg("cannot read fixture %s", path);
    return buf;
}

static void parse_ok(const char *buf, size_t len, struct massif_profile *p)
{
    char err[256];
    int rc = massif_parse(buf, len, p, err, sizeof err);
    if (rc != 0)
        fail_msg("parse failed: %s", err);
}

/* Parse text that must be rejected; the message must mention want. */
static void parse_bad(const char *text, const char *want)
{
    struct massif_profile p;
    char err[256];
    int rc = massif_parse(text, strlen(text), &p, err, sizeof err);
    if (rc != -1)
        fail_msg("accepted bad input (wanted error \"%s\")", want);
    if (strstr(err, want) == NULL)
        fail_msg("error \"%s\" does not mention \"%s\"", err, want);
    assert_null(strchr(err, '\n'));
    assert_int_equal(p.nsnapshots, 0);
    assert_null(p.snapshots);
    massif_profile_free(&p);
}

static void test_peak_prog(void **state)
{
    (void)state;
    size_t len;
    char *buf = load_fixture("peak_prog.massif.out", &len);
    struct massif_profile p;
    parse_ok(buf, len, &p);
    assert_string_equal(
        p.desc, "--massif-out-file=peak_prog.massif.out --peak-inaccuracy=0 --threshold=0.1");
    assert_string_equal(p.cmd, "./massif_peak_prog 1000");
    assert_string_equal(p.time_unit, "i");
    assert_int_equal(p.nsnapshots, 97);
    assert_int_equal(massif_peak_heap(&p), 128000);
    assert_true(p.peak_snapshot >= 0);
    assert_int_equal(p.peak_snapshot, p.max_snapshot);
    const struct massif_snapshot *pk = &p.snapshots[p.peak_snapshot];
    assert_int_equal(pk->tree_kind, MASSIF_TREE_PEAK);
    assert_int_equal(pk->heap, 128000);
    assert_int_equal(pk->heap_extra, 8016);
    assert_int_equal(pk->stacks, 0);
    assert_int_equal(pk->nodes[0].depth, 0);
    assert_int_equal(pk->nodes[0].parent, -1);
    assert_int_equal(pk->nodes[0].bytes, 128000);

    struct massif_fn_total *fns;
    uint64_t tree_heap = 0;
    int n = massif_peak_functions(&p, &fns, &tree_heap);
    assert_int_equal(tree_heap, 128000);
    assert_int_equal(n, 4);
    assert_string_equal(fns[0].fn, "grow_buffer");
    assert_string_equal(fns[0].where, "massif_peak_prog.c:34");
    assert_int_equal(fns[0].bytes, 64000);
    assert_string_equal(fns[1].fn, "build_list");
    assert_int_equal(fns[1].bytes, 48000);
    assert_string_equal(fns[2].fn, "make_table");
    assert_int_equal(fns[2].bytes, 16000);
    assert_string_equal(fns[3].fn, "(below threshold)");
    assert_int_equal(fns[3].bytes, 0);
    free(fns);

    /* the first snapshot is the empty heap at time 0 */
    assert_int_equal(p.snapshots[0].time, 0);
    assert_int_equal(p.snapshots[0].heap, 0);
    assert_int_equal(p.snapshots[0].tree_kind, MASSIF_TREE_EMPTY);
    massif_profile_free(&p);
    free(buf);
}

static void test_cxx_names(void **state)
{
    (void)state;
    size_t len;
    char *buf = load_fixture("cxx_map.massif.out", &len);
    struct massif_profile p;
    parse_ok(buf, len, &p);
    assert_int_equal(massif_peak_heap(&p), 87756);
    struct massif_fn_total *fns;
    int n = massif_peak_functions(&p, &fns, NULL);
    assert_true(n >= 3);
    assert_string_equal(fns[0].fn, "???");
    assert_string_equal(fns[0].where, "in /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30");
    assert_int_equal(fns[0].bytes, 72704);
    assert_string_equal(fns[1].fn,
                        "std::__new_allocator<int>::allocate(unsigned long, void const*)");
    assert_string_equal(fns[1].where, "new_allocator.h:137");
    assert_int_equal(fns[1].bytes, 9772);
    assert_string_equal(
        fns[2].fn,
        "std::__new_allocator<std::_Rb_tree_node<std::pair<std::__cxx11::basic_string<char, "
        "std::char_traits<char>, std::allocator<char> > const, std::vector<int, "
        "std::allocator<int> > > > >::allocate(unsigned long, void const*)");
    assert_int_equal(fns[2].bytes, 5280);
    uint64_t sum = 0;
    for (int i = 0; i < n; i++)
        sum += fns[i].bytes;
    assert_int_equal(sum, 87756);
    free(fns);
    massif_profile_free(&p);
    free(buf);
}

static void test_perl(void **state)
{
    (void)state;
    size_t len;
    char *buf = load_fixture("perl_hash.massif.out", &len);
    struct massif_profile p;
    parse_ok(buf, len, &p);
    assert_int_equal(p.nsnapshots, 55);
    assert_int_equal(massif_peak_heap(&p), 639987);
    assert_int_equal(p.snapshots[p.peak_snapshot].heap_extra, 37645);
    struct massif_fn_total *fns;
    int n = massif_peak_functions(&p, &fns, NULL);
    assert_true(n >= 3);
    assert_string_equal(fns[0].fn, "Perl_safesysrealloc");
    assert_string_equal(fns[0].where, "in /usr/bin/perl");
    assert_int_equal(fns[0].bytes, 343864);
    assert_string_equal(fns[1].fn, "Perl_safesysmalloc");
    assert_int_equal(fns[1].bytes, 209342);
    free(fns);
    massif_profile_free(&p);
    free(buf);
}

/* Cutting a real file anywhere must either fail cleanly or yield exactly
** the leading snapshots of the full parse: never half a snapshot. */
static void test_every_truncation(void **state)
{
    (void)state;
    size_t len;
    char *buf = load_fixture("peak_prog.massif.out", &len);
    struct massif_profile full;
    parse_ok(buf, len, &full);
    int accepted = 0;
    for (size_t cut = 0; cut < len; cut++) {
        struct massif_profile p;
        char err[256] = "";
        if (massif_parse(buf, cut, &p, err, sizeof err) != 0) {
            assert_true(err[0] != '\0');
            massif_profile_free(&p);
            continue;
        }
        accepted++;
        assert_true(p.nsnapshots <= full.nsnapshots);
        for (int i = 0; i < p.nsnapshots; i++) {
            assert_int_equal(p.snapshots[i].heap, full.snapshots[i].heap);
            assert_int_equal(p.snapshots[i].time, full.snapshots[i].time);
            assert_int_equal(p.snapshots[i].nnodes, full.snapshots[i].nnodes);
        }
        massif_profile_free(&p);
    }
    /* a cut right after each complete snapshot parses (96 of them, the
    ** last snapshot's end being the full length, which is not a cut) */
    assert_int_equal(accepted, full.nsnapshots - 1);
    massif_profile_free(&full);
    free(buf);
}

/* Random byte damage must never crash or hang the parser (under SAN=asan
** this also checks it never reads out of bounds). */
static void test_random_damage(void **state)
{
    (void)state;
    size_t len;
    char *orig = load_fixture("peak_prog.massif.out", &len);
    char *buf = malloc(len);
    assert_non_null(buf);
    unsigned seed = 12345;
    static const char alphabet[] = "0123456789 n:#=\n\0x-(";
    int rejected = 0;
    for (int iter = 0; iter < 300; iter++) {
        memcpy(buf, orig, len);
        for (int k = 0; k < 4; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            buf[at] = alphabet[(seed >> 8) % (sizeof alphabet - 1)];
        }
        struct massif_profile p;
        char err[256];
        if (massif_parse(buf, len, &p, err, sizeof err) != 0)
            rejected++;
        massif_profile_free(&p);
    }
    /* most random damage breaks a number, a header or a tree invariant */
    assert_true(rejected > 150);
    free(buf);
    free(orig);
}

#define HEAD "desc: --x\ncmd: ./p\ntime_unit: i\n"
#define SNAP0                                                        \
    "#-----------\nsnapshot=0\n#-----------\ntime=0\nmem_heap_B=0\n" \
    "mem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=empty\n"
#define SNAP1_HDR(heap)                                                     \
    "#-----------\nsnapshot=1\n#-----------\ntime=5\nmem_heap_B=" heap "\n" \
    "mem_heap_extra_B=8\nmem_stacks_B=0\n"

static void test_labels(void **state)
{
    (void)state;
    static const char text[] = HEAD SNAP0 SNAP1_HDR(
        "300") "heap_tree=detailed\n"
               "n3: 300 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n"
               " n1: 200 0x4000AB: foo(int (*)(void)) (a.c:12)\n"
               "  n0: 200 0x4000CD: main (a.c:30)\n"
               " n0: 60 0x12: ??? (in /lib/x.so)\n"
               " n0: 40 in 2 places, below massif's threshold (1.00%)\n";
    struct massif_profile p;
    parse_ok(text, sizeof text - 1, &p);
    assert_int_equal(p.nsnapshots, 2);
    assert_int_equal(p.peak_snapshot, -1);
    const struct massif_snapshot *s = &p.snapshots[1];
    assert_int_equal(s->nnodes, 5);
    assert_string_equal(s->nodes[1].fn, "foo(int (*)(void))");
    assert_string_equal(s->nodes[1].where, "a.c:12");
    assert_int_equal(s->nodes[1].addr, 0x4000AB);
    assert_int_equal(s->nodes[2].parent, 1);
    assert_int_equal(s->nodes[2].depth, 2);
    assert_string_equal(s->nodes[3].fn, "???");
    assert_string_equal(s->nodes[3].where, "in /lib/x.so");
    assert_int_equal(s->nodes[3].parent, 0);
    assert_true(s->nodes[4].below_threshold);
    assert_int_equal(s->nodes[4].addr, 0);
    /* no peak tree: the functions come from the largest detailed one */
    struct massif_fn_total *fns;
    uint64_t th = 0;
    assert_int_equal(massif_peak_functions(&p, &fns, &th), 3);
    assert_int_equal(th, 300);
    assert_string_equal(fns[0].fn, "foo(int (*)(void))");
    assert_string_equal(fns[2].fn, "(below threshold)");
    free(fns);
    massif_profile_free(&p);
}

/* An argument with newlines (python3 -c "...") is written verbatim on
 * several lines; they belong to the command. */
static void test_multiline_cmd(void **state)
{
    (void)state;
    static const char text[] =
        "desc: --x\ncmd: python3 -c a = 1\nb = 2\n\nprint(a)\ntime_unit: i\n" SNAP0;
    struct massif_profile p;
    parse_ok(text, sizeof text - 1, &p);
    assert_string_equal(p.cmd, "python3 -c a = 1\nb = 2\n\nprint(a)");
    assert_string_equal(p.time_unit, "i");
    assert_int_equal(p.nsnapshots, 1);
    massif_profile_free(&p);
}

static void test_corrupt(void **state)
{
    (void)state;
    parse_bad("", "empty file");
    parse_bad("hello world\n", "expected \"desc:\" header");
    parse_bad("desc: x\ntime_unit: i\n", "expected \"cmd:\" header");
    parse_bad("desc: x\ncmd: y\ntime_unit: q\n" SNAP0, "unknown time_unit");
    parse_bad("desc: x\ncmd: y\nz\n", "file ends before the \"time_unit:\" header");
    parse_bad(HEAD, "no snapshots");
    parse_bad(HEAD "#-----------\nsnapshot=0\n#-----------\ntime=0\nmem_heap_B=12x\n",
              "bad number");
    parse_bad(HEAD "#-----------\nsnapshot=0\n#-----------\ntime=0\nmem_heap_B=-1\n", "bad number");
    parse_bad(HEAD "#-----------\nsnapshot=0\n#-----------\ntime=0\n"
                   "mem_heap_B=99999999999999999999\n",
              "bad number");
    parse_bad(HEAD "#-----------\nsnapshot=0\n#-----------\ntime=0\nmem_heap_B=\n", "bad number");
    parse_bad(HEAD "#-----------\nsnapshot=0\n#-----------\ntime=0\nmem_heap_B=1", "truncated");
    parse_bad(HEAD "#-----------\nsnapshot=0\n#-----------\ntime=0\n", "truncated");
    parse_bad(HEAD "#-----------\nsnapshot=0\n#-----------\ntime=0\nmem_heap_extra_B=0\n",
              "expected \"mem_heap_B=\"");
    parse_bad(HEAD "#-----------\nsnapshot=2\n", "out of order");
    parse_bad(HEAD SNAP0 SNAP0, "out of order");
    parse_bad(HEAD "#-----------\nsnapshot=0\n#-----------\ntime=0\nmem_heap_B=0\n"
                   "mem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=bushy\n",
              "heap_tree=");
    parse_bad(HEAD SNAP0 "garbage\n", "expected \"#-----------\"");
    parse_bad(HEAD SNAP0 SNAP1_HDR("10") "heap_tree=detailed\n",
              "declares a heap tree but has none");
    parse_bad(
        HEAD SNAP0 SNAP1_HDR("10") "heap_tree=detailed\nn2: 10 (heap)\n n0: 10 0x1: f (a.c:1)\n",
        "truncated heap tree");
    parse_bad(
        HEAD SNAP0 SNAP1_HDR("10") "heap_tree=detailed\nn1: 10 (heap)\n n0: 6 0x1: f (a.c:1)\n"
                                   " n0: 4 0x2: g (a.c:2)\n",
        "more children than it declares");
    parse_bad(
        HEAD SNAP0 SNAP1_HDR("10") "heap_tree=detailed\nn2: 10 (heap)\n n0: 6 0x1: f (a.c:1)\n"
                                   " n0: 5 0x2: g (a.c:2)\n",
        "add up to more than their parent");
    parse_bad(
        HEAD SNAP0 SNAP1_HDR("10") "heap_tree=detailed\nn1: 10 (heap)\n   n0: 10 0x1: f (a.c:1)\n",
        "wrong depth");
    parse_bad(HEAD SNAP0 SNAP1_HDR("10") "heap_tree=detailed\n n1: 10 (heap)\n",
              "does not start at its root");
    parse_bad(HEAD SNAP0 SNAP1_HDR("10") "heap_tree=detailed\nn0: 11 (heap)\n",
              "differs from mem_heap_B");
    parse_bad(HEAD SNAP0 SNAP1_HDR("10") "heap_tree=detailed\nn0: 1x (heap)\n",
              "malformed heap tree line");
    parse_bad(HEAD SNAP0 SNAP1_HDR("10") "heap_tree=detailed\nn1: 10 (heap)\n n0: 10 0xZZ: f\n",
              "malformed heap tree line");
    parse_bad(HEAD SNAP0 SNAP1_HDR(
                  "0") "heap_tree=peak\nn0: 0 (heap)\n"
                       "#-----------\nsnapshot=2\n#-----------\ntime=9\nmem_heap_B=0\n"
                       "mem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=peak\nn0: 0 (heap)\n",
              "second peak snapshot");
    static const char nul[] = "desc: a\0b\ncmd: c\n";
    struct massif_profile p;
    char err[128];
    assert_int_equal(massif_parse(nul, sizeof nul - 1, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "NUL byte"));
    /* a zero-length error buffer is allowed */
    assert_int_equal(massif_parse("x", 1, &p, err, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_peak_prog),     cmocka_unit_test(test_cxx_names),
        cmocka_unit_test(test_perl),          cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_random_damage), cmocka_unit_test(test_labels),
        cmocka_unit_test(test_multiline_cmd), cmocka_unit_test(test_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
