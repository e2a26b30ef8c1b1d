/* Mutant: an emulator that maps files by copying them in, so a MAP_SHARED
 * file mapping behaves as MAP_PRIVATE: neither another process nor the file
 * sees the writes.  POSIX mmap(): with MAP_SHARED "write references shall
 * change the underlying object". */
#include <sys/mman.h>
#include <sys/stat.h>

#include "fault.h"

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	REAL(void *, mmap, void *, size_t, int, int, int, off_t);
	struct stat st;
	if ((flags & MAP_TYPE) == MAP_SHARED && fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		flags = (flags & ~MAP_TYPE) | MAP_PRIVATE;
	return real_mmap(addr, len, prot, flags, fd, off);
}
