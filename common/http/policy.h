/* Access rules, keyed by the reference's rule names
 * ("placement:resource_providers:list"), evaluated as oslo.policy does.
 *
 * Rules are check strings ("role:admin and system_scope:all") parsed once
 * per process into a small tree.  The defaults are a const table
 * (policy_rules.c); a policy file ([oslo_policy] policy_file, YAML or
 * JSON) overrides them.  The mode comes from the config at each call:
 *   legacy  enforce_new_defaults off: a rule passes on its new default OR
 *           its deprecated default; enforce_scope off: no scope check;
 *   secure  ([oslo_policy] mode = secure, or both enforce_* options on):
 *           only the new defaults, and a token whose scope (system or
 *           project) is not among the rule's scope_types is refused;
 *   open    ([oslo_policy] mode = open): every registered rule except
 *           admin_api is "@" (always passes).
 * Pure: the caller reads the policy file and hands over its text. */
#ifndef PLACEMENT_POLICY_H
#define PLACEMENT_POLICY_H
#include <stddef.h>
#include "app.h"

/* Builds the process's rule set: the defaults plus, when file_text is not
 * NULL, the rules of a policy file (YAML or JSON mapping of rule name to
 * check string, or to oslo.policy's old list-of-lists form).  Every check
 * is parsed and every "rule:" reference resolved here, so a malformed
 * file, an unknown check kind or a reference cycle is an error now, never
 * a silent allow later.  Replaces any earlier set.  Returns 0, or -1 with
 * a message in err (the earlier set is then kept). */
int policy_init(const struct config *cfg, const char *file_text,
                char *err, size_t errlen);

/* Releases the rule set (the next policy_allows loads the defaults). */
void policy_free(void);

/* 1 if the identity may perform rule on target_project (NULL: the
 * caller's own project, as the reference's default target).  Loads the
 * defaults on first use when policy_init was not called; when a policy
 * file is configured but was never loaded, everything is refused. */
int policy_allows(const struct config *cfg, const struct identity *who,
                  const char *rule, const char *target_project);

/* --- the default table (policy_rules.c) --- */
struct policy_default {
	const char *name;
	const char *check;
	const char *scope_types;        /* "system", "system,project", "" */
	const char *deprecated_check;   /* NULL: none */
};
extern const struct policy_default policy_defaults[];            /* 8.0.0's */
extern const int npolicy_defaults;
extern const struct policy_default policy_defaults_15_0_0[];     /* upstream 15.0.0's */
extern const int npolicy_defaults_15_0_0;
/* The defaults cfg chooses ([oslo_policy] defaults; 8.0.0's without a
 * cfg), *n rules long. */
const struct policy_default *policy_default_table(const struct config *cfg, int *n);

struct buf;
/* The defaults cfg chooses (NULL: 8.0.0's) as an oslopolicy-sample-
 * generator sample file (every rule commented out), appended to out. */
void policy_sample(const struct config *cfg, struct buf *out);

/* --- check strings, exposed for unit tests --- */
struct policy_node;

/* Parses one check string.  Returns a tree to free with
 * policy_node_free, or NULL with a message in err. */
struct policy_node *policy_parse(const char *text, char *err, size_t errlen);
void policy_node_free(struct policy_node *n);
/* The tree as text in oslo.policy's notation ("(a and not b)"), with
 * parentheses around every and/or group, into out. */
void policy_node_str(const struct policy_node *n, char *out, size_t outlen);
/* Evaluates a parsed check for who on target_project; "rule:" references
 * use the loaded rule set under cfg's mode.  1 pass, 0 fail. */
int policy_eval(const struct config *cfg, const struct policy_node *n,
                const struct identity *who, const char *target_project);
#endif
