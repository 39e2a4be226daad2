/* Interim policy: what the default legacy mode grants.  admin may do
 * anything; a system-scoped reader may use the read rules; a project
 * reader may read its own project's usages.  "open" mode allows every
 * rule to any authenticated caller. */
#include "policy.h"
#include <string.h>

static int
has_role(const struct identity *who, const char *role)
{
	size_t n = strlen(role);
	const char *p = who->roles ? who->roles : "";
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ",");
		size_t l = len;
		while (l > 0 && p[l - 1] == ' ')
			l--;
		if (l == n && strncmp(p, role, n) == 0)
			return 1;
		p += len;
	}
	return 0;
}

static int
is_read_rule(const char *rule)
{
	static const char *const suffixes[] = {":list", ":show", ":index", NULL};
	size_t n = strlen(rule);
	for (int i = 0; suffixes[i]; i++) {
		size_t s = strlen(suffixes[i]);
		if (n > s && strcmp(rule + n - s, suffixes[i]) == 0)
			return 1;
	}
	return strcmp(rule, "placement:allocation_candidates:list") == 0;
}

int
policy_allows(const struct config *cfg, const struct identity *who,
              const char *rule, const char *target_project)
{
	if (strcmp(cfg->policy_mode, "open") == 0)
		return strcmp(rule, "admin_api") != 0 || has_role(who, "admin");
	if (has_role(who, "admin"))
		return 1;
	if (has_role(who, "reader")) {
		if (who->system_scope && is_read_rule(rule))
			return 1;
		if (strcmp(rule, "placement:usages") == 0 && target_project &&
		    who->project_id && strcmp(target_project, who->project_id) == 0)
			return 1;
	}
	return 0;
}
