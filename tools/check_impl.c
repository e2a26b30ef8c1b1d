/* pipelab-check-impl: is PIPELAB_PRELOAD really a library the loader will
 * load?  Checked once at run start, so a file the dynamic loader ignores
 * ("cannot be preloaded ... ignored": an object file, a PIE executable, a
 * text file) stops the run with one clear line instead of passing every case
 * with the system's own libc.
 *
 *   pipelab-check-impl LIB[:LIB...]     exit 0 loadable, 2 not (why on stderr)
 *
 * Each library is dlopen()ed in a child, as `nobody` when we are root (the
 * library's constructors are the code under test), and its ELF header must
 * say ET_DYN with a dynamic section and no DF_1_PIE flag. */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum { LOAD_DEADLINE_S = 5, WHY_MAX = 1024 };
enum elf_verdict { ELF_LIBRARY, ELF_NOT_ELF, ELF_OBJECT, ELF_EXEC, ELF_PIE, ELF_NO_DYNAMIC, ELF_UNREADABLE };

static const char *const elf_why[] = {
	[ELF_LIBRARY] = NULL,
	[ELF_NOT_ELF] = "not an ELF file (a shared library is built with gcc -shared -fPIC)",
	[ELF_OBJECT] = "an object file (.o), not a shared library: link it with gcc -shared",
	[ELF_EXEC] = "an executable, not a shared library: build it with gcc -shared -fPIC",
	[ELF_PIE] = "a position-independent executable, not a shared library: build it with gcc -shared -fPIC",
	[ELF_NO_DYNAMIC] = "an ELF file without a dynamic section: not a shared library",
	[ELF_UNREADABLE] = "truncated or unreadable ELF headers",
};

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

static enum elf_verdict check_elf(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ELF_UNREADABLE;
	unsigned char ident[EI_NIDENT];
	enum elf_verdict v = ELF_NOT_ELF;
	if (read_at(fd, ident, sizeof ident, 0) == 0 && !memcmp(ident, ELFMAG, SELFMAG))
		v = ident[EI_CLASS] == ELFCLASS64 ? check_elf64(fd) : ident[EI_CLASS] == ELFCLASS32 ? check_elf32(fd) : ELF_NOT_ELF;
	close(fd);
	return v;
}

/* In the child: drop to nobody when root, dlopen the file opened before (a
 * library in root's private folder still loads: the question is whether it
 * is a library), and report dlerror() through the pipe with raw system calls
 * (the library may interpose write). */
static void load_in_child(int fd, int out)
{
	if (getuid() == 0) {
		const struct passwd *pw = getpwnam("nobody");
		uid_t uid = pw ? pw->pw_uid : 65534;
		gid_t gid = pw ? pw->pw_gid : 65534;
		/* where the uid cannot change (a restricted container), the check
		 * still runs, as the cases would load it: as root */
		if (setgroups(0, NULL) == 0 && setgid(gid) == 0 && setuid(uid) == 0)
			prctl(PR_SET_DUMPABLE, 1); /* /proc/self/fd stays ours after setuid */
	}
	alarm(LOAD_DEADLINE_S);
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	if (dlopen(path, RTLD_LAZY | RTLD_LOCAL))
		_exit(0);
	const char *e = dlerror();
	if (e && !strncmp(e, path, strlen(path)))
		e += strlen(path); /* the caller names the file */
	if (e)
		syscall(SYS_write, out, e, strlen(e));
	_exit(1);
}

/* NULL if the loader loads it, else the loader's own message. */
static const char *try_load(const char *path, char *why, size_t n)
{
	int p[2], fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, n, "%s", strerror(errno));
		return why;
	}
	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(why, n, "pipe: %s", strerror(errno));
		close(fd);
		return why;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		load_in_child(fd, p[1]);
	}
	close(fd);
	close(p[1]);
	/* the child's alarm bounds the load; poll bounds a descendant holding the pipe */
	struct pollfd pfd = { .fd = p[0], .events = POLLIN };
	ssize_t got = pid > 0 && poll(&pfd, 1, (LOAD_DEADLINE_S + 1) * 1000) > 0 ? read(p[0], why, n - 1) : -1;
	why[got > 0 ? got : 0] = '\0';
	close(p[0]);
	int status = 0;
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return NULL;
	if (!why[0]) {
		if (pid < 0)
			snprintf(why, n, "fork: %s", strerror(errno));
		else if (WIFSIGNALED(status))
			snprintf(why, n, "loading it killed the process (%s)", strsignal(WTERMSIG(status)));
		else
			snprintf(why, n, "dlopen failed without a message");
	}
	return why;
}

static int check_one(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "pipelab: PIPELAB_PRELOAD names '%s', which cannot be opened: %s\n", path, strerror(errno));
		return 2;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "pipelab: PIPELAB_PRELOAD names '%s', which is not a regular file\n", path);
		return 2;
	}
	char why[WHY_MAX];
	const char *loader = try_load(path, why, sizeof why);
	enum elf_verdict v = check_elf(path);
	if (!loader && v == ELF_LIBRARY)
		return 0;
	const char *sep = loader && *loader == ':' ? "" : ": ";
	if (loader && v != ELF_LIBRARY)
		fprintf(stderr, "pipelab: PIPELAB_PRELOAD '%s' cannot be loaded%s%s (it is %s)\n", path, sep, loader, elf_why[v]);
	else if (loader)
		fprintf(stderr, "pipelab: PIPELAB_PRELOAD '%s' cannot be loaded%s%s\n", path, sep, loader);
	else
		fprintf(stderr, "pipelab: PIPELAB_PRELOAD '%s' is %s; the dynamic loader would ignore it as a preload\n", path, elf_why[v]);
	return 2;
}

int main(int argc, char *argv[])
{
	if (argc != 2 || !argv[1][0]) {
		fputs("usage: pipelab-check-impl LIB[:LIB...]\n", stderr);
		return 2;
	}
	char *list = strdup(argv[1]);
	int rc = 0;
	for (char *save = NULL, *tok = strtok_r(list, ": ", &save); tok && !rc; tok = strtok_r(NULL, ": ", &save))
		rc = check_one(tok);
	free(list);
	return rc;
}
