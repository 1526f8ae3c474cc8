package io.github.panamamlp.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.panamamlp.api.ChildProcess.tool;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "done when", literally: a user program written only from the names the issue gives
 * ({@code ArrayDataset.of}, {@code split}, {@code Model.builder}, {@code new Trainer}, {@code fit},
 * {@code model.evaluate}, {@code save}, {@code Model.load}, {@code predictClasses}, {@code classNames}),
 * compiled against the library jar on the class path and on the module path, run in a child JVM each way.
 * It trains on in-memory data, round-trips the model (the loaded model must evaluate identically, to the
 * bit), and gets an {@link IllegalArgumentException} for NaN input, an empty set and a bad label.
 */
class UserProgramTest {
    private static final String MODULE = "io.github.panamamlp";

    private static final String PROGRAM = """
            package user;

            import io.github.panamamlp.data.ArrayDataset;
            import io.github.panamamlp.nn.Activation;
            import io.github.panamamlp.nn.Evaluation;
            import io.github.panamamlp.nn.Model;
            import io.github.panamamlp.train.Adam;
            import io.github.panamamlp.train.Trainer;

            import java.nio.file.Path;
            import java.util.Random;

            public class BlobsProgram {
                public static void main(String[] args) throws Exception {
                    Path file = Path.of(args[0]);
                    Random rnd = new Random(7);
                    double[][] x = new double[5000][20];
                    int[] y = new int[5000];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = rnd.nextInt(3);
                        for (int j = 0; j < 20; j++) {
                            x[i][j] = 10 * y[i] + (j % 3 == y[i] ? 4 : 0) + 3 * rnd.nextGaussian();
                        }
                    }
                    ArrayDataset.Split split = ArrayDataset.of(x, y).split(0.2, 1);
                    Evaluation trained;
                    try (Model model = Model.builder(20).standardize(split.train().standardization())
                                 .dense(32, Activation.RELU).dense(3, Activation.SOFTMAX).seed(1).build();
                         Trainer trainer = new Trainer(model, new Adam(0.005))) {
                        trainer.fit(split.train(), split.test(), 5, 32, 1);
                        trained = model.evaluate(split.test());
                        model.save(file);
                    }
                    System.out.println("accuracy " + trained.accuracy());
                    try (Model back = Model.load(file)) {
                        Evaluation loaded = back.evaluate(split.test());
                        System.out.println("identical " + (loaded.loss() == trained.loss() && loaded.accuracy() == trained.accuracy()));
                        int[] classes = back.predictClasses(split.test().rows());
                        System.out.println("predicted " + classes.length + " of " + back.classNames());
                        double[][] bad = {split.test().row(0), split.test().row(1)};
                        bad[1][4] = Double.NaN;
                        refused("NaN input", () -> back.predictClasses(bad));
                    }
                    refused("empty set", () -> ArrayDataset.of(new double[0][], new int[0]));
                    refused("bad label", () -> ArrayDataset.of(new double[][]{{1, 2}, {3, 4}}, new int[]{0, -2}));
                    refused("bad label for the classes", () -> ArrayDataset.of(new double[][]{{1, 2}, {3, 4}}, new int[]{0, 3}, 3));
                }

                private static void refused(String what, Runnable action) {
                    try {
                        action.run();
                        System.out.println(what + ": accepted");
                    } catch (IllegalArgumentException e) {
                        System.out.println(what + ": IllegalArgumentException: " + e.getMessage());
                    }
                }
            }
            """;

    @Test
    void aUserProgramCompilesAndRunsOnTheClassPathAndOnTheModulePath(@TempDir Path tmp) throws Exception {
        // The library jar, as users get it.
        Path jar = tmp.resolve("panama-mlp.jar");
        ChildProcess.run(List.of(tool("jar").toString(), "--create", "--file", jar.toString(), "-C",
                ChildProcess.libraryClasses().toString(), "."), 120, tmp).assertSuccess("jar");
        Path src = tmp.resolve("src/user/BlobsProgram.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, PROGRAM);

        Path cpClasses = tmp.resolve("cp-classes");
        ChildProcess.run(List.of(tool("javac").toString(), "--release", "22", "-Xlint:all", "-Werror", "-cp", jar.toString(),
                "-d", cpClasses.toString(), src.toString()), 120, tmp).assertSuccess("javac on the class path");
        check(run(tmp, List.of("--enable-native-access=ALL-UNNAMED", "-cp", jar + java.io.File.pathSeparator + cpClasses,
                "user.BlobsProgram", tmp.resolve("cp.npz").toString())), "class path");

        Path mpClasses = tmp.resolve("mp-classes");
        ChildProcess.run(List.of(tool("javac").toString(), "--release", "22", "-Xlint:all", "-Werror", "--module-path", jar.toString(),
                "--add-modules", MODULE, "-d", mpClasses.toString(), src.toString()), 120, tmp).assertSuccess("javac on the module path");
        check(run(tmp, List.of("--enable-native-access=" + MODULE, "--module-path", jar.toString(), "--add-modules", MODULE,
                "-cp", mpClasses.toString(), "user.BlobsProgram", tmp.resolve("mp.npz").toString())), "module path");
    }

    private static ChildProcess.Result run(Path tmp, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(tool("java").toString()));
        command.addAll(args);
        return ChildProcess.run(command, 300, tmp).assertSuccess("the program");
    }

    private static void check(ChildProcess.Result r, String how) {
        String out = r.out();
        Matcher acc = Pattern.compile("accuracy (0\\.\\d+|1\\.0)").matcher(out);
        assertTrue(acc.find(), how + ":\n" + out);
        assertTrue(Double.parseDouble(acc.group(1)) >= 0.9, how + ": it learned: " + out);
        assertTrue(out.contains("identical true"), how + ": the loaded model evaluates identically:\n" + out);
        assertTrue(out.contains("predicted 1000 of [0, 1, 2]"), how + ":\n" + out);
        assertTrue(out.contains("NaN input: IllegalArgumentException: row 1 has NaN in feature 4"), how + ":\n" + out);
        assertTrue(out.contains("empty set: IllegalArgumentException: no examples"), how + ":\n" + out);
        assertTrue(out.contains("bad label: IllegalArgumentException: label -2 at row 1"), how + ":\n" + out);
        assertTrue(out.contains("bad label for the classes: IllegalArgumentException: label 3 at row 1 is outside 0..2"), how + ":\n" + out);
        assertFalse(out.contains("accepted"), how + ":\n" + out);
        assertFalse(r.err().contains("WARNING"), how + ": " + r.err());
    }
}
