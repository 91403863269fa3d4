/* Stand-in for FreeBSD's <sys/param.h>: the types and errno values the
 * fixtures use. Not FreeBSD's header: declarations written for the tests. */
#ifndef _FIXTURE_SYS_PARAM_H_
#define _FIXTURE_SYS_PARAM_H_

#define NULL ((void *)0)
typedef unsigned int u_int;
typedef unsigned long size_t;
typedef _Bool bool;
#define true 1
#define false 0

#define ENXIO 6
#define ENOMEM 12
#define EBUSY 16
#define EINVAL 22

void panic(const char *fmt, ...) __attribute__((noreturn));

#endif
