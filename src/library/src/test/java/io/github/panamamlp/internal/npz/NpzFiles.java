package io.github.panamamlp.internal.npz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds NPY entries and zip files byte by byte for the tests, independently of the code under test,
 * so that tests can also make every kind of broken file.
 */
public final class NpzFiles {
    private NpzFiles() {
    }

    /**
     * Writes one entry: deflated, or stored with the size and CRC a stored entry must declare up front.
     *
     * @param zip     the archive being written
     * @param name    the entry's name
     * @param bytes   its content
     * @param deflate whether to compress it
     * @throws IOException if writing fails
     */
    public static void putEntry(ZipOutputStream zip, String name, byte[] bytes, boolean deflate) throws IOException {
        ZipEntry e = new ZipEntry(name);
        if (deflate) {
            e.setMethod(ZipEntry.DEFLATED);
        } else {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            e.setMethod(ZipEntry.STORED);
            e.setSize(bytes.length);
            e.setCompressedSize(bytes.length);
            e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** The little-endian bytes of {@code values}, by shifting bits (not through ByteBuffer as Npz does). */
    static byte[] le(double... values) {
        byte[] out = new byte[values.length * 8];
        for (int i = 0; i < values.length; i++) {
            long bits = Double.doubleToRawLongBits(values[i]);
            for (int b = 0; b < 8; b++) {
                out[i * 8 + b] = (byte) (bits >>> (8 * b));
            }
        }
        return out;
    }

    /** The big-endian bytes of {@code values}. */
    static byte[] be(double... values) {
        byte[] out = new byte[values.length * 8];
        for (int i = 0; i < values.length; i++) {
            long bits = Double.doubleToRawLongBits(values[i]);
            for (int b = 0; b < 8; b++) {
                out[i * 8 + b] = (byte) (bits >>> (8 * (7 - b)));
            }
        }
        return out;
    }

    /** The little-endian bytes of float32 {@code values}. */
    static byte[] leFloats(float... values) {
        byte[] out = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            for (int b = 0; b < 4; b++) {
                out[i * 4 + b] = (byte) (bits >>> (8 * b));
            }
        }
        return out;
    }

    /** UTF-32LE code points of {@code s}, as numpy stores a {@code <U} string. */
    static byte[] utf32le(String s) {
        int[] cps = s.codePoints().toArray();
        byte[] out = new byte[cps.length * 4];
        for (int i = 0; i < cps.length; i++) {
            for (int b = 0; b < 4; b++) {
                out[i * 4 + b] = (byte) (cps[i] >>> (8 * b));
            }
        }
        return out;
    }

    /** A standard NPY 1.0 entry with the given header dictionary text and payload. */
    static byte[] npy(String dict, byte[] payload) {
        return npy(1, dict, payload);
    }

    /**
     * An NPY entry of version {@code major}.0: magic, version, header length (2 bytes for 1.0, 4 otherwise),
     * the dictionary padded with spaces and a newline to a multiple of 64 bytes, then the payload.
     */
    static byte[] npy(int major, String dict, byte[] payload) {
        byte[] dictBytes = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int lengthBytes = major == 1 ? 2 : 4;
        int unpadded = 6 + 2 + lengthBytes + dictBytes.length + 1;
        int padding = (64 - unpadded % 64) % 64;
        int headerLength = dictBytes.length + padding + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        for (int b = 0; b < lengthBytes; b++) {
            out.write(headerLength >>> (8 * b));
        }
        out.writeBytes(dictBytes);
        for (int i = 0; i < padding; i++) {
            out.write(' ');
        }
        out.write('\n');
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** The header dictionary numpy writes for a C-order array. */
    static String dict(String descr, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    }

    /** A zip at {@code file} holding the name/bytes pairs, stored or deflated. */
    static Path zip(Path file, boolean deflate, Object... nameThenBytes) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (int i = 0; i < nameThenBytes.length; i += 2) {
                putEntry(zip, (String) nameThenBytes[i], (byte[]) nameThenBytes[i + 1], deflate);
            }
        }
        return file;
    }

    /** The index of the first occurrence of {@code needle} in {@code haystack}, which must exist. */
    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** Heap bytes this thread allocated while running {@code action} (HotSpot's per-thread counter). */
    static long allocatedBytes(Action action) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot measure per-thread allocation");
        long before = threads.getCurrentThreadAllocatedBytes();
        action.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
