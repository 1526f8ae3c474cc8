package io.github.panamamlp.blas;

/**
 * How many OpenBLAS threads one product gets by default: one thread per {@link #WORK_PER_THREAD}
 * multiply-adds, at least one and at most the machine's ceiling.
 *
 * <p>A thread has to be woken, handed its block and waited for, and for the network's products (a batch of
 * 32 or 100 rows times 784 × 50) that costs more than it saves: on the 2-vCPU AMD EPYC this was measured on,
 * every such product was slower on 2 threads than on 1. Large products (wide layers, large batches) gain
 * from every core. The rule depends only on the shape and the ceiling, so on one machine a product always
 * gets the same count, which keeps training reproducible (see the README's Threads section).
 */
final class ThreadPolicy {
    /**
     * Multiply-adds (m·n·k) one more thread must get before it is used. Calibrated on the 2-vCPU AMD EPYC
     * (Cooperlake kernel) with the shapes of 784→H→…→10 networks at batches 32 to 1000: see the README's
     * Threads section for the measurements.
     */
    static final double WORK_PER_THREAD = 8e6;

    private ThreadPolicy() {
    }

    /**
     * The count for one product.
     *
     * @param m   rows of C
     * @param n   columns of C
     * @param k   the inner dimension
     * @param max the most threads any product may get, at least 1
     * @return a count in [1, max]
     */
    static int threadsFor(int m, int n, int k, int max) {
        if (max <= 1) {
            return 1;
        }
        double work = (double) m * n * k;
        double t = Math.floor(work / WORK_PER_THREAD);
        return (int) Math.max(1, Math.min(max, t));
    }
}
