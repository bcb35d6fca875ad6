/*
 * CU "kasan" (clang variant only): built with -fsanitize=kernel-address, as a clang KASAN kernel
 * is. Each access is checked inline: a shadow load and compare, and on a bad shadow byte a call to
 * __asan_report_<op><size>_noabort in an out-of-line block that then jumps back. The report's
 * return address, which the kernel prints in the "BUG: KASAN: ... in f+off/size" header
 * (mm/kasan/report.c: kasan_report(addr, size, is_write, _RET_IP_)), is that jump, and clang gives
 * it line 0: the header is read at pc - 1, the call, whose line is the access's.
 */
extern volatile int kfix_sink;

struct kobj {
	int refs;
	long slots[4];
};

__attribute__((noinline)) long kasan_read_slot(struct kobj *o, int i)
{
	long v = o->slots[i];

	if (v > 3)
		kfix_sink = (int)v;
	return v + o->refs;
}

__attribute__((noinline)) void kasan_write_slot(struct kobj *o, int i, long v)
{
	o->slots[i] = v;
	kfix_sink = o->refs;
}

/* The runtime the instrumentation calls (the kernel's mm/kasan/generic.c and report.c). */
void __asan_report_load8_noabort(unsigned long addr) { kfix_sink = (int)addr; }
void __asan_report_load4_noabort(unsigned long addr) { kfix_sink = (int)addr; }
void __asan_report_store8_noabort(unsigned long addr) { kfix_sink = (int)addr; }
void __asan_report_store4_noabort(unsigned long addr) { kfix_sink = (int)addr; }
void __asan_register_globals(void *g, unsigned long n) { kfix_sink = (int)n; }
void __asan_unregister_globals(void *g, unsigned long n) { kfix_sink = (int)n; }
