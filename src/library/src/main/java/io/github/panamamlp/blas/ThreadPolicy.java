package io.github.panamamlp.blas;

/**
 * How many OpenBLAS threads one product gets by default: one thread per {@link #WORK_PER_THREAD}
 * multiply-adds, at least one and at most the machine's ceiling.
 *
 * <p>A thread has to be woken, handed its block and waited for, and while it waits for the next product
 * OpenBLAS's worker spins, which on the 2-vCPU AMD EPYC this was measured on slows the training thread's own
 * work: whole epochs of 784→50→10 at batch 32 (products of 1.25 million multiply-adds) took 0.533 s on 2
 * threads against 0.444 s on 1; at batch 100 (3.9 million) 0.286 against 0.321 s; 784→1024→1024→10 at batch
 * 256 (50–270 million) 2.32 against 3.45 s per 15,000 images ({@code panama-mlp bench --no-gemm --coretype
 * none --no-reference}). One thread per 1.5 million multiply-adds gives each of the three the count of its
 * fastest run. The rule depends only on the shape and the ceiling, so on one machine a product always gets
 * the same count, which keeps training reproducible (see the README's Threads section).
 */
final class ThreadPolicy {
    /** Multiply-adds (m·n·k) each thread must get: a product gets floor(m·n·k / this) threads. */
    static final double WORK_PER_THREAD = 1.5e6;

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
