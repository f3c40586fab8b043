/*
 * Entry point of the image. The simulated kernel is never executed: the
 * builder reads its symbols and debug information and lays out memory
 * itself. btext only gives the ELF an entry address where a real amd64
 * kernel has one.
 */
#include "sys_types.h"

void btext(void);

void
btext(void)
{
	for (;;)
		;
}
