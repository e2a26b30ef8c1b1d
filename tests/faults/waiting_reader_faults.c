/* Mutants: readiness that takes a reader waiting on the pipe for data
 * pending, as an emulator keeping one wait list per pipe for blocked reads
 * and for polls might (K, S1): while another process is asleep in read() on
 * the pipe, its read end is reported readable although it is empty.
 *   POLL    poll() reports POLLIN
 *   SELECT  select() reports the descriptor ready for reading
 * The emulator's wait list is simulated from /proc: a process (other than
 * this one) asleep in read() on the same pipe.  Each process makes itself
 * dumpable again (a boxed actor is not), so the others may look. */
#include <dirent.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fault.h"

__attribute__((constructor)) static void lookable(void) { prctl(PR_SET_DUMPABLE, 1); }

static bool in_read_on(pid_t pid, const struct stat *pipe_st)
{
	char path[96];
	snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
	FILE *f = fopen(path, "re");
	long nr = -1;
	unsigned long fd = 0;
	bool match = false;
	if (f && fscanf(f, "%ld %lx", &nr, &fd) == 2 && nr == SYS_read) {
		struct stat st;
		snprintf(path, sizeof path, "/proc/%d/fd/%lu", (int)pid, fd);
		match = stat(path, &st) == 0 && st.st_dev == pipe_st->st_dev && st.st_ino == pipe_st->st_ino;
	}
	if (f)
		fclose(f);
	return match;
}

/* An empty read end with a reader asleep on it in another process. */
static bool reader_waiting(int fd)
{
	struct stat st;
	int queued = 0;
	if (!fault_tracked(fd) || fstat(fd, &st) != 0 || ioctl(fd, FIONREAD, &queued) != 0 || queued > 0)
		return false;
	DIR *d = opendir("/proc");
	bool found = false;
	for (struct dirent *e; d && !found && (e = readdir(d));) {
		pid_t pid = (pid_t)atoi(e->d_name);
		found = pid > 0 && pid != getpid() && in_read_on(pid, &st);
	}
	if (d)
		closedir(d);
	return found;
}

#if defined(POLL)
int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	REAL(int, poll, struct pollfd *, nfds_t, int);
	bool waiting[16] = { false }, any = false;
	for (nfds_t i = 0; i < n && i < 16; i++)
		any |= waiting[i] = (fds[i].events & POLLIN) && reader_waiting(fds[i].fd);
	if (!any)
		return real_poll(fds, n, timeout);
	int r = real_poll(fds, n, 0);
	for (nfds_t i = 0; r >= 0 && i < n && i < 16; i++)
		if (waiting[i]) {
			r += fds[i].revents == 0;
			fds[i].revents |= POLLIN;
		}
	return r;
}
#elif defined(SELECT)
int select(int n, fd_set *r, fd_set *w, fd_set *x, struct timeval *t)
{
	REAL(int, select, int, fd_set *, fd_set *, fd_set *, struct timeval *);
	fd_set waiting;
	FD_ZERO(&waiting);
	bool any = false;
	for (int fd = 0; r && fd < n && fd < FD_SETSIZE; fd++)
		if (FD_ISSET(fd, r) && reader_waiting(fd)) {
			FD_SET(fd, &waiting);
			any = true;
		}
	if (!any)
		return real_select(n, r, w, x, t);
	struct timeval none = { 0, 0 };
	int k = real_select(n, r, w, x, &none);
	for (int fd = 0; k >= 0 && fd < n && fd < FD_SETSIZE; fd++)
		if (FD_ISSET(fd, &waiting) && !FD_ISSET(fd, r)) {
			FD_SET(fd, r);
			k++;
		}
	return k;
}
#endif
