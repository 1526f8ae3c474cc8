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
     * The count for one double-precision product.
     *
     * @param m   rows of C
     * @param n   columns of C
     * @param k   the inner dimension
     * @param max the most threads any product may get, at least 1
     * @return a count in [1, max]
     */
    static int threadsFor(int m, int n, int k, int max) {
        return threadsFor(m, n, k, max, false);
    }

    /**
     * The count for one product; a single-precision multiply-add counts half. Why half: sgemm does about twice
     * the multiply-adds per second of dgemm (the same SIMD registers hold twice the floats), so a thread's fixed
     * cost (waking it, handing it its block, its spinning afterwards) is paid back only by twice the work. Whole
     * epochs on the 2-vCPU AMD EPYC agree: in float32 at batch 100 (products of 3.9 million multiply-adds, which
     * get 2 threads in float64) 2 threads took 0.57–1.3 s an epoch against 0.23–0.29 s on 1 ({@code train
     * --dtype float32 --preset tutorial --threads N}, a loaded machine).
     *
     * @param single true for sgemm
     */
    static int threadsFor(int m, int n, int k, int max, boolean single) {
        if (max <= 1) {
            return 1;
        }
        double work = (double) m * n * k * (single ? 0.5 : 1.0);
        double t = Math.floor(work / WORK_PER_THREAD);
        return (int) Math.max(1, Math.min(max, t));
    }
}
