/* Periodic snapshots: a background thread writes a numbered report every
 * N seconds and removes the oldest beyond the last KEEP.
 *
 * Set with HEAPTAG_INTERVAL, HEAPTAG_KEEP and HEAPTAG_SNAPSHOT_DIR
 * (docs/snapshots.md). */
#ifndef HT_SNAPSHOT_H
#define HT_SNAPSHOT_H
/* Read the settings (after settings_load); called by tracker_early_init. */
void snapshot_settings(void);
/* Start the thread if asked for; called by the constructor. */
void snapshot_start(void);
/* A fork child has no snapshot thread (threads are not copied); it takes
 * no snapshots.  Async-signal-safe. */
void snapshot_after_fork_child(void);
/* At exit: let a snapshot being written finish (bounded), then no more. */
void snapshot_stop(void);
#endif
