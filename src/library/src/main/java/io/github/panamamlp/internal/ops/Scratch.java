package io.github.panamamlp.internal.ops;

/**
 * Per-thread heap arrays for the kernels of {@link Ops} that stage rows through the Java heap, where C2
 * compiles their loops to SIMD code (it does not vectorise loops over memory segments in JDK 25). One per
 * thread, so that kernels stay safe to call from several threads at once; they grow to the largest row
 * block seen and are then reused, so a warmed-up training step allocates nothing.
 */
final class Scratch {
    /** Elements a kernel stages at once: enough rows of a 50-wide layer (40) to fill the SIMD loops. */
    static final int BLOCK = 2048;

    private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);

    double[] a = new double[BLOCK];
    double[] b = new double[BLOCK];
    double[] row = new double[64];
    /** Where float32 rows are copied before they are widened into {@link #a} or {@link #b}, and narrowed after. */
    float[] f = new float[BLOCK];

    private Scratch() {
    }

    /** This thread's scratch, with {@link #a}, {@link #b} and {@link #f} of at least max(n, m) and {@link #row} of at least {@code m}. */
    static Scratch get(int n, int m) {
        Scratch s = OF_THREAD.get();
        n = Math.max(n, m); // a single row (a bias, a sum) is staged through a, b and f too
        if (s.a.length < n) {
            s.a = new double[n];
            s.b = new double[n];
            s.f = new float[n];
        }
        if (s.row.length < m) {
            s.row = new double[m];
        }
        return s;
    }
}
