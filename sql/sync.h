/* placement-sync's backends: sync.c holds sqlite and the command line,
 * sync_mysql.c the MariaDB/MySQL side. */
#ifndef PLACEMENT_SYNC_H
#define PLACEMENT_SYNC_H
struct config;

/* Brings the MariaDB/MySQL database of cfg up to date (see sync_mysql.c);
 * the exit status: 0 done, 1 refused or failed (message on stderr). */
int sync_mysql(const struct config *cfg, int quiet);
#endif
