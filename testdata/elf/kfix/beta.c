/* CU "beta": another static helper() and functions that inline across the shared header. */
#include "inl.h"

static __attribute__((noinline)) int helper(int v)
{
	if (v > 100)
		return mix_inner(v);
	return v - 1;
}

static inline int beta_square(int v)
{
	return v * mix_inner(v);
}

int beta_work(int n)
{
	int s = helper(n);

	s += beta_square(n);
	s += mix_outer(s & 15);
	return s;
}

__attribute__((noinline)) int beta_loop(int n)
{
	int s = 0;

	while (n-- > 0)
		s += beta_square(n) + helper(n);
	return s;
}
