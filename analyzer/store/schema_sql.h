/* The store's SQL, compiled in from db/schema.sql and the files of
 * db/migrations (the build generates the definitions). */
#ifndef IRQCHECK_SCHEMA_SQL_H
#define IRQCHECK_SCHEMA_SQL_H

/* Creates schema version 1 in an empty database. */
extern const char irqcheck_schema_sql[];
/* irqcheck_migrations[i] takes version i + 1 to version i + 2. */
extern const char *const irqcheck_migrations[];
extern const int irqcheck_nmigrations;

#endif
