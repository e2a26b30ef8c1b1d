/* One call's bar in a timeline lane.  A reader must tell apart at a glance:
 * a call that returned (blue), one proven asleep (orange), one that never
 * returned (red: to the end of the scenario, or to the point where its actor
 * died, which is marked and named), and the failing step: a dashed red box
 * at least FAIL_BOX_MIN wide around the call, whatever its colour, so a call
 * that returned at once but wrongly is a thin blue bar in a red box, never a
 * solid red mark that reads as "never returned". */
#include <string.h>

#include "timeline.h"

enum {
	MIN_BAR = 2,      /* px: a call too short to see still shows */
	FAIL_BOX_MIN = 14, /* px: the failing step's box, however short the call */
	FAIL_BOX_PAD = 2, /* px around the bar */
	LABEL_GAP = 4,    /* px between the point of death and its label */
	TICK_OUT = 3,     /* px the death mark reaches beyond the bar */
};

static double num(cJSON *j, const char *k) { return cJSON_GetNumberValue(cJSON_GetObjectItem(j, k)); }

static bool returned(cJSON *step) { return cJSON_IsNumber(cJSON_GetObjectItem(step, "t_exit_ns")); }

/* The ns (from the scenario's start) where an unfinished call's bar stops:
 * where its actor ended when the record says (t_end_ns), else the end. */
static double unfinished_end(cJSON *actor, double enter, const struct lane_geom *g)
{
	cJSON *t = cJSON_GetObjectItem(actor, "t_end_ns");
	if (!cJSON_IsNumber(t))
		return g->dur;
	double at = t->valuedouble - g->t0;
	return at < enter ? enter : at > g->dur ? g->dur : at;
}

bool timeline_death(cJSON *actor, const struct lane_geom *g, struct death *d)
{
	cJSON *steps = cJSON_GetObjectItem(actor, "steps");
	cJSON *last = cJSON_GetArrayItem(steps, cJSON_GetArraySize(steps) - 1);
	if (!last || !cJSON_IsNumber(cJSON_GetObjectItem(actor, "t_end_ns")) || !actor_died_in(actor, last, d->text, sizeof d->text))
		return false;
	double at = g->left + unfinished_end(actor, num(last, "t_enter_ns") - g->t0, g) * g->scale;
	d->w = TIMELINE_TEXT_W(strlen(d->text));
	d->h = g->bar;
	d->y = g->y + 2;
	d->right = at + LABEL_GAP + d->w > g->right;
	d->x = d->right ? at - LABEL_GAP - d->w : at + LABEL_GAP;
	return true;
}

void timeline_death_draw(FILE *f, const struct death *d, const struct lane_geom *g)
{
	double at = d->right ? d->x + d->w + LABEL_GAP : d->x - LABEL_GAP;
	fprintf(f, "<line class=\"death\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#000\" stroke-width=\"2\"/>", at, at,
		g->y + 2 - TICK_OUT, g->y + 2 + g->bar + TICK_OUT);
	fprintf(f, "<text class=\"death\" x=\"%.1f\" y=\"%d\" fill=\"#7a0014\"%s>", d->right ? at - LABEL_GAP : at + LABEL_GAP,
		g->y + g->bar - 2, d->right ? " text-anchor=\"end\"" : "");
	put_html(f, d->text);
	fputs("<title>the actor ended here, inside the call it never returned from</title></text>\n", f);
}

void timeline_bar(FILE *f, cJSON *actor, cJSON *step, const char *lane, bool blocked, bool bad, const struct lane_geom *g)
{
	char text[512], end[96];
	double en = num(step, "t_enter_ns") - g->t0;
	bool done = returned(step);
	double xn = done ? num(step, "t_exit_ns") - g->t0 : unfinished_end(actor, en, g);
	double x1 = g->left + en * g->scale, w = (xn - en) * g->scale;
	if (w < MIN_BAR)
		w = MIN_BAR;
	const char *fill = !done ? "#d32f2f" : blocked ? "#f39c12" : "#5b8def";
	bool died = actor_died_in(actor, step, end, sizeof end);
	fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"%s><title>", x1, g->y + 2, w, g->bar, fill,
		!done ? " fill-opacity=\"0.6\"" : "");
	put_html(f, lane);
	fputs(": ", f);
	put_html(f, step_text(step, text, sizeof text));
	fprintf(f, "%s%s%s%s</title></rect>\n", blocked ? " — proven blocked" : !done ? " — never returned" : "",
		died ? ": its actor ended in it, " : "", died ? end : "", bad ? " — the failing step" : "");
	if (!bad)
		return;
	double bw = w + 2 * FAIL_BOX_PAD < FAIL_BOX_MIN ? FAIL_BOX_MIN : w + 2 * FAIL_BOX_PAD;
	fprintf(f, "<rect class=\"failing\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#b00020\" fill-opacity=\"0.08\" stroke=\"#b00020\" "
		   "stroke-width=\"1.5\" stroke-dasharray=\"3,2\"><title>",
		x1 + w / 2 - bw / 2, g->y + 2 - FAIL_BOX_PAD, bw, g->bar + 2 * FAIL_BOX_PAD);
	put_html(f, lane);
	fputs(": the failing step</title></rect>\n", f);
}
