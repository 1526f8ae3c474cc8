package io.github.panamamlp.cli;

import io.github.panamamlp.reference.PythonWithNumpy;

import io.github.panamamlp.data.Dataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end, through {@link Main#execute}: outputs, files, exit codes and error lines. */
class CliTest {
    static final Path DATA = Path.of(System.getProperty("panamamlp.data", "data/mnist"));

    /** What one run printed and returned. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @TempDir
    static Path shared;
    static Path trained;

    @BeforeAll
    static void trainSmallModel() {
        assertTrue(Files.isDirectory(DATA), "MNIST is missing in " + DATA + ": run 'make data'");
        trained = shared.resolve("run");
        Run r = run("train", "--data", DATA.toString(), "--limit", "3000", "--epochs", "2", "--out", trained.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Total params: 39,760"), r.out());
        assertTrue(r.out().contains("OpenBLAS"), r.out());
        assertTrue(r.out().contains("epoch 2/2"), r.out());
    }

    @Test
    void trainWritesModelHistoryAndChart() throws Exception {
        for (String f : new String[]{"model.npz", "history.csv", "history.json", "history.png"}) {
            assertTrue(Files.size(trained.resolve(f)) > 0, f);
        }
        var csv = Files.readAllLines(trained.resolve("history.csv"));
        assertEquals(3, csv.size(), "header and two epochs");
        assertTrue(csv.get(0).startsWith("epoch,train_loss,train_accuracy,test_loss,test_accuracy"));
        BufferedImage png = ImageIO.read(trained.resolve("history.png").toFile());
        assertTrue(png.getWidth() >= 1000 && png.getHeight() >= 300, "two charts side by side");
        double testAcc = Double.parseDouble(csv.get(2).split(",")[4]);
        assertTrue(testAcc > 0.8, "3,000 images and 2 epochs already learn: " + testAcc);
    }

    @Test
    void evaluatePrintsAccuracyAndConfusionMatrix() {
        Run r = run("evaluate", "--model", trained.resolve("model.npz").toString(), "--data", DATA.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("test accuracy 0.") && r.out().contains("10,000 test images"), r.out());
        long counts = r.out().lines().filter(l -> l.matches("\\s+\\d(\\s+\\d+){10}")).count();
        assertEquals(10, counts, "ten rows of the confusion matrix:\n" + r.out());
    }

    @Test
    void predictsATestImageAndAPngFile(@TempDir Path dir) throws Exception {
        Run r = run("predict", "--model", trained.resolve("model.npz").toString(), "--index", "0", "--data", DATA.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(label 7)"), r.out());
        assertTrue(r.out().contains("predicted: 7"), "a trained model gets the first test digit right:\n" + r.out());

        Dataset ds = Dataset.load(DATA);
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = ds.test().images().pixel(0, y, x);
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        Path png = dir.resolve("seven.png");
        ImageIO.write(img, "png", png.toFile());
        Run p = run("predict", "--model", trained.resolve("model.npz").toString(), "--image", png.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("predicted: 7"), p.out());
        assertEquals(11, p.out().lines().filter(l -> l.matches("\\s+\\d\\s+[01]\\.\\d{6}.*") || l.startsWith("predicted")).count(), p.out());
    }

    @Test
    void summaryOfTheDefaultNetworkAndOfAModelFile() {
        Run d = run("summary");
        assertEquals(0, d.code(), d.err());
        assertTrue(d.out().contains("(None, 50)") && d.out().contains("39,250") && d.out().contains("Total params: 39,760"), d.out());
        Run m = run("summary", "--model", trained.resolve("model.npz").toString());
        assertEquals(d.out(), m.out());
        Run wide = run("summary", "--hidden", "128,64", "--activation", "relu");
        assertTrue(wide.out().contains("Total params: 109,386"), wide.out());
    }

    /** --dtype float32 through the whole command line: training, the file, evaluation, the summaries, a bad value. */
    @Test
    void float32FromTrainingToEvaluation(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("f32");
        Run t = run("train", "--dtype", "float32", "--data", DATA.toString(), "--limit", "3000", "--epochs", "2", "--out", out.toString(), "--no-progress");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("Total params: 39,760 (float32, 155.31 KB)"), t.out());
        Path model = out.resolve("model.npz");
        Run s = run("summary", "--model", model.toString());
        assertTrue(s.out().contains("(float32, "), s.out());
        Run widened = run("summary", "--model", model.toString(), "--dtype", "float64");
        assertTrue(widened.out().contains("(float64, "), widened.out());
        Run described = run("summary", "--dtype", "float32");
        assertEquals(s.out(), described.out());
        Run e = run("evaluate", "--model", model.toString(), "--data", DATA.toString());
        assertEquals(0, e.code(), e.err());
        // The same run in float64 (trainSmallModel) reaches about the same accuracy: they differ by rounding only.
        Run e64 = run("evaluate", "--model", trained.resolve("model.npz").toString(), "--data", DATA.toString());
        assertEquals(accuracy(e64.out()), accuracy(e.out()), 0.005, e.out() + "\n" + e64.out());
        assertOneLineError(run("train", "--dtype", "float16", "--data", DATA.toString()), 2, "float16", "float32 or float64");
    }

    private static double accuracy(String evaluateOutput) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("test accuracy (0\\.\\d+)").matcher(evaluateOutput);
        assertTrue(m.find(), evaluateOutput);
        return Double.parseDouble(m.group(1));
    }

    private static void assertOneLineError(Run r, int code, String... fragments) {
        assertEquals(code, r.code(), r.out() + r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("panama-mlp: "), r.err());
        for (String f : fragments) {
            assertTrue(first.contains(f), () -> "'" + first + "' lacks '" + f + "'");
        }
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose:\n" + r.err());
    }

    @Test
    void errorsAreOneClearLineWithNonZeroExit(@TempDir Path dir) throws Exception {
        assertOneLineError(run("train", "--data", dir.resolve("nowhere").toString(), "--out", dir.toString()), 1, "nowhere", "does not exist");
        assertOneLineError(run("train", "--epochs", "abc"), 2, "abc");
        assertOneLineError(run("train", "--bogus"), 2, "--bogus");
        assertOneLineError(run("train", "--optimizer", "rmsprop", "--data", DATA.toString()), 2, "unknown optimizer 'rmsprop'");
        assertOneLineError(run("train", "--epochs", "0", "--data", DATA.toString()), 2, "--epochs");
        assertOneLineError(run("frobnicate"), 2, "frobnicate");
        Path garbage = dir.resolve("garbage.npz");
        Files.writeString(garbage, "this is not a model");
        assertOneLineError(run("evaluate", "--model", garbage.toString()), 1, garbage.toString());
        assertOneLineError(run("predict", "--model", dir.resolve("absent.npz").toString(), "--index", "0"), 1, "absent.npz: no such file");
        assertOneLineError(run("predict", "--model", trained.resolve("model.npz").toString(), "--index", "10000", "--data", DATA.toString()), 1, "outside the test set");
        assertOneLineError(run("predict", "--model", trained.resolve("model.npz").toString()), 2);
        Run verbose = run("evaluate", "--model", garbage.toString(), "--verbose");
        assertEquals(1, verbose.code());
        assertTrue(verbose.err().contains("\tat "), "--verbose shows the stack trace");
    }

    /**
     * The model file both ways with numpy: numpy evaluates our model to the same accuracy, and a model
     * numpy wrote (np.savez_compressed of the same arrays) evaluates to the same accuracy here.
     */
    @Test
    void numpyAndTheCliAgreeOnModelFiles(@TempDir Path dir) throws Exception {
        Path ours = trained.resolve("model.npz");
        Path theirs = dir.resolve("from-numpy.npz");
        String script = String.join("\n",
                "import json, sys, numpy as np",
                "f = np.load(sys.argv[1])",
                "spec = json.loads(str(f['model_json']))",
                "raw = open(sys.argv[2] + '/t10k-images-idx3-ubyte', 'rb').read()",
                "x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 784) / 255.0",
                "t = np.frombuffer(open(sys.argv[2] + '/t10k-labels-idx1-ubyte', 'rb').read(), dtype=np.uint8, offset=8)",
                "h = 1 / (1 + np.exp(-(x @ f['W1'] + f['b1'])))",
                "z = h @ f['W2'] + f['b2']",
                "print('%.4f' % np.mean(np.argmax(z, axis=1) == t))",
                "np.savez_compressed(sys.argv[3], model_json=json.dumps(spec), W1=f['W1'], b1=f['b1'], W2=f['W2'], b2=f['b2'])");
        Process p = new ProcessBuilder(PythonWithNumpy.command(), "-c", script, ours.toString(), DATA.toString(), theirs.toString())
                .redirectErrorStream(true).start();
        String numpyOut = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals(0, p.waitFor(), "python3 with numpy is needed for this test (it is on the project's machines): " + numpyOut);
        Run ourEval = run("evaluate", "--model", ours.toString(), "--data", DATA.toString());
        Run theirEval = run("evaluate", "--model", theirs.toString(), "--data", DATA.toString());
        assertEquals(0, theirEval.code(), theirEval.err());
        assertTrue(ourEval.out().contains("test accuracy " + numpyOut), "numpy says " + numpyOut + ", we say:\n" + ourEval.out());
        assertEquals(ourEval.out().replace(ours.toString(), "M"), theirEval.out().replace(theirs.toString(), "M"));
    }

    @Test
    void divergingTrainingStopsAndSavesNothing(@TempDir Path dir) {
        Path out = dir.resolve("diverged");
        Run r = run("train", "--data", DATA.toString(), "--limit", "500", "--epochs", "1", "--optimizer", "sgd", "--lr", "1e308",
                "--out", out.toString(), "--no-progress");
        assertOneLineError(r, 1, "diverged");
        assertFalse(Files.exists(out.resolve("model.npz")));
    }
}
