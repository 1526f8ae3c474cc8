package io.github.panamamlp.data;

import io.github.panamamlp.tensor.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrayDatasetTest {

    /** n rows of k values: row i is i + j/10 in column j, so every value says where it came from. */
    private static double[][] rows(int n, int k) {
        double[][] x = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                x[i][j] = i + j / 10.0;
            }
        }
        return x;
    }

    private static void assertRefused(Executable action, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks \"" + f + "\": " + e.getMessage());
        }
    }

    @Test
    void holdsCopiesOfTheArraysAndCountsClassesFromTheLargestLabel() {
        double[][] x = rows(5, 3);
        int[] y = {0, 2, 1, 2, 0};
        ArrayDataset d = ArrayDataset.of(x, y);
        assertEquals(5, d.count());
        assertEquals(3, d.features());
        assertEquals(3, d.classes());
        assertEquals(List.of("0", "1", "2"), d.classNames());
        assertFalse(d.hasClassNames());
        assertEquals(List.of(), d.featureNames());
        assertArrayEquals(new double[]{3, 3.1, 3.2}, d.row(3));
        assertEquals(2, d.label(3));
        x[3][0] = 99;
        y[3] = 0;
        assertArrayEquals(new double[]{3, 3.1, 3.2}, d.row(3), "the dataset copied the rows");
        assertEquals(2, d.label(3), "the dataset copied the labels");
        d.row(3)[0] = -1;
        d.labels()[3] = 0;
        assertEquals(3.0, d.row(3)[0], "row() hands out a copy");
        assertEquals(2, d.labels()[3], "labels() hands out a copy");

        ArrayDataset wider = ArrayDataset.of(rows(5, 3), new int[]{0, 2, 1, 2, 0}, 7);
        assertEquals(7, wider.classes());
        assertEquals(7, wider.classNames().size());
        assertEquals("6", wider.classNames().get(6));
    }

    @Test
    void floatRowsAreWidenedExactly() {
        float[][] f = {{0.1f, 1e-30f, -3.5f}, {7f, 0f, 1.25f}};
        ArrayDataset d = ArrayDataset.of(f, new int[]{1, 0});
        assertArrayEquals(new double[]{0.1f, 1e-30f, -3.5f}, d.row(0), 0.0);
        assertArrayEquals(new double[]{7, 0, 1.25}, d.row(1), 0.0);
        assertEquals(2, d.classes());
        assertEquals(4, ArrayDataset.of(f, new int[]{1, 0}, 4).classes());
        assertRefused(() -> ArrayDataset.of(new float[][]{{1f}, {Float.NaN}}, new int[]{0, 0}), "row 1, column 0", "NaN");
    }

    @Test
    void eachBadInputIsRefusedUpFrontNamingTheRow() {
        assertRefused(() -> ArrayDataset.of(new double[0][], new int[0]), "no examples");
        assertRefused(() -> ArrayDataset.of(rows(4, 2), new int[3]), "4 rows", "3");
        assertRefused(() -> ArrayDataset.of(new double[][]{{1, 2}, {3, 4}, {5}}, new int[3]), "row 2", "1 values", "row 0 has 2");
        assertRefused(() -> ArrayDataset.of(new double[][]{{1, 2}, null}, new int[2]), "row 1", "null");
        assertRefused(() -> ArrayDataset.of(new double[][]{{}, {}}, new int[2]), "at least one feature");
        double[][] nan = rows(6, 4);
        nan[5][2] = Double.NaN;
        assertRefused(() -> ArrayDataset.of(nan, new int[6]), "row 5, column 2", "NaN");
        double[][] inf = rows(6, 4);
        inf[1][3] = Double.NEGATIVE_INFINITY;
        assertRefused(() -> ArrayDataset.of(inf, new int[6]), "row 1, column 3", "Infinity");
        assertRefused(() -> ArrayDataset.of(rows(5, 2), new int[]{0, 1, 2, 3, 1}, 3), "label 3 at row 3", "0..2");
        assertRefused(() -> ArrayDataset.of(rows(5, 2), new int[]{0, 1, -1, 0, 0}), "label -1 at row 2");
        assertRefused(() -> ArrayDataset.of(rows(2, 2), new int[2], 0), "at least 1");
        assertRefused(() -> ArrayDataset.of((double[][]) null, new int[0]), "null");
        assertRefused(() -> ArrayDataset.of(rows(2, 2), null), "null");
    }

    /** 30 of class 0, 60 of class 1, 10 of class 2, rows in class order. */
    private static ArrayDataset unbalanced() {
        int[] y = new int[100];
        for (int i = 0; i < 100; i++) {
            y[i] = i < 30 ? 0 : i < 90 ? 1 : 2;
        }
        return ArrayDataset.of(rows(100, 2), y);
    }

    @Test
    void splitIsStratifiedSeededAndAPartition() {
        ArrayDataset d = unbalanced();
        ArrayDataset.Split s = d.split(0.2, 7);
        assertEquals(80, s.train().count());
        assertEquals(20, s.test().count());
        int[] perClass = new int[3];
        for (int y : s.test().labels()) {
            perClass[y]++;
        }
        assertArrayEquals(new int[]{6, 12, 2}, perClass, "each class gives a fifth of its examples");
        // A partition: every example is in exactly one part, with its own label (row i starts with i).
        Set<Integer> seen = new HashSet<>();
        for (ArrayDataset part : List.of(s.train(), s.test())) {
            double previous = -1;
            for (int i = 0; i < part.count(); i++) {
                int original = (int) part.row(i)[0];
                assertTrue(seen.add(original), "example " + original + " in both parts");
                assertEquals(d.label(original), part.label(i));
                assertTrue(original > previous, "each part keeps the original order");
                previous = original;
            }
            assertEquals(3, part.classes(), "both parts keep the class count");
        }
        assertEquals(100, seen.size());
        // The same seed, the same split; another seed, another one.
        assertArrayEquals(s.test().rows(), d.split(0.2, 7).test().rows());
        assertFalse(Arrays.deepEquals(s.test().rows(), d.split(0.2, 8).test().rows()));
    }

    @Test
    void splitRefusesFractionsThatLeaveAPartEmpty() {
        ArrayDataset d = unbalanced();
        assertRefused(() -> d.split(0, 1), "strictly between 0 and 1");
        assertRefused(() -> d.split(1, 1), "strictly between 0 and 1");
        assertRefused(() -> d.split(Double.NaN, 1), "strictly between 0 and 1");
        ArrayDataset three = ArrayDataset.of(rows(3, 1), new int[]{0, 1, 2});
        assertRefused(() -> three.split(0.2, 1), "test part empty");
        assertRefused(() -> three.split(0.9, 1), "training part empty");
    }

    @Test
    void standardizationIsTheMeanAndPopulationStdOfEachFeature() {
        double[][] x = {{1, 5, 10}, {3, 5, -10}, {5, 5, 0}, {7, 5, 0}};
        Standardization s = ArrayDataset.of(x, new int[4]).standardization();
        assertArrayEquals(new double[]{4, 5, 0}, s.mean(), 1e-15);
        assertArrayEquals(new double[]{Math.sqrt(5), 1, Math.sqrt(50)}, s.std(), 1e-15, "a constant column gets std 1");
        assertArrayEquals(new double[]{-3 / Math.sqrt(5), 0, 10 / Math.sqrt(50)}, s.apply(x[0]), 1e-15);
        assertEquals(s, Standardization.of(s.mean(), s.std()));
        assertRefused(() -> Standardization.of(new double[]{0, 0}, new double[]{1, 0}), "feature 1");
        assertRefused(() -> Standardization.of(new double[]{Double.NaN}, new double[]{1}), "feature 0");
        assertRefused(() -> Standardization.of(new double[]{0}, new double[]{1, 1}), "1 and 2");
    }

    @Test
    void fillBatchCopiesTheOrderedRowsAndAllocatesNothing() {
        ArrayDataset d = ArrayDataset.of(rows(50, 3), new Random(3).ints(50, 0, 4).toArray(), 4);
        int[] order = new int[50];
        for (int i = 0; i < 50; i++) {
            order[i] = 49 - i;
        }
        int[] y = new int[8];
        try (Matrix parent = Matrix.allocate(8, 5); Matrix x = Matrix.wrap(parent.segment(), 8, 3, 5)) {
            d.fillBatch(order, 10, 18, x, y);
            for (int k = 0; k < 8; k++) {
                assertArrayEquals(d.row(39 - k), new double[]{x.get(k, 0), x.get(k, 1), x.get(k, 2)});
                assertEquals(d.label(39 - k), y[k]);
                assertEquals(0.0, parent.get(k, 3), "the stride's padding is left alone");
            }
            for (int i = 0; i < 20_000; i++) { // warm up, then measure
                d.fillBatch(order, i % 40, i % 40 + 8, x, y);
            }
            long bytes = IdxFiles.allocatedBytes(() -> {
                for (int i = 0; i < 1000; i++) {
                    d.fillBatch(order, i % 40, i % 40 + 8, x, y);
                }
            });
            assertTrue(bytes < 1000, "1000 batches allocated " + bytes + " bytes");
            assertThrows(IllegalArgumentException.class, () -> d.fillBatch(order, 0, 7, x, y));
            assertThrows(IndexOutOfBoundsException.class, () -> d.fillBatch(new int[]{0, 1, 2, 3, 4, 5, 6, 50}, 0, 8, x, y));
        }
    }

    @Test
    void classNamesRenumberTheLabels() {
        ArrayDataset d = ArrayDataset.of(rows(4, 1), new int[]{0, 1, 1, 0});
        ArrayDataset mapped = d.withClassNames(List.of("1", "x", "0"));
        assertArrayEquals(new int[]{2, 0, 0, 2}, mapped.labels());
        assertEquals(3, mapped.classes());
        assertTrue(mapped.hasClassNames());
        assertEquals(List.of("1", "x", "0"), mapped.classNames());
        assertRefused(() -> d.withClassNames(List.of("0", "2")), "class '1' of example 1");
        assertRefused(() -> d.withClassNames(List.of("0", "1", "0")), "twice");
        assertNotEquals(d.classNames(), mapped.classNames());
    }
}
