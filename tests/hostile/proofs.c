/* Hostile implementations aimed at the judge's evidence and its root
 * privileges rather than at the records: one attack per build
 * (-DATTACK_...).  Each read() that polls instead of blocking would pass the
 * "blocks" cells if the attack worked; hostile.sh checks that they FAIL and
 * that nothing outside the sandbox was touched.
 *   DECOY_FD   sleeps in read() on the awaited descriptor number, which for
 *              that time is a private pipe, while a thread polls the real one
 *   FALSE_PID  polls, and writes another process's pid (HOSTILE_VICTIM_PID)
 *              into its record, with forged probe interruptions
 *   RM_RACE    a helper outside the sandbox's process group keeps swapping
 *              a directory of the case's for a symlink to HOSTILE_VICTIM_DIR
 *              while the lab removes the case's directory
 *   IPC_LEAK   leaves a semaphore and a /dev/shm file in every process
 *   MARKUP     names itself, and fills its steps' text, with markup and
 *              bytes that are not UTF-8, for the reports to quote
 *   STDOUT_DECOY  a write into a full pipe that polls, and meanwhile puts the
 *              lab's stdout (a pipe every actor inherits) behind the awaited
 *              descriptor and floods it, to be seen asleep in write() there */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "pipelab.h"

#if defined(ATTACK_FALSE_PID) || defined(ATTACK_MARKUP)
/* This process's record in the sandbox's shared memory. */
static struct pl_actor_rec *own_record(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];
	struct pl_shared *s = NULL;
	size_t want = (sizeof(struct pl_shared) + 4095) & ~4095UL;
	while (f && fgets(line, sizeof line, f)) {
		unsigned long a, b;
		if (sscanf(line, "%lx-%lx", &a, &b) == 2 && strstr(line, "rw-s") && b - a == want)
			s = (struct pl_shared *)a;
	}
	if (f)
		fclose(f);
	for (int i = 1; s && i < PL_MAX_ACTORS; i++)
		if (s->actor[i].pid == getpid())
			return &s->actor[i];
	return NULL;
}
#endif

#if defined(ATTACK_DECOY_FD) || defined(ATTACK_FALSE_PID)
/* An empty pipe or FIFO the caller is about to read: the call to fake. */
static bool empty_pipe(int fd)
{
	struct stat st;
	struct pollfd q = { fd, POLLIN, 0 };
	return fd > 2 && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && syscall(SYS_poll, &q, 1, 0) == 0;
}

static void nap_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000 };
	nanosleep(&ts, NULL); /* the attack polls: that is the behaviour under test */
}
#endif

#if defined(ATTACK_DECOY_FD)
struct watch {
	int real, wake;
};

static void *watch_real(void *p)
{
	struct watch *w = p;
	struct pollfd q = { w->real, POLLIN, 0 };
	while (syscall(SYS_poll, &q, 1, 0) == 0)
		nap_ms(1);
	syscall(SYS_write, w->wake, "x", 1);
	return NULL;
}

ssize_t read(int fd, void *buf, size_t n)
{
	int pv[2];
	char c;
	struct watch w = { empty_pipe(fd) ? dup(fd) : -1, -1 };
	if (w.real >= 0 && syscall(SYS_pipe2, pv, 0) == 0) {
		w.wake = pv[1];
		dup2(pv[0], fd);
		pthread_t t;
		pthread_create(&t, NULL, watch_real, &w);
		syscall(SYS_read, fd, &c, 1);
		pthread_join(t, NULL);
		dup2(w.real, fd);
		close(w.real);
		close(pv[0]);
		close(pv[1]);
	}
	return syscall(SYS_read, fd, buf, n);
}
#elif defined(ATTACK_FALSE_PID)
ssize_t read(int fd, void *buf, size_t n)
{
	struct pl_actor_rec *r = empty_pipe(fd) ? own_record() : NULL;
	const char *victim = getenv("HOSTILE_VICTIM_PID");
	int step = r ? r->in_step : -1;
	if (r && victim && step >= 0 && step < PL_MAX_STEPS) {
		r->pid = atoi(victim);
		while (empty_pipe(fd)) {
			r->steps[step].probe_eintr++;
			nap_ms(1);
		}
		r->pid = getpid();
	}
	return syscall(SYS_read, fd, buf, n);
}
#elif defined(ATTACK_RM_RACE)
int mkfifo(const char *path, mode_t mode)
{
	int r = (int)syscall(SYS_mknodat, AT_FDCWD, path, mode | S_IFIFO, 0);
	const char *victim = getenv("HOSTILE_VICTIM_DIR");
	char dir[1024], sub[1100], lnk[1100];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!victim || !slash || fork() != 0)
		return r;
	*slash = '\0';
	setsid();
	snprintf(sub, sizeof sub, "%s/sub", dir);
	snprintf(lnk, sizeof lnk, "%s/lnk", dir);
	for (time_t end = time(NULL) + 5; time(NULL) < end;) {
		mkdir(sub, 0755);
		symlink(victim, lnk);
		syscall(SYS_renameat2, AT_FDCWD, sub, AT_FDCWD, lnk, 2 /* RENAME_EXCHANGE */);
	}
	_exit(0);
}
#elif defined(ATTACK_IPC_LEAK)
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/mman.h>
__attribute__((constructor)) static void leak(void)
{
	char name[64];
	snprintf(name, sizeof name, "/pipelab-hostile-leak-%d", (int)getpid());
	int fd = shm_open(name, O_CREAT | O_RDWR, 0600);
	if (fd >= 0)
		close(fd);
	semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
}
#elif defined(ATTACK_STDOUT_DECOY)
static char junk[1 << 20];

ssize_t write(int fd, const void *buf, size_t n)
{
	struct stat st;
	struct pollfd q = { fd, POLLOUT, 0 };
	if (fd > 2 && !(fcntl(fd, F_GETFL) & O_NONBLOCK) && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) &&
	    syscall(SYS_poll, &q, 1, 0) == 0) {
		int real = dup(fd);
		do {
			dup2(1, fd);
			for (int i = 0; i < 4; i++)
				syscall(SYS_write, fd, junk, sizeof junk);
			dup2(real, fd);
		} while (syscall(SYS_poll, &q, 1, 0) != 1);
		close(real);
	}
	return syscall(SYS_write, fd, buf, n);
}
#elif defined(ATTACK_MARKUP)
static const char MARKUP[] = "<svg onload=alert(1)>\xff\xfe*|`";

ssize_t write(int fd, const void *buf, size_t n)
{
	struct pl_actor_rec *r = own_record();
	if (r) {
		snprintf(r->name, sizeof r->name, "%s", MARKUP);
		snprintf(r->note, sizeof r->note, "%s", MARKUP);
		for (int i = 0; i < PL_MAX_STEPS; i++) {
			snprintf(r->steps[i].what, sizeof r->steps[i].what, "%s", MARKUP);
			snprintf(r->steps[i].preview, sizeof r->steps[i].preview, "%s", MARKUP);
		}
	}
	return syscall(SYS_write, fd, buf, n);
}
#endif
