/* Entry CU: no libc; calls into the other CUs so that nothing is discarded. */
int alpha_work(int n);
int beta_work(int n);
int beta_loop(int n);
int gamma_work(int n);

__attribute__((noreturn)) void kfix_halt(void)
{
	for (;;)
		__asm__ volatile("" ::: "memory");
}

int kfix_main(int argc)
{
	int r = alpha_work(argc) + beta_work(argc) + gamma_work(argc);

	r += beta_loop(r & 31);
	if (r == 77)
		kfix_halt();
	return r;
}
