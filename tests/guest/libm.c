/* libm.c — the maths library (link with -lm): double, float and long
 * double functions over a set of inputs, printed exactly (%a), plus
 * rounding modes and floating-point exceptions. */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdio.h>

typedef double f1(double);

static const struct {
	const char *name;
	f1 *fn;
} unary[] = {
	{ "sqrt", sqrt },     { "cbrt", cbrt },	    { "sin", sin },   { "cos", cos },
	{ "tan", tan },	      { "asin", asin },	    { "acos", acos }, { "atan", atan },
	{ "sinh", sinh },     { "cosh", cosh },	    { "tanh", tanh }, { "asinh", asinh },
	{ "acosh", acosh },   { "atanh", atanh },   { "exp", exp },   { "exp2", exp2 },
	{ "expm1", expm1 },   { "log", log },	    { "log2", log2 }, { "log10", log10 },
	{ "log1p", log1p },   { "floor", floor },   { "ceil", ceil }, { "round", round },
	{ "trunc", trunc },   { "rint", rint },	    { "erf", erf },   { "erfc", erfc },
	{ "tgamma", tgamma }, { "lgamma", lgamma }, { "fabs", fabs }, { "logb", logb },
};

static const double in[] = { 0.0,    -0.0, 0.5,	  -0.5,	    1.0,       2.0,  3.0,
			     0.1,    10.0, -7.25, 100.5,    1e-10,     1e10, 710.0,
			     -745.2, M_PI, M_E,	  INFINITY, -INFINITY, NAN };

int main(void)
{
	const int n = sizeof(in) / sizeof(in[0]);

	for (size_t f = 0; f < sizeof(unary) / sizeof(unary[0]); f++) {
		printf("%s:", unary[f].name);
		for (int i = 0; i < n; i++)
			printf(" %a", unary[f].fn(in[i]));
		printf("\n");
	}
	for (int i = 0; i < n; i += 2)
		for (int j = 1; j < n; j += 3)
			printf("x=%g y=%g pow=%a atan2=%a hypot=%a fmod=%a remainder=%a fmax=%a "
			       "copysign=%a nextafter=%a\n",
			       in[i], in[j], pow(in[i], in[j]), atan2(in[i], in[j]),
			       hypot(in[i], in[j]), fmod(in[i], in[j]), remainder(in[i], in[j]),
			       fmax(in[i], in[j]), copysign(in[i], in[j]), nextafter(in[i], in[j]));
	for (int i = 0; i < n; i++) {
		int e;
		double ip, fr = frexp(in[i], &e);
		double mf = modf(in[i], &ip);
		printf("frexp(%g)=%a,%d modf=%a,%a ldexp=%a ilogb=%d isnan=%d isinf=%d signbit=%d "
		       "fpclassify=%d\n",
		       in[i], fr, e, mf, ip, ldexp(in[i], 5), ilogb(in[i]), !!isnan(in[i]),
		       !!isinf(in[i]), !!signbit(in[i]), fpclassify(in[i]));
	}
	printf("fma=%a %a\n", fma(0.1, 10.0, -1.0),
	       fma(1.0 + DBL_EPSILON, 1.0 - DBL_EPSILON, -1.0));
	printf("lround=%ld llround=%lld lrint=%ld\n", lround(-2.5), llround(1e15 + 0.5),
	       lrint(2.5));
	/* float */
	for (int i = 0; i < n; i++)
		printf("f(%g): sinf=%a expf=%a logf=%a powf=%a sqrtf=%a\n", in[i],
		       sinf((float)in[i]), expf((float)in[i]), logf((float)in[i]),
		       powf((float)in[i], 1.5f), sqrtf((float)in[i]));
	/* long double */
	for (int i = 0; i < n; i++) {
		long double x = in[i];
		printf("l(%g): sqrtl=%La expl=%La logl=%La sinl=%La powl=%La cbrtl=%La\n", in[i],
		       sqrtl(x), expl(x), logl(x), sinl(x), powl(x, 0.75L), cbrtl(x));
	}
	printf("M_PI as long double: %.21Lg\n", acosl(-1.0L));
	/* rounding modes */
	const int modes[] = { FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO };
	const char *mname[] = { "nearest", "down", "up", "zero" };
	for (int m = 0; m < 4; m++) {
		volatile double a = 1.0, b = 3.0, c = -2.5;
		fesetround(modes[m]);
		printf("%s: 1/3=%a rint(-2.5)=%g nearbyint(2.5)=%g lrint(-1.5)=%ld "
		       "getround_ok=%d\n",
		       mname[m], a / b, rint(c), nearbyint(-c), lrint(-1.5),
		       fegetround() == modes[m]);
	}
	fesetround(FE_TONEAREST);
	/* exception flags */
	volatile double zero = 0.0, one = 1.0, big = DBL_MAX, tiny = DBL_MIN;
	feclearexcept(FE_ALL_EXCEPT);
	volatile double r = one / zero;
	printf("1/0=%g divbyzero=%d\n", r, !!fetestexcept(FE_DIVBYZERO));
	feclearexcept(FE_ALL_EXCEPT);
	r = big * 2.0;
	printf("overflow=%d inexact=%d\n", !!fetestexcept(FE_OVERFLOW), !!fetestexcept(FE_INEXACT));
	feclearexcept(FE_ALL_EXCEPT);
	r = tiny / 1e10;
	printf("underflow=%d\n", !!fetestexcept(FE_UNDERFLOW));
	feclearexcept(FE_ALL_EXCEPT);
	r = zero / zero;
	printf("0/0 isnan=%d invalid=%d\n", !!isnan(r), !!fetestexcept(FE_INVALID));
	feclearexcept(FE_ALL_EXCEPT);
	r = sqrt(-one);
	printf("sqrt(-1) invalid=%d\n", !!fetestexcept(FE_INVALID));
	return 0;
}
