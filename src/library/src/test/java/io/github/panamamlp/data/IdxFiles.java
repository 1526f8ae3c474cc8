package io.github.panamamlp.data;

import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builds IDX files byte by byte for the tests, and checks {@link DatasetException}s. */
final class IdxFiles {
    private IdxFiles() {
    }

    /** An IDX header: the magic number, then each dimension, big-endian. */
    static byte[] header(int magic, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A complete image file. */
    static byte[] images(int count, int rows, int cols, byte[] pixels) {
        return concat(header(0x803, count, rows, cols), pixels);
    }

    /** A complete label file. */
    static byte[] labels(byte[] labels) {
        return concat(header(0x801, labels.length), labels);
    }

    static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    static byte[] randomLabels(Random rnd, int n, int classes) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rnd.nextInt(classes);
        }
        return b;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that {@code action} throws a {@link DatasetException} about {@code file} whose one-line message
     * is "file: problem" and contains every fragment.
     */
    static DatasetException assertFails(Path file, Executable action, String... fragments) {
        DatasetException e = assertThrows(DatasetException.class, action);
        String message = e.getMessage();
        assertEquals(file, e.file(), message);
        assertTrue(message.startsWith(file + ": "), "message does not start with the file: " + message);
        assertFalse(message.contains("\n") || message.contains("\r"), "message is not one line: " + message);
        for (String f : fragments) {
            assertTrue(message.contains(f), "message lacks \"" + f + "\": " + message);
        }
        return e;
    }

    /** Bytes allocated on the Java heap by this thread while {@code action} runs (HotSpot's exact counter). */
    static long allocatedBytes(Runnable action) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        action.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
