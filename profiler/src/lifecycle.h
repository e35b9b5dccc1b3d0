/* Start-up of the tracker (lifecycle.c). */
#ifndef HT_LIFECYCLE_H
#define HT_LIFECYCLE_H
/* Settings, clock, rules and stacks: called once by next_alloc_resolve. */
void tracker_early_init(void);
/* heaptag attach: SIGUSR2 writes a report and the program goes on. */
void lifecycle_sigusr2_for_attach(void);
#endif
