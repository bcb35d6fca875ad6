/* CU "alpha": a static helper whose name also exists in beta.c, nested inlines, a cold path. */
#include "inl.h"

volatile int kfix_sink;

static __attribute__((noinline)) int helper(int v)
{
	return mix_middle(v, v + 1) * 3;
}

__attribute__((cold, noinline)) void alpha_report(int code)
{
	kfix_sink = code;
	kfix_sink = code * 2;
}

int alpha_work(int n)
{
	int total = 0;

	for (int i = 0; i < n; i++) {
		total += helper(i);
		if (__builtin_expect(total == 12345, 0)) {
			alpha_report(total);
			kfix_sink = mix_inner(total);
			total = 0;
		}
	}
	{
		int blk = mix_outer(n);

		total ^= blk;
	}
	return total;
}
