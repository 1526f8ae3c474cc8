package io.github.panamamlp.bench;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.blas.Transpose;
import io.github.panamamlp.data.LabeledImages;
import io.github.panamamlp.internal.Json;
import io.github.panamamlp.nn.Init;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.preset.Preset;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Trainer;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The epoch benchmark's bookkeeping on a small synthetic set. Never asserts speed. */
class EpochBenchmarkTest {
    @Test
    void timesEveryEpochAndBreaksItDown() {
        LabeledImages data = SyntheticImages.of(330, 11); // 330 = 10·32 + 10: the last batch is short
        TrainingSetup setup = new TrainingSetup("small", 50, Init.glorotUniform(), new Adam(1e-3), 32);
        EpochBenchmark.Options o = new EpochBenchmark.Options(List.of(setup), List.of(1, 2), 1, 3, true, 7);
        var threadsBefore = OpenBlas.forcedThreads();
        List<SetupResult> results = EpochBenchmark.run(o, data, null);
        assertEquals(threadsBefore, OpenBlas.forcedThreads(), "OpenBLAS's thread setting is restored");

        SetupResult r = results.getFirst();
        assertEquals(11, r.batchesPerEpoch());
        assertEquals(List.of(1, 2), r.threadCounts());
        assertEquals(3, r.epochs(1).size());
        assertEquals(3, r.epochs(2).size());
        // Round order: 1,2 then 2,1 then 1,2 — neither thread count always goes first.
        assertEquals(List.of(1, 2, 2, 1, 1, 2), r.epochs().stream().map(EpochSample::threads).toList());
        for (EpochSample e : r.epochs()) {
            // Two dense layers: two products forward; backward dW2, dH and dW1 (the input's gradient is skipped).
            assertEquals(11 * 5, e.gemmCalls());
            assertTrue(e.gemm() > 0 && e.gemm() <= e.forwardBackward(), e.toString());
            assertTrue(e.update() > 0 && e.assembly() > 0, e.toString());
            assertTrue(e.forwardBackward() + e.update() + e.assembly() <= e.seconds() * (1 + 1e-9), e.toString());
            assertTrue(e.gemmShare() > 0 && e.gemmShare() < 1, e.toString());
        }
        assertEquals(3, r.referenceEpochs().size(), "one reference epoch per round");
        assertTrue(r.referenceEpochSeconds() > 0);
    }

    /**
     * Both types in one run: one result per type, in the options' order, the types and thread counts interleaved
     * (reversed every other round), one shared reference epoch per round, and the float32 model's products all sgemm.
     */
    @Test
    void timesFloat32BesideFloat64() {
        LabeledImages data = SyntheticImages.of(330, 11);
        TrainingSetup setup = new TrainingSetup("small", 50, Init.glorotUniform(), new Adam(1e-3), 32);
        EpochBenchmark.Options o = new EpochBenchmark.Options(List.of(setup), List.of(DType.FLOAT64, DType.FLOAT32),
                List.of(BenchSettings.AUTO, 1), 1, 2, true, 7);
        List<SetupResult> results = EpochBenchmark.run(o, data, null);
        assertEquals(2, results.size());
        assertEquals(List.of(DType.FLOAT64, DType.FLOAT32), results.stream().map(SetupResult::dtype).toList());
        for (SetupResult r : results) {
            assertEquals(setup, r.setup());
            assertEquals(List.of(BenchSettings.AUTO, 1), r.threadCounts());
            // Round 1: auto, 1; round 2 reversed: 1, auto.
            assertEquals(List.of(BenchSettings.AUTO, 1, 1, BenchSettings.AUTO), r.epochs().stream().map(EpochSample::threads).toList());
            for (EpochSample e : r.epochs()) {
                assertEquals(11 * 5, e.gemmCalls(), r.label());
                assertTrue(e.gemm() > 0 && e.gemm() <= e.forwardBackward(), e.toString());
            }
            assertEquals(2, r.referenceEpochs().size(), "one reference epoch per round");
        }
        assertEquals(results.get(0).referenceEpochs(), results.get(1).referenceEpochs(), "the reference runs once per round, for both types");
        assertEquals("small float32", results.get(1).label());

        CountingBlas counting = new CountingBlas();
        try (Model m = setup.buildModel(784, 10, 3, new TimingBlas(counting), DType.FLOAT32); Trainer t = new Trainer(m, setup.optimizer())) {
            assertEquals(DType.FLOAT32, m.dtype());
            assertEquals(DType.FLOAT32, m.denseLayers().get(0).weights().dtype());
            t.fit(data, null, 1, setup.batchSize(), 5, null);
        }
        assertEquals(11 * 5, counting.sgemm);
        assertEquals(0, counting.dgemm, "a float32 model runs no float64 product");
        assertEquals(DType.FLOAT64, setup.buildModel(784, 10, 3, Blas.java()).dtype(), "without a type: float64");
    }

    /** Forwards to OpenBLAS and counts the products of each type. */
    private static final class CountingBlas implements Blas {
        int sgemm;
        int dgemm;

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public void dgemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha, MemorySegment a, long aOffset, int lda,
                          MemorySegment b, long bOffset, int ldb, double beta, MemorySegment c, long cOffset, int ldc) {
            dgemm++;
            Blas.openBlas().dgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        }

        @Override
        public void sgemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha, MemorySegment a, long aOffset, int lda,
                          MemorySegment b, long bOffset, int ldb, float beta, MemorySegment c, long cOffset, int ldc) {
            sgemm++;
            Blas.openBlas().sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        }
    }

    @Test
    void timingDoesNotChangeWhatIsTrained() {
        LabeledImages data = SyntheticImages.of(200, 11);
        TrainingSetup setup = TrainingSetup.of(Preset.TUTORIAL);
        double[] plain;
        double[] timed;
        try (Model m = setup.buildModel(784, 10, 3, Blas.openBlas()); Trainer t = new Trainer(m, setup.optimizer())) {
            t.fit(data, null, 2, setup.batchSize(), 5, null);
            plain = m.parameterArray();
        }
        TimingBlas blas = new TimingBlas(Blas.openBlas());
        try (Model m = setup.buildModel(784, 10, 3, blas); Trainer t = new Trainer(m, setup.optimizer())) {
            t.fit(data, null, 2, setup.batchSize(), 5, null);
            timed = m.parameterArray();
        }
        assertArrayEquals(plain, timed, 0.0);
        assertEquals(2 * 2 * 5, blas.calls());
    }

    @Test
    void referenceStartsFromTheModelsParameters() {
        try (Model m = TrainingSetup.of(Preset.DEFAULT).buildModel(784, 10, 1, Blas.openBlas())) {
            var ref = TrainingSetup.referenceOf(m);
            assertArrayEquals(m.denseLayers().get(0).weights().toArray2D()[3], ref.weights().get(0)[3], 0.0);
            assertArrayEquals(m.denseLayers().get(1).bias().toArray(), ref.biases().get(1), 0.0);
            assertEquals(List.of("sigmoid"), ref.hiddenActivations());
        }
    }

    /** The reference's epoch trains on the same batches, in the same order, as a native epoch with the same seed. */
    @Test
    void aReferenceEpochTrainsWhatANativeEpochTrains() {
        LabeledImages data = SyntheticImages.of(250, 11); // batches of 100: the last one is short
        TrainingSetup setup = TrainingSetup.of(Preset.TUTORIAL);
        TimingBlas blas = new TimingBlas(Blas.openBlas());
        try (Model m = setup.buildModel(784, 10, 3, blas); Trainer t = new Trainer(m, setup.optimizer())) {
            var ref = TrainingSetup.referenceOf(m);
            double seconds = EpochBenchmark.referenceEpoch(ref, setup, data, 9);
            assertTrue(seconds > 0);
            EpochSample native1 = EpochBenchmark.epoch(t, blas, data, setup, OpenBlas.threads(), 9);
            assertEquals(3 * 5, native1.gemmCalls());
            double[][] w = m.denseLayers().get(0).weights().toArray2D();
            for (int i = 0; i < w.length; i++) {
                assertArrayEquals(w[i], ref.weights().get(0)[i], 1e-12, "row " + i + " of W1");
            }
            assertArrayEquals(m.denseLayers().get(1).bias().toArray(), ref.biases().get(1), 1e-12);
        }
    }

    @Test
    void samplesAndResultsRoundTripThroughJson() throws Exception {
        EpochSample a = new EpochSample(1, 1.0, 0.7, 55, 0.8, 0.1, 0.05);
        EpochSample b = new EpochSample(2, 0.9, 0.6, 55, 0.7, 0.12, 0.05);
        SetupResult r = new SetupResult(TrainingSetup.of(Preset.TUTORIAL), 60000, 600, List.of(a, b), List.of(1.2, 1.8));
        Map<String, Object> tree = Json.object(Json.parse(Json.write(r.toJsonTree()), "tree"), "tree");
        SetupResult back = SetupResult.fromJsonTree(tree, TrainingSetup.of(Preset.TUTORIAL));
        assertEquals(r, back);
        assertThrows(IllegalArgumentException.class, () -> SetupResult.fromJsonTree(tree, TrainingSetup.of(Preset.DEFAULT)));
        assertEquals(0.1, a.elementwise(), 1e-15);
        assertEquals(1.0 - 0.8 - 0.1 - 0.05, a.rest(), 1e-15);
        assertEquals(0.7, a.gemmShare(), 1e-15);
        assertEquals(1.5, r.referenceEpochSeconds(), 1e-12);
    }

    @Test
    void mediansAndSpread() {
        assertEquals(2.0, Stats.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertTrue(Double.isNaN(Stats.median(List.of())));
        assertEquals(3.0, Stats.quantile(List.of(1.0, 5.0, 3.0, 4.0, 2.0), 0.5));
        assertEquals(1.5, Stats.quantile(List.of(1.0, 3.0, 2.0), 0.25));
        List<EpochSample> e = List.of(1.0, 2.0, 3.0, 4.0, 5.0).stream().map(s -> new EpochSample(1, s, 0, 0, 0, 0, 0)).toList();
        SetupResult r = new SetupResult(TrainingSetup.of(Preset.DEFAULT), 100, 4, e, List.of());
        assertEquals(3.0, r.median(1, EpochSample::seconds));
        assertEquals((4.0 - 2.0) / 3.0, r.relativeSpread(1), 1e-15);
        assertTrue(Double.isNaN(r.referenceEpochSeconds()), "no reference, no extrapolation");
    }

    @Test
    void rejectsBadOptions() {
        List<TrainingSetup> s = List.of(TrainingSetup.of(Preset.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> new EpochBenchmark.Options(List.of(), List.of(1), 1, 1, false, 1));
        assertThrows(IllegalArgumentException.class, () -> new EpochBenchmark.Options(s, List.of(-1), 1, 1, false, 1));
        assertEquals(List.of(BenchSettings.AUTO, 2), new EpochBenchmark.Options(s, List.of(BenchSettings.AUTO, 2), 1, 1, false, 1)
                .threadCounts(), "0 is the thread policy");
        assertThrows(IllegalArgumentException.class, () -> new EpochBenchmark.Options(s, List.of(), 1, 1, false, 1));
        assertThrows(IllegalArgumentException.class, () -> new EpochBenchmark.Options(s, List.of(1), 1, 0, false, 1));
        assertThrows(IllegalArgumentException.class, () -> new EpochBenchmark.Options(s, List.of(1), -1, 1, false, 1));
        assertThrows(IllegalArgumentException.class, () -> new EpochSample(1, Double.NaN, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Preset.named("fast"));
    }
}
