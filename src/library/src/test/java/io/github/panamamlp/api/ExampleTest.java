package io.github.panamamlp.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.panamamlp.api.ChildProcess.tool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's examples, {@code src/examples/java/example/TrainMnist.java} and {@code TrainArrays.java},
 * compiled and run the way a user would: in a separate JVM, with the library as the module {@value #MODULE}
 * on the module path, so they can only use what the module exports and need no more flags than the README
 * gives.
 */
class ExampleTest {
    private static final String MODULE = "io.github.panamamlp";

    /** Compiles the example {@code name} against the module and runs it with {@code args}; returns what it printed. */
    private static ChildProcess.Result compileAndRun(Path tmp, String name, String... args) throws Exception {
        Path source = ChildProcess.projectDir().resolve("src/examples/java/example/" + name + ".java");
        assertTrue(Files.isRegularFile(source), "the example is at " + source);
        String library = ChildProcess.libraryClasses().toString();
        Path classes = tmp.resolve("classes");
        ChildProcess.run(List.of(tool("javac").toString(), "--release", "22", "-Xlint:all", "-Werror",
                        "--module-path", library, "--add-modules", MODULE, "-d", classes.toString(), source.toString()),
                120, tmp).assertSuccess("javac of the example");
        List<String> command = new java.util.ArrayList<>(List.of(tool("java").toString(), "--enable-native-access=" + MODULE,
                "--module-path", library, "--add-modules", MODULE, "-cp", classes.toString(), "example." + name));
        command.addAll(List.of(args));
        ChildProcess.Result run = ChildProcess.run(command, 300, tmp).assertSuccess("the example");
        // The README's flags are all it takes: no warning about native access or anything else.
        assertFalse(run.err().contains("WARNING"), run.err());
        return run;
    }

    @Test
    void readmeExampleCompilesAgainstTheExportedApiAndLearnsMnistInOneEpoch(@TempDir Path tmp) throws Exception {
        ChildProcess.Result run = compileAndRun(tmp, "TrainMnist", Mnist.dir().toString(), "1");

        Matcher accuracy = Pattern.compile("test accuracy (\\d\\.\\d+), loss (\\d+\\.\\d+)").matcher(run.out());
        assertTrue(accuracy.find(), "accuracy line in:\n" + run.out());
        double acc = Double.parseDouble(accuracy.group(1));
        // One epoch of the tutorial network reaches about 0.93 (chance is 0.10): anything under 0.90 means
        // it did not learn properly.
        assertTrue(acc >= 0.90, "test accuracy after one epoch: " + acc);

        Matcher one = Pattern.compile("first test image: digit (\\d) \\(probability (\\d\\.\\d+)\\), label (\\d)").matcher(run.out());
        assertTrue(one.find(), "prediction line in:\n" + run.out());
        assertEquals(7, Integer.parseInt(one.group(3)), "MNIST's first test label is a 7");
        // That 7 is a clean one that every trained network gets right, with high confidence.
        assertEquals(7, Integer.parseInt(one.group(1)), run.out());
        double p = Double.parseDouble(one.group(2));
        assertTrue(p > 0.5 && p <= 1.0, "probability " + p);
    }

    /** The second example: in-memory data, split, train, evaluate, save, load, predict. */
    @Test
    void arraysExampleTrainsSavesLoadsAndPredicts(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("blobs.npz");
        ChildProcess.Result run = compileAndRun(tmp, "TrainArrays", model.toString(), "10");

        Matcher accuracy = Pattern.compile("test accuracy (\\d\\.\\d+), loss (\\d+\\.\\d+)").matcher(run.out());
        assertTrue(accuracy.find(), "accuracy line in:\n" + run.out());
        double acc = Double.parseDouble(accuracy.group(1));
        // The network reaches 0.986 on these overlapping blobs (chance is 0.33).
        assertTrue(acc >= 0.95, "test accuracy after 10 epochs: " + acc);
        assertTrue(Files.size(model) > 0, "the model was saved where asked");
        assertTrue(run.out().contains("loaded blobs.npz: test accuracy " + accuracy.group(1) + ", the same evaluation: true"), run.out());
        Matcher first = Pattern.compile("first test rows: predicted \\[([0-2], ){4}[0-2]\\], labels \\[([0-2], ){4}[0-2]\\]").matcher(run.out());
        assertTrue(first.find(), run.out());
    }
}
