package io.github.panamamlp.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one atomic writer: its temporary names, errors that name the file, staged directories and links. */
class AtomicFileTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void temporaryFilesFollowTheOnePatternAndAnErrorNamesTheFile() throws Exception {
        Path target = dir.resolve("model.npz");
        Files.writeString(target, "old");
        List<String> seenDuringWrite = new ArrayList<>();
        // A disk that fills up mid-write: the JDK's message alone names no file.
        UnaryOperator<OutputStream> full = out -> new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                seenDuringWrite.addAll(names());
                throw new IOException("No space left on device");
            }
        };
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(target, null,
                out -> out.write(new byte[100_000]), full));
        assertEquals(target.toAbsolutePath() + ": No space left on device", e.getMessage());
        assertEquals("old", Files.readString(target), "the old file is untouched");
        assertEquals(List.of("model.npz"), names(), "no temporary file remains");
        String temp = seenDuringWrite.stream().filter(n -> !n.equals("model.npz")).findFirst().orElseThrow();
        assertTrue(temp.matches("\\.model\\.npz\\.[0-9a-f]{16}\\.tmp"), temp);
        assertTrue(AtomicFile.isTemporary(dir.resolve(temp)), temp);
        for (String notOurs : new String[]{"model.npz", ".model.npz.tmp", ".model.npz.0123456789ABCDEF.tmp", "x.0123456789abcdef.tmp",
                ".model.npz.0123456789abcdef.tmp.bak"}) {
            assertFalse(AtomicFile.isTemporary(dir.resolve(notOurs)), notOurs);
        }
    }

    @Test
    void aStagedDirectoryIsPublishedWholeUnderItsFinalName() throws Exception {
        Path target = dir.resolve("run-1");
        Path staged = AtomicFile.createStagingDirectory(target);
        assertTrue(AtomicFile.isTemporary(staged), staged.toString());
        assertTrue(staged.getFileName().toString().startsWith(".run-1."), staged.toString());
        AtomicFile.writeString(staged.resolve("a.txt"), "a");
        AtomicFile.publishDirectory(staged, target);
        assertEquals("a", Files.readString(target.resolve("a.txt")));
        assertEquals(List.of("run-1"), names());
        // Never over an existing directory: publishing is not a merge.
        Path again = AtomicFile.createStagingDirectory(target);
        assertThrows(IOException.class, () -> AtomicFile.publishDirectory(again, target));
        assertTrue(Files.isDirectory(again), "a staged directory that could not be published stays for the caller to remove");
    }

    @Test
    void aLinkIsSwitchedInOneStepAndReplacesAFileToo() throws Exception {
        Files.createDirectory(dir.resolve("a"));
        Files.createDirectory(dir.resolve("b"));
        Files.writeString(dir.resolve("a/f"), "A");
        Files.writeString(dir.resolve("b/f"), "B");
        Path current = dir.resolve("current");
        AtomicFile.switchLink(current, Path.of("a"));
        assertEquals("A", Files.readString(current.resolve("f")));
        AtomicFile.switchLink(current, Path.of("b"));
        assertEquals("B", Files.readString(current.resolve("f")));
        assertEquals(Path.of("b"), Files.readSymbolicLink(current));
        Path file = dir.resolve("f");
        Files.writeString(file, "a regular file from an older layout");
        AtomicFile.switchLink(file, Path.of("current/f"));
        assertEquals("B", Files.readString(file));
        assertEquals(List.of("a", "b", "current", "f"), names(), "no temporary link remains");
        Path blocked = dir.resolve("a");
        assertThrows(IOException.class, () -> AtomicFile.switchLink(blocked, Path.of("b")), "a directory is not replaced");
        assertEquals(List.of("a", "b", "current", "f"), names());
    }
}
