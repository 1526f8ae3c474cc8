package io.github.panamamlp.bench;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.data.IdxImages;
import io.github.panamamlp.data.IdxLabels;
import io.github.panamamlp.data.LabeledImages;
import io.github.panamamlp.nn.Init;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The epoch benchmark's bookkeeping on a small synthetic set. Never asserts speed. */
class EpochBenchmarkTest {
    static LabeledImages synthetic(int count) {
        Random rnd = new Random(11);
        byte[] pixels = new byte[count * 784];
        rnd.nextBytes(pixels);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) rnd.nextInt(10);
        }
        return new LabeledImages(IdxImages.of(count, 28, 28, pixels), IdxLabels.of(10, labels));
    }

    @Test
    void timesEveryEpochAndBreaksItDown() {
        LabeledImages data = synthetic(330); // 330 = 10·32 + 10: the last batch is short
        TrainingSetup setup = new TrainingSetup("small", 50, Init.glorotUniform(), new Adam(1e-3), 32);
        EpochBenchmark.Options o = new EpochBenchmark.Options(List.of(setup), List.of(1, 2), 1, 3, 100, 7);
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
        assertEquals(4, r.referenceStepsPerRound(), "100 images in batches of 32 round up to 4 steps");
        assertEquals(3, r.referenceSecondsPerStep().size());
        assertTrue(r.referenceEpochSeconds() > 0);
    }

    @Test
    void timingDoesNotChangeWhatIsTrained() {
        LabeledImages data = synthetic(200);
        TrainingSetup setup = TrainingSetup.tutorial();
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
        try (Model m = TrainingSetup.defaults().buildModel(784, 10, 1, Blas.openBlas())) {
            var ref = TrainingSetup.referenceOf(m);
            assertArrayEquals(m.denseLayers().get(0).weights().toArray2D()[3], ref.weights().get(0)[3], 0.0);
            assertArrayEquals(m.denseLayers().get(1).bias().toArray(), ref.biases().get(1), 0.0);
            assertEquals(List.of("sigmoid"), ref.hiddenActivations());
        }
    }

    @Test
    void samplesAndResultsRoundTripThroughJson() {
        EpochSample a = new EpochSample(1, 1.0, 0.7, 55, 0.8, 0.1, 0.05);
        EpochSample b = new EpochSample(2, 0.9, 0.6, 55, 0.7, 0.12, 0.05);
        SetupResult r = new SetupResult(TrainingSetup.tutorial(), 60000, 600, List.of(a, b), 32, List.of(0.002, 0.003));
        Map<String, Object> tree = Json.parseObject(Json.write(r.toJsonTree()));
        SetupResult back = SetupResult.fromJsonTree(tree, TrainingSetup.tutorial());
        assertEquals(r, back);
        assertThrows(IllegalArgumentException.class, () -> SetupResult.fromJsonTree(tree, TrainingSetup.defaults()));
        assertEquals(0.1, a.elementwise(), 1e-15);
        assertEquals(1.0 - 0.8 - 0.1 - 0.05, a.rest(), 1e-15);
        assertEquals(0.7, a.gemmShare(), 1e-15);
        assertEquals(0.0025 * 600, r.referenceEpochSeconds(), 1e-12);
    }

    @Test
    void mediansAndSpread() {
        assertEquals(2.0, EpochSample.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, EpochSample.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertTrue(Double.isNaN(EpochSample.median(List.of())));
        List<EpochSample> e = List.of(1.0, 2.0, 3.0, 4.0, 5.0).stream().map(s -> new EpochSample(1, s, 0, 0, 0, 0, 0)).toList();
        SetupResult r = new SetupResult(TrainingSetup.defaults(), 100, 4, e, 0, List.of());
        assertEquals(3.0, r.median(1, EpochSample::seconds));
        assertEquals((4.0 - 2.0) / 3.0, r.relativeSpread(1), 1e-15);
        assertTrue(Double.isNaN(r.referenceEpochSeconds()), "no reference, no extrapolation");
    }

    @Test
    void rejectsBadOptions() {
        List<TrainingSetup> s = List.of(TrainingSetup.defaults());
        assertThrows(IllegalArgumentException.class, () -> new EpochBenchmark.Options(List.of(), List.of(1), 1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new EpochBenchmark.Options(s, List.of(0), 1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new EpochBenchmark.Options(s, List.of(1), 1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new EpochBenchmark.Options(s, List.of(1), 1, 1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new EpochSample(1, Double.NaN, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TrainingSetup.named("fast"));
    }
}
