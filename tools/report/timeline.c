/* The timeline of one scenario as inline SVG: a lane per actor ("reader 1",
 * "reader 2" ...), each call a bar (timeline_bars.c: orange proven blocked,
 * with a dot at the proof; red never returned, ending where its actor died
 * when it did; a dashed box: the failing step), and one dashed line per
 * waking event with its "woken by" label.  Labels are laid out in boxes that
 * never overlap: a label that would overlap one already placed goes one line
 * lower.  The boxes are written on the <svg> (data-label-boxes) for the
 * tests to check. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "timeline.h"

enum { W = 900, L = 150, TOP = 18, LINE = 13, MAX_LANES = 256, MAX_WAKES = 256, AXIS_END = W - 10 };

struct box {
	double x, y, w, h;
};
struct wake {
	const void *key; /* the waking call: one label however many it woke */
	double x;
	char text[160], title[512];
	int count;
	struct box b;
};

static double num(cJSON *j, const char *k) { return cJSON_GetNumberValue(cJSON_GetObjectItem(j, k)); }
static const char *str(cJSON *j, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(j, k));
	return s ? s : "";
}

bool boxes_overlap(const struct box *a, const struct box *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* The call that woke a proven-blocked one: the last call another actor began
 * between the proof and the return (NULL: none recorded, e.g. a signal). */
static cJSON *waker(cJSON *actors, cJSON *self, double proof_ns, double exit_ns, int *who)
{
	cJSON *a, *st, *best = NULL;
	double best_t = 0;
	int i = 0;
	cJSON_ArrayForEach(a, actors)
	{
		if (a != self)
			cJSON_ArrayForEach(st, cJSON_GetObjectItem(a, "steps"))
			{
				double en = num(st, "t_enter_ns");
				if (en >= proof_ns && en <= exit_ns && (!best || en > best_t)) {
					best = st;
					best_t = en;
					*who = i;
				}
			}
		i++;
	}
	return best;
}

static void add_wake(struct wake *w, int *n, const void *key, double x, const char *text, const char *title)
{
	for (int i = 0; i < *n; i++)
		if ((key && w[i].key == key) || (!key && !w[i].key && fabs(w[i].x - x) < 4 && !strcmp(w[i].text, text))) {
			w[i].count++;
			return;
		}
	if (*n >= MAX_WAKES)
		return;
	struct wake *k = &w[(*n)++];
	memset(k, 0, sizeof *k);
	k->key = key;
	k->x = x;
	k->count = 1;
	snprintf(k->text, sizeof k->text, "%s", text);
	snprintf(k->title, sizeof k->title, "%s", title);
}

/* Each label on the first line where it overlaps nothing placed before. */
static int place(struct wake *w, int n, double y0)
{
	int lines = 0;
	for (int i = 0; i < n; i++) {
		char full[200];
		if (w[i].count > 1)
			snprintf(full, sizeof full, "%s (%d calls)", w[i].text, w[i].count);
		else
			snprintf(full, sizeof full, "%s", w[i].text);
		snprintf(w[i].text, sizeof w[i].text, "%s", full);
		double width = TIMELINE_TEXT_W(strlen(full)) + 4;
		bool right = w[i].x + width > W - 4;
		double x = right ? w[i].x - 2 - width : w[i].x + 2;
		if (x < 2)
			x = 2;
		for (int line = 0;; line++) {
			struct box b = { x, y0 + line * LINE, width, LINE - 1 };
			bool clash = false;
			for (int k = 0; k < i && !clash; k++)
				clash = boxes_overlap(&b, &w[k].b);
			if (!clash) {
				w[i].b = b;
				if (line + 1 > lines)
					lines = line + 1;
				break;
			}
		}
	}
	return lines;
}

void timeline(FILE *f, const struct rec *x, cJSON *s)
{
	cJSON *actors = cJSON_GetObjectItem(s, "actors"), *blocking = cJSON_GetObjectItem(s, "blocking"), *a, *st, *b;
	double t0 = num(s, "t0_ns"), dur = num(s, "duration_ms") * 1e6;
	int rows = cJSON_GetArraySize(actors), nb = cJSON_GetArraySize(blocking);
	if (!(dur > 0) || t0 != t0 || rows <= 0 || rows > MAX_LANES)
		return;
	static char lanes[MAX_LANES][64];
	lane_names(actors, lanes, MAX_LANES);
	int *lane_of = calloc((size_t)nb + 1, sizeof *lane_of);
	blocking_lanes(actors, blocking, lane_of);
	const int RH = rows > 12 ? 14 : 24, BAR = RH - 6;
	double scale = (AXIS_END - L) / dur;
	int lanes_end = TOP + rows * RH;
	struct wake *wakes = calloc(MAX_WAKES, sizeof *wakes);
	struct death *deaths = calloc((size_t)rows, sizeof *deaths);
	bool *died = calloc((size_t)rows, sizeof *died);
	int nw = 0;
	struct lane_geom g = { .t0 = t0, .dur = dur, .scale = scale, .left = L, .right = AXIS_END, .bar = BAR };

	/* Bars first into a buffer-free pass: the label band's height is needed
	 * for the SVG's size, so the wake labels are collected, placed, then drawn. */
	int row = 0;
	cJSON_ArrayForEach(a, actors)
	{
		int idx = 0;
		g.y = TOP + row * RH;
		died[row] = timeline_death(a, &g, &deaths[row]);
		cJSON_ArrayForEach(st, cJSON_GetObjectItem(a, "steps"))
		{
			cJSON *ex = cJSON_GetObjectItem(st, "t_exit_ns");
			double proven = NAN;
			int bi = 0;
			cJSON_ArrayForEach(b, blocking)
			{
				if (lane_of[bi] == row && (int)num(b, "step") == idx)
					proven = num(b, "t_ns");
				bi++;
			}
			if (proven == proven && cJSON_IsNumber(ex)) {
				int who = -1;
				cJSON *w = waker(actors, a, proven, ex->valuedouble, &who);
				char text[160], title[512], buf[400], call[128];
				const char *result = str(st, "result");
				if (w && who >= 0)
					snprintf(text, sizeof text, "woken by %s %s", lanes[who], call_name(str(w, "op"), call, sizeof call));
				else
					snprintf(text, sizeof text, "woken%s", strstr(result, "EINTR") ? " by a signal" : "");
				snprintf(title, sizeof title, "%s", w ? step_text(w, buf, sizeof buf) : result);
				/* The line stands at the waking call when there is one (its start),
				 * else at the woken call's return. */
				double at = w ? num(w, "t_enter_ns") : ex->valuedouble;
				add_wake(wakes, &nw, w, L + (at - t0) * scale, text, title);
			}
			idx++;
		}
		row++;
	}
	int label_lines = place(wakes, nw, lanes_end + 4);
	int legend_y = lanes_end + 4 + label_lines * LINE + 14, height = legend_y + 8;

	fprintf(f, "<svg class=\"timeline\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"timeline\" "
		   "font-size=\"11\" data-label-boxes=\"",
		W, height, W, height);
	for (int i = 0; i < rows; i++) /* the lane names' boxes, then the wake labels' */
		fprintf(f, "%s4,%d,%.0f,%d", i ? ";" : "", TOP + i * RH, TIMELINE_TEXT_W(strlen(lanes[i])), RH - 2);
	for (int i = 0; i < nw; i++)
		fprintf(f, ";%.1f,%.1f,%.1f,%.1f", wakes[i].b.x, wakes[i].b.y, wakes[i].b.w, wakes[i].b.h);
	for (int i = 0; i < rows; i++) /* where an actor died inside a call */
		if (died[i])
			fprintf(f, ";%.1f,%.1f,%.1f,%.1f", deaths[i].x, deaths[i].y, deaths[i].w, deaths[i].h);
	fprintf(f, "\">\n<text x=\"%d\" y=\"12\" fill=\"#666\">0 ms</text><text x=\"%d\" y=\"12\" fill=\"#666\" text-anchor=\"end\">%.2f ms</text>\n",
		L, AXIS_END, dur / 1e6);
	row = 0;
	cJSON_ArrayForEach(a, actors)
	{
		int y = TOP + row * RH, idx = 0;
		char label[512];
		fprintf(f, "<text class=\"lane\" x=\"4\" y=\"%d\">", y + BAR - 2);
		put_html(f, lanes[row]);
		fputs("<title>", f);
		put_html(f, actor_label(a, lanes[row], label, sizeof label)); /* an actor names itself */
		fputs("</title></text>\n", f);
		fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#eee\"/>\n", L, AXIS_END, y + BAR / 2 + 2, y + BAR / 2 + 2);
		g.y = y;
		cJSON_ArrayForEach(st, cJSON_GetObjectItem(a, "steps"))
		{
			bool blocked = false;
			for (int bi = 0; bi < nb; bi++)
				blocked = blocked || (lane_of[bi] == row && (int)num(cJSON_GetArrayItem(blocking, bi), "step") == idx);
			timeline_bar(f, a, st, lanes[row], blocked, step_failing(x, s, a, st), &g);
			idx++;
		}
		if (died[row])
			timeline_death_draw(f, &deaths[row], &g);
		row++;
	}
	int bi = 0;
	cJSON_ArrayForEach(b, blocking)
	{
		double t = num(b, "t_ns") - t0;
		if (lane_of[bi] >= 0 && t == t)
		{
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%d\" r=\"%d\" fill=\"#000\"><title>", L + t * scale,
				TOP + lane_of[bi] * RH + BAR / 2 + 2, RH > 14 ? 4 : 3);
			put_html(f, lanes[lane_of[bi]]);
			fputs(": blocking proven here</title></circle>\n", f);
		}
		bi++;
	}
	for (int i = 0; i < nw; i++) {
		bool right = wakes[i].b.x < wakes[i].x;
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\" stroke=\"#2e7d32\" stroke-dasharray=\"3,2\"/>"
			   "<text class=\"wake\" x=\"%.1f\" y=\"%.1f\" fill=\"#2e7d32\"%s>",
			wakes[i].x, wakes[i].x, TOP - 4, wakes[i].b.y + LINE - 3, right ? wakes[i].x - 2 : wakes[i].x + 2,
			wakes[i].b.y + LINE - 3, right ? " text-anchor=\"end\"" : "");
		put_html(f, wakes[i].text);
		fputs("<title>", f);
		put_html(f, wakes[i].title);
		fputs("</title></text>\n", f);
	}
	fprintf(f, "<text x=\"4\" y=\"%d\" fill=\"#666\">blue: returned · orange: proven blocked (● proof) · red: never returned "
		   "(| where its actor died) · dashed red box: the failing step · green: woken by</text>\n</svg>\n",
		legend_y);
	free(died);
	free(deaths);
	free(wakes);
	free(lane_of);
}
