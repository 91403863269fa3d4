/* Compiler arguments made independent of the directory they were given
 * in: the paths of include options, relative to the directory of the
 * compile command, become absolute. (clang's -working-directory would do
 * it by changing the whole process's directory, which a threaded scan, or
 * a command that opens files by relative names afterwards, cannot have.) */
#ifndef IRQCHECK_ABSPATH_H
#define IRQCHECK_ABSPATH_H

#include "util.h"

/* Rewrites args in place: "-Idir", "-I dir", "-isystem dir", "-iquote",
 * "-idirafter", "-include file", "-imacros file" with a relative path get
 * dir/path. */
void flags_absolute_paths(struct strvec *args, const char *dir);

#endif
