/* Applying type rules to call stacks.
 *
 * Runs once per new call site (the site table caches the answer), so it
 * may afford dladdr per frame; it must still not allocate, hence the raw
 * file reading into mapped memory.  Function names come from each
 * module's full symbol table, or its separate debug file (elf_symbols.c),
 * so static functions match too. */
#include "rules.h"
#include "elf_symbols.h"
#include "glob_match.h"
#include "os_mem.h"
#include "rules_parse.h"
#include "settings.h"
#include "text_buf.h"
#include "type_registry.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_RULES 1024
#define MAX_RULES_FILE (4u << 20)

static struct type_rule rules[MAX_RULES];
static uint32_t rule_types[MAX_RULES];
static int nrules;

int rules_count(void) { return nrules; }

void rules_load(const char *path)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; anything but
     * a regular file is refused before a single read (a FIFO or a device
     * could block the program forever, a directory reads as an error). */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        ht_warn("ignoring HEAPTAG_RULES='", path, "': ", strerrordesc_np(errno), NULL);
        if (fd >= 0)
            close(fd);
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        ht_warn("ignoring HEAPTAG_RULES='", path,
                "': ", S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file", NULL);
        close(fd);
        return;
    }
    if (st.st_size > MAX_RULES_FILE) {
        ht_warn("ignoring HEAPTAG_RULES='", path, "': larger than 4 MiB", NULL);
        close(fd);
        return;
    }
    size_t len = (size_t)st.st_size;
    char *text = os_mem_map(len + 1);
    size_t got = 0;
    while (text && got < len) {
        ssize_t r = read(fd, text + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!text)
        return;
    unsigned bad_line = 0;
    const char *why = NULL;
    int n = rules_parse(text, got, rules, MAX_RULES, &bad_line, &why);
    if (n < 0) {
        char line[16];
        struct text_buf tb = TEXT_BUF(line, sizeof line);
        tb_u64(&tb, bad_line);
        tb_cstr(&tb);
        ht_warn("ignoring HEAPTAG_RULES: ", path, ":", line, ": ", why, NULL);
        return;
    }
    for (int i = 0; i < n; i++)
        rule_types[i] = rules[i].type[0] == '.' ? HT_TYPE_NONE : type_intern(rules[i].type);
    nrules = n; /* the text stays mapped: the rules point into it */
}

/* Which rule a return address matches (see match_frame), cached: a program
 * has far fewer distinct return addresses than call sites, and naming one
 * costs a dladdr and a symbol search.  Direct-mapped; a collision just
 * evicts.  Entries are written whole under no lock: a torn read can only
 * fail the address check and fall back to the lookup. */
#define FRAME_CACHE (1u << 16)
struct frame_answer {
    uintptr_t addr;
    uint32_t type;
};
static struct frame_answer *frame_cache;

/* Which rule a return address matches: its index + 1, or 0 for none. */
static uint32_t match_frame(uintptr_t frame)
{
    /* A return address may be one past the end of its function (a call
     * as the last instruction); look up the byte before it. */
    const char *function, *module;
    elf_function_at(frame - 1, &function, &module);
    if (!function)
        return 0;
    if (!module)
        module = "";
    const char *slash = strrchr(module, '/');
    const char *base = slash ? slash + 1 : module;
    for (int r = 0; r < nrules; r++)
        if (glob_match(rules[r].function, function) &&
            (!rules[r].module || glob_match(rules[r].module, base)))
            return (uint32_t)r + 1;
    return 0;
}

static uint32_t frame_rule(uintptr_t frame)
{
    if (!frame_cache)
        frame_cache = os_mem_map(FRAME_CACHE * sizeof *frame_cache);
    if (!frame_cache)
        return match_frame(frame);
    struct frame_answer *slot = &frame_cache[(frame * 0x9e3779b97f4a7c15ULL) >> 48];
    struct frame_answer seen = {HT_LOAD(&slot->addr), HT_LOAD(&slot->type)};
    if (seen.addr == frame && HT_LOAD(&slot->addr) == frame)
        return seen.type;
    uint32_t type = match_frame(frame);
    HT_STORE(&slot->addr, 0);
    HT_STORE(&slot->type, type);
    HT_STORE(&slot->addr, frame);
    return type;
}

/* The innermost frame matching a rule decides.  A rule whose type starts
 * with '.' is a suffix: the innermost frame matching one marks the block
 * (a generic payload helper, say) and the search goes on outwards; the
 * type found there gets the suffix ("Response" + ".payload"). */
uint32_t rules_type_for(const uintptr_t *frames, uint32_t depth)
{
    if (!nrules)
        return HT_TYPE_UNTAGGED;
    const char *suffix = NULL;
    for (uint32_t f = 0; f < depth; f++) {
        uint32_t r = frame_rule(frames[f]);
        if (!r)
            continue;
        const char *type = rules[r - 1].type;
        if (type[0] == '.') {
            if (!suffix)
                suffix = type;
            continue;
        }
        if (!suffix)
            return rule_types[r - 1];
        char name[512];
        struct text_buf b = TEXT_BUF(name, sizeof name);
        tb_str(&b, type);
        tb_str(&b, suffix);
        tb_cstr(&b);
        return b.truncated ? rule_types[r - 1] : type_intern(name);
    }
    return HT_TYPE_UNTAGGED;
}
