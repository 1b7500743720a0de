/*
 * Specification of the landing page at "/": the body as whole expected HTML for a table of
 * cases and the <head> free of anything loaded from elsewhere (the escaping: test_escape.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decode/attribution.h"
#include "decode/taint.h"
#include "render/landing.h"

struct landing_case {
	const char *name;
	const char *telemetry_path;
	const char *version;
	const char *layout;
	int taint_error;
	uint64_t value;
	bool modules_collected;
	const char *modules[3][2]; /* {name, letters}, ended by {NULL} */
	size_t omitted;
	size_t read_errors;
	const char *title;
	const char *body; /* from "<body>" to the end */
};

#define NAV_DEFAULT                                                                         \
	"<nav><a id=\"metrics-link\" href=\"/metrics\">Metrics</a><a "                      \
	"href=\"/-/healthy\">Health</a><a href=\"/-/ready\">Readiness</a></nav>\n</body>\n" \
	"</html>\n"
#define INTRO                                                                                 \
	"<body>\n<h1>taint_exporter</h1>\n<p>Prometheus exporter for the Linux kernel taint " \
	"state.</p>\n"

static const struct landing_case cases[] = {
	{
		.name = "4609 with nvidia POE and vboxdrv OE",
		.telemetry_path = "/metrics",
		.version = "0.1.0",
		.layout = "upstream",
		.value = 4609,
		.modules_collected = true,
		.modules = { { "nvidia", "POE" }, { "vboxdrv", "OE" } },
		.title = "<title>taint_exporter: tainted</title>",
		.body = INTRO
		"<p id=\"state\" class=\"state tainted\">The kernel is tainted: <code>PWO</code>.</p>\n"
		"<h2>Set taint flags</h2>\n"
		"<table id=\"flags\">\n"
		"<thead><tr><th "
		"class=\"num\">bit</th><th>letter</th><th>name</th><th>description</th></tr></thead>\n"
		"<tbody>\n"
		"<tr><td class=\"num\">0</td><td class=\"letter\">P</td><td>proprietary_module</td>"
		"<td>A proprietary (non-GPL) module was loaded</td></tr>\n"
		"<tr><td class=\"num\">9</td><td class=\"letter\">W</td><td>warn</td>"
		"<td>The kernel issued a warning</td></tr>\n"
		"<tr><td class=\"num\">12</td><td class=\"letter\">O</td><td>oot_module</td>"
		"<td>An externally built (out-of-tree) module was loaded</td></tr>\n"
		"</tbody>\n"
		"</table>\n"
		"<h2>Tainted modules</h2>\n"
		"<table id=\"modules\">\n"
		"<thead><tr><th>module</th><th>letters</th><th>flags</th></tr></thead>\n"
		"<tbody>\n"
		"<tr><td class=\"module\">nvidia</td><td class=\"letters\">POE</td>"
		"<td>proprietary_module, oot_module, unsigned_module</td></tr>\n"
		"<tr><td class=\"module\">vboxdrv</td><td class=\"letters\">OE</td>"
		"<td>oot_module, unsigned_module</td></tr>\n"
		"</tbody>\n"
		"</table>\n"
		"<h2>Details</h2>\n"
		"<dl>\n"
		"<dt>Kernel string</dt><dd><code class=\"kernel\" id=\"kernel-string\">"
		"P        W  O       </code></dd>\n"
		"<dt>Raw value</dt><dd id=\"raw-value\">4609</dd>\n"
		"<dt>Layout</dt><dd id=\"layout\">upstream (mainline Linux)</dd>\n"
		"<dt>Exporter version</dt><dd id=\"version\">0.1.0</dd>\n"
		"</dl>\n" NAV_DEFAULT,
	},
	{
		.name = "P set but only vboxdrv OE loaded: P said to be unexplained",
		.telemetry_path = "/metrics",
		.version = "0.1.0",
		.layout = "upstream",
		.value = 12289,
		.modules_collected = true,
		.modules = { { "vboxdrv", "OE" } },
		.title = "<title>taint_exporter: tainted</title>",
		.body = INTRO
		"<p id=\"state\" class=\"state tainted\">The kernel is tainted: <code>POE</code>.</p>\n"
		"<h2>Set taint flags</h2>\n"
		"<table id=\"flags\">\n"
		"<thead><tr><th "
		"class=\"num\">bit</th><th>letter</th><th>name</th><th>description</th></tr></thead>\n"
		"<tbody>\n"
		"<tr><td class=\"num\">0</td><td class=\"letter\">P</td><td>proprietary_module</td>"
		"<td>A proprietary (non-GPL) module was loaded</td></tr>\n"
		"<tr><td class=\"num\">12</td><td class=\"letter\">O</td><td>oot_module</td>"
		"<td>An externally built (out-of-tree) module was loaded</td></tr>\n"
		"<tr><td class=\"num\">13</td><td class=\"letter\">E</td><td>unsigned_module</td>"
		"<td>An unsigned module was loaded</td></tr>\n"
		"</tbody>\n"
		"</table>\n"
		"<h2>Tainted modules</h2>\n"
		"<table id=\"modules\">\n"
		"<thead><tr><th>module</th><th>letters</th><th>flags</th></tr></thead>\n"
		"<tbody>\n"
		"<tr><td class=\"module\">vboxdrv</td><td class=\"letters\">OE</td>"
		"<td>oot_module, unsigned_module</td></tr>\n"
		"</tbody>\n"
		"</table>\n"
		"<h2>Not explained by a loaded module</h2>\n"
		"<ul id=\"unattributed\">\n"
		"<li><code>P</code> (proprietary_module) is set but no loaded module carries it: a "
		"module was unloaded, or is hidden from /proc/modules.</li>\n"
		"</ul>\n"
		"<h2>Details</h2>\n"
		"<dl>\n"
		"<dt>Kernel string</dt><dd><code class=\"kernel\" id=\"kernel-string\">"
		"P           OE      </code></dd>\n"
		"<dt>Raw value</dt><dd id=\"raw-value\">12289</dd>\n"
		"<dt>Layout</dt><dd id=\"layout\">upstream (mainline Linux)</dd>\n"
		"<dt>Exporter version</dt><dd id=\"version\">0.1.0</dd>\n"
		"</dl>\n" NAV_DEFAULT,
	},
	{
		.name = "an untainted kernel without tainted modules",
		.telemetry_path = "/metrics",
		.version = "0.1.0",
		.layout = "upstream",
		.value = 0,
		.modules_collected = true,
		.title = "<title>taint_exporter: not tainted</title>",
		.body = INTRO "<p id=\"state\" class=\"state ok\">The kernel is not tainted.</p>\n"
			      "<h2>Set taint flags</h2>\n"
			      "<p id=\"no-flags\">No taint flag is set.</p>\n"
			      "<h2>Tainted modules</h2>\n"
			      "<p id=\"no-modules\">No loaded module is tainted.</p>\n"
			      "<h2>Details</h2>\n"
			      "<dl>\n"
			      "<dt>Kernel string</dt><dd><code class=\"kernel\" "
			      "id=\"kernel-string\">Not tainted</code></dd>\n"
			      "<dt>Raw value</dt><dd id=\"raw-value\">0</dd>\n"
			      "<dt>Layout</dt><dd id=\"layout\">upstream (mainline Linux)</dd>\n"
			      "<dt>Exporter version</dt><dd id=\"version\">0.1.0</dd>\n"
			      "</dl>\n" NAV_DEFAULT,
	},
	{
		.name = "an unreadable taint file, modules not collected",
		.telemetry_path = "/metrics",
		.version = "0.1.0",
		.layout = "rhel9",
		.taint_error = -ENOENT,
		.modules_collected = false,
		.title = "<title>taint_exporter: unknown</title>",
		.body = INTRO
		"<p id=\"state\" class=\"state error\">Cannot read the taint file "
		"<code>sys/kernel/tainted</code>: No such file or directory. Whether the kernel is "
		"tainted is unknown.</p>\n"
		"<h2>Tainted modules</h2>\n"
		"<p id=\"no-modules\">Module taint is not collected "
		"(<code>--no-collector.modules</code>).</p>\n"
		"<h2>Details</h2>\n"
		"<dl>\n"
		"<dt>Layout</dt><dd id=\"layout\">rhel9.3 (Red Hat Enterprise Linux 9.3 and later)</dd>\n"
		"<dt>Exporter version</dt><dd id=\"version\">0.1.0</dd>\n"
		"</dl>\n" NAV_DEFAULT,
	},
	{
		.name = "hostile names escaped, unknown bit and letter, counters",
		.telemetry_path = "/m\"<x>",
		.version = "1.0<b>",
		.layout = "upstream",
		.value = (UINT64_C(1) << 40) | 8192,
		.modules_collected = true,
		.modules = { { "<script>alert(\"x\")</script>&'", "EQ" } },
		.omitted = 3,
		.read_errors = 1,
		.title = "<title>taint_exporter: tainted</title>",
		.body = INTRO
		"<p id=\"state\" class=\"state tainted\">The kernel is tainted: <code>E?</code>.</p>\n"
		"<h2>Set taint flags</h2>\n"
		"<table id=\"flags\">\n"
		"<thead><tr><th "
		"class=\"num\">bit</th><th>letter</th><th>name</th><th>description</th></tr></thead>\n"
		"<tbody>\n"
		"<tr><td class=\"num\">13</td><td class=\"letter\">E</td><td>unsigned_module</td>"
		"<td>An unsigned module was loaded</td></tr>\n"
		"<tr><td class=\"num\">40</td><td class=\"letter\">?</td><td>unknown</td>"
		"<td>Not a bit of this layout (a newer kernel&#39;s, or another vendor&#39;s)</td>"
		"</tr>\n"
		"</tbody>\n"
		"</table>\n"
		"<h2>Tainted modules</h2>\n"
		"<table id=\"modules\">\n"
		"<thead><tr><th>module</th><th>letters</th><th>flags</th></tr></thead>\n"
		"<tbody>\n"
		"<tr><td class=\"module\">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"
		"</td><td class=\"letters\">EQ</td><td>unsigned_module, unknown</td></tr>\n"
		"</tbody>\n"
		"</table>\n"
		"<p id=\"modules-omitted\">3 more tainted modules are not listed "
		"(<code>--collector.modules.max</code>).</p>\n"
		"<p id=\"module-errors\">1 line of the module list could not be used.</p>\n"
		"<h2>Details</h2>\n"
		"<dl>\n"
		"<dt>Kernel string</dt><dd><code class=\"kernel\" id=\"kernel-string\">"
		"G            E      </code></dd>\n"
		"<dt>Raw value</dt><dd id=\"raw-value\">1099511635968</dd>\n"
		"<dt>Layout</dt><dd id=\"layout\">upstream (mainline Linux)</dd>\n"
		"<dt>Exporter version</dt><dd id=\"version\">1.0&lt;b&gt;</dd>\n"
		"</dl>\n"
		"<nav><a id=\"metrics-link\" href=\"/m&quot;&lt;x&gt;\">Metrics</a><a "
		"href=\"/-/healthy\">Health</a><a href=\"/-/ready\">Readiness</a></nav>\n</body>\n"
		"</html>\n",
	},
};

static void render(const struct landing_case *c, struct buffer *out)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	for (size_t i = 0; i < 3 && c->modules[i][0]; i++)
		snapshot_add_module(&snap, c->modules[i][0], c->modules[i][1], SIZE_MAX);
	snap.taint_error = c->taint_error;
	snap.value = c->value;
	snap.modules_collected = c->modules_collected;
	snap.module_list_read = c->modules_collected;
	snap.modules_omitted = c->omitted;
	snap.module_read_errors = c->read_errors;
	/* What scrape() works out; the renderer only prints it. */
	if (snapshot_attribution_known(&snap))
		snap.unattributed = taint_unattributed(taint_layout_find(c->layout), snap.value,
						       &snap.module_letters);
	/* As the server's route table gives them. */
	const struct landing_link links[] = {
		{ c->telemetry_path, "Metrics", "metrics-link" },
		{ "/-/healthy", "Health", NULL },
		{ "/-/ready", "Readiness", NULL },
	};
	struct landing_context ctx = {
		.links = links,
		.link_count = sizeof(links) / sizeof(links[0]),
		.version = c->version,
		.layout = taint_layout_find(c->layout),
		.string_columns = TAINT_KERNEL_STRING_COLUMNS,
		.snapshot = &snap,
	};
	assert_int_equal(landing_render(&ctx, out), 0);
	assert_non_null(buffer_cstr(out));
	snapshot_free(&snap);
}

static void renders_each_case_as_the_whole_expected_body(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buffer out = BUFFER_INIT;
		print_message("case: %s\n", cases[i].name);
		render(&cases[i], &out);
		const char *body = strstr(out.data, "<body>");
		assert_non_null(body);
		assert_string_equal(body, cases[i].body);
		assert_non_null(strstr(out.data, cases[i].title));
		buffer_free(&out);
	}
}

/* The head: a document, a charset, inline CSS, and no reference to anything elsewhere. */
static void head_is_self_contained(void **state)
{
	static const char *const forbidden[] = { "<script", "src=",  "href=",  "url(", "@import",
						 "<link",   "http:", "https:", "//" };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buffer out = BUFFER_INIT;
		render(&cases[i], &out);
		char *body = strstr(out.data, "<body>");
		assert_non_null(body);
		*body = '\0'; /* the head alone */
		assert_true(strncmp(out.data, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n",
				    39) == 0);
		assert_non_null(strstr(out.data, "<meta charset=\"utf-8\">"));
		assert_non_null(strstr(out.data, "<style>"));
		for (size_t f = 0; f < sizeof(forbidden) / sizeof(forbidden[0]); f++) {
			print_message("case %s: head must not contain %s\n", cases[i].name,
				      forbidden[f]);
			assert_null(strstr(out.data, forbidden[f]));
		}
		*body = '<';
		assert_null(strstr(body, "<script"));
		buffer_free(&out);
	}
}

/*
 * The kernel log's records on a page that has no auth by default: each flag's time, the kind
 * of record and the module and location it names; the line itself, which can hold kernel
 * addresses that kernel.dmesg_restrict hides from users, only when the operator asks.
 */
static void kernel_log_lines_are_shown_only_when_asked(void **state)
{
	struct taint_log log = {
		.count = 2,
		.entries = {
			{ .letter = 'O', .time_usec = 1796245272000000, .kind = "out-of-tree module loaded",
			  .module = "taint_test",
			  .line = "taint_test: loading out-of-tree module taints kernel." },
			{ .letter = 'D', .time_usec = 1796245273000000, .kind = "kernel BUG",
			  .line = "BUG: unable to handle page fault for address: ffffffffc0a01000" },
		},
	};
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	snap.value = 4096 + 128; /* O and D */
	snap.log = &log;
	struct landing_context ctx = {
		.version = "1",
		.layout = taint_layout_find("upstream"),
		.string_columns = TAINT_KERNEL_STRING_COLUMNS,
		.snapshot = &snap,
	};
	struct buffer out = BUFFER_INIT;
	assert_int_equal(landing_render(&ctx, &out), 0);
	assert_non_null(strstr(buffer_cstr(&out),
			       "<li data-flag=\"D\"><code>D</code> <time>2026-12-02 "
			       "21:01:13 UTC</time> kernel BUG</li>\n"));
	assert_non_null(strstr(buffer_cstr(&out),
			       "<li data-flag=\"O\"><code>O</code> <time>2026-12-02 "
			       "21:01:12 UTC</time> out-of-tree module loaded, module "
			       "<code>taint_test</code></li>\n"));
	assert_null(strstr(buffer_cstr(&out), "ffffffffc0a01000"));
	assert_null(strstr(buffer_cstr(&out), "log-line"));
	buffer_free(&out);
	ctx.kernel_log_lines = true;
	assert_int_equal(landing_render(&ctx, &out), 0);
	assert_non_null(strstr(buffer_cstr(&out),
			       "kernel BUG <code class=\"log-line\">BUG: unable to handle "
			       "page fault for address: ffffffffc0a01000</code></li>"));
	buffer_free(&out);
	snapshot_free(&snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(renders_each_case_as_the_whole_expected_body),
		cmocka_unit_test(head_is_self_contained),
		cmocka_unit_test(kernel_log_lines_are_shown_only_when_asked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
