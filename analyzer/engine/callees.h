/* What a callee defined in the translation unit is (callees.c). */
#ifndef IRQCHECK_CALLEES_H
#define IRQCHECK_CALLEES_H

#include "engine/engine.h"

/* A call whose result may say an operation failed. Not a pure function
 * of the pack (sscanf()), nor a function of this file that only reads
 * data (a static inline "pdev_is_gen1(pdev)" switching on the device
 * id): their results are their arguments' data, which probe may have
 * settled for remove(). False for what is no call. */
bool callee_is_operation(struct fn_ctx *fn, CXCursor call);

/* The value of a call to a function of the translation unit whose body
 * is one "return CONSTANT;" (a header's stand-in for a feature the
 * configuration leaves out: mtk_wed_device_active() without
 * CONFIG_NET_MEDIATEK_SOC_WED returns false). */
bool callee_constant_value(CXCursor call, long long *v);

#endif
