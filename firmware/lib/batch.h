/*
 * Ordered batches across worker threads. A streaming reader frames records
 * into fixed-size items; each full batch goes to a worker, which runs the
 * costly per-item check (point validation, hashing: the urn); the
 * batches come back to the calling thread in the order they were framed,
 * and deliver() sees every item in file order. The number of batches in
 * flight is fixed, so memory does not grow with the input.
 *
 * With jobs == 0 no thread is started: each item is checked and delivered
 * as soon as it is pushed, exactly as a sequential reader would.
 *
 * A deliver() error is sticky: later calls return it and nothing more is
 * delivered. work() must not fail the batch: it notes its outcome in the
 * item for deliver() to report, so that the first failure in file order
 * is the one reported.
 */
#ifndef SCEAU_LIB_BATCH_H
#define SCEAU_LIB_BATCH_H

#include <stddef.h>

struct batch;

typedef void (*batch_work_fn)(void *item, void *arg);
typedef int (*batch_deliver_fn)(void *item, void *arg);

int batch_new(size_t item_size, unsigned items_per_batch, unsigned jobs,
	      batch_work_fn work, batch_deliver_fn deliver, void *arg, struct batch **out);
/* The next item to fill (not cleared: the caller sets every field work()
 * and deliver() read), or NULL with *err set: a delivery failed
 * while making room. */
void *batch_slot(struct batch *b, int *err);
/* The slot returned last is filled: it is queued (or, with no jobs, checked
 * and delivered at once). */
int batch_push(struct batch *b);
/* Queues what is filled and delivers everything still in flight, in order. */
int batch_drain(struct batch *b);
/* A framing error (ret, its detail set) found by the reading thread: the
 * items framed before it are delivered first, and an error among them,
 * earlier in the file, is the one returned; otherwise ret, detail kept. */
int batch_frame_error(struct batch *b, int ret);
/* Stops the workers (waiting for the batch each holds) and frees. */
void batch_free(struct batch *b);

#endif
