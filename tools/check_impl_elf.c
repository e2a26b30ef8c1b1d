/* pipelab-check-impl, the first look: what a library is, from its ELF
 * headers alone (ET_DYN with a dynamic section, not DF_1_PIE, this machine's
 * class and architecture), without running any of it. */
#include <elf.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "check_impl.h"

const char *const elf_why[] = {
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

enum elf_verdict check_elf(const char *path)
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
