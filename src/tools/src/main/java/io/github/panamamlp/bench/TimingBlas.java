package io.github.panamamlp.bench;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.blas.Transpose;
import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A {@link Blas} that forwards every product to another one and adds up the wall time spent inside it:
 * injected with {@code Model.builder(...).blas(...)}, it says how much of a training epoch is GEMM.
 *
 * <p>What is timed is the whole call into the delegate (its argument checks and, for OpenBLAS, the FFM
 * downcall), read with {@link System#nanoTime()} before and after; the two clock reads are the only overhead
 * (one read took 24–29 ns on an AMD EPYC 2-vCPU VM, JDK 25, 2026-11-30, 7 × 2·10⁷ calls in a loop: about
 * 50 ns a product, 0.5 ms over the 9,375 products of a default-preset epoch). Not thread-safe: one training thread.
 */
public final class TimingBlas implements Blas {
    private final Blas delegate;
    private long nanos;
    private long calls;

    /** Times products computed by {@code delegate}. */
    public TimingBlas(Blas delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The implementation that computes the products. */
    public Blas delegate() {
        return delegate;
    }

    /** Nanoseconds spent inside the delegate since construction or the last {@link #reset()}. */
    public long nanos() {
        return nanos;
    }

    /** Products computed since construction or the last {@link #reset()}. */
    public long calls() {
        return calls;
    }

    /** Sets the time and call count back to zero. */
    public void reset() {
        nanos = 0;
        calls = 0;
    }

    @Override
    public String name() {
        return "timed " + delegate.name();
    }

    @Override
    public void dgemm(Transpose transA, Transpose transB, int m, int n, int k,
                      double alpha, MemorySegment a, long aOffset, int lda,
                      MemorySegment b, long bOffset, int ldb,
                      double beta, MemorySegment c, long cOffset, int ldc) {
        long t0 = System.nanoTime();
        try {
            delegate.dgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        } finally {
            nanos += System.nanoTime() - t0;
            calls++;
        }
    }

    @Override
    public void sgemm(Transpose transA, Transpose transB, int m, int n, int k,
                      float alpha, MemorySegment a, long aOffset, int lda,
                      MemorySegment b, long bOffset, int ldb,
                      float beta, MemorySegment c, long cOffset, int ldc) {
        long t0 = System.nanoTime();
        try {
            delegate.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        } finally {
            nanos += System.nanoTime() - t0;
            calls++;
        }
    }

    @Override
    public void gemm(double alpha, Matrix a, boolean transA, Matrix b, boolean transB, double beta, Matrix c) {
        long t0 = System.nanoTime();
        try {
            delegate.gemm(alpha, a, transA, b, transB, beta, c);
        } finally {
            nanos += System.nanoTime() - t0;
            calls++;
        }
    }
}
