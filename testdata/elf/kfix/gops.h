/* An out-of-line static function defined in a header: it becomes file 1 of gamma.c's DWARF 5 line
 * table (file 0 is gamma.c), the shape that binutils 2.40 mis-attributes (PR 30783). */
#ifndef KFIX_GOPS_H
#define KFIX_GOPS_H

extern volatile int kfix_sink;

static __attribute__((noinline)) int gops_first(int v)
{
	kfix_sink = v;
	return v + 3;
}

#endif
