package io.github.panamamlp.bench;

import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.reference.ReferenceGemm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
