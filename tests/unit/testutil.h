/* testutil.h: what every cmocka unit test includes. */
#ifndef DYAD_TESTUTIL_H
#define DYAD_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

/* Compare doubles to 1e-9. */
#define assert_double_eq(a, b) assert_true(fabs((double)(a) - (double)(b)) < 1e-9)

#endif
