package io.github.panamamlp.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * predict and summary print the same, and exit the same, whether {@link FastPath} or picocli runs them;
 * what the fast path does not recognise goes to picocli.
 */
class FastPathTest {
    @TempDir
    static Path dir;
    static String model;

    @BeforeAll
    static void trainAModel() {
        CliTest.Run r = CliTest.run("train", "--data", CliTest.DATA.toString(), "--limit", "500", "--epochs", "1",
                "--out", dir.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        model = dir.resolve("model.npz").toString();
    }

    private static CliTest.Run picocli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.executeWithPicocli(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliTest.Run(code, out.toString(), err.toString());
    }

    private static CliTest.Run fast(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Integer code = FastPath.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertNotNull(code, "the fast path takes " + String.join(" ", args));
        return new CliTest.Run(code, out.toString(), err.toString());
    }

    @Test
    void sameOutputAndExitCodeBothWays() {
        String data = CliTest.DATA.toString();
        for (List<String> args : List.of(
                List.of("predict", "--model", model, "--index", "0", "--data", data),
                List.of("predict", "--model=" + model, "--index=9999", "--data=" + data),
                List.of("predict", "--index", "10000", "--model", model, "--data", data),
                List.of("predict", "--model", model, "--index=-1", "--data", data, "--verbose"),
                List.of("predict", "--model", dir.resolve("absent.npz").toString(), "--index", "3", "--data", data),
                List.of("predict", "--model", model, "--image", dir.resolve("absent.png").toString()),
                List.of("summary"),
                List.of("summary", "--model", model))) {
            String[] a = args.toArray(String[]::new);
            CliTest.Run f = fast(a);
            CliTest.Run p = picocli(a);
            assertEquals(p.code(), f.code(), args.toString());
            assertEquals(p.out(), f.out(), args.toString());
            if (args.contains("--verbose")) {
                assertEquals(p.err().lines().findFirst(), f.err().lines().findFirst(), args.toString());
            } else {
                assertEquals(p.err(), f.err(), args.toString());
            }
        }
    }

    @Test
    void whatItDoesNotKnowGoesToPicocli() {
        PrintWriter sink = new PrintWriter(new StringWriter());
        for (String[] a : new String[][]{{"predict"}, {"predict", "--help"}, {"predict", "--model", model},
                {"predict", "--model", model, "--index", "0", "--image", "x.png"}, {"predict", "--model", model, "--index", "x"},
                {"predict", "--model", model, "--model", model, "--index", "0"}, {"predict", "--model", model, "-i", "0"},
                {"summary", "--hidden", "128"}, {"summary", "--model"}, {"train"}, {"--version"}, {}}) {
            assertNull(FastPath.run(sink, sink, a), String.join(" ", a));
        }
    }
}
