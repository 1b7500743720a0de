#include "landing.h"

void landing_put_html(struct buffer *out, const char *s)
{
	const char *run = s;
	for (; *s; s++) {
		const char *entity = *s == '&'   ? "&amp;"
				     : *s == '<' ? "&lt;"
				     : *s == '>' ? "&gt;"
				     : *s == '"' ? "&quot;"
				     : *s == '\'' ? "&#39;"
						  : NULL;
		if (!entity)
			continue;
		buffer_append(out, run, (size_t)(s - run));
		buffer_puts(out, entity);
		run = s + 1;
	}
	buffer_append(out, run, (size_t)(s - run));
}

int landing_render(const struct landing_context *ctx, struct buffer *out)
{
	buffer_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
			 "<title>taint_exporter</title></head>\n<body>\n<h1>taint_exporter</h1>\n"
			 "<p>Prometheus exporter for the Linux kernel taint state. Version ");
	landing_put_html(out, ctx->version);
	buffer_puts(out, ".</p>\n<ul>\n<li><a href=\"");
	landing_put_html(out, ctx->telemetry_path);
	buffer_puts(out, "\">Metrics</a></li>\n<li><a href=\"/-/healthy\">Health</a></li>\n"
			 "<li><a href=\"/-/ready\">Readiness</a></li>\n</ul>\n</body>\n</html>\n");
	return buffer_status(out);
}
