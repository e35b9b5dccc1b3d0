/* Storage of the counters declared in stats.h.  A static array sized for
 * every possible type: its pages are untouched, hence free, until a type
 * with that id exists. */
#include "stats.h"

struct type_stats type_stats[HT_MAX_TYPES];
struct total_stats totals;
