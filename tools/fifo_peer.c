/* pipelab-fifo-peer: one side of a FIFO conversation, as a program of its own,
 * so that two peers share no inherited descriptor (the notes' "unrelated
 * processes").  Exit status: 0 done (and, for read, the bytes matched),
 * 1 read other bytes, 2 an error.
 *   pipelab-fifo-peer write PATH MESSAGE
 *   pipelab-fifo-peer read PATH EXPECTED
 *   pipelab-fifo-peer read-late PATH EXPECTED   reads only once SIGUSR1
 *     (blocked by the caller before the exec) says the writer is gone, so
 *     the exchange does not depend on which program the scheduler runs
 *     first: a case about programs talking, not about an empty pipe. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	if (argc != 4) {
		fprintf(stderr, "usage: pipelab-fifo-peer write|read PATH TEXT\n");
		return 2;
	}
	int writing = !strcmp(argv[1], "write"), late = !strcmp(argv[1], "read-late");
	int fd = open(argv[2], writing ? O_WRONLY : O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "pipelab-fifo-peer: open %s: %s\n", argv[2], strerror(errno));
		return 2;
	}
	if (writing) {
		size_t n = strlen(argv[3]);
		ssize_t w = write(fd, argv[3], n);
		close(fd);
		return w == (ssize_t)n ? 0 : 2;
	}
	sigset_t go;
	sigemptyset(&go);
	sigaddset(&go, SIGUSR1);
	if (late && sigwaitinfo(&go, NULL) != SIGUSR1) {
		fprintf(stderr, "pipelab-fifo-peer: sigwaitinfo: %s\n", strerror(errno));
		return 2;
	}
	char buf[4096];
	size_t got = 0;
	ssize_t r;
	while (got < sizeof buf - 1 && (r = read(fd, buf + got, sizeof buf - 1 - got)) > 0)
		got += (size_t)r;
	buf[got] = '\0';
	close(fd);
	printf("%s\n", buf);
	return strcmp(buf, argv[3]) ? 1 : 0;
}
