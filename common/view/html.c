/* The view's HTML pieces; see html.h. */
#include "html.h"
#include <string.h>

void
html_text(struct buf *b, const char *s)
{
	for (; s != NULL && *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, *s);
		}
	}
}

void
html_query(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; p != NULL && *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			buf_putc(b, (char)*p);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

void
html_page_start(struct buf *b, const char *base, const char *title)
{
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	            "<meta name=\"viewport\" content=\"width=device-width\"><title>");
	html_text(b, title);
	buf_puts(b, " - placement</title><link rel=\"stylesheet\" href=\"");
	html_text(b, base);
	buf_puts(b, "/style.css\"></head>\n<body><header><a class=\"home\" href=\"");
	html_text(b, base);
	buf_puts(b, "/\">Placement</a> <nav><a href=\"");
	html_text(b, base);
	buf_puts(b, "/providers\">Providers</a> <a href=\"");
	html_text(b, base);
	buf_puts(b, "/explain\">Explain</a></nav> <form class=\"search\" method=\"get\" action=\"");
	html_text(b, base);
	buf_puts(b, "/providers\"><input name=\"q\" aria-label=\"search\" "
	            "placeholder=\"name, uuid, trait or aggregate\"> <button>Search</button></form>"
	            "</header>\n<main>\n<h1>");
	html_text(b, title);
	buf_puts(b, "</h1>\n");
}

void
html_page_end(struct buf *b)
{
	buf_puts(b, "</main></body></html>\n");
}

void
html_bar(struct buf *b, long long used, long long reserved, long long capacity)
{
	/* 200 px for capacity + reserved; used from the left, reserved at
	 * the right end; over capacity (an inventory shrunk under its
	 * allocations) fills the bar. */
	long long whole = capacity + (reserved > 0 ? reserved : 0);
	int wu = 0, wr = 0;
	if (whole > 0) {
		wu = used >= capacity ? 200 - (int)(200 * (reserved > 0 ? reserved : 0) / whole)
		                      : (int)(200 * (used > 0 ? used : 0) / whole);
		wr = (int)(200 * (reserved > 0 ? reserved : 0) / whole);
	}
	const char *cls = capacity > 0 && used * 10 >= capacity * 9 ? "used full" : "used";
	buf_printf(b, "<svg class=\"bar\" width=\"200\" height=\"12\" role=\"img\" aria-label=\"%lld used of %lld\">"
	              "<rect class=\"free\" width=\"200\" height=\"12\"/>"
	              "<rect class=\"%s\" width=\"%d\" height=\"12\"/>"
	              "<rect class=\"reserved\" x=\"%d\" width=\"%d\" height=\"12\"/></svg>"
	              " <span class=\"num\" data-used=\"%lld\" data-reserved=\"%lld\" data-capacity=\"%lld\">"
	              "%lld / %lld</span>",
	           used, capacity, cls, wu, 200 - wr, wr, used, reserved, capacity, used, capacity);
	if (reserved > 0)
		buf_printf(b, " <span class=\"note\">(%lld reserved)</span>", reserved);
}

void
html_provider_link(struct buf *b, const char *base, const char *uuid, const char *name)
{
	buf_puts(b, "<a class=\"rp\" href=\"");
	html_text(b, base);
	buf_puts(b, "/providers/");
	html_query(b, uuid);
	buf_puts(b, "\">");
	html_text(b, name);
	buf_puts(b, "</a>");
}
