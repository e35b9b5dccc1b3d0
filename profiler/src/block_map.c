/* Storage of the block map (block_map.h). */
#include "block_map.h"

struct addr_radix block_cells = {.cell_shift = 1};

uint64_t block_map_resident_bytes(void)
{
    return addr_radix_resident(&block_cells) + overflow_resident_bytes();
}
