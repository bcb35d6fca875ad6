/* Inline helpers shared by the fixture CUs: nested inlines across a header. */
#ifndef KFIX_INL_H
#define KFIX_INL_H

extern volatile int kfix_sink;

static inline __attribute__((always_inline)) int mix_inner(int x)
{
	kfix_sink = x;
	return x * 7 + (x >> 3);
}

static inline __attribute__((always_inline)) int mix_middle(int x, int y)
{
	int r = mix_inner(x) ^ mix_inner(y);

	if (r & 1)
		kfix_sink = r;
	return r + 1;
}

static inline __attribute__((always_inline)) int mix_outer(int x)
{
	int acc = 0;

	for (int i = 0; i < x; i++) {
		int t = mix_middle(i, x);

		acc += t;
	}
	return acc;
}

#endif
