package io.github.panamamlp.cli;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.nn.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code train} leaves in {@code --out}, in process: one complete set behind {@code current}, stable
 * links to it, leftovers of killed runs removed (and nothing else), and the up-front checks of the
 * directory. The kills and signals themselves are in {@code FaultInjectionIT}, which needs the launcher.
 */
class TrainOutputsTest {
    @TempDir
    Path dir;

    static CliTest.Run train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", CliTest.DATA.toString(), "--out", out.toString(),
                "--limit", "300", "--no-progress"));
        args.addAll(List.of(extra));
        return CliTest.run(args.toArray(String[]::new));
    }

    static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The set 'current' points at: its directory, after checking that it is complete and consistent. */
    static Path assertCompleteSet(Path out, int epochs) throws IOException {
        Path current = out.resolve("current");
        assertTrue(Files.isSymbolicLink(current), "current is a link");
        Path set = out.resolve(Files.readSymbolicLink(current));
        assertTrue(set.getFileName().toString().matches("run-[0-9a-f]{16}"), set.toString());
        assertEquals(OutputSet.FILES.stream().sorted().toList(), names(set), "the set holds the four outputs, nothing else");
        for (String f : OutputSet.FILES) {
            assertTrue(Files.isSymbolicLink(out.resolve(f)), f + " is a stable link");
            assertEquals(Path.of("current", f), Files.readSymbolicLink(out.resolve(f)));
        }
        assertEquals(epochs + 1, Files.readAllLines(out.resolve("history.csv")).size(), "header and one line per epoch");
        try (Model m = Model.load(out.resolve("model.npz"), Blas.java())) {
            assertEquals(784, m.inputSize());
        }
        return set;
    }

    @Test
    void eachRunPublishesACompleteSetAndRemovesThePreviousOne() throws Exception {
        Path out = dir.resolve("out");
        CliTest.Run first = train(out, "--epochs", "1");
        assertEquals(0, first.code(), first.err());
        Path firstSet = assertCompleteSet(out, 1);
        CliTest.Run second = train(out, "--epochs", "2");
        assertEquals(0, second.code(), second.err());
        Path secondSet = assertCompleteSet(out, 2);
        assertFalse(Files.exists(firstSet), "the previous set is removed once the new one is current");
        assertEquals(List.of(".panama-mlp.lock", "current", "history.csv", "history.json", "history.png", "model.npz",
                secondSet.getFileName().toString()), names(out));
        assertTrue(second.out().contains("(set " + secondSet.getFileName() + ")"), second.out());
    }

    @Test
    void leftoversOfKilledRunsAreRemovedAndNothingElse() throws Exception {
        Path out = dir.resolve("out");
        assertEquals(0, train(out, "--epochs", "1").code());
        Path set = assertCompleteSet(out, 1);
        // What kills leave: a half-written file, a staging directory with a temporary file in it, a link being
        // switched, a set renamed into place but never made current.
        Files.writeString(out.resolve(".model.npz.0123456789abcdef.tmp"), "partial");
        Path staging = Files.createDirectory(out.resolve(".run-00000000000000aa.fedcba9876543210.tmp"));
        Files.writeString(staging.resolve(".history.png.00112233445566ff.tmp"), "partial");
        Files.createSymbolicLink(out.resolve(".current.0123456789abcdef.tmp"), Path.of("run-00000000000000bb"));
        Path orphan = Files.createDirectory(out.resolve("run-00000000000000cc"));
        Files.writeString(orphan.resolve("model.npz"), "x");
        // What the user keeps there, even with similar names.
        List<String> mine = List.of("notes.txt", ".model.npz.tmp", "run-notes", ".x.0123456789ABCDEF.tmp", "bench.json");
        for (String f : mine) {
            Files.writeString(out.resolve(f), "mine");
        }
        CliTest.Run r = train(out, "--epochs", "2");
        assertEquals(0, r.code(), r.err());
        Path newSet = assertCompleteSet(out, 2);
        List<String> expected = new ArrayList<>(List.of(".panama-mlp.lock", "current", "history.csv", "history.json",
                "history.png", "model.npz", newSet.getFileName().toString()));
        expected.addAll(mine);
        assertEquals(expected.stream().sorted().toList(), names(out));
        assertFalse(Files.exists(set));
    }

    /** Outputs written as plain files by an older version are replaced by links once the new set is current. */
    @Test
    void plainFilesOfAnOlderLayoutBecomeLinks() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        for (String f : OutputSet.FILES) {
            Files.writeString(out.resolve(f), "old " + f);
        }
        CliTest.Run r = train(out, "--epochs", "1");
        assertEquals(0, r.code(), r.err());
        Path set = assertCompleteSet(out, 1);
        assertEquals(List.of(".panama-mlp.lock", "current", "history.csv", "history.json", "history.png", "model.npz",
                set.getFileName().toString()), names(out));
    }

    @Test
    void aFailedRunLeavesTheOldSetAndNoStagedFiles() throws Exception {
        Path out = dir.resolve("out");
        assertEquals(0, train(out, "--epochs", "1").code());
        Path set = assertCompleteSet(out, 1);
        List<String> before = names(out);
        CliTest.Run diverged = train(out, "--epochs", "1", "--optimizer", "sgd", "--lr", "1e308");
        assertEquals(1, diverged.code(), diverged.err());
        assertTrue(diverged.err().contains("diverged"), diverged.err());
        assertEquals(set, assertCompleteSet(out, 1), "the old set is still current");
        assertEquals(before, names(out), "nothing staged is left");
    }

    @Test
    void outIsCheckedBeforeTraining() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        CliTest.Run r = train(file, "--epochs", "1");
        assertEquals(1, r.code());
        assertEquals("panama-mlp: --out " + file + ": not a directory (it is a file)", r.err().lines().findFirst().orElse(""));
        assertFalse(r.out().contains("epoch 1/1"), "no training: " + r.out());

        CliTest.Run under = train(file.resolve("sub"), "--epochs", "1");
        assertEquals(1, under.code());
        assertTrue(under.err().startsWith("panama-mlp: --out " + file.resolve("sub") + ": cannot create the directory: "), under.err());
        assertFalse(under.out().contains("epoch 1/1"), under.out());
    }

    @Test
    void aDirectoryInUseByAnotherRunIsRefusedAtOnce() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        try (FileChannel ch = FileChannel.open(out.resolve(".panama-mlp.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = ch.lock()) {
            assertTrue(held.isValid());
            long start = System.nanoTime();
            CliTest.Run r = train(out, "--epochs", "1");
            assertEquals(1, r.code());
            assertTrue(r.err().startsWith("panama-mlp: --out " + out + ": another panama-mlp run is writing to this directory"), r.err());
            assertFalse(r.out().contains("epoch 1/1"), r.out());
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused at once");
        }
        assertEquals(List.of(".panama-mlp.lock"), names(out), "the refused run left nothing");
        assertEquals(0, train(out, "--epochs", "1").code(), "free again once the lock is released");
    }
}
