/* The timeline's parts shared by timeline.c (lanes, wake-ups, layout) and
 * timeline_bars.c (one call's bar, where an actor died). */
#ifndef PIPELAB_REPORT_TIMELINE_H
#define PIPELAB_REPORT_TIMELINE_H

#include "content.h"

/* px per character at font-size 11, with the narrowing the labels use
 * (DejaVu Sans is narrower than CHAR_W alone) */
#define TIMELINE_CHAR_W 6.2
#define TIMELINE_TEXT_W(len) (TIMELINE_CHAR_W * (double)(len) * 0.92)

/* Where one lane is drawn and how time maps onto it. */
struct lane_geom {
	double t0, dur, scale; /* the scenario's start and length (ns), px per ns */
	int left, right;       /* the time axis, px */
	int y, bar;            /* the lane's top, a bar's height, px */
};

/* A label at the point where an actor died inside a call. */
struct death {
	double x, y, w, h; /* its box, as the labels' boxes are listed */
	bool right;        /* drawn left of the point (no room after it) */
	char text[96];     /* "killed by SIGPIPE (13)" */
};

/* An actor that ended inside a call it never returned from: the label for
 * where it ended (false: it did not, or was still running when stopped). */
bool timeline_death(cJSON *actor, const struct lane_geom *g, struct death *d);
/* One call's bar; blocked: proven asleep in it; bad: the failing step. */
void timeline_bar(FILE *f, cJSON *actor, cJSON *step, const char *lane, bool blocked, bool bad, const struct lane_geom *g);
void timeline_death_draw(FILE *f, const struct death *d, const struct lane_geom *g);

#endif
