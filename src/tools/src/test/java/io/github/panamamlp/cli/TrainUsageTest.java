package io.github.panamamlp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mistakes in the command line are usage errors (exit 2) found before the data set is loaded: every case
 * here names a data directory that does not exist, so a check that ran after loading would report that
 * instead. Each error is one line.
 */
class TrainUsageTest {
    @TempDir
    Path dir;

    private CliTest.Run train(String... flags) {
        String[] args = new String[flags.length + 5];
        args[0] = "train";
        args[1] = "--data";
        args[2] = dir.resolve("no-data-here").toString();
        args[3] = "--out";
        args[4] = dir.resolve("out").toString();
        System.arraycopy(flags, 0, args, 5, flags.length);
        return CliTest.run(args);
    }

    private static void assertUsage(CliTest.Run r, String... fragments) {
        assertEquals(2, r.code(), r.out() + r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("panama-mlp: "), r.err());
        for (String f : fragments) {
            assertTrue(first.contains(f), () -> "'" + first + "' lacks '" + f + "'");
        }
        assertFalse(r.err().contains("no-data-here"), "found before the data is looked at:\n" + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void badValuesAreUsageErrorsFoundBeforeTheData() {
        assertUsage(train("--optimizer", "rmsprop"), "unknown optimizer 'rmsprop'");
        assertUsage(train("--epochs", "0"), "--epochs must be at least 1");
        assertUsage(train("--batch-size", "0"), "--batch-size");
        assertUsage(train("--init", "normal:x"), "--init");
        assertUsage(train("--init", "uniform"), "--init");
        assertUsage(train("--preset", "fast"), "unknown preset 'fast'");
        assertUsage(train("--threads", "0"), "--threads must be at least 1");
        assertUsage(train("--limit", "0"), "--limit must be at least 1");
        assertUsage(train("--hidden", "0"), "--hidden sizes must be at least 1");
    }

    @Test
    void activationListsOnlyWhatAHiddenLayerMayUse() {
        CliTest.Run foo = train("--activation", "foo");
        assertUsage(foo, "unknown --activation 'foo' (expected sigmoid or relu)");
        assertFalse(foo.err().contains("softmax"), "softmax is not offered for hidden layers: " + foo.err());
        assertUsage(train("--activation", "softmax"), "unknown --activation 'softmax' (expected sigmoid or relu)");
    }

    @Test
    void emptyHiddenItemsAreRefused() {
        for (String hidden : new String[]{",", "50,", ",50", "50,,20", "", " "}) {
            assertUsage(train("--hidden", hidden), "--hidden '" + hidden + "' has an empty item");
        }
        assertUsage(train("--hidden", "50,x"), "'x' is not a whole number");
        CliTest.Run a = CliTest.run("summary", "--hidden", "30, 20");
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("(None, 30)") && a.out().contains("(None, 20)") && a.out().contains("Total params: 24,380"), a.out());
        assertUsage(CliTest.run("summary", "--hidden", "30,"), "empty item");
        assertUsage(CliTest.run("summary", "--activation", "tanh"), "expected sigmoid or relu");
    }
}
