#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve/accept.h"

/* One media range of an Accept header, e.g. "application/openmetrics-text;version=1.0.0;q=0.5". */
struct media_range {
	const char *start;
	size_t len;
};

static const char *skip_space(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

static size_t trimmed_len(const char *s, const char *end)
{
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return (size_t)(end - s);
}

static bool token_is(const char *s, size_t len, const char *word)
{
	return len == strlen(word) && strncasecmp(s, word, len) == 0;
}

/* q is 0 to 1 with up to three decimals (RFC 9110); anything else counts as 0. */
static double parse_q(const char *s, size_t len)
{
	char tmp[8];
	if (len == 0 || len >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	char *end;
	double q = strtod(tmp, &end);
	if (*end != '\0' || q < 0 || q > 1)
		return 0;
	return q;
}

enum media_kind { MEDIA_OTHER, MEDIA_TEXT, MEDIA_OPENMETRICS };

/* Classifies one media range and reads its q (1 when absent). */
static enum media_kind classify(struct media_range r, double *q)
{
	const char *end = r.start + r.len;
	const char *semi = memchr(r.start, ';', r.len);
	const char *type_end = semi ? semi : end;
	const char *type = skip_space(r.start, type_end);
	size_t type_len = trimmed_len(type, type_end);
	bool version_ok = true;

	*q = 1;
	for (const char *p = semi; p && p < end;) {
		const char *param = skip_space(p + 1, end);
		const char *next = memchr(param, ';', (size_t)(end - param));
		const char *param_end = next ? next : end;
		const char *eq = memchr(param, '=', (size_t)(param_end - param));
		if (eq) {
			size_t key_len = trimmed_len(param, eq);
			const char *val = skip_space(eq + 1, param_end);
			size_t val_len = trimmed_len(val, param_end);
			if (token_is(param, key_len, "q"))
				*q = parse_q(val, val_len);
			else if (token_is(param, key_len, "version"))
				version_ok = token_is(val, val_len, "1.0.0");
		}
		p = next;
	}

	if (token_is(type, type_len, "application/openmetrics-text"))
		return version_ok ? MEDIA_OPENMETRICS : MEDIA_OTHER;
	if (token_is(type, type_len, "text/plain") || token_is(type, type_len, "text/*") ||
	    token_is(type, type_len, "*/*"))
		return MEDIA_TEXT;
	return MEDIA_OTHER;
}

enum exposition_format accept_negotiate(const char *accept)
{
	if (!accept)
		return EXPOSITION_TEXT;

	double best_text = 0, best_openmetrics = 0;
	const char *end = accept + strlen(accept);
	for (const char *p = accept; p < end;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *range_end = comma ? comma : end;
		double q;
		enum media_kind kind =
			classify((struct media_range){ p, (size_t)(range_end - p) }, &q);
		if (kind == MEDIA_TEXT && q > best_text)
			best_text = q;
		else if (kind == MEDIA_OPENMETRICS && q > best_openmetrics)
			best_openmetrics = q;
		p = comma ? comma + 1 : end;
	}
	return best_openmetrics > best_text ? EXPOSITION_OPENMETRICS : EXPOSITION_TEXT;
}
