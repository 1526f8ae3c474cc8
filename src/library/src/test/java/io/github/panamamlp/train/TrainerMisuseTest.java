package io.github.panamamlp.train;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.data.ArrayDataset;
import io.github.panamamlp.data.BatchSource;
import io.github.panamamlp.data.Blobs;
import io.github.panamamlp.data.Standardization;
import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.tensor.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each way of misusing a trainer that the issue lists fails at once, with its cause named. */
class TrainerMisuseTest {

    private static Model model(int inputs) {
        return Model.builder(inputs).dense(8, Activation.SIGMOID).dense(3, Activation.SOFTMAX).seed(3).build();
    }

    private static <T extends Throwable> T assertRefused(Class<T> type, Executable action, String... fragments) {
        T e = assertThrows(type, action);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks \"" + f + "\": " + e.getMessage());
        }
        return e;
    }

    /** A source that is not one of the library's own: nothing vouches for its values or labels. */
    private record Rows(double[][] x, int[] y, int features, int classes) implements BatchSource {
        Rows(double[][] x, int[] y) {
            this(x, y, x.length == 0 ? 4 : x[0].length, 3);
        }

        @Override
        public int count() {
            return x.length;
        }

        @Override
        public void fillBatch(int[] order, int from, int to, Matrix m, int[] labels) {
            for (int k = 0; k < to - from; k++) {
                for (int j = 0; j < features; j++) {
                    m.set(k, j, x[order[from + k]][j]);
                }
                labels[k] = y[order[from + k]];
            }
        }
    }

    @Test
    void aClosedModelOrMissingPartsAreRefusedAtConstruction() {
        Model closed = model(4);
        closed.close();
        assertRefused(IllegalStateException.class, () -> new Trainer(closed, new Adam(0.01)), "model is closed");
        assertRefused(IllegalArgumentException.class, () -> new Trainer(null, new Adam(0.01)), "model must not be null");
        try (Model m = model(4)) {
            assertRefused(IllegalArgumentException.class, () -> new Trainer(m, null), "optimizer must not be null");
        }
    }

    @Test
    void emptyTrainingOrTestDataIsRefusedBeforeAnyStep() {
        ArrayDataset data = Blobs.dataset(60, 4, 3, 1);
        Rows empty = new Rows(new double[0][], new int[0]);
        try (Model m = model(4); Trainer t = new Trainer(m, new Adam(0.01))) {
            double[] before = m.parameterArray();
            assertRefused(IllegalArgumentException.class, () -> t.fit(empty, data, 1, 8, 1), "training data is empty");
            assertRefused(IllegalArgumentException.class, () -> t.fit(data, empty, 1, 8, 1), "test data is empty");
            assertRefused(IllegalArgumentException.class, () -> t.evaluate(empty), "data is empty");
            assertEquals(0, t.steps());
            assertArrayEquals(before, m.parameterArray(), 0.0);
            t.fit(data, null, 1, 8, 1); // and after all that the trainer still works
            assertEquals(8, t.steps());
        }
    }

    @Test
    void aBadLabelIsNamedByTheExamplesIndexInTheDataSet() {
        ArrayDataset good = Blobs.dataset(200, 4, 3, 2);
        int[] y = good.labels();
        y[137] = 3;
        Rows data = new Rows(good.rows(), y);
        try (Model m = model(4); Trainer t = new Trainer(m, new Adam(0.01))) {
            // Batches of 16, shuffled: example 137 sits in some batch at some row; the data set's index is named.
            assertRefused(IllegalArgumentException.class, () -> t.fit(data, null, 1, 16, 5), "example 137 has label 3", "0..2");
            y[137] = -1;
            assertRefused(IllegalArgumentException.class, () -> t.fit(data, null, 1, 16, 5), "example 137 has label -1");
        }
    }

    @Test
    void aNonFiniteValueInATrainingBatchIsNamedByTheExamplesIndex() {
        ArrayDataset good = Blobs.dataset(200, 4, 3, 3);
        double[][] x = good.rows();
        x[61][3] = Double.NaN;
        try (Model m = model(4); Trainer t = new Trainer(m, new Adam(0.01))) {
            assertRefused(IllegalArgumentException.class, () -> t.fit(new Rows(x, good.labels()), null, 1, 16, 5),
                    "example 61 has NaN in feature 3");
            // A batch given to step directly: its row is named, and nothing is updated.
            long steps = t.steps();
            double[] before = m.parameterArray();
            try (Matrix batch = Matrix.of(new double[][]{x[0], x[1], x[61]})) {
                assertRefused(IllegalArgumentException.class, () -> t.step(batch, new int[]{0, 1, 2}, 0), "row 2 has NaN in feature 3");
            }
            assertEquals(steps, t.steps());
            assertArrayEquals(before, m.parameterArray(), 0.0);
        }
    }

    @Test
    void divergenceSaysTheParametersDivergedNotTheData() {
        ArrayDataset data = Blobs.dataset(64, 4, 3, 4);
        try (Model m = model(4); Trainer t = new Trainer(m, new Sgd(1e308))) {
            // A learning rate far too large: the first update makes the weights huge, the next forward pass overflows.
            ArithmeticException e = assertRefused(ArithmeticException.class, () -> t.fit(data, null, 1, 16, 1),
                    "training diverged", "after 1 updates", "try a smaller learning rate");
            assertFalse(e.getMessage().contains("after 0 updates"), e.getMessage());
        }
        try (Model m = model(4); Trainer t = new Trainer(m, new Adam(0.01))) {
            // Parameters that are not finite before any update: the initial parameters, not the learning rate.
            m.denseLayers().get(1).weights().set(0, 0, Double.NaN);
            ArithmeticException e = assertRefused(ArithmeticException.class, () -> t.fit(data, null, 1, 16, 1),
                    "training diverged", "after 0 updates", "1 of the model's 67 parameters are NaN or infinite before any update",
                    "initial parameters");
            assertFalse(e.getMessage().contains("smaller learning rate"), e.getMessage());
        }
        try (Model m = model(4); Trainer t = new Trainer(m, new Adam(0.01))) {
            // Finite weights so large that the first forward pass overflows (as with --init normal:1e308): a bad
            // initialization, which the message names instead of advising a smaller learning rate.
            m.denseLayers().get(1).weights().fill(1e308);
            m.denseLayers().get(1).weights().set(0, 0, -1e308);
            ArithmeticException e = assertRefused(ArithmeticException.class, () -> t.fit(data, null, 1, 16, 1),
                    "training diverged", "after 0 updates", "before any update", "initial weights", "smaller initialization");
            assertFalse(e.getMessage().contains("try a smaller learning rate"), e.getMessage());
        }
    }

    @Test
    void twoThreadsTrainingOneModelAreDetected() throws Exception {
        ArrayDataset data = Blobs.dataset(400, 4, 3, 5);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Model m = model(4); Trainer first = new Trainer(m, new Adam(0.01)); Trainer second = new Trainer(m, new Sgd(0.1))) {
            Future<History> running = pool.submit(() -> first.fit(data, null, 1, 16, 1, new Trainer.Listener() {
                @Override
                public void onBatch(int epoch, int batchesDone, int batches, double meanLoss) {
                    if (batchesDone == 1) {
                        inside.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            }));
            assertTrue(inside.await(30, TimeUnit.SECONDS), "the first fit started");
            assertRefused(IllegalStateException.class, () -> second.fit(data, null, 1, 16, 1), "already being trained");
            assertRefused(IllegalStateException.class, () -> first.fit(data, null, 1, 16, 1), "already being trained");
            try (Matrix x = Matrix.of(new double[][]{data.row(0)})) {
                assertRefused(IllegalStateException.class, () -> second.step(x, new int[]{0}, 0), "already being trained");
            }
            release.countDown();
            assertEquals(1, running.get(60, TimeUnit.SECONDS).epochs().size());
            // Once the first is done, the model is free again.
            second.fit(data, null, 1, 16, 1);
            assertEquals(25, second.steps());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /** A standardizing model trains on raw rows exactly as a plain one trains on standardized rows. */
    @Test
    void trainingStandardizesRawRowsExactlyAsStandardizingThemFirst() {
        ArrayDataset.Split split = Blobs.dataset(300, 4, 3, 6).split(0.2, 1);
        Standardization s = split.train().standardization();
        ArrayDataset train = split.train();
        double[][] standardized = new double[train.count()][];
        for (int i = 0; i < standardized.length; i++) {
            standardized[i] = s.apply(train.row(i));
        }
        ArrayDataset pre = ArrayDataset.of(standardized, train.labels(), train.classes());
        try (Model raw = Model.builder(4).dense(8, Activation.RELU).dense(3, Activation.SOFTMAX).seed(9).standardize(s).build();
             Model plain = Model.builder(4).dense(8, Activation.RELU).dense(3, Activation.SOFTMAX).seed(9).build();
             Trainer a = new Trainer(raw, new Adam(0.01)); Trainer b = new Trainer(plain, new Adam(0.01))) {
            a.fit(train, null, 3, 16, 2);
            b.fit(pre, null, 3, 16, 2);
            assertArrayEquals(plain.parameterArray(), raw.parameterArray(), 0.0);
            // The same through step(): x stays raw for the caller, the model sees it standardized.
            try (Matrix x = Matrix.of(new double[][]{train.row(0), train.row(1)});
                 Matrix xs = Matrix.of(new double[][]{standardized[0], standardized[1]})) {
                int[] y = {train.label(0), train.label(1)};
                assertEquals(b.step(xs, y, 0).loss(), a.step(x, y, 0).loss(), 0.0);
                assertArrayEquals(train.row(0), x.toArray2D()[0], 0.0, "the caller's batch is not changed");
                assertArrayEquals(plain.parameterArray(), raw.parameterArray(), 0.0);
            }
        }
    }

    /** Checking and standardizing each batch costs no allocation: steps stay allocation-free once warm. */
    @Test
    void checkedAndStandardizedStepsAllocateNothingOnceWarm() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ArrayDataset data = Blobs.dataset(256, 4, 3, 7);
        try (Model m = Model.builder(4).dense(8, Activation.RELU).dense(3, Activation.SOFTMAX).standardize(data.standardization())
                .blas(Blas.openBlas()).build();
             Trainer t = new Trainer(m, new Adam(0.001));
             Matrix x = Matrix.allocate(16, 4)) {
            int[] order = new int[256];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            int[] y = new int[16];
            Runnable steps = () -> {
                for (int b = 0; b < 16; b++) {
                    data.fillBatch(order, b * 16, b * 16 + 16, x, y);
                    t.step(x, y, 0);
                }
            };
            for (int i = 0; i < 200; i++) {
                steps.run();
            }
            long least = Long.MAX_VALUE;
            for (int w = 0; w < 3; w++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 12; i++) {
                    steps.run(); // 192 steps
                }
                least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
            }
            assertTrue(least <= 256, "192 checked, standardized steps allocated " + least + " bytes");
        }
    }
}
