/* The policy engine: oslo.policy's check language and enforcement, as
 * the reference uses it (see policy.h for the modes).
 *
 * Check strings: "@" (pass), "!" (fail), "role:R", "rule:NAME",
 * "ATTR:VALUE" where ATTR is a credential (user_id, project_id,
 * system_scope, ...) or a quoted literal, VALUE may hold %(project_id)s or
 * %(user_id)s from the target; combined with not/and/or (that precedence)
 * and parentheses.  Tokens are split on whitespace with parentheses peeled
 * off their ends, as oslo.policy's tokenizer does.  Anything oslo.policy
 * would reject (it then denies with a logged error) is an error here, at
 * load time. */
#include "policy.h"
#include "../util/buf.h"
#include <yaml.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum pkind { P_TRUE, P_FALSE, P_AND, P_OR, P_NOT, P_ROLE, P_RULE, P_ATTR, P_LITERAL };

/* Credentials a generic check may name (oslo.context's policy values). */
enum attr { A_USER_ID, A_PROJECT_ID, A_SYSTEM_SCOPE, A_SYSTEM, A_DOMAIN_ID,
            A_USER_DOMAIN_ID, A_PROJECT_DOMAIN_ID, A_IS_ADMIN_PROJECT, A_ROLES };
static const char *const attr_names[] = {
	"user_id", "project_id", "system_scope", "system", "domain_id",
	"user_domain_id", "project_domain_id", "is_admin_project", "roles", NULL
};

struct policy_node {
	enum pkind kind;
	int nkids;
	struct policy_node **kids;   /* AND/OR: nkids >= 2; NOT: 1 */
	char *kind_text;             /* the check's kind as written */
	char *match;                 /* the check's match (a template) */
	char *literal;               /* P_LITERAL: the literal's str() */
	enum attr attr;              /* P_ATTR */
};

#define SCOPE_SYSTEM  1u
#define SCOPE_PROJECT 2u
#define SCOPE_DOMAIN  4u
#define MAX_DEPTH     32         /* nesting of parentheses and of rule: */

struct prule {
	char *name;
	struct policy_node *def;     /* registered default; NULL: file only */
	struct policy_node *dep;     /* deprecated default, or NULL */
	struct policy_node *file;    /* the policy file's check, or NULL */
	unsigned scope;              /* SCOPE_* bits; 0: any scope */
};

struct ruleset {
	struct prule *r;
	int n;
};

static struct ruleset loaded;
static int initialized;

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static char *
dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* --- nodes --- */

static struct policy_node *
node_new(enum pkind kind)
{
	struct policy_node *n = calloc(1, sizeof(*n));
	if (n)
		n->kind = kind;
	return n;
}

void
policy_node_free(struct policy_node *n)
{
	if (n == NULL)
		return;
	for (int i = 0; i < n->nkids; i++)
		policy_node_free(n->kids[i]);
	free(n->kids);
	free(n->kind_text);
	free(n->match);
	free(n->literal);
	free(n);
}

/* Appends kid to an AND/OR node; -1 on OOM (kid is then freed). */
static int
node_add(struct policy_node *n, struct policy_node *kid)
{
	struct policy_node **k = realloc(n->kids, sizeof(*k) * (size_t)(n->nkids + 1));
	if (k == NULL) {
		policy_node_free(kid);
		return -1;
	}
	n->kids = k;
	n->kids[n->nkids++] = kid;
	return 0;
}

/* --- single checks --- */

/* Checks a match template: only %(project_id)s, %(user_id)s and %%, the
 * target fields the reference passes. */
static int
check_template(const char *m, char *err, size_t errlen)
{
	for (const char *p = m; *p; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		if (strncmp(p, "%(project_id)s", 14) == 0) {
			p += 13;
			continue;
		}
		if (strncmp(p, "%(user_id)s", 11) == 0) {
			p += 10;
			continue;
		}
		seterr(err, errlen, "'%s': only %%(project_id)s and %%(user_id)s may be substituted", m);
		return -1;
	}
	return 0;
}

/* A Python literal kind ('x', "x", True, False, None, 12): its str() in
 * *out (malloc'd), 1; 0 if kind is no literal. */
static int
literal_value(const char *kind, char **out)
{
	size_t n = strlen(kind);
	if (n >= 2 && (kind[0] == '\'' || kind[0] == '"') && kind[n - 1] == kind[0]) {
		if (memchr(kind + 1, kind[0], n - 2) || memchr(kind + 1, '\\', n - 2))
			return 0;
		*out = dupn(kind + 1, n - 2);
		return 1;
	}
	if (!strcmp(kind, "True") || !strcmp(kind, "False") || !strcmp(kind, "None")) {
		*out = dupn(kind, n);
		return 1;
	}
	const char *d = kind + (kind[0] == '-' || kind[0] == '+');
	if (*d && strspn(d, "0123456789") == strlen(d) && (d[0] != '0' || d[1] == '\0')) {
		*out = dupn(kind[0] == '+' ? kind + 1 : kind, strlen(kind[0] == '+' ? kind + 1 : kind));
		return 1;
	}
	return 0;
}

/* Parses one check ("@", "!", "kind:match"), as oslo.policy's
 * _parse_check; NULL with err for what it would fail closed on. */
static struct policy_node *
parse_check(const char *s, size_t len, char *err, size_t errlen)
{
	if (len == 1 && s[0] == '@')
		return node_new(P_TRUE);
	if (len == 1 && s[0] == '!')
		return node_new(P_FALSE);
	const char *colon = memchr(s, ':', len);
	if (colon == NULL) {
		seterr(err, errlen, "'%.*s' is not a check (kind:match, @ or !)", (int)len, s);
		return NULL;
	}
	struct policy_node *n = node_new(P_ATTR);
	if (n == NULL) {
		seterr(err, errlen, "out of memory");
		return NULL;
	}
	n->kind_text = dupn(s, (size_t)(colon - s));
	n->match = dupn(colon + 1, len - (size_t)(colon - s) - 1);
	if (n->kind_text == NULL || n->match == NULL) {
		policy_node_free(n);
		seterr(err, errlen, "out of memory");
		return NULL;
	}
	const char *kind = n->kind_text;
	if (!strcmp(kind, "rule")) {
		n->kind = P_RULE;
		if (n->match[0] == '\0') {
			seterr(err, errlen, "'rule:' needs a rule name");
			goto bad;
		}
		return n;
	}
	if (check_template(n->match, err, errlen) < 0)
		goto bad;
	if (!strcmp(kind, "role")) {
		n->kind = P_ROLE;
		return n;
	}
	if (!strcmp(kind, "http") || !strcmp(kind, "https")) {
		seterr(err, errlen, "'%.*s': %s checks are not supported", (int)len, s, kind);
		goto bad;
	}
	if (literal_value(kind, &n->literal)) {
		if (n->literal == NULL) {
			seterr(err, errlen, "out of memory");
			goto bad;
		}
		n->kind = P_LITERAL;
		return n;
	}
	for (int i = 0; attr_names[i]; i++) {
		if (!strcmp(kind, attr_names[i])) {
			n->attr = (enum attr)i;
			return n;
		}
	}
	seterr(err, errlen, "'%.*s': unknown check kind '%s'", (int)len, s, kind);
bad:
	policy_node_free(n);
	return NULL;
}

/* --- check strings: tokens, then recursive descent --- */

enum tok { T_LP, T_RP, T_AND, T_OR, T_NOT, T_STR, T_CHECK };
struct token {
	enum tok t;
	const char *s;
	size_t len;
};

struct pstate {
	const struct token *tk;
	int n, i;
	char *err;
	size_t errlen;
	const char *text;
};

/* Splits text into tokens (oslo.policy's _parse_tokenize); returns the
 * count, or -1 on OOM.  *out is malloc'd. */
static int
tokenize(const char *text, struct token **out)
{
	size_t cap = strlen(text) + 1;
	int n = 0;
	struct token *tk = malloc(sizeof(*tk) * cap);
	if (tk == NULL)
		return -1;
	const char *p = text;
	for (;;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		const char *s = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		size_t len = (size_t)(p - s);
		while (len > 0 && *s == '(') {
			tk[n++] = (struct token){T_LP, s, 1};
			s++;
			len--;
		}
		if (len == 0)
			continue;
		/* a quoted token is judged before its ')' are peeled */
		int quoted = len >= 2 && (s[0] == '"' || s[0] == '\'') && s[len - 1] == s[0];
		size_t trail = 0;
		while (trail < len && s[len - 1 - trail] == ')')
			trail++;
		size_t clen = len - trail;
		if (clen > 0) {
			if (clen == 3 && !strncasecmp(s, "and", 3))
				tk[n++] = (struct token){T_AND, s, clen};
			else if (clen == 2 && !strncasecmp(s, "or", 2))
				tk[n++] = (struct token){T_OR, s, clen};
			else if (clen == 3 && !strncasecmp(s, "not", 3))
				tk[n++] = (struct token){T_NOT, s, clen};
			else if (quoted)
				tk[n++] = (struct token){T_STR, s, len};
			else
				tk[n++] = (struct token){T_CHECK, s, clen};
		}
		for (size_t k = 0; k < trail; k++)
			tk[n++] = (struct token){T_RP, s + clen + k, 1};
	}
	*out = tk;
	return n;
}

static struct policy_node *parse_or(struct pstate *ps, int depth);

static struct policy_node *
perror_at(struct pstate *ps, const char *what)
{
	if (ps->i < ps->n)
		seterr(ps->err, ps->errlen, "check string '%s': %s at '%.*s'", ps->text, what,
		       (int)ps->tk[ps->i].len, ps->tk[ps->i].s);
	else
		seterr(ps->err, ps->errlen, "check string '%s': %s at the end", ps->text, what);
	return NULL;
}

/* unary := 'not' unary | '(' or ')' | check */
static struct policy_node *
parse_unary(struct pstate *ps, int depth)
{
	if (depth > MAX_DEPTH)
		return perror_at(ps, "nested too deeply");
	if (ps->i >= ps->n)
		return perror_at(ps, "a check is missing");
	const struct token *t = &ps->tk[ps->i];
	if (t->t == T_NOT) {
		ps->i++;
		struct policy_node *kid = parse_unary(ps, depth + 1);
		if (kid == NULL)
			return NULL;
		struct policy_node *n = node_new(P_NOT);
		if (n == NULL || node_add(n, kid) < 0) {
			if (n == NULL)
				policy_node_free(kid);
			policy_node_free(n);
			seterr(ps->err, ps->errlen, "out of memory");
			return NULL;
		}
		return n;
	}
	if (t->t == T_LP) {
		ps->i++;
		struct policy_node *n = parse_or(ps, depth + 1);
		if (n == NULL)
			return NULL;
		if (ps->i >= ps->n || ps->tk[ps->i].t != T_RP) {
			policy_node_free(n);
			return perror_at(ps, "')' expected");
		}
		ps->i++;
		return n;
	}
	if (t->t == T_CHECK) {
		char why[256];
		struct policy_node *n = parse_check(t->s, t->len, why, sizeof(why));
		if (n == NULL) {
			seterr(ps->err, ps->errlen, "check string '%s': %s", ps->text, why);
			return NULL;
		}
		ps->i++;
		return n;
	}
	if (t->t == T_STR)
		return perror_at(ps, "a quoted string is not a check");
	return perror_at(ps, "a check is expected");
}

/* Parses a run of `sub` joined by op into one n-ary node. */
static struct policy_node *
parse_chain(struct pstate *ps, int depth, enum tok op, enum pkind kind,
            struct policy_node *(*sub)(struct pstate *, int))
{
	struct policy_node *first = sub(ps, depth);
	if (first == NULL || ps->i >= ps->n || ps->tk[ps->i].t != op)
		return first;
	struct policy_node *n = node_new(kind);
	if (n == NULL || node_add(n, first) < 0) {
		if (n == NULL)
			policy_node_free(first);
		policy_node_free(n);
		seterr(ps->err, ps->errlen, "out of memory");
		return NULL;
	}
	while (ps->i < ps->n && ps->tk[ps->i].t == op) {
		ps->i++;
		struct policy_node *kid = sub(ps, depth);
		if (kid == NULL || node_add(n, kid) < 0) {
			if (kid != NULL)
				seterr(ps->err, ps->errlen, "out of memory");
			policy_node_free(n);
			return NULL;
		}
	}
	return n;
}

static struct policy_node *
parse_and(struct pstate *ps, int depth)
{
	return parse_chain(ps, depth, T_AND, P_AND, parse_unary);
}

static struct policy_node *
parse_or(struct pstate *ps, int depth)
{
	return parse_chain(ps, depth, T_OR, P_OR, parse_and);
}

struct policy_node *
policy_parse(const char *text, char *err, size_t errlen)
{
	if (text == NULL) {
		seterr(err, errlen, "no check string");
		return NULL;
	}
	/* oslo.policy: the empty string always passes */
	if (text[0] == '\0')
		return node_new(P_TRUE);
	struct token *tk;
	int n = tokenize(text, &tk);
	if (n < 0) {
		seterr(err, errlen, "out of memory");
		return NULL;
	}
	struct pstate ps = {tk, n, 0, err, errlen, text};
	struct policy_node *root = NULL;
	if (n == 0)
		seterr(err, errlen, "check string '%s' is blank", text);
	else
		root = parse_or(&ps, 0);
	if (root != NULL && ps.i < n) {
		perror_at(&ps, "unexpected token");
		policy_node_free(root);
		root = NULL;
	}
	free(tk);
	return root;
}

/* --- canonical form --- */

static void
node_str(const struct policy_node *n, struct buf *b)
{
	switch (n->kind) {
	case P_TRUE: buf_puts(b, "@"); return;
	case P_FALSE: buf_puts(b, "!"); return;
	case P_NOT:
		buf_puts(b, "not ");
		node_str(n->kids[0], b);
		return;
	case P_AND:
	case P_OR:
		buf_puts(b, "(");
		for (int i = 0; i < n->nkids; i++) {
			if (i)
				buf_puts(b, n->kind == P_AND ? " and " : " or ");
			node_str(n->kids[i], b);
		}
		buf_puts(b, ")");
		return;
	default:
		buf_puts(b, n->kind_text);
		buf_puts(b, ":");
		buf_puts(b, n->match);
	}
}

void
policy_node_str(const struct policy_node *n, char *out, size_t outlen)
{
	if (outlen == 0)
		return;
	struct buf b = {0};
	if (n != NULL)
		node_str(n, &b);
	snprintf(out, outlen, "%s", b.p != NULL && !b.oom ? b.p : "");
	buf_free(&b);
}

/* --- the rule set --- */

static void
ruleset_free(struct ruleset *rs)
{
	for (int i = 0; i < rs->n; i++) {
		free(rs->r[i].name);
		policy_node_free(rs->r[i].def);
		policy_node_free(rs->r[i].dep);
		policy_node_free(rs->r[i].file);
	}
	free(rs->r);
	rs->r = NULL;
	rs->n = 0;
}

static struct prule *
ruleset_find(const struct ruleset *rs, const char *name)
{
	for (int i = 0; i < rs->n; i++)
		if (!strcmp(rs->r[i].name, name))
			return &rs->r[i];
	return NULL;
}

/* The rule named name, added when missing; NULL on OOM. */
static struct prule *
ruleset_get(struct ruleset *rs, const char *name)
{
	struct prule *r = ruleset_find(rs, name);
	if (r != NULL)
		return r;
	struct prule *nr = realloc(rs->r, sizeof(*nr) * (size_t)(rs->n + 1));
	if (nr == NULL)
		return NULL;
	rs->r = nr;
	r = &rs->r[rs->n];
	memset(r, 0, sizeof(*r));
	r->name = dupn(name, strlen(name));
	if (r->name == NULL)
		return NULL;
	rs->n++;
	return r;
}

static int
parse_scope(const char *s, unsigned *out, char *err, size_t errlen)
{
	*out = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		if (n == 6 && !strncmp(s, "system", 6))
			*out |= SCOPE_SYSTEM;
		else if (n == 7 && !strncmp(s, "project", 7))
			*out |= SCOPE_PROJECT;
		else if (n == 6 && !strncmp(s, "domain", 6))
			*out |= SCOPE_DOMAIN;
		else {
			seterr(err, errlen, "unknown scope type '%.*s'", (int)n, s);
			return -1;
		}
		s += n;
		if (*s == ',')
			s++;
	}
	return 0;
}

static int
load_defaults(struct ruleset *rs, const struct config *cfg, char *err, size_t errlen)
{
	char why[512];
	int n;
	const struct policy_default *table = policy_default_table(cfg, &n);
	for (int i = 0; i < n; i++) {
		const struct policy_default *d = &table[i];
		struct prule *r = ruleset_get(rs, d->name);
		if (r == NULL) {
			seterr(err, errlen, "out of memory");
			return -1;
		}
		if (parse_scope(d->scope_types, &r->scope, why, sizeof(why)) < 0 ||
		    (r->def = policy_parse(d->check, why, sizeof(why))) == NULL ||
		    (d->deprecated_check &&
		     (r->dep = policy_parse(d->deprecated_check, why, sizeof(why))) == NULL)) {
			seterr(err, errlen, "default rule %s: %s", d->name, why);
			return -1;
		}
	}
	return 0;
}

/* --- policy files (YAML, hence JSON too) --- */

/* A plain YAML 1.1 scalar that PyYAML would not load as a string:
 * returns "null", "a boolean" or "a number", else NULL. */
static const char *
plain_scalar_type(const char *s)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
	static const char *const bools[] = {"yes", "Yes", "YES", "no", "No", "NO",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N", NULL};
	for (int i = 0; nulls[i]; i++)
		if (!strcmp(s, nulls[i]))
			return "null";
	for (int i = 0; bools[i]; i++)
		if (!strcmp(s, bools[i]))
			return "a boolean";
	const char *p = s + (*s == '-' || *s == '+');
	if (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF") ||
	    !strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN"))
		return "a number";
	if ((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' && p[1] <= '9')) {
		if (strspn(p, "0123456789_.:eE+-xXoObBabcdefABCDEF") == strlen(p))
			return "a number";
	}
	return NULL;
}

/* The string of a scalar node; NULL with err when it is no string.
 * *is_null is set for YAML null (oslo.policy: an empty rule, "@"). */
static const char *
scalar_string(yaml_node_t *v, int *is_null, char *err, size_t errlen)
{
	const char *s = (const char *)v->data.scalar.value;
	const char *tag = (const char *)v->tag;
	*is_null = 0;
	if (tag == NULL || strcmp(tag, YAML_STR_TAG) != 0) {
		seterr(err, errlen, "line %zu: explicit YAML tag '%s' (quote the value)",
		       v->start_mark.line + 1, tag ? tag : "");
		return NULL;
	}
	if (strlen(s) != v->data.scalar.length) {
		seterr(err, errlen, "line %zu: NUL byte in a string", v->start_mark.line + 1);
		return NULL;
	}
	if (v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		const char *type = plain_scalar_type(s);
		if (type != NULL && !strcmp(type, "null")) {
			*is_null = 1;
			return "";
		}
		if (type != NULL) {
			seterr(err, errlen, "line %zu: '%s' is %s, not a check string (quote it)",
			       v->start_mark.line + 1, s, type);
			return NULL;
		}
	}
	return s;
}

/* oslo.policy's old list syntax: [[a, b], c] = (a and b) or c. */
static struct policy_node *
parse_list_rule(yaml_document_t *doc, yaml_node_t *v, char *err, size_t errlen)
{
	struct policy_node *or = node_new(P_OR);
	int isnull;
	if (or == NULL)
		goto oom;
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		yaml_node_t *inner = yaml_document_get_node(doc, *it);
		yaml_node_item_t one[1], *start, *top;
		if (inner->type == YAML_SCALAR_NODE) {
			one[0] = *it;
			start = one;
			top = one + 1;
		} else if (inner->type == YAML_SEQUENCE_NODE) {
			start = inner->data.sequence.items.start;
			top = inner->data.sequence.items.top;
		} else {
			seterr(err, errlen, "line %zu: a list rule holds strings or lists of strings",
			       inner->start_mark.line + 1);
			goto bad;
		}
		if (start == top)
			continue;     /* empty inner lists are skipped */
		struct policy_node *and = node_new(P_AND);
		if (and == NULL || node_add(or, and) < 0)
			goto oom;
		for (yaml_node_item_t *j = start; j < top; j++) {
			yaml_node_t *c = yaml_document_get_node(doc, *j);
			if (c->type != YAML_SCALAR_NODE) {
				seterr(err, errlen, "line %zu: a list rule holds strings or lists of strings",
				       c->start_mark.line + 1);
				goto bad;
			}
			const char *s = scalar_string(c, &isnull, err, errlen);
			if (s == NULL)
				goto bad;
			char why[256];
			struct policy_node *chk = parse_check(s, strlen(s), why, sizeof(why));
			if (chk == NULL) {
				seterr(err, errlen, "line %zu: %s", c->start_mark.line + 1, why);
				goto bad;
			}
			if (node_add(and, chk) < 0)
				goto oom;
		}
	}
	/* Collapse one-element AND/OR nodes; no alternative at all: an empty
	 * list passes, a list of empty lists fails (as oslo.policy). */
	for (int i = 0; i < or->nkids; i++) {
		struct policy_node *a = or->kids[i];
		if (a->nkids == 1) {
			or->kids[i] = a->kids[0];
			a->nkids = 0;
			policy_node_free(a);
		}
	}
	if (or->nkids <= 1) {
		struct policy_node *only = or->nkids == 1 ? or->kids[0]
			: node_new(v->data.sequence.items.start == v->data.sequence.items.top ? P_TRUE : P_FALSE);
		or->nkids = 0;
		policy_node_free(or);
		if (only == NULL)
			seterr(err, errlen, "out of memory");
		return only;
	}
	return or;
oom:
	seterr(err, errlen, "out of memory");
bad:
	policy_node_free(or);
	return NULL;
}

/* One rule of the policy file (name: check string, or a list of them)
 * into rs; 0, or -1 with err set. */
static int
load_rule(struct ruleset *rs, yaml_document_t *doc, yaml_node_pair_t *pr, char *err, size_t errlen)
{
	char why[512];
	int isnull;
	yaml_node_t *k = yaml_document_get_node(doc, pr->key);
	yaml_node_t *v = yaml_document_get_node(doc, pr->value);
	const char *name = k->type == YAML_SCALAR_NODE
		? scalar_string(k, &isnull, why, sizeof(why)) : NULL;
	if (name == NULL || isnull || name[0] == '\0') {
		seterr(err, errlen, "policy file: line %zu: a rule name must be a non-empty string",
		       k->start_mark.line + 1);
		return -1;
	}
	struct policy_node *check = NULL;
	if (v->type == YAML_SCALAR_NODE) {
		const char *s = scalar_string(v, &isnull, why, sizeof(why));
		if (s == NULL) {
			seterr(err, errlen, "policy file: rule %s: %s", name, why);
			return -1;
		}
		check = policy_parse(s, why, sizeof(why));
	} else if (v->type == YAML_SEQUENCE_NODE) {
		check = parse_list_rule(doc, v, why, sizeof(why));
	} else {
		snprintf(why, sizeof(why), "line %zu: expected a check string", v->start_mark.line + 1);
	}
	if (check == NULL) {
		seterr(err, errlen, "policy file: rule %s: %s", name, why);
		return -1;
	}
	struct prule *r = ruleset_get(rs, name);
	if (r == NULL) {
		policy_node_free(check);
		seterr(err, errlen, "policy file: out of memory");
		return -1;
	}
	policy_node_free(r->file);      /* a repeated key: the last wins */
	r->file = check;
	return 0;
}

/* Adds the policy file's rules to rs. */
static int
load_file(struct ruleset *rs, const char *text, char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	int rc = -1;

	if (!yaml_parser_initialize(&parser)) {
		seterr(err, errlen, "policy file: out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
	if (!yaml_parser_load(&parser, &doc)) {
		seterr(err, errlen, "policy file: line %zu column %zu: %s%s%s",
		       parser.problem_mark.line + 1, parser.problem_mark.column + 1,
		       parser.problem ? parser.problem : "malformed YAML/JSON",
		       parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return -1;
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		rc = 0;         /* an empty file: no overrides */
		goto done;
	}
	if (root->type == YAML_SCALAR_NODE && root->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    plain_scalar_type((const char *)root->data.scalar.value) &&
	    !strcmp(plain_scalar_type((const char *)root->data.scalar.value), "null")) {
		rc = 0;
		goto done;
	}
	if (root->type != YAML_MAPPING_NODE) {
		seterr(err, errlen, "policy file: expected a mapping of rule names to check strings");
		goto done;
	}
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
	     pr < root->data.mapping.pairs.top; pr++)
		if (load_rule(rs, &doc, pr, err, errlen) < 0)
			goto done;
	rc = 0;
done:
	yaml_document_delete(&doc);
	if (rc == 0) {
		/* one document only, as yaml.safe_load */
		yaml_document_t more;
		if (!yaml_parser_load(&parser, &more)) {
			seterr(err, errlen, "policy file: line %zu: %s", parser.problem_mark.line + 1,
			       parser.problem ? parser.problem : "malformed YAML/JSON");
			rc = -1;
		} else {
			if (yaml_document_get_root_node(&more) != NULL) {
				seterr(err, errlen, "policy file: more than one YAML document");
				rc = -1;
			}
			yaml_document_delete(&more);
		}
	}
	yaml_parser_delete(&parser);
	return rc;
}

/* --- references: every rule: names a rule, and none loops --- */

static int check_refs(const struct ruleset *rs, const struct prule *from,
                      const struct policy_node *n, char *state, char *err, size_t errlen);

/* DFS over the checks a rule may use (state: 0 new, 1 open, 2 done). */
static int
visit_rule(const struct ruleset *rs, const struct prule *r, char *state,
           char *err, size_t errlen)
{
	int i = (int)(r - rs->r);
	if (state[i] == 2)
		return 0;
	if (state[i] == 1) {
		seterr(err, errlen, "policy rule %s is part of a cycle of rule: references", r->name);
		return -1;
	}
	state[i] = 1;
	int rc = r->file ? check_refs(rs, r, r->file, state, err, errlen)
		: (check_refs(rs, r, r->def, state, err, errlen) < 0 ||
		   check_refs(rs, r, r->dep, state, err, errlen) < 0) ? -1 : 0;
	state[i] = 2;
	return rc;
}

static int
check_refs(const struct ruleset *rs, const struct prule *from,
           const struct policy_node *n, char *state, char *err, size_t errlen)
{
	if (n == NULL)
		return 0;
	if (n->kind == P_RULE) {
		const struct prule *to = ruleset_find(rs, n->match);
		if (to == NULL) {
			seterr(err, errlen, "policy rule %s: rule:%s is not defined", from->name, n->match);
			return -1;
		}
		return visit_rule(rs, to, state, err, errlen);
	}
	for (int i = 0; i < n->nkids; i++)
		if (check_refs(rs, from, n->kids[i], state, err, errlen) < 0)
			return -1;
	return 0;
}

static int
validate_refs(const struct ruleset *rs, char *err, size_t errlen)
{
	char *state = calloc((size_t)rs->n + 1, 1);
	int rc = 0;
	if (state == NULL) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	for (int i = 0; i < rs->n && rc == 0; i++)
		rc = visit_rule(rs, &rs->r[i], state, err, errlen);
	free(state);
	return rc;
}

int
policy_init(const struct config *cfg, const char *file_text, char *err, size_t errlen)
{
	struct ruleset rs = {NULL, 0};
	if (cfg != NULL && strcmp(cfg->policy_mode, "legacy") && strcmp(cfg->policy_mode, "secure") &&
	    strcmp(cfg->policy_mode, "open")) {
		seterr(err, errlen, "[oslo_policy] mode must be legacy, secure or open");
		return -1;
	}
	if (load_defaults(&rs, cfg, err, errlen) < 0 ||
	    (file_text != NULL && load_file(&rs, file_text, err, errlen) < 0) ||
	    validate_refs(&rs, err, errlen) < 0) {
		ruleset_free(&rs);
		return -1;
	}
	ruleset_free(&loaded);
	loaded = rs;
	initialized = 1;
	return 0;
}

void
policy_free(void)
{
	ruleset_free(&loaded);
	initialized = 0;
}

/* --- evaluation --- */

struct env {
	int open;                  /* mode = open */
	int new_defaults;          /* enforce_new_defaults */
	const struct identity *who;
	const char *t_project;     /* target fields; NULL value prints None */
	const char *t_user;
	int t_has_user;
};

/* match % target, as Python formats it; 0 if a field is missing (the
 * check then fails, as oslo.policy's KeyError does). */
static int
expand(const char *m, const struct env *e, char *out, size_t outlen)
{
	size_t n = 0;
	for (const char *p = m; *p; p++) {
		const char *ins = NULL;
		char one[2] = {*p, '\0'};
		if (*p == '%' && p[1] == '%') {
			ins = "%";
			p++;
		} else if (!strncmp(p, "%(project_id)s", 14)) {
			ins = e->t_project ? e->t_project : "None";
			p += 13;
		} else if (!strncmp(p, "%(user_id)s", 11)) {
			if (!e->t_has_user)
				return 0;
			ins = e->t_user ? e->t_user : "None";
			p += 10;
		} else {
			ins = one;
		}
		size_t l = strlen(ins);
		if (n + l + 1 > outlen)
			return 0;
		memcpy(out + n, ins, l);
		n += l;
	}
	out[n] = '\0';
	return 1;
}

/* 1 if the comma-separated, lower-cased role list holds role (any case). */
static int
has_role(const char *roles, const char *role)
{
	size_t n = strlen(role);
	const char *p = roles ? roles : "";
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ",");
		size_t l = len;
		while (l > 0 && p[l - 1] == ' ')
			l--;
		if (l == n && strncasecmp(p, role, n) == 0)
			return 1;
		p += len;
	}
	return 0;
}

static int eval_rule(const struct prule *r, const struct env *e, int depth);

/* The credential's str() (NULL: absent); roles are handled apart. */
static const char *
attr_value(enum attr a, const struct identity *who, int *present)
{
	*present = 1;
	switch (a) {
	case A_USER_ID: return who->user_id ? who->user_id : "None";
	case A_PROJECT_ID: return who->project_id ? who->project_id : "None";
	case A_SYSTEM_SCOPE: return who->system_scope ? "all" : "None";
	case A_SYSTEM:
		*present = who->system_scope;
		return "all";
	case A_IS_ADMIN_PROJECT: return "True";
	default: return "None";
	}
}

static int
eval(const struct policy_node *n, const struct env *e, int depth)
{
	char m[1024];
	int present;
	switch (n->kind) {
	case P_TRUE: return 1;
	case P_FALSE: return 0;
	case P_NOT: return !eval(n->kids[0], e, depth);
	case P_AND:
		for (int i = 0; i < n->nkids; i++)
			if (!eval(n->kids[i], e, depth))
				return 0;
		return 1;
	case P_OR:
		for (int i = 0; i < n->nkids; i++)
			if (eval(n->kids[i], e, depth))
				return 1;
		return 0;
	case P_RULE: {
		const struct prule *r = ruleset_find(&loaded, n->match);
		return r != NULL && depth < MAX_DEPTH && eval_rule(r, e, depth + 1);
	}
	case P_ROLE:
		return expand(n->match, e, m, sizeof(m)) && has_role(e->who->roles, m);
	case P_LITERAL:
		return expand(n->match, e, m, sizeof(m)) && strcmp(m, n->literal) == 0;
	case P_ATTR:
		if (!expand(n->match, e, m, sizeof(m)))
			return 0;
		if (n->attr == A_ROLES) {
			/* a list: any member equal (case-sensitive here) */
			const char *p = e->who->roles ? e->who->roles : "";
			size_t ml = strlen(m);
			while (*p) {
				while (*p == ' ' || *p == ',')
					p++;
				size_t len = strcspn(p, ","), l = len;
				while (l > 0 && p[l - 1] == ' ')
					l--;
				if (l == ml && l > 0 && strncmp(p, m, l) == 0)
					return 1;
				p += len;
			}
			return 0;
		}
		{
			const char *v = attr_value(n->attr, e->who, &present);
			return present && strcmp(v, m) == 0;
		}
	}
	return 0;
}

/* A rule's check under the mode: open passes every registered rule but
 * admin_api; a file override stands alone; else the new default, OR its
 * deprecated default unless enforce_new_defaults. */
static int
eval_rule(const struct prule *r, const struct env *e, int depth)
{
	if (e->open && r->def != NULL && strcmp(r->name, "admin_api") != 0)
		return 1;
	if (r->file != NULL)
		return eval(r->file, e, depth);
	if (r->def == NULL)
		return 0;
	if (eval(r->def, e, depth))
		return 1;
	return !e->new_defaults && r->dep != NULL && eval(r->dep, e, depth);
}

static void
env_init(struct env *e, const struct config *cfg, const struct identity *who,
         const char *target_project)
{
	int secure = !strcmp(cfg->policy_mode, "secure");
	e->open = !strcmp(cfg->policy_mode, "open");
	e->new_defaults = cfg->enforce_new_defaults || secure;
	e->who = who;
	if (target_project != NULL) {
		/* an explicit target names only the project (GET /usages) */
		e->t_project = target_project;
		e->t_user = NULL;
		e->t_has_user = 0;
	} else {
		e->t_project = who->project_id;
		e->t_user = who->user_id;
		e->t_has_user = 1;
	}
}

/* Loads the defaults on first use; 0 when no usable rule set exists. */
static int
ensure_loaded(const struct config *cfg)
{
	char err[256];
	if (initialized)
		return 1;
	if (cfg->policy_file[0] != '\0')
		return 0;     /* a policy file was configured but never loaded */
	return policy_init(cfg, NULL, err, sizeof(err)) == 0;
}

int
policy_eval(const struct config *cfg, const struct policy_node *n,
            const struct identity *who, const char *target_project)
{
	struct env e;
	if (n == NULL || !ensure_loaded(cfg))
		return 0;
	env_init(&e, cfg, who, target_project);
	return eval(n, &e, 0);
}

int
policy_allows(const struct config *cfg, const struct identity *who,
              const char *rule, const char *target_project)
{
	struct env e;
	if (!ensure_loaded(cfg))
		return 0;
	const struct prule *r = ruleset_find(&loaded, rule);
	if (r == NULL || r->def == NULL)
		return 0;     /* not a registered rule (the reference: an error) */
	env_init(&e, cfg, who, target_project);
	int enforce_scope = cfg->enforce_scope || !strcmp(cfg->policy_mode, "secure");
	if (enforce_scope && r->scope != 0) {
		unsigned token = who->system_scope ? SCOPE_SYSTEM : SCOPE_PROJECT;
		if (!(r->scope & token))
			return 0;
	}
	return eval_rule(r, &e, 0);
}

/* Writes the defaults cfg chooses as oslopolicy-sample-generator writes a
 * sample file: each rule commented out, with its scope and what it
 * replaced, so that an operator starts a policy file from it. */
void
policy_sample(const struct config *cfg, struct buf *out)
{
	int n;
	const struct policy_default *t = policy_default_table(cfg, &n);
	buf_printf(out, "# Default policy of placement (the rules of Placement %s).\n"
	           "# Uncomment and change a rule to override it; see [oslo_policy] in\n"
	           "# placement.conf for the policy file and the mode.\n\n",
	           cfg != NULL ? cfg->policy_defaults : "8.0.0");
	for (int i = 0; i < n; i++) {
		if (t[i].scope_types[0])
			buf_printf(out, "# Intended scope(s): %s\n", t[i].scope_types);
		buf_printf(out, "#\"%s\": \"%s\"\n", t[i].name, t[i].check);
		if (t[i].deprecated_check != NULL)
			buf_printf(out, "# DEPRECATED\n# \"%s\":\"%s\" has been deprecated in favor of\n"
			           "# \"%s\":\"%s\".\n", t[i].name, t[i].deprecated_check,
			           t[i].name, t[i].check);
		buf_printf(out, "\n");
	}
}
