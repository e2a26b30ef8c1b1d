/* Several readers, one writer: who gets each record.  Rule B3. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "readers_share.h"

#define REC 32
enum { WRITE = 1 };

static void record_writer(pl_actor *a, void *arg)
{
	int fd = pl_end(a, arg, PL_WRITE_END);
	char rec[REC];
	pl_wait_cue(a, WRITE);
	for (int i = 0; i < SHARE_RECORDS; i++) {
		memset(rec, '.', sizeof rec);
		snprintf(rec, sizeof rec, "r%05d", i);
		if (write(fd, rec, sizeof rec) != (ssize_t)sizeof rec)
			pl_note(a, "short write at record %d", i);
	}
	pl_close(a, fd);
}

static void record_reader(pl_actor *a, void *arg)
{
	int fd = pl_end(a, arg, PL_READ_END);
	char rec[REC + 1];
	/* The first read is recorded: the judge proves every reader asleep in it
	 * on the empty pipe before a record exists, so all of them compete from
	 * the first byte, and a read that does not wait cannot pass unseen. */
	ssize_t n = pl_read(a, fd, rec, REC);
	/* Whole records per read: each was one atomic 32-byte write. */
	while (n == REC) {
		unsigned pair[2] = { (unsigned)a->index, 0 };
		rec[REC] = '\0';
		if (sscanf(rec, "r%u", &pair[1]) == 1)
			pl_share(a, pair, sizeof pair);
		n = read(fd, rec, REC);
	}
	if (n > 0)
		pl_note(a, "a read returned %zd bytes, part of a record", n);
}

bool share_records(pl_case *c, enum pl_kind kind, struct share_tally *t)
{
	char name[64];
	snprintf(name, sizeof name, "one writer, %d readers", SHARE_READERS);
	pl_sandbox *sb = pl_sandbox_new(c, name);
	pl_chan ch;
	if (!pl_pipe_make(sb, &ch, kind))
		return false;
	int r[SHARE_READERS];
	for (int i = 0; i < SHARE_READERS; i++)
		r[i] = pl_spawn(sb, "reader", record_reader, &ch);
	int w = pl_spawn(sb, "writer", record_writer, &ch);
	pl_pipe_seal(sb, &ch);
	for (int i = 0; i < SHARE_READERS; i++)
		if (!pl_await_blocked(sb, r[i], PL_OP_READ))
			return false;
	pl_cue(sb, WRITE);
	if (!pl_await_end(sb, w))
		return false;
	for (int i = 0; i < SHARE_READERS; i++)
		if (!pl_await_end(sb, r[i]))
			return false;
	size_t len;
	const unsigned *pairs = (const unsigned *)pl_shared_data(sb, &len);
	int seen[SHARE_RECORDS] = { 0 };
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i + 1 < len / sizeof(unsigned); i += 2) {
		if (pairs[i + 1] >= SHARE_RECORDS)
			continue;
		t->dup += seen[pairs[i + 1]]++ > 0;
		t->got++;
		for (int k = 0; k < SHARE_READERS; k++)
			t->per[k] += pairs[i] == (unsigned)r[k];
	}
	for (int i = 0; i < SHARE_RECORDS; i++)
		t->missing += !seen[i];
	return true;
}
