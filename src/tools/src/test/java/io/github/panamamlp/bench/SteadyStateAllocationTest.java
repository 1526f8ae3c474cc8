package io.github.panamamlp.bench;

import java.util.List;

import org.junit.jupiter.params.provider.Arguments;

import io.github.panamamlp.tensor.DType;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.data.LabeledImages;
import io.github.panamamlp.internal.Permutation;
import io.github.panamamlp.nn.Init;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.preset.Preset;
import io.github.panamamlp.tensor.Matrix;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Momentum;
import io.github.panamamlp.train.Sgd;
import io.github.panamamlp.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady-state training allocates nothing: once warmed up, a training step (batch assembly, forward, loss,
 * backward, update) takes neither heap nor off-heap memory, so {@code train} runs in a small fixed footprint
 * and no garbage collection is ever triggered by training. Measured with the JVM's per-thread allocation
 * counter, which counts every heap allocation of this thread (TLAB or not); off-heap memory can only be taken
 * through an {@code Arena}, whose segment objects would show up here too.
 */
class SteadyStateAllocationTest {
    private static final int WARMUP_STEPS = 600;
    private static final int MEASURED_STEPS = 200;
    /** A budget for a whole window of 200 steps, not per step: the counter's own bookkeeping may show a few bytes. */
    private static final long ALLOWED_BYTES = 256;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Each setup in both element types. */
    static Stream<Arguments> setups() {
        List<TrainingSetup> setups = List.of(TrainingSetup.of(Preset.DEFAULT), TrainingSetup.of(Preset.TUTORIAL),
                new TrainingSetup("momentum", 50, Init.glorotUniform(), new Momentum(0.01, 0.9), 64));
        return Stream.of(DType.values()).flatMap(t -> setups.stream().map(s -> Arguments.of(s, t)));
    }

    @ParameterizedTest
    @MethodSource("setups")
    void trainingStepsAllocateNothingOnceWarm(TrainingSetup setup, DType dtype) {
        measure(setup, dtype, dtype);
    }

    /** A batch of the other type is converted into the trainer's copy, without allocating either. */
    @org.junit.jupiter.api.Test
    void aBatchOfTheOtherTypeIsConvertedWithoutAllocating() {
        measure(TrainingSetup.of(Preset.DEFAULT), DType.FLOAT32, DType.FLOAT64);
    }

    private void measure(TrainingSetup setup, DType dtype, DType batchType) {
        assertTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count allocated bytes per thread");
        LabeledImages data = SyntheticImages.of(2000, 7);
        int batch = setup.batchSize();
        int[] order = Permutation.forEpoch(data.count(), 1, 1);
        int[] y = new int[batch];
        try (Model model = setup.buildModel(784, 10, 1, Blas.openBlas(), dtype);
             Trainer trainer = new Trainer(model, setup.optimizer());
             Matrix x = Matrix.allocate(batch, 784, batchType)) {
            int batches = data.count() / batch;
            double[] sink = new double[1];
            Runnable steps = new Runnable() {
                int next;

                @Override
                public void run() {
                    int b = next++ % batches;
                    data.fillBatch(order, b * batch, (b + 1) * batch, x, y);
                    sink[0] += trainer.step(x, y, 0).loss();
                }
            };
            for (int i = 0; i < WARMUP_STEPS; i++) {
                steps.run();
            }
            // Three windows: an allocation made every step shows in each of them (at least 16 bytes an object, so
            // 3,200 bytes a window), while a one-off event of the JVM (a method handle being customised, a
            // recompilation) shows in one window at most.
            long[] windows = new long[3];
            for (int w = 0; w < windows.length; w++) {
                long before = THREADS.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < MEASURED_STEPS; i++) {
                    steps.run();
                }
                windows[w] = THREADS.getCurrentThreadAllocatedBytes() - before;
            }
            assertTrue(Double.isFinite(sink[0]), "training diverged");
            long least = Math.min(windows[0], Math.min(windows[1], windows[2]));
            long most = Math.max(windows[0], Math.max(windows[1], windows[2]));
            String seen = setup.name() + " " + dtype + " (batch " + batchType + "): bytes allocated by each window of " + MEASURED_STEPS + " warmed-up steps: "
                    + java.util.Arrays.toString(windows);
            assertTrue(least <= ALLOWED_BYTES, seen + "; allowed in a window: " + ALLOWED_BYTES);
            assertTrue(most < MEASURED_STEPS * 16L, seen + ": as much as one object per step");
        }
    }

    /** The counter does see allocations: the same measurement around steps that allocate must exceed the budget. */
    @Test
    void theCounterSeesAnAllocatingStep() {
        Object[] keep = new Object[MEASURED_STEPS];
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED_STEPS; i++) {
            keep[i] = new double[4]; // 48 bytes each: what a single boxed temporary per step would cost
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated >= MEASURED_STEPS * 32L && allocated > ALLOWED_BYTES,
                "the allocation counter missed " + MEASURED_STEPS + " small arrays: it counted " + allocated + " bytes");
        assertTrue(keep[MEASURED_STEPS - 1] != null);
    }
}
