/* Futex-based cues between the judge and its actors.  Pipes and eventfds are
 * deliberately avoided: a fault library wrapping read()/write() must only hit
 * the pipes under test. */
#include "internal.h"

#include <linux/futex.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

void pl_futex_wait(_Atomic uint32_t *w, uint32_t val, int64_t timeout_ns)
{
	struct timespec ts = { timeout_ns / 1000000000, timeout_ns % 1000000000 };
	/* Shared futex (no FUTEX_PRIVATE_FLAG): the word lives in MAP_SHARED memory
	 * used by several processes. */
	syscall(SYS_futex, (uint32_t *)w, FUTEX_WAIT, val, timeout_ns < 0 ? NULL : &ts, NULL, 0);
}

void pl_futex_wake(_Atomic uint32_t *w)
{
	syscall(SYS_futex, (uint32_t *)w, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

int64_t pl_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void pl_wait_cue(pl_actor *a, int cue)
{
	_Atomic uint32_t *w = &a->sb->shm->cue[cue];
	/* Parked: a blocking proof then knows this actor makes no call before
	 * the cue (a call that returned is the awaited one). */
	a->rec->waiting_cue = cue + 1;
	a->rec->progress++;
	pl_futex_wake(&a->rec->progress);
	/* Unbounded on purpose: the judge's deadline kills the whole group. */
	while (*w == 0)
		pl_futex_wait(w, 0, -1);
	a->rec->waiting_cue = 0;
}

void pl_post_cue(pl_actor *a, int cue)
{
	a->sb->shm->cue[cue] = 1;
	pl_futex_wake(&a->sb->shm->cue[cue]);
}

void pl_cue(pl_sandbox *sb, int cue)
{
	sb->shm->cue[cue] = 1;
	pl_futex_wake(&sb->shm->cue[cue]);
}

bool pl_await_cue(pl_sandbox *sb, int cue)
{
	_Atomic uint32_t *w = &sb->shm->cue[cue];
	for (int round = 0; *w == 0; round++) {
		if (round > 0 && pl_cue_lost(sb, cue))
			return false;
		int64_t left = pl_wait_left(sb);
		if (left <= 0) {
			/* A cue is a point of the scenario an actor announces it has
			 * reached ("the writer has opened"); its number is for us. */
			char what[96];
			snprintf(what, sizeof what, "waiting for an actor to reach the next point of the scenario (cue %d)", cue);
			return !pl_sandbox_expired(sb, what);
		}
		pl_futex_wait(w, 0, left < 10000000 ? left : 10000000);
	}
	return true;
}

bool pl_share(pl_actor *a, const void *p, size_t n)
{
	long at = a->sb->shm->data_used;
	do {
		if (at + (long)n > PL_DATA)
			return false;
	} while (!atomic_compare_exchange_weak(&a->sb->shm->data_used, &at, at + (long)n));
	memcpy(a->sb->shm->data + at, p, n);
	return true;
}

const unsigned char *pl_shared_data(pl_sandbox *sb, size_t *len)
{
	/* Written by actors: never a length beyond the buffer. */
	long used = sb->shm->data_used;
	*len = used < 0 ? 0 : used > PL_DATA ? PL_DATA : (size_t)used;
	return sb->shm->data;
}
