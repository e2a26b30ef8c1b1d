/* A deliberate leak: proves the valgrind preset catches a real error.  Kept
 * out of the normal run; registered only in the valgrind build, where it is
 * expected to be reported. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static void *volatile sink;

Test(canary, leaks_a_block)
{
	char *p = malloc(4242);
	memset(p, 1, 4242);
	sink = p;
	sink = NULL; /* the only pointer is gone: "definitely lost" */
	cr_assert(1);
}
