/* A multithreaded program of the kind heaptag is preloaded into.
 *
 * Eight workers each build a linked list and a hash table of strings, hand half of their
 * nodes to a neighbour through a locked queue (so many blocks are freed by a thread that
 * did not allocate them) and print a checksum that does not depend on scheduling.
 *
 *   mt-work [ITEMS]        prints one line per worker, then the total
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NWORKERS 8

struct node {
    struct node *next;
    char *text;
};

struct mailbox {
    pthread_mutex_t lock;
    struct node *head;
};

static struct mailbox boxes[NWORKERS];
static int items = 20000;
static pthread_barrier_t handed_over;

struct result {
    uint64_t own, received;
};
static struct result results[NWORKERS];

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void *worker(void *arg)
{
    int me = (int)(intptr_t)arg;
    struct node *mine = NULL, *give = NULL;
    for (int i = 0; i < items; i++) {
        struct node *n = malloc(sizeof *n);
        if (!n || asprintf(&n->text, "w%d-item%d-%*s", me, i, i % 40, "") < 0)
            abort();
        if (i % 2) {
            n->next = give;
            give = n;
        } else {
            n->next = mine;
            mine = n;
        }
        if (i % 1000 == 999) { /* grow and shrink a scratch buffer */
            char *buf = malloc(64);
            for (int k = 1; k < 12 && buf; k++)
                buf = realloc(buf, (size_t)64 << k);
            free(buf);
        }
    }
    struct mailbox *next = &boxes[(me + 1) % NWORKERS];
    pthread_mutex_lock(&next->lock);
    while (give) {
        struct node *n = give;
        give = n->next;
        n->next = next->head;
        next->head = n;
    }
    pthread_mutex_unlock(&next->lock);
    pthread_barrier_wait(&handed_over);

    uint64_t own = 0, received = 0;
    while (mine) {
        struct node *n = mine;
        mine = n->next;
        own += hash_text(n->text);
        free(n->text);
        free(n);
    }
    pthread_mutex_lock(&boxes[me].lock);
    struct node *in = boxes[me].head;
    boxes[me].head = NULL;
    pthread_mutex_unlock(&boxes[me].lock);
    while (in) { /* allocated by the previous worker, freed here */
        struct node *n = in;
        in = n->next;
        received += hash_text(n->text);
        free(n->text);
        free(n);
    }
    results[me].own = own;
    results[me].received = received;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        items = atoi(argv[1]);
    pthread_t th[NWORKERS];
    pthread_barrier_init(&handed_over, NULL, NWORKERS);
    for (int i = 0; i < NWORKERS; i++)
        pthread_mutex_init(&boxes[i].lock, NULL);
    for (int i = 0; i < NWORKERS; i++)
        if (pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i) != 0) {
            fprintf(stderr, "mt-work: pthread_create failed\n");
            return 1;
        }
    uint64_t total = 0;
    for (int i = 0; i < NWORKERS; i++) {
        pthread_join(th[i], NULL);
        printf("worker %d own %016llx received %016llx\n", i, (unsigned long long)results[i].own,
               (unsigned long long)results[i].received);
        total ^= results[i].own ^ results[i].received;
    }
    printf("total %016llx\n", (unsigned long long)total);
    fprintf(stderr, "mt-work: %d workers done\n", NWORKERS);
    return 0;
}
