/* Access rules, keyed by the reference's rule names
 * ("placement:resource_providers:list"). */
#ifndef PLACEMENT_POLICY_H
#define PLACEMENT_POLICY_H
#include "app.h"

/* 1 if the identity may perform rule on target_project (may be NULL). */
int policy_allows(const struct config *cfg, const struct identity *who,
                  const char *rule, const char *target_project);
#endif
