/* The view's escaping (common/view/html.c): every character that means
 * something in HTML text or a quoted attribute, and query-string values
 * in links; the usage bar's arithmetic at its edges. */
#include "harness.h"
#include "../../common/view/html.h"
#include <stdlib.h>
#include <string.h>

static const struct esc_case {
	int line;
	const char *in, *text, *query;
} esc_cases[] = {
#define R(in, text, query) {__LINE__, in, text, query}
	R("", "", ""),
	R("cn1", "cn1", "cn1"),
	R("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;",
	  "%3Cscript%3Ealert%281%29%3C%2Fscript%3E"),
	R("a&b", "a&amp;b", "a%26b"),
	R("\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;", "%22quoted%22%20%27single%27"),
	R("&amp;", "&amp;amp;", "%26amp%3B"),
	R("x=1&y=2#frag", "x=1&amp;y=2#frag", "x%3D1%26y%3D2%23frag"),
	R("héllo", "héllo", "h%C3%A9llo"),
	R("A-Z_a.z~0", "A-Z_a.z~0", "A-Z_a.z~0"),
	R("javascript:x", "javascript:x", "javascript%3Ax"),
	R("\n\t", "\n\t", "%0A%09"),
#undef R
};

static const struct bar_case {
	int line;
	long long used, reserved, capacity;
	const char *used_rect, *reserved_rect;
} bar_cases[] = {
#define R(u, r, c, ur, rr) {__LINE__, u, r, c, ur, rr}
	R(0, 0, 0, "class=\"used\" width=\"0\"", "x=\"200\" width=\"0\""),
	R(0, 0, 100, "class=\"used\" width=\"0\"", "x=\"200\" width=\"0\""),
	R(50, 0, 100, "class=\"used\" width=\"100\"", "x=\"200\" width=\"0\""),
	R(90, 0, 100, "class=\"used full\" width=\"180\"", "x=\"200\" width=\"0\""),
	R(100, 100, 100, "class=\"used full\" width=\"100\"", "x=\"100\" width=\"100\""),
	R(150, 0, 100, "class=\"used full\" width=\"200\"", "x=\"200\" width=\"0\""),
	R(10, 20, 0, "class=\"used\" width=\"0\"", "x=\"0\" width=\"200\""),
#undef R
};

void
test_html(void)
{
	for (int i = 0; i < NROWS(esc_cases); i++) {
		const struct esc_case *t = &esc_cases[i];
		struct buf b = {0};
		html_text(&b, t->in);
		buf_putc(&b, '\0');
		CHECK_STR(t->line, "html_text", b.p, t->text);
		buf_reset(&b);
		html_query(&b, t->in);
		buf_putc(&b, '\0');
		CHECK_STR(t->line, "html_query", b.p, t->query);
		buf_free(&b);
	}
	for (int i = 0; i < NROWS(bar_cases); i++) {
		const struct bar_case *t = &bar_cases[i];
		struct buf b = {0};
		html_bar(&b, t->used, t->reserved, t->capacity);
		buf_putc(&b, '\0');
		CHECK_HAS(t->line, "html_bar used", b.p, t->used_rect);
		CHECK_HAS(t->line, "html_bar reserved", b.p, t->reserved_rect);
		buf_free(&b);
	}
	/* a page's title is escaped too */
	struct buf b = {0};
	html_page_start(&b, "/v\"x", "<b>");
	buf_putc(&b, '\0');
	CHECK(__LINE__, strstr(b.p, "<b>") == NULL && strstr(b.p, "&lt;b&gt;") != NULL &&
	      strstr(b.p, "/v&quot;x/style.css") != NULL, "page start escapes title and base");
	buf_free(&b);
}
