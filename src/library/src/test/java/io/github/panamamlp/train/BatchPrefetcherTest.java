package io.github.panamamlp.train;

import io.github.panamamlp.data.ArrayDataset;
import io.github.panamamlp.data.BatchSource;
import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch prefetch thread: the same batches in the same order as filling them on the training thread, and its failures where they belong. */
class BatchPrefetcherTest {

    /** A source whose example i is the row (i, i, …) with label i mod 3; it records the thread of every fill and fails on request. */
    private static final class Recording implements BatchSource {
        final List<String> threads = new ArrayList<>();
        int failAtCall = -1;
        int calls;

        @Override
        public int count() {
            return 10;
        }

        @Override
        public int features() {
            return 2;
        }

        @Override
        public int classes() {
            return 3;
        }

        @Override
        public void fillBatch(int[] order, int from, int to, Matrix x, int[] y) {
            threads.add(Thread.currentThread().getName());
            if (calls++ == failAtCall) {
                throw new IllegalArgumentException("example " + order[from] + " is bad");
            }
            for (int k = 0; k < to - from; k++) {
                x.set(k, 0, order[from + k]);
                x.set(k, 1, order[from + k]);
                y[k] = order[from + k] % 3;
            }
        }
    }

    @Test
    void deliversTheRequestedBatchesInTurnFromTheOtherThread() {
        Recording source = new Recording();
        int[] order = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
        try (Matrix a = Matrix.allocate(4, 2); Matrix b = Matrix.allocate(4, 2);
             BatchPrefetcher p = new BatchPrefetcher(source, a, b, 2)) {
            int[][] ranges = {{0, 4}, {4, 8}, {8, 10}};
            for (int seq = 0; seq < ranges.length; seq++) {
                p.request(seq, order, ranges[seq][0], ranges[seq][1]);
                Matrix x = p.await(seq);
                int rows = ranges[seq][1] - ranges[seq][0];
                assertEquals(rows, x.rows());
                for (int k = 0; k < rows; k++) {
                    assertEquals(order[ranges[seq][0] + k], x.get(k, 0));
                    assertEquals(order[ranges[seq][0] + k] % 3, p.labels(seq)[k]);
                }
                // Batches alternate between the two buffers, so the loop never reads the one being filled.
                assertEquals(seq % 2 == 0 ? a.segment().address() : b.segment().address(), x.segment().address(),
                        "buffer of batch " + seq);
            }
        }
        assertEquals(List.of("panama-mlp batch prefetch", "panama-mlp batch prefetch", "panama-mlp batch prefetch"), source.threads);
    }

    @Test
    void aFailedFillIsThrownForItsBatchOnTheTrainingThread() {
        Recording source = new Recording();
        source.failAtCall = 1;
        int[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        try (Matrix a = Matrix.allocate(5, 2); Matrix b = Matrix.allocate(5, 2);
             BatchPrefetcher p = new BatchPrefetcher(source, a, b, 5)) {
            p.request(0, order, 0, 5);
            p.await(0);
            p.request(1, order, 5, 10);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.await(1));
            assertEquals("example 5 is bad", e.getMessage());
        }
    }

    /** Training with the prefetch thread and without it gives the same bits, in both types. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void fitWithAndWithoutPrefetchIsBitIdentical(DType dtype) {
        Random rnd = new Random(3);
        double[][] xs = new double[1003][12];
        int[] ys = new int[xs.length];
        for (int i = 0; i < xs.length; i++) {
            ys[i] = rnd.nextInt(4);
            for (int j = 0; j < 12; j++) {
                xs[i][j] = rnd.nextGaussian() + ys[i] * (j % 4 == ys[i] ? 1 : 0);
            }
        }
        ArrayDataset data = ArrayDataset.of(xs, ys);
        double[][] params = new double[2][];
        String before = System.getProperty(Trainer.PREFETCH_PROPERTY);
        try {
            for (int run = 0; run < 2; run++) {
                System.setProperty(Trainer.PREFETCH_PROPERTY, run == 0 ? "true" : "false");
                try (Model m = Model.builder(12).dense(16, Activation.RELU).dense(4, Activation.SOFTMAX).seed(2).dtype(dtype).build();
                     Trainer t = new Trainer(m, new Adam(0.01))) {
                    boolean[] workerSeen = new boolean[1];
                    History h = t.fit(data, null, 3, 32, 5, new Trainer.Listener() {
                        @Override
                        public void onBatch(int epoch, int batchesDone, int batches, double meanLoss) {
                            workerSeen[0] |= Thread.getAllStackTraces().keySet().stream()
                                    .anyMatch(th -> th.getName().equals("panama-mlp batch prefetch"));
                        }
                    });
                    // With more than one processor the first run fills its batches on the worker, the second does not.
                    assertEquals(run == 0 && Runtime.getRuntime().availableProcessors() > 1, workerSeen[0], "run " + run);
                    assertTrue(h.last().trainAccuracy() > 0.5, "it learns: " + h.last().trainAccuracy());
                    params[run] = m.parameterArray();
                }
            }
        } finally {
            if (before == null) {
                System.clearProperty(Trainer.PREFETCH_PROPERTY);
            } else {
                System.setProperty(Trainer.PREFETCH_PROPERTY, before);
            }
        }
        assertArrayEquals(params[1], params[0], 0.0);
        assertNotEquals(0.0, params[0][0]);
    }
}
