#include <string.h>

#include "decode/attribution.h"
#include "decode/taint.h"
#include "render/escape.h"
#include "render/exposition.h"
#include "render/kernel_log.h"

#define FAMILY(name, help) "# HELP " name " " help "\n# TYPE " name " gauge\n"

static const char family_tainted[] = FAMILY(
	"kernel_tainted",
	"Raw value of /proc/sys/kernel/tainted; 0 means not tainted. A float64 holds it exactly "
	"only up to 2^53: kernel_taint_flag is the exact truth.");
static const char family_flag[] = FAMILY(
	"kernel_taint_flag",
	"Whether a kernel taint bit is set (1) or not (0): every bit of the active layout, and "
	"every set bit the layout does not know (named unknown).");
static const char family_info[] = FAMILY(
	"kernel_taint_info",
	"The letters of the set taint bits in bit order, as the kernel prints them without blanks; "
	"an empty flags label when not tainted.");
static const char family_module_flag[] =
	FAMILY("kernel_module_taint_flag",
	       "A taint flag that a loaded module carries, as /proc/modules gives it.");
static const char family_unattributed[] = FAMILY(
	"kernel_taint_flag_unattributed",
	"For each set taint flag that a module can carry: 1 when no loaded module carries it (a "
	"module was unloaded, or is hidden from /proc/modules), 0 when one does. "
	"No series when the module list could not be read whole.");
static const char family_logged[] = FAMILY(
	"kernel_taint_flag_first_logged_timestamp_seconds",
	"--collector.kmsg: for each set taint flag, when the kernel log's oldest record that "
	"explains it was logged (the message that set it, or the first Tainted: header showing "
	"it). No series when that record is no longer in the ring buffer.");
static const char family_logged_info[] =
	FAMILY("kernel_taint_flag_first_logged_info",
	       "--collector.kmsg: the module named by that record, and for W the warning's location "
	       "(file:line function); one series per set flag, fixed once seen.");
/*
 * A counter's family is named with _total in the text format, without it in OpenMetrics 1.0,
 * where only the sample carries it (a strict parser refuses a family named ..._total).
 */
#define LOG_LOST_HELP                                                                      \
	" --collector.kmsg: kernel log records overwritten in the ring buffer before the " \
	"collector read them.\n"
static const char family_log_lost_text[] =
	"# HELP taint_exporter_kmsg_records_lost_total" LOG_LOST_HELP
	"# TYPE taint_exporter_kmsg_records_lost_total counter\n";
static const char family_log_lost_openmetrics[] =
	"# HELP taint_exporter_kmsg_records_lost" LOG_LOST_HELP
	"# TYPE taint_exporter_kmsg_records_lost counter\n";
/* The process collector's families, in client_golang's words (prometheus/procfs). */
#define CPU_HELP " Total user and system CPU time spent in seconds.\n"
static const char family_process_cpu_text[] = "# HELP process_cpu_seconds_total" CPU_HELP
					      "# TYPE process_cpu_seconds_total counter\n";
static const char family_process_cpu_openmetrics[] = "# HELP process_cpu_seconds" CPU_HELP
						     "# TYPE process_cpu_seconds counter\n";
static const char family_process_max_fds[] =
	FAMILY("process_max_fds", "Maximum number of open file descriptors.");
static const char family_process_open_fds[] =
	FAMILY("process_open_fds", "Number of open file descriptors.");
static const char family_process_resident[] =
	FAMILY("process_resident_memory_bytes", "Resident memory size in bytes.");
static const char family_process_start[] =
	FAMILY("process_start_time_seconds",
	       "Start time of the process since unix epoch in seconds.");
static const char family_process_virtual[] =
	FAMILY("process_virtual_memory_bytes", "Virtual memory size in bytes.");
static const char family_process_virtual_max[] =
	FAMILY("process_virtual_memory_max_bytes",
	       "Maximum amount of virtual memory available in bytes.");
static const char family_collector_up[] =
	FAMILY("taint_exporter_collector_up",
	       "Whether an optional collector works (1) or not (0): kmsg is 0 when the kernel log "
	       "cannot be read (CAP_SYSLOG is needed where kernel.dmesg_restrict is 1).");
static const char family_modules_omitted[] =
	FAMILY("taint_exporter_modules_omitted",
	       "Tainted modules left out of this scrape because of --collector.modules.max.");
static const char family_module_errors[] =
	FAMILY("taint_exporter_module_read_errors",
	       "Lines of the module list that could not be used during this scrape (not of the "
	       "kernel's format, or a name or letters that cannot be exported), and 1 when the "
	       "list could not be read.");
static const char family_module_list[] =
	FAMILY("taint_exporter_module_list_success",
	       "Whether the module list was read during this scrape (1), or could not be read (0): "
	       "kernel_module_taint_flag may then lack modules that are loaded.");
static const char family_success[] =
	FAMILY("taint_exporter_scrape_success",
	       "Whether /proc/sys/kernel/tainted was read and parsed (1) or not (0).");
static const char family_layout[] =
	FAMILY("kernel_taint_layout_info",
	       "The bit layout used to decode taint values (--kernel.vendor).");
static const char family_build[] =
	FAMILY("taint_exporter_build_info",
	       "A metric with a constant '1' value labeled by version, revision and compiler of "
	       "taint_exporter.");

/*
 * The labels of a flag's series, kernel_taint_flag's and kernel_taint_flag_unattributed's,
 * up to the value: {bit="..",flag="..",flag_name=".."} and a blank.
 */
static void put_flag_label_pairs(struct buffer *b, unsigned int bit, const struct taint_bit *entry)
{
	buffer_puts(b, "bit=\"");
	buffer_put_u64(b, bit);
	buffer_puts(b, "\",flag=\"");
	buffer_putc(b, entry->letter);
	buffer_puts(b, "\",flag_name=\"");
	buffer_puts(b, entry->name);
	buffer_putc(b, '"');
}

static void put_flag_labels(struct buffer *b, unsigned int bit, const struct taint_bit *entry)
{
	buffer_putc(b, '{');
	put_flag_label_pairs(b, bit, entry);
	buffer_puts(b, "} ");
}

static void precompute_flags(struct exposition *e)
{
	for (size_t i = 0; i < e->layout->count; i++) {
		const struct taint_bit *entry = &e->layout->bits[i];
		e->flag_off[entry->bit] = e->text.len;
		put_flag_labels(&e->text, entry->bit, entry);
		e->flag_len[entry->bit] = e->text.len - e->flag_off[entry->bit];
	}
	e->known_bits = taint_layout_mask(e->layout);
}

/*
 * The module series ends with the same labels as the kernel's: ",flag=..,bit=..,name=..} 1".
 * A letter the layout does not know belongs to no bit: bit="?".
 */
static void put_module_tail(struct buffer *b, char letter, const struct taint_bit *entry)
{
	buffer_puts(b, "\",flag=\"");
	buffer_putc(b, letter);
	buffer_puts(b, "\",bit=\"");
	if (taint_bit_known(entry))
		buffer_put_u64(b, entry->bit);
	else
		buffer_putc(b, '?');
	buffer_puts(b, "\",flag_name=\"");
	buffer_puts(b, entry->name);
	buffer_puts(b, "\"} 1\n");
}

static void precompute_letters(struct exposition *e)
{
	for (size_t i = 0; i < e->layout->count; i++) {
		const struct taint_bit *entry = &e->layout->bits[i];
		unsigned char letter = (unsigned char)entry->letter;
		e->letter_off[letter] = e->text.len;
		put_module_tail(&e->text, entry->letter, entry);
		e->letter_len[letter] = e->text.len - e->letter_off[letter];
	}
}

static void precompute_tail(struct exposition *e, const struct build_labels *build)
{
	struct buffer *b = &e->text;
	e->tail_off = b->len;
	buffer_puts(b, family_layout);
	buffer_puts(b, "kernel_taint_layout_info{layout=\"");
	escape_label_value(b, e->layout->id);
	buffer_puts(b, "\"} 1\n");
	buffer_puts(b, family_build);
	buffer_puts(b, "taint_exporter_build_info{version=\"");
	escape_label_value(b, build->version);
	buffer_puts(b, "\",revision=\"");
	escape_label_value(b, build->revision);
	buffer_puts(b, "\",compiler=\"");
	escape_label_value(b, build->compiler);
	buffer_puts(b, "\"} 1\n");
	e->tail_len = b->len - e->tail_off;
}

int exposition_init(struct exposition *e, const struct taint_layout *layout,
		    const struct build_labels *build)
{
	memset(e, 0, sizeof(*e));
	e->layout = layout;
	precompute_flags(e);
	precompute_letters(e);
	precompute_tail(e, build);
	int err = buffer_status(&e->text);
	if (err < 0)
		exposition_free(e);
	return err;
}

void exposition_free(struct exposition *e)
{
	buffer_free(&e->text);
}

static void put_piece(struct buffer *out, const struct exposition *e, size_t off, size_t len)
{
	buffer_append(out, e->text.data + off, len);
}

/* The labels of @bit's series: precomputed for the layout's bits. */
static void put_flag_piece(const struct exposition *e, unsigned int bit, struct buffer *out)
{
	if (e->flag_len[bit])
		put_piece(out, e, e->flag_off[bit], e->flag_len[bit]);
	else
		put_flag_labels(out, bit, taint_layout_bit(e->layout, bit));
}

/* Every bit of the layout, set or not, and every set bit it does not know, in bit order. */
static void put_flags(const struct exposition *e, uint64_t value, struct buffer *out)
{
	buffer_puts(out, family_flag);
	taint_for_each_set_bit(bit, e->known_bits | value) {
		buffer_puts(out, "kernel_taint_flag");
		put_flag_piece(e, bit, out);
		buffer_puts(out, (value >> bit) & 1 ? "1\n" : "0\n");
	}
}

static void put_taint(const struct exposition *e, uint64_t value, struct buffer *out)
{
	char letters[TAINT_MAX_BITS + 1];

	buffer_puts(out, family_tainted);
	buffer_puts(out, "kernel_tainted ");
	buffer_put_u64(out, value);
	buffer_putc(out, '\n');
	put_flags(e, value, out);
	buffer_puts(out, family_info);
	taint_compact_letters(e->layout, value, letters);
	buffer_puts(out, "kernel_taint_info{flags=\"");
	buffer_puts(out, letters); /* letters and '?' need no escaping */
	buffer_puts(out, "\"} 1\n");
}

static void put_module(const struct exposition *e, const char *name, const char *letters,
		       struct buffer *out)
{
	for (const char *l = letters; *l; l++) {
		unsigned char letter = (unsigned char)*l;
		buffer_puts(out, "kernel_module_taint_flag{module=\"");
		escape_label_value(out, name);
		if (letter < 128 && e->letter_len[letter])
			put_piece(out, e, e->letter_off[letter], e->letter_len[letter]);
		else /* validated: an ASCII letter */
			put_module_tail(out, *l, taint_layout_letter(e->layout, *l));
	}
}

static void put_modules(const struct exposition *e, const struct taint_snapshot *snap,
			struct buffer *out)
{
	const char *name, *letters;
	size_t cursor = 0;

	buffer_puts(out, family_module_flag);
	while (snapshot_next_module(snap, &cursor, &name, &letters))
		put_module(e, name, letters, out);
	buffer_puts(out, family_modules_omitted);
	buffer_puts(out, "taint_exporter_modules_omitted ");
	buffer_put_u64(out, snap->modules_omitted);
	buffer_putc(out, '\n');
	buffer_puts(out, family_module_errors);
	buffer_puts(out, "taint_exporter_module_read_errors ");
	buffer_put_u64(out, snap->module_read_errors);
	buffer_putc(out, '\n');
	buffer_puts(out, family_module_list);
	buffer_puts(out, snap->module_list_read ? "taint_exporter_module_list_success 1\n" :
						  "taint_exporter_module_list_success 0\n");
}

/* Each set module flag, and whether a loaded module explains it (attribution.h). */
static void put_unattributed(const struct exposition *e, const struct taint_snapshot *snap,
			     struct buffer *out)
{
	buffer_puts(out, family_unattributed);
	if (!snapshot_attribution_known(snap))
		return;
	uint64_t unattributed = snap->unattributed;
	taint_for_each_set_bit(bit, taint_module_bits(e->layout, snap->value)) {
		buffer_puts(out, "kernel_taint_flag_unattributed");
		put_flag_piece(e, bit, out);
		buffer_puts(out, (unattributed >> bit) & 1 ? "1\n" : "0\n");
	}
}

/* The kernel log's account of each set flag (--collector.kmsg). */
static void put_log(const struct exposition *e, const struct taint_snapshot *snap,
		    enum exposition_format format, struct buffer *out)
{
	const struct taint_log *log = snap->log;
	buffer_puts(out, family_collector_up);
	buffer_puts(out, log->error ? "taint_exporter_collector_up{collector=\"kmsg\"} 0\n" :
				      "taint_exporter_collector_up{collector=\"kmsg\"} 1\n");
	if (log->error)
		return;
	buffer_puts(out, format == EXPOSITION_OPENMETRICS ? family_log_lost_openmetrics :
							    family_log_lost_text);
	buffer_puts(out, "taint_exporter_kmsg_records_lost_total ");
	buffer_put_u64(out, log->lost);
	buffer_putc(out, '\n');
	if (snap->taint_error)
		return;
	buffer_puts(out, family_logged);
	taint_for_each_set_bit(bit, snap->value) {
		const struct taint_log_entry *entry = kernel_log_entry(log, e->layout, bit);
		char seconds[32];
		if (!entry)
			continue;
		buffer_puts(out, "kernel_taint_flag_first_logged_timestamp_seconds");
		put_flag_piece(e, bit, out);
		kernel_log_seconds(entry->time_usec, seconds, sizeof(seconds));
		buffer_puts(out, seconds);
		buffer_putc(out, '\n');
	}
	buffer_puts(out, family_logged_info);
	taint_for_each_set_bit(bit, snap->value) {
		const struct taint_log_entry *entry = kernel_log_entry(log, e->layout, bit);
		if (!entry)
			continue;
		buffer_puts(out, "kernel_taint_flag_first_logged_info{");
		put_flag_label_pairs(out, bit, taint_layout_bit(e->layout, bit));
		buffer_puts(out, ",module=\"");
		escape_label_value(out, entry->module);
		buffer_puts(out, "\",location=\"");
		escape_label_value(out, entry->location);
		buffer_puts(out, "\"} 1\n");
	}
}

/* @usec as seconds, exact, as the log's timestamps are written: "12.000345". */
static void put_seconds(struct buffer *out, uint64_t usec)
{
	char s[32];
	kernel_log_seconds(usec, s, sizeof(s));
	buffer_puts(out, s);
}

static void put_gauge(struct buffer *out, const char *family, const char *name, uint64_t v)
{
	buffer_puts(out, family);
	buffer_puts(out, name);
	buffer_putc(out, ' ');
	buffer_put_u64(out, v);
	buffer_putc(out, '\n');
}

/* The exporter's own process_* metrics, when the scrape read them (served scrapes). */
static void put_process(const struct process_stats *p, enum exposition_format format,
			struct buffer *out)
{
	buffer_puts(out, format == EXPOSITION_OPENMETRICS ? family_process_cpu_openmetrics :
							    family_process_cpu_text);
	buffer_puts(out, "process_cpu_seconds_total ");
	put_seconds(out, p->cpu_usec);
	buffer_putc(out, '\n');
	put_gauge(out, family_process_max_fds, "process_max_fds", p->max_fds);
	put_gauge(out, family_process_open_fds, "process_open_fds", p->open_fds);
	put_gauge(out, family_process_resident, "process_resident_memory_bytes", p->resident_bytes);
	buffer_puts(out, family_process_start);
	buffer_puts(out, "process_start_time_seconds ");
	put_seconds(out, p->start_time_usec);
	buffer_putc(out, '\n');
	put_gauge(out, family_process_virtual, "process_virtual_memory_bytes", p->virtual_bytes);
	put_gauge(out, family_process_virtual_max, "process_virtual_memory_max_bytes",
		  p->virtual_max_bytes);
}

int exposition_render(const struct exposition *e, const struct taint_snapshot *snap,
		      enum exposition_format format, struct buffer *out)
{
	if (snap->taint_error == 0)
		put_taint(e, snap->value, out);
	if (snap->modules_collected)
		put_modules(e, snap, out);
	if (snap->modules_collected && snap->taint_error == 0)
		put_unattributed(e, snap, out);
	if (snap->log)
		put_log(e, snap, format, out);
	buffer_puts(out, family_success);
	buffer_puts(out, snap->taint_error == 0 ? "taint_exporter_scrape_success 1\n" :
						  "taint_exporter_scrape_success 0\n");
	if (snap->process.read)
		put_process(&snap->process, format, out);
	put_piece(out, e, e->tail_off, e->tail_len);
	if (format == EXPOSITION_OPENMETRICS)
		buffer_puts(out, "# EOF\n");
	return buffer_status(out);
}
