/* Settling what irqcheck check collected: a command that reads the store
 * (show, report, baseline, fix) first turns each collection that changed
 * since it was last settled into a finished run, so that it reads the
 * findings of the whole module, not of each file alone. */
#ifndef IRQCHECK_SETTLE_H
#define IRQCHECK_SETTLE_H

#include <stdbool.h>

/* Settles the collections of the store at db_path, telling on stderr what
 * it did. True when there was nothing to settle or all were settled (a
 * store it cannot read is left to the caller to report); false with one
 * sentence in *err when a collection could not be settled. */
bool settle_collections(const char *db_path, char **err);

#endif
