/* The reference's default policy rules (Placement 8.0.0), as data: rule
 * name, check string, scope types (comma-separated; "" = any scope) and
 * the deprecated check string that legacy mode also accepts (NULL: none).
 * Generated once from the reference's policy-defaults.txt with:
 *   awk '/^rule: /{...} /^  check: /{...} ...' policy-defaults.txt
 * (one row per "rule:" block); the service never reads that file. */
#include "policy.h"
#include <string.h>

const struct policy_default policy_defaults[] = {
	{"admin_api", "role:admin", "system", NULL},
	{"system_admin_api", "role:admin and system_scope:all", "", "role:admin"},
	{"system_reader_api", "role:reader and system_scope:all", "", "role:admin"},
	{"project_reader_api", "role:reader and project_id:%(project_id)s", "", "role:admin"},
	{"system_or_project_reader", "rule:system_reader_api or rule:project_reader_api", "", "role:admin"},
	{"placement:resource_providers:list", "rule:system_reader_api", "system", NULL},
	{"placement:resource_providers:create", "rule:system_admin_api", "system", NULL},
	{"placement:resource_providers:show", "rule:system_reader_api", "system", NULL},
	{"placement:resource_providers:update", "rule:system_admin_api", "system", NULL},
	{"placement:resource_providers:delete", "rule:system_admin_api", "system", NULL},
	{"placement:resource_classes:list", "rule:system_reader_api", "system", NULL},
	{"placement:resource_classes:create", "rule:system_admin_api", "system", NULL},
	{"placement:resource_classes:show", "rule:system_reader_api", "system", NULL},
	{"placement:resource_classes:update", "rule:system_admin_api", "system", NULL},
	{"placement:resource_classes:delete", "rule:system_admin_api", "system", NULL},
	{"placement:resource_providers:inventories:list", "rule:system_reader_api", "system", NULL},
	{"placement:resource_providers:inventories:create", "rule:system_admin_api", "system", NULL},
	{"placement:resource_providers:inventories:show", "rule:system_reader_api", "system", NULL},
	{"placement:resource_providers:inventories:update", "rule:system_admin_api", "system", NULL},
	{"placement:resource_providers:inventories:delete", "rule:system_admin_api", "system", NULL},
	{"placement:resource_providers:aggregates:list", "rule:system_reader_api", "system", NULL},
	{"placement:resource_providers:aggregates:update", "rule:system_admin_api", "system", NULL},
	{"placement:resource_providers:usages", "rule:system_reader_api", "system", NULL},
	{"placement:usages", "rule:system_or_project_reader", "system,project", NULL},
	{"placement:traits:list", "rule:system_reader_api", "system", NULL},
	{"placement:traits:show", "rule:system_reader_api", "system", NULL},
	{"placement:traits:update", "rule:system_admin_api", "system", NULL},
	{"placement:traits:delete", "rule:system_admin_api", "system", NULL},
	{"placement:resource_providers:traits:list", "rule:system_reader_api", "system", NULL},
	{"placement:resource_providers:traits:update", "rule:system_admin_api", "system", NULL},
	{"placement:resource_providers:traits:delete", "rule:system_admin_api", "system", NULL},
	{"placement:allocations:manage", "rule:system_admin_api", "system", NULL},
	{"placement:allocations:list", "rule:system_reader_api", "system", NULL},
	{"placement:allocations:update", "rule:system_admin_api", "system", NULL},
	{"placement:allocations:delete", "rule:system_admin_api", "system", NULL},
	{"placement:resource_providers:allocations:list", "rule:system_reader_api", "system", NULL},
	{"placement:allocation_candidates:list", "rule:system_reader_api", "system", NULL},
	{"placement:reshaper:reshape", "rule:system_admin_api", "system", NULL},
};

const int npolicy_defaults = (int)(sizeof(policy_defaults) / sizeof(policy_defaults[0]));

/* Upstream Placement 15.0.0's defaults ([oslo_policy] defaults = 15.0.0):
 * every rule project-scoped, admin or service for all but the reshaper
 * (service only) and GET /usages (also a reader of the project asked
 * about).  Made the same way from upstream's list of 15.0.0's rules. */
const struct policy_default policy_defaults_15_0_0[] = {
	{"admin_api", "role:admin", "project", NULL},
	{"service_api", "role:service", "project", "role:admin"},
	{"admin_or_service_api", "role:admin or role:service", "project", "role:admin"},
	{"project_reader_api", "role:reader and project_id:%(project_id)s", "", "role:admin"},
	{"admin_or_project_reader_or_service_api", "role:admin or rule:project_reader_api or role:service", "project", "role:admin"},
	{"placement:resource_providers:list", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:create", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:show", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:update", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:delete", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_classes:list", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_classes:create", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_classes:show", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_classes:update", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_classes:delete", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:inventories:list", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:inventories:create", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:inventories:show", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:inventories:update", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:inventories:delete", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:aggregates:list", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:aggregates:update", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:usages", "rule:admin_or_service_api", "project", NULL},
	{"placement:usages", "rule:admin_or_project_reader_or_service_api", "project", NULL},
	{"placement:traits:list", "rule:admin_or_service_api", "project", NULL},
	{"placement:traits:show", "rule:admin_or_service_api", "project", NULL},
	{"placement:traits:update", "rule:admin_or_service_api", "project", NULL},
	{"placement:traits:delete", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:traits:list", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:traits:update", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:traits:delete", "rule:admin_or_service_api", "project", NULL},
	{"placement:allocations:manage", "rule:admin_or_service_api", "project", NULL},
	{"placement:allocations:list", "rule:admin_or_service_api", "project", NULL},
	{"placement:allocations:update", "rule:admin_or_service_api", "project", NULL},
	{"placement:allocations:delete", "rule:admin_or_service_api", "project", NULL},
	{"placement:resource_providers:allocations:list", "rule:admin_or_service_api", "project", NULL},
	{"placement:allocation_candidates:list", "rule:admin_or_service_api", "project", NULL},
	{"placement:reshaper:reshape", "rule:service_api", "project", NULL},
};

const int npolicy_defaults_15_0_0 =
	(int)(sizeof(policy_defaults_15_0_0) / sizeof(policy_defaults_15_0_0[0]));

const struct policy_default *
policy_default_table(const struct config *cfg, int *n)
{
	if (cfg != NULL && strcmp(cfg->policy_defaults, "15.0.0") == 0) {
		*n = npolicy_defaults_15_0_0;
		return policy_defaults_15_0_0;
	}
	*n = npolicy_defaults;
	return policy_defaults;
}
