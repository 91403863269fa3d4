// SPDX-License-Identifier: GPL-2.0
/* a seed: a trace header defined in, a guarded include */
#define CREATE_TRACE_POINTS
#include "trace.h"
#ifdef CONFIG_PM
#include <linux/pm.h>
#endif
#define dev_fmt(fmt) "seed: " fmt
#undef CREATE_TRACE_POINTS
static int seed;
