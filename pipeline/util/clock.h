/* clock.h: seconds written as a clock time, for messages.
 *
 * The readers and the session model name clock times the same way in their
 * warnings ("time goes backwards (00:00:01 after 00:00:05)"), so the format
 * lives here once. (Messages about a time that is not a clock time, such as
 * TextGrid's "ends (0.5 s) before it starts", give seconds as written.) */
#ifndef DYAD_CLOCK_H
#define DYAD_CLOCK_H

/* Room for any text clock_format writes. */
#define CLOCK_TEXT_MAX 32

/* "HH:MM:SS", with ".mmm" when the time, rounded to the millisecond, has a
 * fraction ("01:02:03.500"); hours take more digits when needed
 * ("300:00:01"). A negative time is "unknown" (the session model's
 * TIME_UNKNOWN is negative); one that is not finite or over 10^13 seconds
 * is written in seconds ("1e+14 s"). */
void clock_format(double seconds, char out[CLOCK_TEXT_MAX]);

#endif
