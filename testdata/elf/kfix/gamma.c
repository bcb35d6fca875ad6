/* CU "gamma": its first code comes from a header (see gops.h). */
#include "gops.h"

int gamma_work(int n)
{
	return gops_first(n) * 2;
}
