package io.github.panamamlp.nn;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.internal.npz.NpyArray;
import io.github.panamamlp.internal.npz.Npz;
import io.github.panamamlp.internal.npz.NpzContents;
import io.github.panamamlp.internal.ops.Ops;
import io.github.panamamlp.io.ModelFormatException;
import io.github.panamamlp.reference.ReferenceMlp;
import io.github.panamamlp.reference.TestUtil;
import io.github.panamamlp.tensor.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {

    private static Model tutorial(long seed) {
        return Model.builder(784).dense(50, Activation.SIGMOID).dense(10, Activation.SOFTMAX).seed(seed).build();
    }

    @Test
    void writesAndReadsBackIdenticalParameters(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("model.npz");
        try (Model m = Model.builder(20).dense(7, Activation.RELU).dense(6, Activation.SIGMOID).dense(3, Activation.SOFTMAX).seed(3).build()) {
            m.denseLayers().get(1).bias().set(0, 2, -0.25);
            ModelFile.save(m, f);
            try (Model back = ModelFile.load(f, Blas.openBlas())) {
                assertEquals(m.layerSpecs(), back.layerSpecs());
                assertEquals(m.inputSize(), back.inputSize());
                assertArrayEquals(m.parameterArray(), back.parameterArray(), 0.0);
                assertEquals(m.summary(), back.summary());
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file left beside the model");
        }
    }

    /** The saved arrays, read back as plain arrays, drive the independent reference to the same predictions. */
    @Test
    void referenceReadingTheFileAgreesWithTheModel(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.npz");
        Random rnd = new Random(1);
        double[][] x = new double[5][784];
        for (double[] row : x) {
            for (int j = 0; j < 784; j++) {
                row[j] = rnd.nextDouble();
            }
        }
        try (Model m = tutorial(7); Matrix mx = Matrix.of(x)) {
            ModelFile.save(m, f);
            NpzContents c = Npz.read(f);
            List<double[][]> w = new ArrayList<>();
            List<double[]> b = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                NpyArray wa = c.array("W" + i);
                double[][] w2 = new double[wa.dimension(0)][wa.dimension(1)];
                for (int r = 0; r < w2.length; r++) {
                    System.arraycopy(wa.data(), r * w2[0].length, w2[r], 0, w2[0].length);
                }
                w.add(w2);
                b.add(c.array("b" + i).data());
            }
            ReferenceMlp ref = new ReferenceMlp(w, b, List.of(ReferenceMlp.SIGMOID));
            try (Matrix p = m.predict(mx)) {
                TestUtil.assertClose(p.toArray2D(), ref.forward(x), 1e-12, "predictions");
                assertArrayEquals(ReferenceMlp.argmax(ref.forward(x)), java.util.stream.IntStream.range(0, 5)
                        .map(i -> Ops.argmaxRow(p, i)).toArray());
            }
        }
    }

    private static String json(String layers) {
        return "{\"format\": \"panama-mlp\", \"version\": 1, \"input\": 4, \"layers\": [" + layers + "]}";
    }

    private static void assertRejected(Path f, String... fragments) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f, Blas.java()).close());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        for (String fr : fragments) {
            assertTrue(e.getMessage().contains(fr), () -> "'" + e.getMessage() + "' lacks '" + fr + "'");
        }
    }

    @Test
    void rejectsInconsistentModels(@TempDir Path dir) throws Exception {
        NpyArray w1 = NpyArray.matrix("W1", 4, 3, new double[12]);
        NpyArray b1 = NpyArray.vector("b1", new double[3]);
        NpyArray w2 = NpyArray.matrix("W2", 3, 2, new double[6]);
        NpyArray b2 = NpyArray.vector("b2", new double[2]);
        String good = json("{\"type\": \"dense\", \"units\": 3, \"activation\": \"relu\"}, {\"type\": \"dense\", \"units\": 2, \"activation\": \"softmax\"}");

        Path ok = dir.resolve("ok.npz");
        Npz.write(ok, List.of(w1, b1, w2, b2), ModelFile.JSON_ENTRY, good);
        ModelFile.load(ok, Blas.java()).close();

        Path chain = dir.resolve("chain.npz");
        Npz.write(chain, List.of(w1, b1, NpyArray.matrix("W2", 4, 2, new double[8]), b2), ModelFile.JSON_ENTRY, good);
        assertRejected(chain, "W2.npy has shape (4, 2)", "(3, 2)");

        Path act = dir.resolve("act.npz");
        Npz.write(act, List.of(w1, b1, w2, b2), ModelFile.JSON_ENTRY,
                json("{\"units\": 3, \"activation\": \"tanh\"}, {\"units\": 2, \"activation\": \"softmax\"}"));
        assertRejected(act, "layer 1", "unknown activation 'tanh'");

        Path missing = dir.resolve("missing.npz");
        Npz.write(missing, List.of(w1, b1, w2), ModelFile.JSON_ENTRY, good);
        assertRejected(missing, "b2");

        Path extra = dir.resolve("extra.npz");
        Npz.write(extra, List.of(w1, b1, w2, b2, NpyArray.vector("W3", new double[1])), ModelFile.JSON_ENTRY, good);
        assertRejected(extra, "unexpected array W3.npy");

        Path noJson = dir.resolve("nojson.npz");
        Npz.write(noJson, List.of(w1, b1, w2, b2), null, null);
        assertRejected(noJson, "no model description");

        Path lastNotSoftmax = dir.resolve("last.npz");
        Npz.write(lastNotSoftmax, List.of(w1, b1, w2, b2), ModelFile.JSON_ENTRY,
                json("{\"units\": 3, \"activation\": \"relu\"}, {\"units\": 2, \"activation\": \"sigmoid\"}"));
        assertRejected(lastNotSoftmax, "softmax");

        Path nan = dir.resolve("nan.npz");
        double[] bad = new double[12];
        bad[5] = Double.NaN;
        Npz.write(nan, List.of(NpyArray.matrix("W1", 4, 3, bad), b1, w2, b2), ModelFile.JSON_ENTRY, good);
        assertRejected(nan, "W1.npy", "non-finite");

        Path version = dir.resolve("version.npz");
        Npz.write(version, List.of(w1, b1, w2, b2), ModelFile.JSON_ENTRY, good.replace("\"version\": 1", "\"version\": 4"));
        assertRejected(version, "unsupported version 4", "reads [1, 2, 3]");
    }

    @Test
    void rejectsTruncatedAndCorruptFiles(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("model.npz");
        try (Model m = tutorial(1)) {
            ModelFile.save(m, f);
        }
        byte[] bytes = Files.readAllBytes(f);
        for (int cut : new int[]{0, 10, bytes.length / 2, bytes.length - 10}) {
            Path t = dir.resolve("cut" + cut + ".npz");
            Files.write(t, java.util.Arrays.copyOf(bytes, cut));
            assertRejected(t);
        }
        Path flipped = dir.resolve("flipped.npz");
        byte[] copy = bytes.clone();
        copy[bytes.length / 3] ^= 0x55;
        Files.write(flipped, copy);
        assertRejected(flipped);
        Path text = dir.resolve("text.npz");
        Files.writeString(text, "not a zip file");
        assertRejected(text);
        assertFalse(Files.exists(dir.resolve("never.npz")));
    }
}
