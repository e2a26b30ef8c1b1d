/* pipelab-check-impl: is a library under test one the actors can load?  The
 * one check for it: ./pipelab run asks it once at run start (a file the
 * dynamic loader ignores -- an object file, a PIE executable, a text file --
 * would otherwise pass every case with the system's own libc), ./pipelab
 * grade asks it for every submission (the reason a student scores 0).
 *
 *   pipelab-check-impl [--reason] [--deadline S] LIB[:LIB...]
 *     exit 0 loadable, 2 not (or a usage error).  Why not: one line on stderr
 *     ("pipelab: PIPELAB_PRELOAD 'LIB': WHY"), or with --reason WHY alone on
 *     stdout (grade.sh keeps it as the student's row).  --deadline: how long
 *     a load may take (default 5 s).  Run as root with a uid no account has
 *     (./pipelab grade's per-student uids), every process of that uid is
 *     killed after the check (what a constructor hid with setsid).
 *   pipelab-check-impl --sweep UID
 *     root only, a uid no account has: kill every process of UID (./pipelab
 *     grade, after a student's cases).  Exit 0 done, 2 refused.
 *
 * Two looks at each library.  Its ELF headers say what it is (ET_DYN with a
 * dynamic section, not DF_1_PIE, this machine's class and architecture),
 * without running any of it.  Then it is loaded as the actors load it
 * (harness/box.c: dlopen by path, RTLD_NOW, as PIPELAB_UNPRIVILEGED_USER,
 * default nobody, when we are root), in a throwaway child in its own process
 * group, under a deadline: the library's constructors are the code under
 * test, so they never run privileged, never in this process, never with the
 * caller's output, and whatever they start is killed with the group. */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unpriv_user.h"

enum { DEFAULT_DEADLINE_S = 5, WHY_MAX = 1024, EXIT_NOT_LOADABLE = 2 };
enum elf_verdict {
	ELF_LIBRARY,
	ELF_NOT_ELF,
	ELF_OBJECT,
	ELF_EXEC,
	ELF_PIE,
	ELF_NO_DYNAMIC,
	ELF_UNREADABLE,
	ELF_32_BIT,
	ELF_64_BIT,
	ELF_OTHER_ARCH,
};

static const char *const elf_why[] = {
	[ELF_LIBRARY] = NULL,
	[ELF_NOT_ELF] = "not an ELF file (a shared library is built with gcc -shared -fPIC)",
	[ELF_OBJECT] = "an object file (.o), not a shared library: link it with gcc -shared",
	[ELF_EXEC] = "an executable, not a shared library: build it with gcc -shared -fPIC",
	[ELF_PIE] = "a position-independent executable, not a shared library: build it with gcc -shared -fPIC",
	[ELF_NO_DYNAMIC] = "an ELF file without a dynamic section: not a shared library",
	[ELF_UNREADABLE] = "truncated or unreadable ELF headers",
	[ELF_32_BIT] = "a 32-bit library, but the lab's programs are 64-bit: build it without -m32",
	[ELF_64_BIT] = "a 64-bit library, but the lab's programs are 32-bit: build it with the lab's compiler",
	[ELF_OTHER_ARCH] = "a library for another processor architecture: build it with this machine's compiler",
};

/* Where the child's result goes: first byte LOADED, or the loader's message. */
static const char LOADED = 'Y';

static int read_at(int fd, void *buf, size_t n, off_t off)
{
	return pread(fd, buf, n, off) == (ssize_t)n ? 0 : -1;
}

/* One ELF class: the type, a PT_DYNAMIC, and DF_1_PIE in its DT_FLAGS_1. */
#define CHECK_ELF(NAME, Ehdr, Phdr, Dyn)                                                              \
	static enum elf_verdict NAME(int fd)                                                          \
	{                                                                                             \
		Ehdr eh;                                                                              \
		if (read_at(fd, &eh, sizeof eh, 0) < 0)                                               \
			return ELF_UNREADABLE;                                                        \
		if (eh.e_type == ET_REL)                                                              \
			return ELF_OBJECT;                                                            \
		if (eh.e_type == ET_EXEC)                                                             \
			return ELF_EXEC;                                                              \
		if (eh.e_type != ET_DYN)                                                              \
			return ELF_NOT_ELF;                                                           \
		for (unsigned i = 0; i < eh.e_phnum && i < 4096; i++) {                               \
			Phdr ph;                                                                      \
			if (read_at(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + (off_t)i * eh.e_phentsize)) < 0) \
				return ELF_UNREADABLE;                                                \
			if (ph.p_type != PT_DYNAMIC)                                                  \
				continue;                                                             \
			for (size_t k = 0; k < ph.p_filesz / sizeof(Dyn) && k < 4096; k++) {          \
				Dyn d;                                                                \
				if (read_at(fd, &d, sizeof d, (off_t)(ph.p_offset + k * sizeof d)) < 0) \
					return ELF_UNREADABLE;                                        \
				if (d.d_tag == DT_NULL)                                               \
					break;                                                        \
				if (d.d_tag == DT_FLAGS_1 && (d.d_un.d_val & DF_1_PIE))               \
					return ELF_PIE;                                               \
			}                                                                             \
			return ELF_LIBRARY;                                                           \
		}                                                                                     \
		return ELF_NO_DYNAMIC;                                                                \
	}
CHECK_ELF(check_elf64, Elf64_Ehdr, Elf64_Phdr, Elf64_Dyn)
CHECK_ELF(check_elf32, Elf32_Ehdr, Elf32_Phdr, Elf32_Dyn)

/* e_ident and e_machine (at the same offset in both classes). */
struct elf_id {
	unsigned char ident[EI_NIDENT];
	Elf32_Half machine;
};

static int read_id(int fd, struct elf_id *id)
{
	if (read_at(fd, id->ident, sizeof id->ident, 0) < 0 || memcmp(id->ident, ELFMAG, SELFMAG) != 0)
		return -1;
	if (read_at(fd, &id->machine, sizeof id->machine, offsetof(Elf64_Ehdr, e_machine)) < 0)
		id->machine = EM_NONE;
	return 0;
}

/* This machine's programs, as the lab's own are built. */
static const struct elf_id *native_id(void)
{
	static struct elf_id self;
	static bool known;
	int fd = known ? -1 : open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		known = read_id(fd, &self) == 0;
		close(fd);
	}
	return known ? &self : NULL;
}

static enum elf_verdict check_elf(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ELF_UNREADABLE;
	struct elf_id id;
	const struct elf_id *me = native_id();
	enum elf_verdict v;
	if (read_id(fd, &id) < 0)
		v = ELF_NOT_ELF;
	else if (id.ident[EI_CLASS] != ELFCLASS64 && id.ident[EI_CLASS] != ELFCLASS32)
		v = ELF_NOT_ELF;
	else if (me && id.ident[EI_CLASS] != me->ident[EI_CLASS])
		v = id.ident[EI_CLASS] == ELFCLASS32 ? ELF_32_BIT : ELF_64_BIT;
	else if (me && (id.ident[EI_DATA] != me->ident[EI_DATA] || id.machine != me->machine))
		v = ELF_OTHER_ARCH;
	else
		v = id.ident[EI_CLASS] == ELFCLASS64 ? check_elf64(fd) : check_elf32(fd);
	close(fd);
	return v;
}

static const char *signal_name(int sig)
{
	static const struct { int s; const char *n; } t[] = {
		{ SIGSEGV, "SIGSEGV" }, { SIGBUS, "SIGBUS" }, { SIGABRT, "SIGABRT" }, { SIGILL, "SIGILL" },
		{ SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" }, { SIGTERM, "SIGTERM" }, { SIGALRM, "SIGALRM" },
		{ SIGPIPE, "SIGPIPE" }, { SIGSYS, "SIGSYS" }, { SIGTRAP, "SIGTRAP" }, { SIGXCPU, "SIGXCPU" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i].s == sig)
			return t[i].n;
	static char buf[24];
	snprintf(buf, sizeof buf, "signal %d", sig);
	return buf;
}

/* Who loads the library, as harness/box.c decides it for the actors. */
struct loader_user {
	bool drop;
	uid_t uid;
	gid_t gid;
	char name[64];
	char error[160]; /* why the actors could not run either */
};

static void resolve_user(struct loader_user *u)
{
	memset(u, 0, sizeof *u);
	if (geteuid() != 0)
		return;
	const char *env = getenv("PIPELAB_UNPRIVILEGED_USER");
	snprintf(u->name, sizeof u->name, "%s", env && *env ? env : "nobody");
	const char *why = pl_unpriv_user(u->name, &u->uid, &u->gid);
	if (why) {
		snprintf(u->error, sizeof u->error, "cannot be checked: PIPELAB_UNPRIVILEGED_USER=%s: %s", u->name, why);
		return;
	}
	u->drop = true;
}

/* Kill every process of UID: a child that becomes UID and calls kill(-1),
 * which reaches exactly the processes UID may signal, all at once (so none
 * forks its way out).  Only for a uid no account has (./pipelab grade gives
 * each student one): other programs may run as an account's uid, nobody's. */
static int sweep_uid(uid_t uid)
{
	if (uid == 0 || geteuid() != 0 || getpwuid(uid))
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) < 0 ||
		    setresuid(uid, uid, uid) < 0)
			_exit(1);
		enum { SWEEPS = 100 };
		for (int i = 0; i < SWEEPS && kill(-1, SIGKILL) == 0; i++)
			; /* again until nothing is left to signal (ESRCH) */
		_exit(0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void child_say(int out, const char *s)
{
	/* raw system call: the library may interpose write */
	syscall(SYS_write, out, s, strlen(s));
}

/* In the child, its own process group: nothing of ours to read or write, the
 * actors' user, then the load of PATH (absolute).  Never returns. */
static void load_in_child(const char *path, const struct loader_user *u, int out, pid_t parent)
{
	setpgid(0, 0);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
	}
	if (chdir("/") != 0)
		_exit(1);
	if (u->drop && (setgroups(0, NULL) < 0 || setresgid(u->gid, u->gid, u->gid) < 0 ||
			setresuid(u->uid, u->uid, u->uid) < 0)) {
		child_say(out, "!cannot switch to the unprivileged user");
		_exit(1);
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* after the credential change, which clears it */
	if (getppid() != parent)
		_exit(1);
	if (dlopen(path, RTLD_NOW | RTLD_LOCAL)) {
		syscall(SYS_write, out, &LOADED, 1);
		_exit(0);
	}
	const char *e = dlerror();
	size_t len = strlen(path);
	if (e && !strncmp(e, path, len) && !strncmp(e + len, ": ", 2))
		e += len + 2; /* the caller names the file */
	child_say(out, e && *e ? e : "dlopen failed without a message");
	_exit(1);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* How the load went; the words in why. */
enum load_outcome { LOAD_OK, LOAD_REFUSED, LOAD_CRASH, LOAD_HANG, LOAD_EXIT, LOAD_UNCHECKED };

static enum load_outcome try_load(const char *path, const struct loader_user *u, int deadline_s, char *why, size_t n)
{
	if (u->error[0]) {
		snprintf(why, n, "%s", u->error);
		return LOAD_UNCHECKED;
	}
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(why, n, "cannot be checked: pipe: %s", strerror(errno));
		return LOAD_UNCHECKED;
	}
	fflush(NULL);
	pid_t parent = getpid(), pid = fork();
	if (pid == 0) {
		close(p[0]);
		load_in_child(path, u, p[1], parent);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		snprintf(why, n, "cannot be checked: fork: %s", strerror(errno));
		return LOAD_UNCHECKED;
	}
	setpgid(pid, pid); /* both sides: the group exists before either goes on */
	/* What the child says (one write, below PIPE_BUF), or the end of the pipe
	 * when it died, before the deadline. */
	char msg[WHY_MAX] = "";
	ssize_t got = 0;
	bool timed_out = false;
	long long end = now_ms() + (long long)deadline_s * 1000;
	for (;;) {
		long long left = end - now_ms();
		if (left <= 0) {
			timed_out = true;
			break;
		}
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		if (poll(&pfd, 1, (int)left) <= 0)
			continue; /* EINTR, or the deadline: checked above */
		got = read(p[0], msg, sizeof msg - 1);
		break;
	}
	msg[got > 0 ? got : 0] = '\0';
	close(p[0]);
	if (timed_out)
		kill(-pid, SIGKILL);
	/* Whatever its constructors started goes with the group, killed while the
	 * child is a zombie (its pid, the group's id, cannot be reused yet). */
	siginfo_t si;
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
		;
	kill(-pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	bool exited = WIFEXITED(status);
	if (msg[0] == LOADED && exited && WEXITSTATUS(status) == 0)
		return LOAD_OK;
	if (timed_out) {
		snprintf(why, n, "hangs while being loaded (killed after %d s)", deadline_s);
		return LOAD_HANG;
	}
	if (WIFSIGNALED(status)) {
		snprintf(why, n, "crashes while being loaded (killed by %s)", signal_name(WTERMSIG(status)));
		return LOAD_CRASH;
	}
	if (msg[0] == '!') {
		snprintf(why, n, "cannot be checked: %s '%s'", msg + 1, u->name);
		return LOAD_UNCHECKED;
	}
	if (msg[0] && msg[0] != LOADED) {
		snprintf(why, n, "%s%s", msg,
			 u->drop && strstr(msg, "ermission") ? " (actors run unprivileged: the library and its directories must be readable by them)" : "");
		return LOAD_REFUSED;
	}
	snprintf(why, n, "ends the process while being loaded (exit status %d): its constructors must return",
		 exited ? WEXITSTATUS(status) : -1);
	return LOAD_EXIT;
}

/* NULL when loadable, else why not. */
static const char *check_one(const char *path, const struct loader_user *u, int deadline_s, char *why, size_t n)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(why, n, "cannot be opened: %s", strerror(errno));
		return why;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, n, "not a regular file");
		return why;
	}
	char abs[PATH_MAX];
	if (!realpath(path, abs)) { /* the child loads it from / */
		snprintf(why, n, "cannot be opened: %s", strerror(errno));
		return why;
	}
	enum elf_verdict v = check_elf(abs);
	char said[WHY_MAX];
	enum load_outcome o = try_load(abs, u, deadline_s, said, sizeof said);
	if (o == LOAD_OK && v == ELF_LIBRARY)
		return NULL;
	if (o == LOAD_REFUSED && v == ELF_LIBRARY)
		snprintf(why, n, "the loader refuses it: %s", said);
	else if (o == LOAD_REFUSED && v == ELF_OTHER_ARCH) /* glibc's words: "No such file" */
		snprintf(why, n, "%s", elf_why[v]);
	else if (o == LOAD_REFUSED) /* what it is says most; the loader's words to confirm */
		snprintf(why, n, "%s (the loader says: %s)", elf_why[v], said);
	else if (o == LOAD_OK)
		snprintf(why, n, "%s; the dynamic loader would ignore it as a preload", elf_why[v]);
	else /* its own code crashed, hung or exited, or no check could run */
		snprintf(why, n, "%s", said);
	return why;
}

static int usage(void)
{
	fputs("usage: pipelab-check-impl [--reason] [--deadline SECONDS] LIB[:LIB...] | --sweep UID\n", stderr);
	return EXIT_NOT_LOADABLE;
}

int main(int argc, char *argv[])
{
	if (argc == 3 && !strcmp(argv[1], "--sweep")) {
		char *end = NULL;
		unsigned long uid = strtoul(argv[2], &end, 10);
		if (*end || !argv[2][0] || sweep_uid((uid_t)uid) < 0) {
			fprintf(stderr, "pipelab-check-impl: --sweep %s: only root sweeps, and only a uid no account has\n", argv[2]);
			return EXIT_NOT_LOADABLE;
		}
		return 0;
	}
	bool reason_only = false;
	int deadline_s = DEFAULT_DEADLINE_S, i = 1;
	for (; i < argc - 1; i++) {
		if (!strcmp(argv[i], "--reason"))
			reason_only = true;
		else if (!strcmp(argv[i], "--deadline") && i + 2 < argc && atoi(argv[i + 1]) > 0)
			deadline_s = atoi(argv[++i]);
		else
			return usage();
	}
	if (i != argc - 1 || !argv[i][0])
		return usage();
	struct loader_user u;
	resolve_user(&u);
	char *list = strdup(argv[i]);
	int rc = 0;
	char why[WHY_MAX + 256];
	for (char *save = NULL, *tok = strtok_r(list, ": ", &save); tok && !rc; tok = strtok_r(NULL, ": ", &save)) {
		if (!check_one(tok, &u, deadline_s, why, sizeof why))
			continue;
		rc = EXIT_NOT_LOADABLE;
		if (reason_only)
			printf("%s\n", why);
		else
			fprintf(stderr, "pipelab: PIPELAB_PRELOAD '%s': %s\n", tok, why);
	}
	free(list);
	/* What the library's constructors started and hid (setsid, then a loop)
	 * outlives the group killed above: with a uid of its own, none is left. */
	if (u.drop)
		sweep_uid(u.uid);
	return rc;
}
