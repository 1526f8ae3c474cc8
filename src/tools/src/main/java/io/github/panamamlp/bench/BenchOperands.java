package io.github.panamamlp.bench;

import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The operands of one timed GEMM, filled exactly as the C program fills its own: one SplitMix64 stream
 * seeded with the benchmark's seed gives A in storage order, then B; values are uniform in [−1, 1), drawn as
 * doubles and, in float32 operands, rounded to the nearest float (Java's cast, C's conversion: the same value).
 * Identical inputs let the two sides' checksums be compared.
 */
final class BenchOperands {
    private BenchOperands() {
    }

    /** SplitMix64 (Steele, Lea and Flood 2014): tiny, fully specified, reproduced bit for bit in C. */
    static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Uniform in [−1, 1): the top 53 bits as a fraction of 2⁵³, scaled; exact in double arithmetic. */
        double nextValue() {
            return (nextLong() >>> 11) * 0x1.0p-53 * 2.0 - 1.0;
        }
    }

    /** A, B and a zero C for {@code shape}, allocated in {@code arena}. */
    record Operands(Matrix a, Matrix b, Matrix c) {
    }

    static Operands allocate(Arena arena, GemmShape shape, long seed) {
        return allocate(arena, shape, DType.FLOAT64, seed);
    }

    /** A, B and a zero C of element type {@code dtype} for {@code shape}, allocated in {@code arena}. */
    static Operands allocate(Arena arena, GemmShape shape, DType dtype, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        Matrix a = Matrix.allocate(arena, shape.aRows(), shape.aCols(), dtype);
        Matrix b = Matrix.allocate(arena, shape.bRows(), shape.bCols(), dtype);
        Matrix c = Matrix.allocate(arena, shape.m(), shape.n(), dtype);
        fill(a, rng);
        fill(b, rng);
        return new Operands(a, b, c);
    }

    /** The same values as {@link #allocate} puts in float64 A and B, as arrays (for the reference product in tests). */
    static double[][][] arrays(GemmShape shape, long seed) {
        return arrays(shape, DType.FLOAT64, seed);
    }

    /** The same values as {@link #allocate} puts in A and B of type {@code dtype}, as double arrays. */
    static double[][][] arrays(GemmShape shape, DType dtype, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        double[][] a = new double[shape.aRows()][shape.aCols()];
        double[][] b = new double[shape.bRows()][shape.bCols()];
        for (double[][] x : new double[][][]{a, b}) {
            for (double[] row : x) {
                for (int j = 0; j < row.length; j++) {
                    double v = rng.nextValue();
                    row[j] = dtype == DType.FLOAT32 ? (float) v : v;
                }
            }
        }
        return new double[][][]{a, b};
    }

    // Written straight into the segment: no temporary array as large as the operand.
    private static void fill(Matrix x, SplitMix64 rng) {
        MemorySegment s = x.segment();
        DType t = x.dtype();
        for (int r = 0; r < x.rows(); r++) {
            long base = (long) r * x.stride();
            for (int col = 0; col < x.cols(); col++) {
                t.set(s, base + col, rng.nextValue());
            }
        }
    }

    /** The weight of C[i][j] in the checksum; positive, and varying so a transposed or shifted result shows. */
    static double weight(long i, long j) {
        return (7 * i + 3 * j) % 11 + 1;
    }

    /** {Σ C[i][j]·w(i,j), Σ |C[i][j]|·w(i,j)}, summed in double in row-major order like the C program, whatever C's type. */
    static double[] checksum(Matrix c) {
        MemorySegment s = c.segment();
        DType t = c.dtype();
        double sum = 0;
        double abs = 0;
        for (int i = 0; i < c.rows(); i++) {
            for (int j = 0; j < c.cols(); j++) {
                long index = (long) i * c.stride() + j;
                double v = t.get(s, index);
                double w = weight(i, j);
                sum += v * w;
                abs += Math.abs(v) * w;
            }
        }
        return new double[]{sum, abs};
    }

    /** The checksum of a result held in an array. */
    static double[] checksum(double[][] c) {
        double sum = 0;
        double abs = 0;
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c[i].length; j++) {
                double w = weight(i, j);
                sum += c[i][j] * w;
                abs += Math.abs(c[i][j]) * w;
            }
        }
        return new double[]{sum, abs};
    }
}
