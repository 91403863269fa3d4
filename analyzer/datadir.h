/* Where irqcheck's data files are: the rule packs and rule pages (rules/)
 * and the semantic patches of `fix` (cocci/). */
#ifndef IRQCHECK_DATADIR_H
#define IRQCHECK_DATADIR_H

/* The directory of the data files called `name` ("rules", "cocci"): the
 * value of the environment variable `env` when it is set and not empty;
 * else the installed copy beside the binary, <bindir>/../share/irqcheck/
 * <name> (the binary found through /proc/self/exe, so a moved or copied
 * installation finds its own), when it is a directory; else <name>/ of
 * the source tree the binary was built from (a binary in its build
 * directory), when it is one; else the installed location, which an
 * error message then names. Caller frees. */
char *data_dir(const char *name, const char *env);

#endif
