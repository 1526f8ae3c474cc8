package io.github.panamamlp.bench;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * The FFM side of {@link GemmComparison}: times {@code Blas.openBlas().gemm} on {@link Matrix} operands from Java,
 * with the scheme of the C program
 * {@code native/gemm_bench} (see {@link BenchSettings}): same operand values, same warm-up, same
 * calibration, same repetitions, {@link System#nanoTime()} instead of {@code clock_gettime(CLOCK_MONOTONIC)}
 * (which is what it reads on Linux).
 *
 * <p>What is timed is the whole call a user of the library makes, {@code blas.gemm(1, A, tA, B, tB, 0, C)}:
 * shape checks, argument checks and the FFM downcall into {@code cblas_dgemm} (float64 matrices) or
 * {@code cblas_sgemm} (float32 matrices).
 */
public final class GemmBenchmark {
    private GemmBenchmark() {
    }

    /**
     * Times {@code shape} through {@link Blas#openBlas()} with the threads OpenBLAS gives it now (the forced
     * count, or the thread policy's choice for the shape): the FFM side of {@link GemmComparison}.
     */
    public static Measurement measure(GemmShape shape, BenchSettings settings) {
        return measure(shape, DType.FLOAT64, settings);
    }

    /**
     * Times {@code shape} on matrices of element type {@code dtype} ({@code Blas.gemm} then runs {@code cblas_sgemm} for
     * float32, {@code cblas_dgemm} for float64), as {@link #measure(GemmShape, BenchSettings)} does; the threads are the
     * forced count, or the thread policy's choice for the shape in that type.
     */
    public static Measurement measure(GemmShape shape, DType dtype, BenchSettings settings) {
        Blas blas = Blas.openBlas();
        try (Arena arena = Arena.ofConfined()) {
            BenchOperands.Operands op = BenchOperands.allocate(arena, shape, dtype, settings.seed());
            Matrix a = op.a();
            Matrix b = op.b();
            Matrix c = op.c();
            boolean ta = shape.transA();
            boolean tb = shape.transB();

            // Warm-up, as long as the C program's: pages in the operands, starts OpenBLAS's threads, and lets the JIT
            // compile the call path.
            long warmupNanos = settings.warmupMillis() * 1_000_000L;
            long start = System.nanoTime();
            do {
                blas.gemm(1.0, a, ta, b, tb, 0.0, c);
            } while (System.nanoTime() - start < warmupNanos);

            long calls = settings.fixedCalls();
            if (calls == 0) {
                calls = calibrate(blas, a, ta, b, tb, c, settings.minRepMillis() * 1_000_000L);
            }
            List<Double> samples = new ArrayList<>(settings.repetitions());
            for (int r = 0; r < settings.repetitions(); r++) {
                samples.add(timeCalls(blas, a, ta, b, tb, c, calls) * 1e-9 / calls);
            }
            double[] sum = BenchOperands.checksum(c);
            return new Measurement(shape, Measurement.FFM, dtype, OpenBlas.threadsFor(shape.m(), shape.n(), shape.k(), dtype), calls,
                    samples, sum[0], sum[1]);
        }
    }

    /** The C program's rule: grow the call count from 1 until one timed batch lasts at least minNanos. */
    private static long calibrate(Blas blas, Matrix a, boolean ta, Matrix b, boolean tb, Matrix c, long minNanos) {
        long calls = 1;
        long t = timeCalls(blas, a, ta, b, tb, c, calls);
        while (t < minNanos && calls < BenchSettings.MAX_CALLS) {
            long next = t > 0 ? (long) ((double) calls * (double) minNanos / (double) t * 1.2) + 1 : calls * 10;
            next = Math.min(next, calls * 100);
            next = Math.max(next, calls + 1);
            calls = next;
            t = timeCalls(blas, a, ta, b, tb, c, calls);
        }
        return calls;
    }

    private static long timeCalls(Blas blas, Matrix a, boolean ta, Matrix b, boolean tb, Matrix c, long calls) {
        long start = System.nanoTime();
        for (long i = 0; i < calls; i++) {
            blas.gemm(1.0, a, ta, b, tb, 0.0, c);
        }
        return System.nanoTime() - start;
    }
}
