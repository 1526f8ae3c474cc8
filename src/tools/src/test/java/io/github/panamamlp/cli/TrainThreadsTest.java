package io.github.panamamlp.cli;

import io.github.panamamlp.blas.OpenBlas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@code train --threads N} forces OpenBLAS's thread count and prints the count OpenBLAS really uses; without it the policy decides. */
class TrainThreadsTest {

    private static String train(Path out, String... extra) {
        Path data = Path.of(System.getProperty("panamamlp.data", "data/mnist"));
        if (!Files.isDirectory(data)) {
            fail("MNIST is not in " + data.toAbsolutePath() + ": run 'make data'");
        }
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString(),
                "--limit", "300", "--epochs", "1", "--no-progress"));
        args.addAll(List.of(extra));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.execute(new PrintWriter(o, true), new PrintWriter(e, true), args.toArray(String[]::new));
        assertEquals(0, code, o + "\n" + e);
        return o.toString();
    }

    @Test
    void theThreadCountInUseIsPrinted(@TempDir Path tmp) {
        var before = OpenBlas.forcedThreads();
        try {
            String one = train(tmp.resolve("a"), "--threads", "1");
            assertTrue(one.contains("\nBLAS threads: 1 (--threads 1)\n"), one);
            assertEquals(1, OpenBlas.threads());

            // More than a build allows: the line shows what OpenBLAS uses, and says so.
            int capped = OpenBlas.setThreads(1000);
            String many = train(tmp.resolve("b"), "--threads", "1000");
            String expected = capped == 1000 ? "BLAS threads: 1000 (--threads 1000)"
                    : "BLAS threads: " + capped + " (--threads 1000 asked, but this OpenBLAS build uses at most " + capped + ")";
            assertTrue(many.contains("\n" + expected + "\n"), many);

            // Without --threads the policy decides per product, even after a count was forced before.
            String dflt = train(tmp.resolve("c"));
            assertTrue(OpenBlas.forcedThreads().isEmpty(), "train without --threads hands the count back to the policy");
            String expectedAuto = "\nBLAS threads: " + OpenBlas.info().threadsDescription()
                    + "; 784→50→10 at batch 32: 1 thread for each of its 5 products\n";
            assertTrue(dflt.contains(expectedAuto), dflt);
        } finally {
            before.ifPresentOrElse(OpenBlas::setThreads, OpenBlas::setThreadsAuto);
        }
    }
}
