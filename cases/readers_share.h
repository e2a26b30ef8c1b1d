/* The notes' "多读一些": one writer of 32-byte records, several readers of
 * the same pipe or FIFO.  Shared by multi/each-record-to-exactly-one-reader
 * and the audit of claim g, which judge the same facts. */
#ifndef PIPELAB_READERS_SHARE_H
#define PIPELAB_READERS_SHARE_H

#include "case.h"

#define SHARE_READERS 3
#define SHARE_RECORDS 300

struct share_tally {
	int got;                  /* records read (whole, valid number) */
	int dup;                  /* records read by more than one reader */
	int missing;              /* records nobody read */
	int per[SHARE_READERS];   /* records each reader got */
};

/* Runs the scenario in a sandbox of its own; false when the case has been
 * marked (TIMEOUT, FAIL of a proof) and should stop. */
bool share_records(pl_case *c, enum pl_kind kind, struct share_tally *t);

#endif
