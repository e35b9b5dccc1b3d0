/* Benchmark workload: build a large structure of small nodes, then free it.
 *
 *   tree_build [NODES] [ROUNDS]
 *
 * Each round allocates NODES 40-byte nodes (1M by default), links them
 * into a complete binary tree, walks it, and frees it node by node in
 * post-order.  The live set is large, which is what a tracker's per-block
 * bookkeeping costs memory on: the "peak RSS <= 1.3x" target is about this
 * workload, and every free is a lookup in a map of a million blocks.
 */
#include <stdio.h>
#include <stdlib.h>

struct node {
    struct node *left, *right;
    unsigned long key;
    unsigned long value;
    int height;
};

/* Free the tree in post-order with an explicit stack (no recursion to
** depend on), summing values so the walk is not optimized away. */
static unsigned long free_tree(struct node *root, long nodes)
{
    struct node **stack = malloc((size_t)(nodes + 1) * sizeof *stack);
    if (stack == NULL)
        abort();
    unsigned long sum = 0;
    long top = 0;
    if (root)
        stack[top++] = root;
    while (top > 0) {
        struct node *n = stack[--top];
        if (n->left)
            stack[top++] = n->left;
        if (n->right)
            stack[top++] = n->right;
        sum += n->value;
        free(n);
    }
    free(stack);
    return sum;
}

int main(int argc, char **argv)
{
    long nodes = argc > 1 ? atol(argv[1]) : 1000000;
    long rounds = argc > 2 ? atol(argv[2]) : 4;
    if (nodes < 1 || rounds < 1)
        return 2;
    /* the index array is the builder's scratch, freed before the walk */
    unsigned long sum = 0;
    for (long r = 0; r < rounds; r++) {
        struct node **all = malloc((size_t)nodes * sizeof *all);
        if (all == NULL)
            abort();
        for (long i = 0; i < nodes; i++) {
            struct node *n = malloc(sizeof *n);
            if (n == NULL)
                abort();
            n->left = n->right = NULL;
            n->key = (unsigned long)i;
            n->value = (unsigned long)i * 2654435761u + (unsigned long)r;
            n->height = 0;
            all[i] = n;
            if (i > 0) {
                struct node *parent = all[(i - 1) / 2];
                if (i & 1)
                    parent->left = n;
                else
                    parent->right = n;
            }
        }
        struct node *root = all[0];
        free(all);
        sum += free_tree(root, nodes);
    }
    printf("%lu\n", sum);
    return 0;
}
