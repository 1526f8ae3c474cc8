package io.github.panamamlp.data;

import io.github.panamamlp.internal.Permutation;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Random;

import static io.github.panamamlp.data.IdxFiles.allocatedBytes;
import static io.github.panamamlp.data.IdxFiles.randomBytes;
import static io.github.panamamlp.data.IdxFiles.randomLabels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast batch assembly against a plain loop over the public accessors. */
class BatchTest {
    private final Random rnd = new Random(3);
    private final int count = 50;
    private final int rows = 6;
    private final int cols = 5;
    private final LabeledImages set = new LabeledImages(
            IdxImages.of(count, rows, cols, randomBytes(rnd, count * rows * cols)),
            IdxLabels.of(10, randomLabels(rnd, count, 10)));

    /** Reference: element by element, pixel / 255.0. */
    private double[][] referenceImages(int[] order, int from, int to) {
        double[][] x = new double[to - from][rows * cols];
        for (int k = 0; k < to - from; k++) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    x[k][r * cols + c] = set.images().pixel(order[from + k], r, c) / 255.0;
                }
            }
        }
        return x;
    }

    private int[] referenceLabels(int[] order, int from, int to) {
        int[] y = new int[to - from];
        for (int k = 0; k < y.length; k++) {
            y[k] = set.labels().label(order[from + k]);
        }
        return y;
    }

    @Test
    void fillsEveryBatchOfAnEpochLikeThePlainLoop() {
        int[] order = Permutation.forEpoch(count, 11, 0);
        int batch = 16; // 50 = 3·16 + 2: the last batch is partial
        int[] y = new int[batch];
        try (Matrix x = Matrix.allocate(batch, rows * cols)) {
            for (int from = 0; from < count; from += batch) {
                int to = Math.min(count, from + batch);
                Matrix view = x.rowView(0, to - from);
                Arrays.fill(y, -1);
                set.fillBatch(order, from, to, view, y);
                // Exact equality: the fast path must compute the very same doubles.
                assertArrayEquals(referenceImages(order, from, to), view.toArray2D(), "batch at " + from);
                assertArrayEquals(referenceLabels(order, from, to), Arrays.copyOf(y, to - from), "labels at " + from);
                for (int k = to - from; k < batch; k++) {
                    assertEquals(-1, y[k], "label slot past the batch was written");
                }
            }
        }
    }

    /**
     * A fill reads ahead into the next batch's images (to have them in the cache): a bad index there is not
     * this batch's problem. This fill succeeds, and the next one reports the index.
     */
    @Test
    void aBadIndexInTheNextBatchIsReportedByItsOwnFill() {
        byte[] px = new byte[3 * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 20);
        }
        IdxImages images = IdxImages.of(3, 2, 2, px);
        int[] order = {2, 0, 7, 1};
        for (DType t : DType.values()) {
            try (Matrix x = Matrix.allocate(2, 4, t)) {
                images.fillBatch(order, 0, 2, x);
                assertEquals(8 * 20 / 255.0, x.get(0, 0), 1e-7);
                assertEquals(0.0, x.get(1, 0));
                assertThrows(IndexOutOfBoundsException.class, () -> images.fillBatch(order, 2, 4, x));
            }
        }
    }

    @Test
    void coversEveryPixelValue() {
        byte[] all = new byte[256];
        for (int p = 0; p < 256; p++) {
            all[p] = (byte) p;
        }
        IdxImages images = IdxImages.of(1, 16, 16, all);
        try (Matrix x = Matrix.allocate(1, 256)) {
            images.fillBatch(new int[]{0}, 0, 1, x);
            for (int p = 0; p < 256; p++) {
                assertEquals(p / 255.0, x.get(0, p));
            }
            assertEquals(0.0, x.get(0, 0));
            assertEquals(1.0, x.get(0, 255));
        }
        assertArrayEquals(referenceDoubles(images), images.imageAsDoubles(0));
        // Float32 batches: the correctly rounded float p/255 (computed here in float division, which IEEE 754
        // rounds correctly), which must also be the float64 value rounded to float.
        try (Matrix x = Matrix.allocate(1, 256, DType.FLOAT32)) {
            images.fillBatch(new int[]{0}, 0, 1, x);
            for (int p = 0; p < 256; p++) {
                assertEquals(p / 255f, (float) x.get(0, p), 0f, "pixel " + p);
                assertEquals((float) (p / 255.0), (float) x.get(0, p), 0f, "pixel " + p);
            }
        }
    }

    private static double[] referenceDoubles(IdxImages images) {
        double[] v = new double[images.pixelsPerImage()];
        for (int j = 0; j < v.length; j++) {
            v[j] = images.pixel(0, j / images.cols(), j % images.cols()) / 255.0;
        }
        return v;
    }

    @Test
    void respectsTheStrideOfAMatrixOverWiderMemory() {
        int width = rows * cols;
        int stride = width + 3;
        int[] order = {4, 0, 49, 4};
        try (Arena arena = Arena.ofConfined()) {
            Matrix wide = Matrix.allocate(arena, order.length, stride).fill(Double.NaN);
            Matrix x = Matrix.wrap(wide.segment(), order.length, width, stride);
            set.images().fillBatch(order, 0, order.length, x);
            assertArrayEquals(referenceImages(order, 0, order.length), x.toArray2D());
            for (int k = 0; k < order.length; k++) {
                for (int c = width; c < stride; c++) {
                    assertTrue(Double.isNaN(wide.get(k, c)), "padding at row " + k + " was overwritten");
                }
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        int[] order = Permutation.forEpoch(count, 1, 0);
        int[] y = new int[8];
        try (Matrix x = Matrix.allocate(8, rows * cols); Matrix narrow = Matrix.allocate(8, rows * cols - 1)) {
            assertThrows(IllegalArgumentException.class, () -> set.fillBatch(order, 0, 7, x, y), "wrong row count");
            assertThrows(IllegalArgumentException.class, () -> set.fillBatch(order, 0, 8, narrow, y), "wrong width");
            assertThrows(IndexOutOfBoundsException.class, () -> set.fillBatch(order, 45, 53, x, y), "past the order");
            assertThrows(IndexOutOfBoundsException.class, () -> set.fillBatch(order, 0, 8, x, new int[7]), "short labels");
            int[] badOrder = order.clone();
            badOrder[3] = count;
            assertThrows(IndexOutOfBoundsException.class, () -> set.fillBatch(badOrder, 0, 8, x, y), "index ≥ count");
            badOrder[3] = -1;
            assertThrows(IndexOutOfBoundsException.class, () -> set.fillBatch(badOrder, 0, 8, x, y), "negative index");
        }
        Matrix closed = Matrix.allocate(8, rows * cols);
        closed.close();
        assertThrows(IllegalStateException.class, () -> set.fillBatch(order, 0, 8, closed, y));
    }

    @Test
    void allocatesNothingPerBatch() {
        int[] order = Permutation.forEpoch(count, 5, 2);
        int[] y = new int[10];
        try (Matrix x = Matrix.allocate(10, rows * cols)) {
            Runnable epoch = () -> {
                for (int from = 0; from + 10 <= count; from += 10) {
                    set.fillBatch(order, from, from + 10, x, y);
                }
            };
            for (int i = 0; i < 50; i++) {
                epoch.run(); // warm up, so class loading and profiling are out of the way
            }
            int epochs = 200;
            long allocated = allocatedBytes(() -> {
                for (int i = 0; i < epochs; i++) {
                    epoch.run();
                }
            });
            // 1000 batches: any per-batch or per-row object would show up as many kilobytes.
            assertTrue(allocated < 1024, "1000 batches allocated " + allocated + " bytes");
        }
    }
}
