/* Policy check strings and policy files (common/http/policy.h).  The first
 * byte picks the mode: even, a check string through policy_parse,
 * policy_node_str (whose output must parse again to the same text) and
 * policy_eval for a few identities; odd, the rest is a policy file
 * (YAML or JSON) for policy_init, then policy_allows on every default
 * rule.  Errors must leave a message. */
#include "../../common/http/policy.h"
#include "../../common/util/config.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct identity who[] = {
	{"admin", "admin", "admin", 0},
	{"admin", NULL, "admin,reader", 1},
	{"alice", "p1", "member,reader", 0},
	{"bob", "p2", "", 0},
	{"", "", "", 0},
};
#define NWHO ((int)(sizeof(who) / sizeof(who[0])))

static void
check_string(const struct config *cfg, const char *text)
{
	char err[256], s1[4096], s2[4096];
	err[0] = '\0';
	struct policy_node *n = policy_parse(text, err, sizeof(err));
	if (n == NULL) {
		if (err[0] == '\0')
			abort();
		return;
	}
	policy_node_str(n, s1, sizeof(s1));
	if (memchr(s1, '\0', sizeof(s1)) == NULL)
		abort();
	/* Round trip, when the text was not cut. */
	if (strlen(s1) + 1 < sizeof(s1)) {
		struct policy_node *m = policy_parse(s1, err, sizeof(err));
		if (m != NULL) {
			policy_node_str(m, s2, sizeof(s2));
			if (strcmp(s1, s2) != 0)
				abort();
			policy_node_free(m);
		}
	}
	for (int i = 0; i < NWHO; i++) {
		int r = policy_eval(cfg, n, &who[i], i % 2 ? "p1" : NULL);
		if (r != 0 && r != 1)
			abort();
	}
	policy_node_free(n);
}

static void
check_file(struct config *cfg, const char *text)
{
	char err[256];
	err[0] = '\0';
	if (policy_init(cfg, text, err, sizeof(err)) < 0) {
		if (err[0] == '\0')
			abort();
	}
	for (int k = 0; k < npolicy_defaults; k++)
		for (int i = 0; i < NWHO; i++)
			(void)policy_allows(cfg, &who[i], policy_defaults[k].name, "p1");
	policy_free();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg;
	static int ready;
	if (!ready) {
		config_defaults(&cfg);
		ready = 1;
	}
	if (size == 0)
		return 0;
	char *text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	static const char *const modes[] = {"legacy", "secure", "open"};
	strcpy(cfg.policy_mode, modes[(data[0] >> 1) % 3]);
	if (data[0] & 1)
		check_file(&cfg, text);
	else
		check_string(&cfg, text);
	free(text);
	return 0;
}
