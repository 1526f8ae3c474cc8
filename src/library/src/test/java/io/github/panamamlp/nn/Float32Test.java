package io.github.panamamlp.nn;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.internal.Json;
import io.github.panamamlp.internal.npz.Npz;
import io.github.panamamlp.io.ModelFormatException;
import io.github.panamamlp.reference.PythonWithNumpy;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Momentum;
import io.github.panamamlp.train.Optimizer;
import io.github.panamamlp.train.Sgd;
import io.github.panamamlp.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A float32 model against the same model in float64 (which {@link ReferenceCrossCheckTest} ties to the
 * independent reference): same start, same batches, and the parameters must stay close; plus the float32
 * model file (its {@code <f4} arrays, its recorded type, the conversions on load).
 */
class Float32Test {

    static Stream<Optimizer> optimizers() {
        return Stream.of(new Adam(), new Sgd(0.1), new Momentum(0.05, 0.9));
    }

    private static Model tutorialNetwork(DType dtype, Blas blas) {
        return Model.builder(784).dense(50, Activation.SIGMOID).dense(10, Activation.SOFTMAX).seed(9).dtype(dtype).blas(blas).build();
    }

    @Test
    void aFloat32ModelStartsFromTheFloat64WeightsRounded() {
        try (Model m64 = tutorialNetwork(DType.FLOAT64, Blas.openBlas()); Model m32 = tutorialNetwork(DType.FLOAT32, Blas.openBlas())) {
            assertEquals(DType.FLOAT32, m32.dtype());
            assertEquals(DType.FLOAT32, m32.denseLayers().getFirst().weights().dtype());
            assertEquals(m64.parameterCount(), m32.parameterCount());
            double[] p64 = m64.parameterArray(), p32 = m32.parameterArray();
            for (int i = 0; i < p64.length; i++) {
                assertEquals((float) p64[i], p32[i], 0.0, "parameter " + i);
            }
        }
    }

    /**
     * 200 steps of the tutorial network in float32 and float64 from the same start on the same random batches.
     *
     * <p>The bounds, and why. Every stored float32 value carries a relative rounding error of at most
     * u = 2^−24 ≈ 6·10^−8; the element-wise kernels compute in double and round once, so they add exactly
     * that; the update runs in float, where its term (about 10^−3 of a parameter) carries a rounding of its own
     * a thousand times smaller than the parameter's; and the products accumulate in float, whose error is
     * about √k·u relative for an inner dimension k (k ≤ 784 here: ≤ 2·10^−6, and it reaches the parameters only
     * multiplied by the learning rate). So a step moves a float32 parameter about u·|p| ≤ 10^−7 (|p| ≤ 1.5) away
     * from its float64 twin. If all 200 roundings went the same way that would add up to 2·10^−5; roundings of either sign add
     * like a random walk, √200·10^−7 ≈ 1.4·10^−6. The bound, 5·10^−6, sits between the two (the runs here
     * show 4–7·10^−7), and it is four orders of magnitude below how far the runs move the parameters
     * (0.03–0.3), so a float32 kernel that computed anything else would fail it. The loss of a step depends
     * on the logits, which carry the last product's rounding (k = 50: about 4·10^−7 relative): it must agree
     * to 10^−6 relative (the runs show 5·10^−8).
     */
    @ParameterizedTest
    @MethodSource("optimizers")
    void twoHundredStepsStayCloseToFloat64(Optimizer optimizer) {
        int n = 20;
        Random rnd = new Random(4);
        try (Model m64 = tutorialNetwork(DType.FLOAT64, Blas.openBlas()); Model m32 = tutorialNetwork(DType.FLOAT32, Blas.openBlas());
             Trainer t64 = new Trainer(m64, optimizer); Trainer t32 = new Trainer(m32, optimizer);
             Matrix x64 = Matrix.allocate(n, 784); Matrix x32 = Matrix.allocate(n, 784, DType.FLOAT32)) {
            // Start both from the same (float-representable) weights, so only the arithmetic differs.
            copyParameters(m32, m64);
            double[] start = m64.parameterArray();
            double worstLoss = 0;
            for (int step = 0; step < 200; step++) {
                double[] xb = new double[n * 784];
                for (int j = 0; j < xb.length; j++) {
                    xb[j] = rnd.nextInt(256) / 255.0;
                }
                int[] y = new int[n];
                for (int i = 0; i < n; i++) {
                    y[i] = rnd.nextInt(10);
                }
                x64.copyFrom(xb);
                x32.copyFrom(xb);
                double l64 = t64.step(x64, y, 0).loss();
                double l32 = t32.step(x32, y, 0).loss();
                worstLoss = Math.max(worstLoss, Math.abs(l32 - l64) / l64);
            }
            double[] p64 = m64.parameterArray(), p32 = m32.parameterArray();
            double maxDiff = 0, maxMove = 0;
            for (int i = 0; i < p64.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(p32[i] - p64[i]));
                maxMove = Math.max(maxMove, Math.abs(p64[i] - start[i]));
            }
            System.out.printf("%s: max |p32 - p64| = %.3g, max parameter movement %.3g, worst relative loss difference %.3g%n",
                    optimizer.describe(), maxDiff, maxMove, worstLoss);
            double md = maxDiff, wl = worstLoss;
            assertTrue(maxDiff <= 5e-6, () -> optimizer.describe() + ": float32 parameters are " + md + " from float64's after 200 steps");
            assertTrue(maxDiff > 0, "float32 and float64 runs are identical: the float32 path is not float32");
            assertTrue(maxMove > 0.02, "the run must move the parameters for the comparison to mean anything: " + maxMove);
            assertTrue(worstLoss <= 1e-6, () -> optimizer.describe() + ": relative loss difference " + wl);
        }
    }

    /** dst's parameters = src's (widened or rounded as needed), layer by layer. */
    private static void copyParameters(Model src, Model dst) {
        for (int i = 0; i < src.denseLayers().size(); i++) {
            dst.denseLayers().get(i).weights().copyFrom(src.denseLayers().get(i).weights());
            dst.denseLayers().get(i).bias().copyFrom(src.denseLayers().get(i).bias());
        }
    }

    @Test
    void aFloat32ModelSavesF4ArraysThatNumpyReadsAndLoadsBackAsFloat32(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m32.npz");
        try (Model m = tutorialNetwork(DType.FLOAT32, Blas.openBlas())) {
            m.save(file);
            try (Model back = Model.load(file)) {
                assertEquals(DType.FLOAT32, back.dtype());
                assertArrayEquals(m.parameterArray(), back.parameterArray(), 0.0);
                double[] x = new double[784];
                for (int j = 0; j < 784; j += 7) {
                    x[j] = j / 784.0;
                }
                assertArrayEquals(m.predict(x), back.predict(x), 0.0);
            }
        }
        try (Npz.Archive a = Npz.open(file, Npz.MAX_TOTAL_ELEMENTS)) {
            for (String name : List.of("W1", "b1", "W2", "b2")) {
                assertEquals(Float.BYTES, a.itemSize(name), name);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) a.jsonValue();
            assertEquals(3L, json.get("version"));
            assertEquals("float32", json.get("dtype"));
        }
        String out = python("import numpy as np, json, sys\n"
                + "f = np.load(sys.argv[1])\n"
                + "print(f['W1'].dtype, f['W1'].shape, f['b2'].dtype, json.loads(str(f['model_json']))['dtype'])\n", file);
        assertEquals("float32 (784, 50) float32 float32", out.strip());
    }

    /** Float64 to float32 rounds each value to the nearest float; float32 to float64 widens exactly. */
    @Test
    void loadConvertsBetweenTypesOnRequest(@TempDir Path dir) throws IOException {
        Path f64 = dir.resolve("m64.npz"), f32 = dir.resolve("m32.npz");
        try (Model m = tutorialNetwork(DType.FLOAT64, Blas.openBlas())) {
            // Values that are not floats, so the rounding is visible.
            m.denseLayers().getFirst().bias().set(0, 0, 0.1);
            m.save(f64);
            try (Model asFloat = Model.load(f64, DType.FLOAT32)) {
                assertEquals(DType.FLOAT32, asFloat.dtype());
                double[] p64 = m.parameterArray(), p32 = asFloat.parameterArray();
                for (int i = 0; i < p64.length; i++) {
                    assertEquals((float) p64[i], p32[i], 0.0, "parameter " + i);
                }
                assertNotEquals(0.1, asFloat.denseLayers().getFirst().bias().get(0, 0));
                asFloat.save(f32);
            }
            try (Model kept = Model.load(f64)) {
                assertEquals(DType.FLOAT64, kept.dtype());
                assertArrayEquals(m.parameterArray(), kept.parameterArray(), 0.0);
            }
        }
        try (Model widened = Model.load(f32, DType.FLOAT64); Model asSaved = Model.load(f32)) {
            assertEquals(DType.FLOAT64, widened.dtype());
            assertEquals(DType.FLOAT32, asSaved.dtype());
            assertArrayEquals(asSaved.parameterArray(), widened.parameterArray(), 0.0);
        }
    }

    @Test
    void aValueBeyondFloat32sRangeIsReportedWhenConverting(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("big.npz");
        try (Model m = Model.builder(2).dense(2, Activation.SOFTMAX).build()) {
            m.denseLayers().getFirst().weights().set(1, 0, 1e300);
            m.save(file);
        }
        try (Model ok = Model.load(file)) {
            assertEquals(1e300, ok.denseLayers().getFirst().weights().get(1, 0));
        }
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Model.load(file, DType.FLOAT32));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("W1.npy")
                && e.getMessage().contains("float32's range"), e.getMessage());
    }

    /**
     * Files without a recorded type (version 2, or numpy's own): float32 when every parameter array is
     * float32, as numpy saves a float32 model; any float64 parameter array makes the model float64.
     */
    @Test
    void aFileWithoutATypeLoadsAsTheTypeOfItsArrays(@TempDir Path dir) throws IOException {
        String json = "{\"format\": \"panama-mlp\", \"version\": 2, \"input\": 3, \"layers\": [{\"type\": \"dense\","
                + " \"units\": 2, \"activation\": \"softmax\"}]}";
        float[] w = {0.5f, -0.25f, 1.5f, 2f, -3f, 0.125f};
        float[] b = {0.1f, -0.2f};
        Path allFloat = dir.resolve("f4.npz"), mixed = dir.resolve("mixed.npz");
        Npz.writeViews(allFloat, List.of(new Npz.ArrayView("W1", new int[]{3, 2}, MemorySegment.ofArray(w), 4),
                new Npz.ArrayView("b1", new int[]{2}, MemorySegment.ofArray(b), 4)), ModelFile.JSON_ENTRY, json, o -> o);
        Npz.writeViews(mixed, List.of(new Npz.ArrayView("W1", new int[]{3, 2}, MemorySegment.ofArray(w), 4),
                new Npz.ArrayView("b1", new int[]{2}, MemorySegment.ofArray(new double[]{0.1, -0.2}))), ModelFile.JSON_ENTRY, json, o -> o);
        try (Model f = Model.load(allFloat); Model m = Model.load(mixed)) {
            assertEquals(DType.FLOAT32, f.dtype());
            assertEquals(DType.FLOAT64, m.dtype());
            assertEquals(0.1f, f.denseLayers().getFirst().bias().get(0, 0), 0.0);
            assertEquals(0.1, m.denseLayers().getFirst().bias().get(0, 0), 0.0);
            assertEquals(-3f, f.denseLayers().getFirst().weights().get(2, 0), 0.0);
            assertEquals(-3.0, m.denseLayers().getFirst().weights().get(2, 0), 0.0);
        }
    }

    @Test
    void aRecordedTypeOtherThanTheTwoIsRefused(@TempDir Path dir) throws IOException {
        String json = "{\"format\": \"panama-mlp\", \"version\": 3, \"dtype\": \"float16\", \"input\": 1, \"layers\": [{\"type\": \"dense\","
                + " \"units\": 1, \"activation\": \"softmax\"}]}";
        Path file = dir.resolve("f16.npz");
        Npz.writeViews(file, List.of(new Npz.ArrayView("W1", new int[]{1, 1}, MemorySegment.ofArray(new double[]{1})),
                new Npz.ArrayView("b1", new int[]{1}, MemorySegment.ofArray(new double[]{0}))), ModelFile.JSON_ENTRY, json, o -> o);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Model.load(file));
        assertTrue(e.getMessage().contains("'dtype' must be \"float32\" or \"float64\"") && e.getMessage().contains("float16"), e.getMessage());
    }

    /** Input of the other type is converted, so a float32 model gives the same answer for float64 rows and for those rows rounded. */
    @Test
    void predictAndStepTakeEitherInputType() {
        Random rnd = new Random(2);
        int n = 5;
        try (Model m = tutorialNetwork(DType.FLOAT32, Blas.openBlas());
             Matrix x64 = Matrix.allocate(n, 784); Matrix x32 = Matrix.allocate(n, 784, DType.FLOAT32)) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 784; j++) {
                    x64.set(i, j, rnd.nextDouble());
                }
            }
            x32.copyFrom(x64);
            try (Matrix p64 = m.predict(x64); Matrix p32 = m.predict(x32)) {
                assertEquals(DType.FLOAT32, p64.dtype());
                assertArrayEquals(p32.toArray(), p64.toArray(), 0.0);
            }
            int[] y = {1, 2, 3, 4, 5};
            try (Model twin = tutorialNetwork(DType.FLOAT32, Blas.openBlas());
                 Trainer a = new Trainer(m, new Adam()); Trainer b = new Trainer(twin, new Adam())) {
                double la = a.step(x64, y, 0).loss();
                double lb = b.step(x32, y, 0).loss();
                assertEquals(lb, la, 0.0);
                assertArrayEquals(twin.parameterArray(), m.parameterArray(), 0.0);
            }
        }
    }

    @Test
    void theSummarySaysTheType() {
        try (Model m32 = tutorialNetwork(DType.FLOAT32, Blas.java()); Model m64 = tutorialNetwork(DType.FLOAT64, Blas.java())) {
            assertTrue(m32.summary().contains("Total params: 39,760 (float32, 155.31 KB)"), m32.summary());
            assertTrue(m64.summary().contains("Total params: 39,760 (float64, 310.63 KB)"), m64.summary());
        }
    }

    /** The Java GEMM in float32 trains like OpenBLAS's sgemm (both accumulate in float; the order may differ). */
    @Test
    void bothImplementationsTrainAlikeInFloat32() {
        Random rnd = new Random(5);
        int n = 8;
        try (Model a = tutorialNetwork(DType.FLOAT32, Blas.openBlas()); Model b = tutorialNetwork(DType.FLOAT32, Blas.java());
             Trainer ta = new Trainer(a, new Sgd(0.1)); Trainer tb = new Trainer(b, new Sgd(0.1));
             Matrix x = Matrix.allocate(n, 784, DType.FLOAT32)) {
            int[] y = new int[n];
            for (int step = 0; step < 10; step++) {
                for (int i = 0; i < n; i++) {
                    y[i] = rnd.nextInt(10);
                    for (int j = 0; j < 784; j++) {
                        x.set(i, j, rnd.nextInt(256) / 255.0);
                    }
                }
                assertEquals(ta.step(x, y, 0).loss(), tb.step(x, y, 0).loss(), 1e-6);
            }
            double[] pa = a.parameterArray(), pb = b.parameterArray();
            for (int i = 0; i < pa.length; i++) {
                assertEquals(pa[i], pb[i], 1e-6, "parameter " + i);
            }
        }
    }

    private static String python(String script, Path arg) throws Exception {
        Process p = new ProcessBuilder(PythonWithNumpy.command(), "-c", script, arg.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
