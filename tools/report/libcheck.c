/* Is this file a shared library the dynamic loader would preload?  Read from
 * its ELF header only: the code under test never runs in the lab's tools.  An
 * object file (.o, ET_REL) or an executable (ET_EXEC, or a PIE: ET_DYN with
 * a program interpreter) is not one; the loader ignores them with a warning. */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "class.h"

static const char *check(FILE *f)
{
	Elf64_Ehdr e;
	if (fread(&e, 1, sizeof e, f) < EI_NIDENT || memcmp(e.e_ident, ELFMAG, SELFMAG) != 0)
		return "not an ELF file (a shared library is built with -shared -fPIC)";
	if (e.e_ident[EI_CLASS] != ELFCLASS64)
		return "a 32-bit ELF file: build it for this machine (64-bit)";
	if (e.e_type == ET_REL)
		return "an object file (.o), not a shared library: link it with -shared";
	if (e.e_type == ET_EXEC)
		return "an executable, not a shared library: build it with -shared -fPIC";
	if (e.e_type != ET_DYN)
		return "an ELF file of an unexpected type, not a shared library";
	for (int i = 0; i < e.e_phnum; i++) {
		Elf64_Phdr p;
		if (fseek(f, (long)(e.e_phoff + (Elf64_Off)i * e.e_phentsize), SEEK_SET) != 0 || fread(&p, sizeof p, 1, f) != 1)
			return "a truncated ELF file";
		if (p.p_type == PT_INTERP)
			return "a position-independent executable (PIE), not a shared library: build it with -shared";
	}
	return NULL;
}

int libcheck_main(int argc, char **argv)
{
	if (argc != 1) {
		fputs("usage: pipelab-report libcheck FILE\n", stderr);
		return 2;
	}
	FILE *f = fopen(argv[0], "rbe");
	if (!f) {
		printf("cannot be read\n");
		return 1;
	}
	const char *why = check(f);
	fclose(f);
	if (why) {
		printf("%s\n", why);
		return 1;
	}
	return 0;
}
