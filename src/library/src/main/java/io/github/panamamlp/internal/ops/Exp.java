package io.github.panamamlp.internal.ops;

/**
 * e^x for arrays, in loops that C2 compiles to SIMD code: {@link Math#exp} is a call per element that no
 * loop around it vectorises. Within 4 units in the last place of {@code Math.exp}'s result over
 * [−708, 708] (checked by the tests on a million random points); arguments are clamped to that range, so
 * results never overflow to infinity or underflow below 2^−1021 (e.g. e^−1000 gives e^−708 ≈ 3·10^−308
 * where {@code Math.exp} gives 0). NaN gives NaN.
 *
 * <p>How: x = k·ln 2 + r with k = round(x / ln 2) (found by adding and subtracting 1.5·2^52, which rounds
 * to an integer in double arithmetic) and |r| ≤ ln 2 / 2 (ln 2 split in two parts so that k·ln 2 is exact
 * enough); e^r by its Taylor polynomial of degree 13 (truncation error below 10^−17); then × 2^k built in
 * the exponent bits. Two loops, so that each is simple enough for C2's vectoriser: the polynomial, then the
 * scaling.
 */
final class Exp {
    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    private static final double SHIFT = 0x1.8p52;
    private static final double LIMIT = 708.0;
    private static final double C2 = 1 / 2.0, C3 = 1 / 6.0, C4 = 1 / 24.0, C5 = 1 / 120.0, C6 = 1 / 720.0,
            C7 = 1 / 5040.0, C8 = 1 / 40320.0, C9 = 1 / 362880.0, C10 = 1 / 3628800.0, C11 = 1 / 39916800.0,
            C12 = 1 / 479001600.0, C13 = 1 / 6227020800.0;

    private Exp() {
    }

    /**
     * First half: for x = sign·v[i], v[i] = e^r and k[i] = k (see the class comment), for i in [0, n).
     *
     * @param sign 1 for e^x, −1 for e^−x
     */
    static void reduce(double[] v, double[] k, int n, double sign) {
        for (int i = 0; i < n; i++) {
            double x = Math.min(LIMIT, Math.max(-LIMIT, sign * v[i]));
            double ki = (x * LOG2E + SHIFT) - SHIFT;
            double r = Math.fma(-ki, LN2_HI, x);
            r = Math.fma(-ki, LN2_LO, r);
            double p = C13;
            p = Math.fma(p, r, C12);
            p = Math.fma(p, r, C11);
            p = Math.fma(p, r, C10);
            p = Math.fma(p, r, C9);
            p = Math.fma(p, r, C8);
            p = Math.fma(p, r, C7);
            p = Math.fma(p, r, C6);
            p = Math.fma(p, r, C5);
            p = Math.fma(p, r, C4);
            p = Math.fma(p, r, C3);
            p = Math.fma(p, r, C2);
            p = Math.fma(p, r, 1.0);
            v[i] = Math.fma(p, r, 1.0);
            k[i] = ki;
        }
    }

    /** 2^k as a double, for an integer k in [−1022, 1023]. */
    static double twoTo(double k) {
        return Double.longBitsToDouble(((long) k + 1023) << 52);
    }

    /** v[i] = e^(sign·v[i]) for i in [0, n), using k as scratch. */
    static void exp(double[] v, double[] k, int n, double sign) {
        reduce(v, k, n, sign);
        for (int i = 0; i < n; i++) {
            v[i] = v[i] * twoTo(k[i]);
        }
    }

    /** v[i] = 1 / (1 + e^(−v[i])), the logistic function, for i in [0, n), using k as scratch. */
    static void sigmoid(double[] v, double[] k, int n) {
        reduce(v, k, n, -1.0);
        for (int i = 0; i < n; i++) {
            v[i] = 1.0 / (1.0 + v[i] * twoTo(k[i]));
        }
    }
}
