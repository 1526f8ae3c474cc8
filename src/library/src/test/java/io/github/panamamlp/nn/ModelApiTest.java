package io.github.panamamlp.nn;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.data.ArrayDataset;
import io.github.panamamlp.data.BatchSource;
import io.github.panamamlp.data.Blobs;
import io.github.panamamlp.data.Standardization;
import io.github.panamamlp.internal.Json;
import io.github.panamamlp.internal.npz.Npz;
import io.github.panamamlp.internal.npz.NpzContents;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model's user-facing surface: save and load, evaluate, batched prediction, standardization, class names. */
class ModelApiTest {
    private static final List<String> NAMES = List.of("alpha", "beta", "gamma");

    private static Model.Builder net(ArrayDataset train) {
        return Model.builder(train.features()).dense(16, Activation.RELU).dense(3, Activation.SOFTMAX).seed(4);
    }

    /** A model trained for a few epochs on standardized blobs, with class names. */
    private static Model trained(ArrayDataset.Split split) {
        Model m = net(split.train()).standardize(split.train().standardization()).classNames(NAMES)
                .featureNames(List.of("f0", "f1", "f2", "f3", "f4")).build();
        try (Trainer t = new Trainer(m, new Adam(0.01))) {
            t.fit(split.train(), split.test(), 5, 32, 1);
        }
        return m;
    }

    private static void assertRefused(Class<? extends Throwable> type, Executable action, String... fragments) {
        Throwable e = assertThrows(type, action);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks \"" + f + "\": " + e.getMessage());
        }
    }

    @Test
    void aSavedModelLoadsBackAndEvaluatesAndPredictsIdentically(@TempDir Path dir) throws Exception {
        ArrayDataset.Split split = Blobs.dataset(600, 5, 3, 11).split(0.25, 2);
        Path file = dir.resolve("model.npz");
        try (Model m = trained(split)) {
            Evaluation before = m.evaluate(split.test());
            assertTrue(before.accuracy() > 0.9, "blobs are easy once standardized: " + before.accuracy());
            assertEquals(150, before.count());
            m.save(file);
            try (Model back = Model.load(file)) {
                Evaluation after = back.evaluate(split.test());
                assertEquals(before.loss(), after.loss(), 0.0, "the loaded model evaluates identically");
                assertEquals(before.accuracy(), after.accuracy(), 0.0);
                assertArrayEquals(before.confusion(), after.confusion());
                assertEquals(NAMES, back.classNames());
                assertEquals(List.of("f0", "f1", "f2", "f3", "f4"), back.featureNames());
                assertEquals(m.standardization(), back.standardization());
                double[][] rows = split.test().rows();
                assertArrayEquals(m.predict(rows), back.predict(rows));
                assertArrayEquals(m.predictClasses(rows), back.predictClasses(rows));
            }
            try (Model javaBack = Model.load(file, Blas.java())) {
                assertSame(Blas.java(), javaBack.blas());
            }
        }
        // The file, as numpy sees it: version 3 with its type, the names in the JSON, the statistics as arrays.
        NpzContents c = Npz.read(file);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) c.jsonValue();
        assertEquals(3L, json.get("version"));
        assertEquals("float64", json.get("dtype"));
        assertEquals(NAMES, json.get("classes"));
        assertEquals(List.of("f0", "f1", "f2", "f3", "f4"), json.get("features"));
        Standardization s = split.train().standardization();
        assertArrayEquals(s.mean(), c.array("mean").data(), 0.0);
        assertArrayEquals(s.std(), c.array("std").data(), 0.0);
        assertEquals(List.of("W1", "b1", "W2", "b2", "mean", "std"), List.copyOf(c.arrays().keySet()));
    }

    private static void assertSame(Object expected, Object actual) {
        assertTrue(expected == actual, expected + " vs " + actual);
    }

    @Test
    void aModelWithoutNamesOrStatisticsWritesAVersion1ShapedFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plain.npz");
        try (Model m = Model.builder(4).dense(3, Activation.SOFTMAX).build()) {
            assertEquals(List.of("0", "1", "2"), m.classNames());
            assertTrue(m.standardization().isEmpty());
            assertEquals(List.of(), m.featureNames());
            m.save(file);
        }
        NpzContents c = Npz.read(file);
        Map<?, ?> json = (Map<?, ?>) Json.parse(c.json(), "model_json");
        assertFalse(json.containsKey("classes") || json.containsKey("features"), json.toString());
        assertEquals(List.of("W1", "b1"), List.copyOf(c.arrays().keySet()));
    }

    /** Standardizing inside the model is the same as feeding it standardized rows. */
    @Test
    void theModelStandardizesRawRowsItself() {
        ArrayDataset data = Blobs.dataset(90, 5, 3, 5);
        Standardization s = data.standardization();
        double[][] raw = data.rows();
        double[][] standardized = new double[raw.length][];
        for (int i = 0; i < raw.length; i++) {
            standardized[i] = s.apply(raw[i]);
        }
        try (Model with = net(data).standardize(s).blas(Blas.java()).build();
             Model without = net(data).blas(Blas.java()).build()) {
            assertArrayEquals(without.predict(standardized), with.predict(raw));
            assertArrayEquals(without.predict(standardized[7]), with.predict(raw[7]), 0.0);
            try (Matrix m = Matrix.of(raw); Matrix p = with.predict(m)) {
                assertArrayEquals(without.predict(standardized), p.toArray2D());
                assertArrayEquals(raw[0], m.toArray2D()[0], 0.0, "predict(Matrix) leaves the caller's rows alone");
            }
            ArrayDataset standardizedData = ArrayDataset.of(standardized, data.labels());
            assertEquals(without.evaluate(standardizedData).loss(), with.evaluate(data).loss(), 0.0);
        }
    }

    @Test
    void batchedPredictionAgreesWithOneRowAtATimeAcrossChunks() {
        ArrayDataset data = Blobs.dataset(2500, 5, 3, 8); // more than one 1024-row chunk
        double[][] rows = data.rows();
        try (Model m = net(data).standardize(data.standardization()).blas(Blas.java()).build()) {
            double[][] p = m.predict(rows);
            int[] c = m.predictClasses(rows);
            assertEquals(2500, p.length);
            for (int i : new int[]{0, 1023, 1024, 2047, 2048, 2499}) {
                // Blas.java() sums each element in the same order whatever the row count: bit for bit.
                assertArrayEquals(m.predict(rows[i]), p[i], 0.0, "row " + i);
                assertEquals(m.predictClass(rows[i]), c[i], "row " + i);
            }
            assertEquals(0, m.predict(new double[0][]).length);
            assertEquals(0, m.predictClasses(new double[0][]).length);
        }
    }

    @Test
    void nonFiniteInputToPredictIsRefusedNamingTheRow() {
        ArrayDataset data = Blobs.dataset(30, 5, 3, 9);
        double[][] rows = data.rows();
        rows[7][2] = Double.NaN;
        try (Model m = net(data).build()) {
            assertRefused(IllegalArgumentException.class, () -> m.predict(rows), "row 7", "NaN in feature 2");
            assertRefused(IllegalArgumentException.class, () -> m.predictClasses(rows), "row 7", "NaN");
            assertRefused(IllegalArgumentException.class, () -> m.predict(rows[7]), "the input has NaN in feature 2");
            assertRefused(IllegalArgumentException.class, () -> m.predictClass(new double[]{0, 0, Double.POSITIVE_INFINITY, 0, 0}),
                    "Infinity in feature 2");
            try (Matrix x = Matrix.of(rows)) {
                assertRefused(IllegalArgumentException.class, () -> m.predict(x), "row 7", "NaN");
            }
            assertRefused(IllegalArgumentException.class, () -> m.predict(new double[][]{rows[0], new double[4]}), "row 1 has 4 values");
        }
    }

    /** A source that is not one of the library's: its values and labels are checked batch by batch. */
    private record Rows(double[][] x, int[] y, int features, int classes) implements BatchSource {
        Rows(double[][] x, int[] y, int classes) {
            this(x, y, x[0].length, classes);
        }

        @Override
        public int count() {
            return x.length;
        }

        @Override
        public void fillBatch(int[] order, int from, int to, Matrix m, int[] labels) {
            for (int k = 0; k < to - from; k++) {
                for (int j = 0; j < features(); j++) {
                    m.set(k, j, x[order[from + k]][j]);
                }
                labels[k] = y[order[from + k]];
            }
        }
    }

    @Test
    void evaluationRefusesEmptyDataAndNamesBadExamplesByTheirIndex() {
        ArrayDataset data = Blobs.dataset(2100, 5, 3, 10);
        try (Model m = net(data).build()) {
            assertRefused(IllegalArgumentException.class, () -> m.evaluate(new Rows(new double[0][], new int[0], 5, 3)),
                    "evaluation data is empty");
            double[][] x = data.rows();
            int[] y = data.labels();
            y[1537] = 3; // in the second chunk of 1000: named by its index in the data, not in the chunk
            assertRefused(IllegalArgumentException.class, () -> m.evaluate(new Rows(x, y, 3)), "example 1537 has label 3");
            y[1537] = 0;
            x[1999][4] = Double.NEGATIVE_INFINITY;
            assertRefused(IllegalArgumentException.class, () -> m.evaluate(new Rows(x, y, 3)), "example 1999", "-Infinity in feature 4");
            assertRefused(IllegalArgumentException.class, () -> m.evaluate(null), "must not be null");
            assertRefused(IllegalArgumentException.class, () -> m.evaluate(ArrayDataset.of(new double[][]{{1, 2}}, new int[]{0})),
                    "2 features but the model takes 5");
        }
    }

    @Test
    void dataWithOtherClassNamesIsRefusedUnlessRenumbered(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("two.csv");
        Files.writeString(csv, "a,b,c,d,e,y\n1,2,3,4,5,gamma\n2,3,4,5,6,alpha\n");
        ArrayDataset two = ArrayDataset.readCsv(csv, "y");
        assertEquals(List.of("alpha", "gamma"), two.classNames());
        try (Model m = net(two).classNames(NAMES).build()) {
            assertRefused(IllegalArgumentException.class, () -> m.evaluate(two), "[alpha, gamma]", "withClassNames");
            ArrayDataset renumbered = two.withClassNames(m.classNames());
            assertArrayEquals(new int[]{2, 0}, renumbered.labels());
            assertEquals(2, m.evaluate(renumbered).count());
        }
    }

    @Test
    void saveRefusesNonFiniteParametersAndWritesNothing(@TempDir Path dir) {
        Path file = dir.resolve("diverged.npz");
        try (Model m = Model.builder(4).dense(3, Activation.SIGMOID).dense(2, Activation.SOFTMAX).build()) {
            m.denseLayers().get(1).weights().set(2, 1, Double.NaN);
            m.denseLayers().get(0).bias().set(0, 1, Double.POSITIVE_INFINITY);
            assertRefused(IllegalStateException.class, () -> m.save(file), "cannot save", "b1[1] is Infinity",
                    "diverged", "2 of its 23 parameters are not finite");
            assertFalse(Files.exists(file));
        }
    }

    @Test
    void nullBlasAndNullFilesAreRefusedAtOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.npz");
        try (Model m = Model.builder(2).dense(2, Activation.SOFTMAX).build()) {
            m.save(file);
        }
        assertRefused(IllegalArgumentException.class, () -> Model.load(file, (Blas) null), "blas must not be null");
        assertRefused(IllegalArgumentException.class, () -> Model.load(file, (DType) null), "dtype must not be null");
        assertRefused(IllegalArgumentException.class, () -> Model.builder(2).dtype(null), "dtype must not be null");
        assertRefused(IllegalArgumentException.class, () -> Model.builder(2).blas(null), "blas must not be null");
        assertRefused(IllegalArgumentException.class, () -> Model.zeros(2, List.of(new Model.LayerSpec(2, Activation.SOFTMAX)), null),
                "blas must not be null");
        assertRefused(IllegalArgumentException.class, () -> Model.load(null), "file must not be null");
        assertRefused(IllegalArgumentException.class, () -> Model.builder(2).dense(3, Activation.SOFTMAX).classNames(List.of("a", "b")).build(),
                "2 class names for 3 classes");
        assertRefused(IllegalArgumentException.class, () -> Model.builder(2).dense(2, Activation.SOFTMAX).classNames(List.of("a", "a")).build(),
                "distinct");
        assertRefused(IllegalArgumentException.class, () -> Model.builder(3).dense(2, Activation.SOFTMAX)
                .standardize(Standardization.of(new double[2], new double[]{1, 1})).build(), "2 features but the model takes 3");
    }

    /** ReLU keeps NaN, as numpy's maximum(x, 0) does: a NaN reaching a hidden layer is not turned into 0. */
    @Test
    void reluKeepsNaN() {
        try (Model m = Model.builder(3).dense(4, Activation.RELU).dense(2, Activation.SOFTMAX).seed(2).blas(Blas.java()).build();
             Matrix x = Matrix.of(new double[][]{{Double.NaN, 1, 2}, {1, 2, 3}})) {
            int[] widths = m.activationWidths();
            Matrix[] acts = new Matrix[widths.length];
            acts[0] = x;
            for (int i = 1; i < widths.length; i++) {
                acts[i] = Matrix.allocate(2, widths[i]);
            }
            try (Matrix probs = Matrix.allocate(2, 2)) {
                m.forward(probs, acts);
                // acts[2] is the ReLU's output: row 0 came from a NaN input.
                for (int j = 0; j < 4; j++) {
                    assertTrue(Double.isNaN(acts[2].get(0, j)), "ReLU output " + j + " of the NaN row: " + acts[2].get(0, j));
                    assertTrue(Double.isFinite(acts[2].get(1, j)) && acts[2].get(1, j) >= 0, "the finite row stays finite");
                }
            } finally {
                for (int i = 1; i < acts.length; i++) {
                    acts[i].close();
                }
            }
        }
    }
}
