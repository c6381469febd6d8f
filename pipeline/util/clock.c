/* clock.c: seconds written as a clock time (see clock.h). */
#include "util/clock.h"

#include <math.h>
#include <stdio.h>

void clock_format(double seconds, char out[CLOCK_TEXT_MAX])
{
    if (seconds < 0) {
        snprintf(out, CLOCK_TEXT_MAX, "unknown");
        return;
    }
    if (!(seconds <= 1e13)) {   /* also NaN and infinity; a WebVTT time of 999999999 hours
                                   (3.6e12 s) still shows as a clock */
        snprintf(out, CLOCK_TEXT_MAX, "%g s", seconds);
        return;
    }
    long long ms = llround(seconds * 1000.0);
    long long h = ms / 3600000, m = ms / 60000 % 60, s = ms / 1000 % 60, frac = ms % 1000;
    if (frac) snprintf(out, CLOCK_TEXT_MAX, "%02lld:%02lld:%02lld.%03lld", h, m, s, frac);
    else snprintf(out, CLOCK_TEXT_MAX, "%02lld:%02lld:%02lld", h, m, s);
}
