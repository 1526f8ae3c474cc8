package io.github.panamamlp.bench;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.reference.ReferenceGemm;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java side of the benchmark: well-formed measurements of the right product. Never asserts speed. */
class GemmBenchmarkTest {
    /** Few, short repetitions: the test checks the form of the result, not the speed. */
    static final BenchSettings QUICK = new BenchSettings(3, 0, 0, 2, 42);

    @ParameterizedTest
    @ValueSource(strings = {"1,1,1,N,N", "5,4,3,N,N", "5,4,3,T,N", "6,2,7,N,T", "3,8,3,T,T", "33,17,65,T,N"})
    void measurementIsWellFormedAndOfTheRightProduct(String spec) {
        GemmShape shape = GemmShape.parse(spec);
        Measurement m = GemmBenchmark.measure(shape, QUICK);

        assertEquals(Measurement.FFM, m.side());
        assertEquals(OpenBlas.threadsFor(shape.m(), shape.n(), shape.k()), m.threads());
        assertEquals(2, m.callsPerRep(), "the fixed call count is used");
        assertEquals(3, m.secondsPerCall().size(), "one sample per repetition");
        for (double s : m.secondsPerCall()) {
            assertTrue(s > 0 && Double.isFinite(s), "sample " + s);
        }
        assertTrue(m.minSeconds() <= m.medianSeconds());
        assertTrue(m.gflopsMedian() > 0 && Double.isFinite(m.gflopsMedian()), "GFLOPS " + m.gflopsMedian());
        assertEquals(2.0 * shape.m() * shape.n() * shape.k() / m.medianSeconds() / 1e9, m.gflopsMedian(), 1e-12 * m.gflopsMedian());
        assertEquals(m.medianSeconds() * 1e9, m.nsPerCallMedian(), 1e-9);

        // The checksum is that of the textbook product of the same operand values.
        double[][][] ab = BenchOperands.arrays(shape, QUICK.seed());
        double[] expected = BenchOperands.checksum(ReferenceGemm.gemm(1.0, ab[0], shape.transA(), ab[1], shape.transB(), 0.0, null));
        assertEquals(expected[1], m.checksumAbs(), 1e-12 * expected[1]);
        assertEquals(expected[0], m.checksum(), 1e-12 * expected[1]);
    }

    /** float32: the same form, Blas.gemm runs sgemm, and the result is the product of the operands rounded to float. */
    @ParameterizedTest
    @ValueSource(strings = {"1,1,1,N,N", "5,4,3,T,N", "6,2,7,N,T", "33,17,65,T,N", "100,50,784,N,N"})
    void float32MeasurementIsOfTheProductOfTheRoundedOperands(String spec) {
        GemmShape shape = GemmShape.parse(spec);
        Measurement m = GemmBenchmark.measure(shape, DType.FLOAT32, QUICK);
        assertEquals(DType.FLOAT32, m.dtype());
        assertEquals(Measurement.FFM, m.side());
        assertEquals(OpenBlas.threadsFor(shape.m(), shape.n(), shape.k(), DType.FLOAT32), m.threads(), "the policy's count for sgemm");
        assertEquals(2, m.callsPerRep());
        assertEquals(3, m.secondsPerCall().size());
        assertTrue(m.gflopsMedian() > 0 && Double.isFinite(m.gflopsMedian()), "GFLOPS " + m.gflopsMedian());

        double[][][] rounded = BenchOperands.arrays(shape, DType.FLOAT32, QUICK.seed());
        double[] exact = BenchOperands.checksum(ReferenceGemm.gemm(1.0, rounded[0], shape.transA(), rounded[1], shape.transB(), 0.0, null));
        assertEquals(exact[0], m.checksum(), Measurement.checksumTolerance(DType.FLOAT32) * exact[1]);
        assertEquals(exact[1], m.checksumAbs(), 1e-6 * exact[1]);
        // The float64 measurement of the same seed is other work (unrounded operands), which the checksums tell apart.
        assertTrue(!Measurement.checksumsAgree(m, GemmBenchmark.measure(shape, QUICK)), "float32 and float64 never agree");
    }

    /** float32 operands hold the float64 operands' values rounded to float, element by element. */
    @Test
    void float32OperandsAreTheFloat64OnesRounded() {
        GemmShape shape = GemmShape.parse("7,5,3,T,N");
        try (Arena arena = Arena.ofConfined()) {
            BenchOperands.Operands d = BenchOperands.allocate(arena, shape, DType.FLOAT64, 9);
            BenchOperands.Operands f = BenchOperands.allocate(arena, shape, DType.FLOAT32, 9);
            assertEquals(DType.FLOAT32, f.a().dtype());
            assertEquals(DType.FLOAT32, f.c().dtype());
            int differ = 0;
            for (Matrix[] pair : new Matrix[][]{{d.a(), f.a()}, {d.b(), f.b()}}) {
                for (int r = 0; r < pair[0].rows(); r++) {
                    for (int c = 0; c < pair[0].cols(); c++) {
                        assertEquals((float) pair[0].get(r, c), pair[1].get(r, c), 0.0);
                        differ += pair[0].get(r, c) != pair[1].get(r, c) ? 1 : 0;
                    }
                }
            }
            assertTrue(differ > 0, "53-bit values do not all fit in a float");
            double[][][] arrays = BenchOperands.arrays(shape, DType.FLOAT32, 9);
            assertEquals(f.a().get(2, 6), arrays[0][2][6], 0.0);
            assertEquals(f.b().get(2, 4), arrays[1][2][4], 0.0);
        }
    }

    /**
     * The float32 checksum tolerance is wide enough for another summation order: the plain-Java sgemm (one sum per
     * element, in order) and OpenBLAS's (blocked, vectorised) agree within it on the network's largest products.
     */
    @ParameterizedTest
    @ValueSource(strings = {"100,50,784,N,N", "784,50,100,T,N", "50,784,100,T,N", "256,256,256,N,T"})
    void float32ChecksumsOfTwoImplementationsAgree(String spec) {
        GemmShape shape = GemmShape.parse(spec);
        try (Arena arena = Arena.ofConfined()) {
            BenchOperands.Operands op = BenchOperands.allocate(arena, shape, DType.FLOAT32, 42);
            Matrix other = Matrix.allocate(arena, shape.m(), shape.n(), DType.FLOAT32);
            Blas.openBlas().gemm(1, op.a(), shape.transA(), op.b(), shape.transB(), 0, op.c());
            Blas.java().gemm(1, op.a(), shape.transA(), op.b(), shape.transB(), 0, other);
            double[] x = BenchOperands.checksum(op.c());
            double[] y = BenchOperands.checksum(other);
            Measurement a = new Measurement(shape, Measurement.FFM, DType.FLOAT32, 1, 1, List.of(1e-6), x[0], x[1]);
            Measurement b = new Measurement(shape, Measurement.FFM, DType.FLOAT32, 1, 1, List.of(1e-6), y[0], y[1]);
            assertTrue(Measurement.checksumsAgree(a, b), spec + ": " + x[0] + " vs " + y[0] + ", scale " + x[1]);
        }
    }

    @Test
    void calibrationFindsACallCountAndTheSeedChoosesTheOperands() {
        Measurement m = GemmBenchmark.measure(GemmShape.parse("4,4,4,N,N"), new BenchSettings(2, 1, 1, 0, 7));
        assertTrue(m.callsPerRep() >= 1);
        assertEquals(2, m.secondsPerCall().size());
        Measurement again = GemmBenchmark.measure(GemmShape.parse("4,4,4,N,N"), new BenchSettings(2, 1, 1, 0, 7));
        assertTrue(Measurement.checksumsAgree(m, again), "same seed, same product: " + m.checksum() + " vs " + again.checksum());
        Measurement otherSeed = GemmBenchmark.measure(GemmShape.parse("4,4,4,N,N"), new BenchSettings(2, 1, 1, 0, 8));
        assertTrue(!Measurement.checksumsAgree(m, otherSeed), "another seed gives other operands");
    }

    @Test
    void splitMix64MatchesTheReferenceSequence() {
        // First outputs of Vigna's splitmix64.c for seed 0 (the C program uses the same function).
        BenchOperands.SplitMix64 r = new BenchOperands.SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
        assertEquals(0x06C45D188009454FL, r.nextLong());
        BenchOperands.SplitMix64 v = new BenchOperands.SplitMix64(0);
        assertEquals((0xE220A8397B1DCDAFL >>> 11) / 9007199254740992.0 * 2 - 1, v.nextValue());
        for (int i = 0; i < 10_000; i++) {
            double x = v.nextValue();
            assertTrue(x >= -1 && x < 1, "value " + x);
        }
    }

    @Test
    void statisticsOfSamples() {
        GemmShape s = GemmShape.parse("10,10,10,N,N");
        Measurement odd = new Measurement(s, "c", 1, 5, List.of(3e-6, 1e-6, 2e-6), 0, 0);
        assertEquals(2e-6, odd.medianSeconds());
        assertEquals(1e-6, odd.minSeconds());
        assertEquals(2000 / 2e-6 / 1e9, odd.gflopsMedian(), 1e-12);
        assertEquals(2000 / 1e-6 / 1e9, odd.gflopsMax(), 1e-12);
        Measurement even = new Measurement(s, "c", 1, 5, List.of(4e-6, 1e-6, 3e-6, 2e-6), 0, 0);
        assertEquals(2.5e-6, even.medianSeconds(), 1e-18);
        // quartiles of {1,2,3,4}: 1.75 and 3.25, spread (3.25 − 1.75) / 2.5
        assertEquals(0.6, even.relativeSpread(), 1e-12);
        assertEquals(0.0, new Measurement(s, "c", 1, 5, List.of(2e-6, 2e-6, 2e-6), 0, 0).relativeSpread());
        assertEquals(0.0, new Measurement(s, "c", 1, 5, List.of(2e-6), 0, 0).relativeSpread());

        Measurement pooled = Measurement.pool(List.of(odd, even));
        assertEquals(7, pooled.secondsPerCall().size());
        assertEquals(2e-6, pooled.medianSeconds(), "median of all 7 samples");

        assertThrows(IllegalArgumentException.class, () -> Measurement.pool(List.of(odd,
                new Measurement(s, "ffm", 1, 5, List.of(1e-6), 0, 0))), "sides differ");
        assertThrows(IllegalArgumentException.class, () -> Measurement.pool(List.of(odd,
                new Measurement(s, "c", 2, 5, List.of(1e-6), 0, 0))), "thread counts differ");
        assertThrows(IllegalArgumentException.class, () -> Measurement.pool(List.of(odd,
                new Measurement(s, "c", DType.FLOAT32, 1, 5, List.of(1e-6), 0, 0))), "types differ");
        assertEquals(DType.FLOAT64, odd.dtype(), "a measurement without a type is float64's");
        assertThrows(NullPointerException.class, () -> new Measurement(s, "c", null, 1, 5, List.of(1e-6), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Measurement.pool(List.of(
                new Measurement(s, "c", 1, 5, List.of(1e-6), 1.0, 10.0),
                new Measurement(s, "c", 1, 5, List.of(1e-6), 1.5, 10.0))), "results differ");
        assertThrows(IllegalArgumentException.class, () -> new Measurement(s, "c", 1, 5, List.of(), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Measurement(s, "c", 1, 5, List.of(0.0), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Measurement(s, "c", 1, 5, List.of(Double.NaN), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Measurement(s, "c", 1, 0, List.of(1e-6), 0, 0));
    }

    @Test
    void settingsRejectOutOfRangeValues() {
        assertThrows(IllegalArgumentException.class, () -> new BenchSettings(0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new BenchSettings(1, -1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new BenchSettings(1, 0, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new BenchSettings(1, 0, 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new BenchSettings(1, 0, 0, BenchSettings.MAX_CALLS + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new BenchSettings(1, 0, 0, 0, -1));
    }
}
