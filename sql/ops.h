/* placement-manage and placement-status (sql/ops.c): the program
 * placement-sync run under those names. */
#ifndef PLACEMENT_OPS_H
#define PLACEMENT_OPS_H
#include "../common/util/config.h"

/* placement-manage [--config-file F] [--config-dir D] db sync|version|
 * online_data_migrations [--max-count N]; db_sync does what placement-sync
 * does with the configuration.  Returns the exit status. */
int manage_main(int argc, char **argv, int (*db_sync)(const struct config *cfg));
/* placement-status [--config-file F] [--config-dir D] upgrade check
 * [--json].  Returns the exit status. */
int status_main(int argc, char **argv);
#endif
