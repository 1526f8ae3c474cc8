package io.github.panamamlp.bench;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.data.LabeledImages;
import io.github.panamamlp.internal.Json;
import io.github.panamamlp.nn.Init;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.preset.Preset;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Trainer;
import org.junit.jupiter.api.Test;

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
