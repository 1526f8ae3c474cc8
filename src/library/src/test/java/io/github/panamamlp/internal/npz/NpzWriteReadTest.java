package io.github.panamamlp.internal.npz;

import io.github.panamamlp.io.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static io.github.panamamlp.internal.npz.NpzFiles.le;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpzWriteReadTest {
    static final String JSON = "{\"format\":\"panama-mlp\",\"layers\":[{\"in\":784,\"out\":50,\"activation\":\"sigmoid\"},"
            + "{\"in\":50,\"out\":10,\"activation\":\"softmax\"}],\"note\":\"é 😀 \\\"quoted\\\"\"}";

    /** Values whose bits are easy to get wrong: signed zero, subnormals, infinities, extremes, NaN payloads. */
    static final double[] SPECIAL = {
            0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL / 3, Double.MIN_NORMAL,
            Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NaN, Double.longBitsToDouble(0x7ff8000000000123L), Double.longBitsToDouble(0xfff0000000000001L),
            1e-300, 1e300, Math.PI, -1.0 / 3, 0.1, 123456789.125, Math.ulp(1.0)};

    @TempDir
    Path dir;

    static List<NpyArray> sampleArrays() {
        Random rnd = new Random(42);
        double[] big = new double[300 * 37];
        for (int i = 0; i < big.length; i++) {
            big[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(40) - 20);
        }
        return List.of(
                NpyArray.matrix("specials", 4, 5, SPECIAL.clone()),
                NpyArray.matrix("W1", 300, 37, big),
                NpyArray.vector("b1", new double[]{1, -2, 3.5}),
                NpyArray.scalar("scale", -0.0),
                NpyArray.vector("empty", new double[0]),
                NpyArray.matrix("no_rows", 0, 3, new double[0]),
                NpyArray.matrix("one", 1, 1, new double[]{7}),
                NpyArray.matrix("row.vec-1", 1, 4, new double[]{1, 2, 3, 4}));
    }

    static void assertSameBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            long e = Double.doubleToRawLongBits(expected[i]);
            long a = Double.doubleToRawLongBits(actual[i]);
            if (e != a) {
                throw new AssertionError(what + "[" + i + "]: expected bits " + Long.toHexString(e) + " ("
                        + expected[i] + ") but got " + Long.toHexString(a) + " (" + actual[i] + ")");
            }
        }
    }

    @Test
    void roundTripKeepsShapesAndExactBits() throws Exception {
        Path file = dir.resolve("model.npz");
        List<NpyArray> arrays = sampleArrays();
        Npz.write(file, arrays, "model_json", JSON);

        NpzContents back = Npz.read(file);
        assertEquals(file, back.file());
        assertEquals("model_json", back.jsonEntryName());
        assertEquals(JSON, back.json());
        assertEquals(arrays.stream().map(NpyArray::name).toList(), new ArrayList<>(back.arrays().keySet()),
                "arrays come back in the order written");
        for (NpyArray a : arrays) {
            NpyArray b = back.array(a.name());
            assertArrayEquals(a.shape(), b.shape(), a.name());
            assertSameBits(a.data(), b.data(), a.name());
            assertEquals(a, b);
        }
        Map<?, ?> spec = (Map<?, ?>) back.jsonValue();
        assertEquals("panama-mlp", spec.get("format"));
        assertEquals("é 😀 \"quoted\"", spec.get("note"));
    }

    /** The bytes on disk, read with the JDK's zip reader and a hand-written NPY check, not with Npz.read. */
    @Test
    void writesStoredNpyVersion1EntriesAlignedTo64Bytes() throws Exception {
        Path file = dir.resolve("m.npz");
        double[] w = {1.5, -0.0, Double.NaN, 4, 5, 6};
        Npz.write(file, List.of(NpyArray.matrix("W", 2, 3, w), NpyArray.vector("b", new double[]{9}),
                NpyArray.scalar("s", 2)), "model_json", "{\"a\":\"é😀\"}");
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            assertEquals(List.of("model_json.npy", "W.npy", "b.npy", "s.npy"), names);
            for (ZipEntry e : zip.stream().toList()) {
                assertEquals(ZipEntry.STORED, e.getMethod(), e.getName() + " is stored, as np.savez does");
            }
            assertEntry(zip, "W.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", le(w));
            assertEntry(zip, "b.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", le(9));
            assertEntry(zip, "s.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", le(2));
            assertEntry(zip, "model_json.npy", "{'descr': '<U10', 'fortran_order': False, 'shape': (), }",
                    NpzFiles.utf32le("{\"a\":\"é😀\"}"));
        }
    }

    private static void assertEntry(ZipFile zip, String name, String dict, byte[] payload) throws IOException {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
            bytes = in.readAllBytes();
        }
        assertArrayEquals(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(bytes, 8),
                name + ": magic and version 1.0");
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLength) % 64, name + ": data starts at a multiple of 64");
        String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith(dict), name + ": header " + header);
        assertTrue(header.substring(dict.length()).matches(" *\n"), name + ": padding then newline: " + header);
        assertArrayEquals(payload, Arrays.copyOfRange(bytes, 10 + headerLength, bytes.length), name + ": data");
    }

    @Test
    void equalContentGivesEqualFiles() throws Exception {
        Path a = dir.resolve("a.npz");
        Path b = dir.resolve("b.npz");
        Npz.write(a, sampleArrays(), "model_json", JSON);
        Npz.write(b, sampleArrays(), "model_json", JSON);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        try (ZipFile zip = new ZipFile(a.toFile())) { // a fixed time, not the clock, so the bytes repeat
            for (ZipEntry e : zip.stream().toList()) {
                assertEquals(LocalDateTime.of(1980, 1, 2, 0, 0), e.getTimeLocal(), e.getName());
                assertNull(e.getExtra(), e.getName() + ": no extra fields (time-zone dependent timestamps)");
            }
        }
    }

    @Test
    void arraysOnlyWithoutJson() throws Exception {
        Path file = dir.resolve("plain.npz");
        Npz.write(file, List.of(NpyArray.vector("x", new double[]{1, 2})), null, null);
        NpzContents back = Npz.read(file);
        assertNull(back.json());
        assertNull(back.jsonEntryName());
        assertSameBits(new double[]{1, 2}, back.array("x").data(), "x");
        ModelFormatException e = assertThrows(ModelFormatException.class, back::requireJson);
        assertEquals(file + ": no JSON entry (a text array such as model_json.npy)", e.getMessage());
        ModelFormatException missing = assertThrows(ModelFormatException.class, () -> back.array("W9"));
        assertEquals(file + ": no array 'W9' (the file holds x)", missing.getMessage());
    }

    @Test
    void overwritesAnExistingFileAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("model.npz");
        Files.writeString(file, "old content");
        Npz.write(file, List.of(NpyArray.scalar("v", 1)), "model_json", "{}");
        assertEquals(1.0, Npz.read(file).array("v").data()[0]);
        Npz.write(file, List.of(NpyArray.scalar("v", 2)), "model_json", "{}");
        assertEquals(2.0, Npz.read(file).array("v").data()[0]);
        assertEquals(List.of(file), listDir());
    }

    @Test
    void relativePathWorks() throws Exception {
        // The temporary file goes next to the target, whose directory comes from the absolute path.
        Path relative = Path.of("target", "npz-relative-test.npz");
        Files.createDirectories(relative.getParent()); // tests run from the repository's root, where target/ may not exist yet
        try {
            Npz.write(relative, List.of(NpyArray.scalar("v", 3)), null, null);
            assertEquals(3.0, Npz.read(relative).array("v").data()[0]);
        } finally {
            Files.deleteIfExists(relative);
        }
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /**
     * Fails once more than {@code limit} bytes have been written: with a new exception from
     * {@code runtimeFailure}, or an IOException if that is null.
     */
    private static UnaryOperator<OutputStream> failAfter(long limit, Supplier<RuntimeException> runtimeFailure) {
        return out -> new FilterOutputStream(out) {
            long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > limit) {
                    if (runtimeFailure != null) {
                        throw runtimeFailure.get();
                    }
                    throw new IOException("injected failure: disk full");
                }
                written += len;
                out.write(b, off, len);
            }
        };
    }

    @Test
    void failedWriteKeepsTheOldFileAndRemovesTheTemporaryFile() throws Exception {
        Path file = dir.resolve("model.npz");
        Npz.write(file, List.of(NpyArray.scalar("v", 1)), "model_json", "{}");
        byte[] old = Files.readAllBytes(file);

        IOException e = assertThrows(IOException.class, () -> Npz.write(file, sampleArrays(), "model_json", JSON,
                failAfter(70_000, null)));
        assertEquals(file.toAbsolutePath() + ": injected failure: disk full", e.getMessage(), "the error names the file");
        assertArrayEquals(old, Files.readAllBytes(file), "the previous model is untouched");
        assertEquals(List.of(file), listDir(), "no temporary file is left");

        IllegalStateException bug = assertThrows(IllegalStateException.class, () -> Npz.write(file,
                sampleArrays(), "model_json", JSON, failAfter(100, () -> new IllegalStateException("injected bug"))));
        assertEquals("injected bug", bug.getMessage());
        assertArrayEquals(old, Files.readAllBytes(file));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void failedWriteOfANewFileLeavesNothing() throws Exception {
        Path file = dir.resolve("new.npz");
        assertThrows(IOException.class, () -> Npz.write(file, sampleArrays(), "model_json", JSON,
                failAfter(0, null)));
        assertEquals(List.of(), listDir());
    }

    @Test
    void failedRenameRemovesTheTemporaryFile() throws Exception {
        Path target = dir.resolve("occupied.npz");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep.txt"), "x");
        assertThrows(IOException.class, () -> Npz.write(target, sampleArrays(), "model_json", JSON));
        assertEquals(List.of(target), listDir(), "only the directory that blocked the rename remains");
        assertEquals("x", Files.readString(target.resolve("keep.txt")));
    }

    @Test
    void missingDirectoryFailsWithoutCreatingAnything() throws Exception {
        Path file = dir.resolve("no/such/dir/model.npz");
        assertThrows(NoSuchFileException.class, () -> Npz.write(file, sampleArrays(), "model_json", JSON));
        assertEquals(List.of(), listDir());
    }

    @Test
    void invalidInputIsRejectedBeforeTouchingTheDisk() throws Exception {
        Path file = dir.resolve("model.npz");
        NpyArray a = NpyArray.vector("a", new double[]{1});
        assertThrows(IllegalArgumentException.class,
                () -> Npz.write(file, List.of(a, NpyArray.vector("a", new double[]{2})), null, null));
        IllegalArgumentException sameAsJson = assertThrows(IllegalArgumentException.class,
                () -> Npz.write(file, List.of(a), "a", "{}"));
        assertEquals("two entries are named 'a'", sameAsJson.getMessage());
        IllegalArgumentException badJson = assertThrows(IllegalArgumentException.class,
                () -> Npz.write(file, List.of(a), "model_json", "{\"a\": }"));
        assertTrue(badJson.getMessage().startsWith("the model description is not valid JSON: json: invalid JSON"
                + " at line 1, column 7"), badJson.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Npz.write(file, List.of(a), "model_json", null));
        assertThrows(IllegalArgumentException.class, () -> Npz.write(file, List.of(a), null, "{}"));
        assertThrows(IllegalArgumentException.class, () -> Npz.write(file, List.of(a), "../evil", "{}"));
        assertEquals(List.of(), listDir());
    }

    @Test
    void npyArrayValidatesAndProtectsItsShape() {
        for (String bad : new String[]{"", ".hidden", "-x", "a/b", "a\\b", "a b", "x.npy", "é", "a".repeat(129)}) {
            assertThrows(IllegalArgumentException.class, () -> NpyArray.vector(bad, new double[1]), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> NpyArray.vector(null, new double[1]));
        NpyArray.vector("a".repeat(128), new double[1]);
        NpyArray.vector("W1.weight-2_b", new double[1]);
        assertThrows(IllegalArgumentException.class, () -> NpyArray.matrix("m", 2, 3, new double[5]));
        assertThrows(IllegalArgumentException.class, () -> NpyArray.matrix("m", -1, 0, new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new NpyArray("t", new int[]{1, 1, 1}, new double[1]));
        assertThrows(IllegalArgumentException.class, () -> new NpyArray("s", new int[0], new double[0]));

        int[] shape = {2, 2};
        NpyArray m = new NpyArray("m", shape, new double[4]);
        shape[0] = 99;
        assertArrayEquals(new int[]{2, 2}, m.shape(), "the constructor copies the shape");
        m.shape()[0] = 99;
        assertArrayEquals(new int[]{2, 2}, m.shape(), "the accessor returns a copy");
        assertEquals(2, m.rank());
        assertEquals("NpyArray[m (2, 2)]", m.toString());
        assertEquals("(3,)", NpyArray.vector("v", new double[3]).shapeString());
        assertEquals("()", NpyArray.scalar("s", 1).shapeString());

        assertEquals(NpyArray.vector("n", new double[]{Double.NaN}), NpyArray.vector("n", new double[]{Double.NaN}));
        assertNotEquals(NpyArray.vector("z", new double[]{0.0}), NpyArray.vector("z", new double[]{-0.0}));
        assertNotEquals(NpyArray.vector("v", new double[4]), NpyArray.matrix("v", 2, 2, new double[4]));
    }
}
