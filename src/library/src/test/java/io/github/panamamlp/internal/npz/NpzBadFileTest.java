package io.github.panamamlp.internal.npz;

import io.github.panamamlp.io.ModelFormatException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.github.panamamlp.internal.npz.NpzFiles.dict;
import static io.github.panamamlp.internal.npz.NpzFiles.le;
import static io.github.panamamlp.internal.npz.NpzFiles.npy;
import static io.github.panamamlp.internal.npz.NpzFiles.zip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of broken file ends in a ModelFormatException naming the file, the entry and the problem. */
class NpzBadFileTest {
    /** Far below the 400 MB a lying header asks for, far above what reading a small file needs. */
    private static final long ALLOCATION_BOUND = 32L * 1024 * 1024;

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void setUp() throws Exception {
        file = dir.resolve("model.npz");
        // Load and warm up the reader, so allocation measurements see only the read itself.
        Path warm = dir.resolve("warm.npz");
        Npz.write(warm, List.of(NpyArray.vector("x", new double[]{1})), "model_json", "{}");
        Npz.read(warm);
    }

    private ModelFormatException rejected() {
        return assertThrows(ModelFormatException.class, () -> Npz.read(file));
    }

    private void assertRejected(String expectedMessage) {
        assertEquals(expectedMessage, rejected().getMessage());
    }

    private void assertRejectedContaining(String... parts) {
        String message = rejected().getMessage();
        assertTrue(message.startsWith(file.toString() + ": "), message);
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' not in: " + message);
        }
    }

    private static byte[] f8(String shape, double... values) {
        return npy(dict("<f8", shape), le(values));
    }

    // ------------------------------------------------------------------------------------ the zip layer

    @Test
    void notAZip() throws Exception {
        Files.writeString(file, "W1,W2\n1,2\n");
        assertRejectedContaining("not a valid zip archive");
        Files.write(file, new byte[0]);
        assertRejectedContaining("not a valid zip archive");
        Files.write(file, npy(dict("<f8", "(1,)"), le(1))); // a bare .npy is not an .npz
        assertRejectedContaining("not a valid zip archive");
    }

    @Test
    void missingFileIsAnIoErrorNotAFormatError() {
        assertThrows(NoSuchFileException.class, () -> Npz.read(dir.resolve("absent.npz")));
    }

    @Test
    void truncatedZip() throws Exception {
        Npz.write(file, NpzWriteReadTest.sampleArrays(), "model_json", NpzWriteReadTest.JSON);
        byte[] whole = Files.readAllBytes(file);
        for (int keep : new int[]{whole.length - 1, whole.length - 30, whole.length / 2, 100, 4}) {
            Files.write(file, Arrays.copyOf(whole, keep));
            assertRejectedContaining("not a valid zip archive");
        }
    }

    @Test
    void corruptDataIsCaughtByTheCrc() throws Exception {
        double marker = 1234.5678;
        Npz.write(file, List.of(NpyArray.vector("w", new double[]{1, marker, 3})), "model_json", "{}");
        byte[] bytes = Files.readAllBytes(file);
        int at = NpzFiles.indexOf(bytes, le(marker), 0);
        bytes[at] ^= 1; // a flipped bit in the data: the zip directory still looks fine
        Files.write(file, bytes);
        assertRejectedContaining("w.npy: CRC mismatch", "the entry is corrupt");
    }

    @Test
    void entriesThatAreNotPlainNpyArrays() throws Exception {
        zip(file, false, "W.npy", f8("(1,)", 1), "model.json", "{}".getBytes(StandardCharsets.UTF_8));
        assertRejected(file + ": entry 'model.json' is not a .npy array; a model file holds only .npy entries");
        zip(file, false, "sub/", new byte[0]);
        assertRejectedContaining("entry 'sub/' is not a .npy array");
        zip(file, false, "sub/W.npy", f8("(1,)", 1));
        assertRejectedContaining("entry name 'sub/W.npy' is not a plain array name");
        zip(file, false, "../W.npy", f8("(1,)", 1));
        assertRejectedContaining("entry name '../W.npy' is not a plain array name");
        zip(file, false, ".npy", f8("(1,)", 1));
        assertRejectedContaining("entry name '.npy' is not a plain array name");
    }

    @Test
    void duplicateEntries() throws Exception {
        // The JDK refuses to write duplicates, so write two names and rename one in the raw bytes.
        zip(file, false, "a.npy", f8("(1,)", 1), "b.npy", f8("(1,)", 2));
        byte[] bytes = Files.readAllBytes(file);
        byte[] b = "b.npy".getBytes(StandardCharsets.US_ASCII);
        for (int at = 0; (at = indexOfOrMinus1(bytes, b, at)) >= 0; at++) {
            bytes[at] = 'a';
        }
        Files.write(file, bytes);
        assertRejectedContaining("duplicate entry 'a.npy'");
    }

    private static int indexOfOrMinus1(byte[] haystack, byte[] needle, int from) {
        try {
            return NpzFiles.indexOf(haystack, needle, from);
        } catch (AssertionError notFound) {
            return -1;
        }
    }

    // ----------------------------------------------------------------------------------- the NPY header

    @Test
    void badMagic() throws Exception {
        byte[] entry = f8("(1,)", 1);
        entry[1] = 'X';
        zip(file, false, "W1.npy", entry);
        assertRejected(file + ": W1.npy: not an NPY array: it starts with bytes 93 58 55 4d 50 59 instead of"
                + " the magic \\x93NUMPY");
        zip(file, false, "W1.npy", "PK\u0003\u0004 a zip in a zip".getBytes(StandardCharsets.ISO_8859_1));
        assertRejectedContaining("W1.npy: not an NPY array: it starts with bytes 50 4b 03 04 20 61");
        zip(file, false, "W1.npy", new byte[0]);
        assertRejected(file + ": W1.npy: truncated NPY header: the entry holds only 0 bytes");
    }

    @Test
    void truncatedHeader() throws Exception {
        byte[] entry = f8("(2,)", 1, 2);
        zip(file, false, "W1.npy", Arrays.copyOf(entry, 7));
        assertRejected(file + ": W1.npy: truncated NPY header: the entry holds only 7 bytes");
        zip(file, false, "W1.npy", Arrays.copyOf(entry, 9));
        assertRejected(file + ": W1.npy: truncated NPY header: the entry ends inside the header length field");
        zip(file, false, "W1.npy", Arrays.copyOf(entry, 30));
        assertRejected(file + ": W1.npy: truncated NPY header: it declares 118 bytes but the entry ends after"
                + " 20 of them");
    }

    @Test
    void unsupportedVersions() throws Exception {
        byte[] entry = f8("(1,)", 1);
        entry[6] = 4;
        zip(file, false, "W1.npy", entry);
        assertRejected(file + ": W1.npy: unsupported NPY format version 4.0 (1.0, 2.0 and 3.0 are supported)");
        entry[6] = 1;
        entry[7] = 1;
        zip(file, false, "W1.npy", entry);
        assertRejectedContaining("unsupported NPY format version 1.1");
    }

    @Test
    void versions2And3AreRead() throws Exception {
        zip(file, true, "a.npy", npy(2, dict("<f8", "(2,)"), le(1, 2)),
                "b.npy", npy(3, dict("<f8", "(1,)"), le(3)),
                "t.npy", npy(3, dict("<U2", "()"), NpzFiles.utf32le("[]")));
        NpzContents c = Npz.read(file);
        NpzWriteReadTest.assertSameBits(new double[]{1, 2}, c.array("a").data(), "a");
        NpzWriteReadTest.assertSameBits(new double[]{3}, c.array("b").data(), "b");
        assertEquals("[]", c.json());
    }

    @Test
    void headerLengthBeyondTheLimit() throws Exception {
        byte[] entry = npy(2, dict("<f8", "(1,)"), le(1));
        entry[8] = entry[9] = entry[10] = entry[11] = (byte) 0xFF; // 4294967295 bytes of header
        zip(file, false, "W1.npy", entry);
        assertRejected(file + ": W1.npy: NPY header length 4294967295 exceeds the limit of 10000 bytes");
    }

    @Test
    void invalidUtf8InAVersion3Header() throws Exception {
        byte[] entry = npy(3, dict("<f8", "(1,)"), le(1));
        entry[12] = (byte) 0xC3; // in place of '{': a UTF-8 lead byte without its continuation
        zip(file, false, "W1.npy", entry);
        assertRejected(file + ": W1.npy: NPY 3.0 header is not valid UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<i8", "|u1", "<f2", "<c16", "|O", "f8", "=f8", "<U", "|S", "<S4", "|b1", "<M8[s]"})
    void unsupportedDtypes(String descr) throws Exception {
        zip(file, false, "W1.npy", npy(dict(descr, "(1,)"), new byte[8]));
        String message = rejected().getMessage();
        assertTrue(message.startsWith(file + ": W1.npy: unsupported dtype '" + descr + "': arrays must be float64 ('<f8', '>f8') or"
                + " float32 ('<f4', '>f4')"), message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{'descr': '<f8', 'fortran_order': False}|header lacks the key 'shape'",
            "{'descr': '<f8', 'shape': (1,)}|header lacks the key 'fortran_order'",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}|unexpected key 'extra'",
            "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}|duplicate key 'descr'",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1)}|shape must be a tuple",
            "{'descr': '<f8', 'fortran_order': False, 'shape': [1]}|expected '(' at offset",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1,,)}|expected an integer in the shape",
            "{'descr': '<f8', 'fortran_order': 'no', 'shape': (1,)}|expected True or False for fortran_order",
            "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,)}|structured dtypes are not supported",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), } junk|expected only padding",
            "{'descr': '<f8 'fortran_order': False, 'shape': (1,)}|expected ',' or '}'",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}|out of range",
            "['descr', '<f8']|expected '{' at offset 0",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)|expected ',' or '}' at offset 118 but found the end"})
    void malformedHeaderDictionaries(String header, String expected) throws Exception {
        zip(file, false, "W1.npy", npy(header, le(1)));
        assertRejectedContaining("W1.npy: ", expected);
    }

    @Test
    void badShapes() throws Exception {
        zip(file, false, "W1.npy", npy(dict("<f8", "(-1, 3)"), new byte[0]));
        assertRejected(file + ": W1.npy: negative dimension in shape (-1, 3)");
        zip(file, false, "W1.npy", npy(dict("<f8", "(2, 2, 2)"), le(new double[8])));
        assertRejected(file + ": W1.npy: shape (2, 2, 2) has 3 dimensions; at most 2 are supported");
        zip(file, false, "W1.npy", npy(dict("<f8", "(0, 3000000000)"), new byte[0]));
        assertRejected(file + ": W1.npy: dimension 3000000000 in shape (0, 3000000000) exceeds 2147483647");
    }

    // --------------------------------------------------------------------------------- the payload length

    @Test
    void payloadShorterOrLongerThanTheShapeNeeds() throws Exception {
        zip(file, false, "W2.npy", npy(dict("<f8", "(50, 10)"), new byte[3992]));
        assertRejected(file + ": W2.npy: shape (50, 10) of <f8 needs 4000 data bytes but the entry holds 3992");
        zip(file, true, "W2.npy", npy(dict("<f8", "(50, 10)"), new byte[4008]));
        assertRejected(file + ": W2.npy: shape (50, 10) of <f8 needs 4000 data bytes but the entry holds 4008");
        zip(file, false, "W2.npy", npy(dict("<f8", "(3,)"), new byte[20])); // not even whole elements
        assertRejected(file + ": W2.npy: shape (3,) of <f8 needs 24 data bytes but the entry holds 20");
        zip(file, false, "b.npy", npy(dict("<f4", "(3,)"), new byte[13]));
        assertRejected(file + ": b.npy: shape (3,) of <f4 needs 12 data bytes but the entry holds 13");
        zip(file, false, "s.npy", npy(dict("<f8", "()"), new byte[0]));
        assertRejected(file + ": s.npy: shape () of <f8 needs 8 data bytes but the entry holds 0");
    }

    @Test
    void hugeShapeBeyondTheLimitFailsBeforeAllocating() throws Exception {
        zip(file, false, "W1.npy", npy(dict("<f8", "(100000, 100000)"), le(1, 2)));
        long allocated = NpzFiles.allocatedBytes(() -> assertRejected(file + ": W1.npy: shape (100000, 100000) has"
                + " 10000000000 elements, more than the limit of 50000000 elements per file"));
        assertTrue(allocated < ALLOCATION_BOUND, "allocated " + allocated + " bytes");
    }

    @Test
    void shapeAtTheLimitOverATinyPayloadFailsWithoutAllocatingItsSize() throws Exception {
        // 5000 × 10000 is exactly the limit, so only the missing data can show the header lies.
        for (boolean deflate : new boolean[]{false, true}) {
            zip(file, deflate, "W1.npy", npy(dict("<f8", "(5000, 10000)"), le(1, 2)));
            long allocated = NpzFiles.allocatedBytes(() -> assertRejected(file + ": W1.npy: shape (5000, 10000) of"
                    + " <f8 needs 400000000 data bytes but the entry holds 16"));
            assertTrue(allocated < ALLOCATION_BOUND, "deflate=" + deflate + ": allocated " + allocated + " bytes");
        }
    }

    @Test
    void zipBombFailsWithoutDecompressingItAll() throws Exception {
        // A deflated entry that claims 1000 doubles but expands to 64 MB of zeros (from about 64 KB).
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("bomb.npy"));
            zip.write(npy(dict("<f8", "(1000,)"), new byte[0]));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        assertTrue(Files.size(file) < 1 << 20, "the bomb is small: " + Files.size(file));
        long allocated = NpzFiles.allocatedBytes(() -> assertRejected(file + ": bomb.npy: shape (1000,) of <f8"
                + " needs 8000 data bytes but the entry holds more than " + (8000 + 16 * 1024 * 1024)));
        assertTrue(allocated < ALLOCATION_BOUND, "allocated " + allocated + " bytes");
    }

    @Test
    void lyingSizesInTheZipDirectoryAreNotTrusted() throws Exception {
        byte[] entry = f8("(4,)", 1, 2, 3, 4);
        for (long claimed : new long[]{0x7FFFFFF0L, entry.length - 8, 1}) {
            zip(file, false, "W1.npy", entry);
            Files.write(file, RawZip.withClaimedSize(Files.readAllBytes(file), claimed));
            long[] allocated = {0};
            allocated[0] = NpzFiles.allocatedBytes(() -> {
                ModelFormatException e = rejected(); // the data do not match the claim, whichever way it lies
                assertTrue(e.getMessage().startsWith(file + ": W1.npy: "), e.getMessage());
            });
            assertTrue(allocated[0] < ALLOCATION_BOUND, "claimed " + claimed + ": allocated " + allocated[0]);
        }
    }

    @Test
    void elementLimitCountsAllArraysTogether() throws Exception {
        zip(file, false, "a.npy", f8("(3,)", 1, 2, 3), "b.npy", f8("(2, 2)", 1, 2, 3, 4));
        assertEquals(2, Npz.read(file, 7).arrays().size());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Npz.read(file, 6));
        assertEquals(file + ": b.npy: shape (2, 2) has 4 elements, more than the 3 left of the limit of 6"
                + " elements per file", e.getMessage());
    }

    // ------------------------------------------------------------------------------------ the JSON entry

    @Test
    void garbageJson() throws Exception {
        zip(file, false, "model_json.npy", npy(dict("<U8", "()"), NpzFiles.utf32le("{\"a\": 1,")),
                "W1.npy", f8("(1,)", 1));
        assertRejected(file + ": model_json.npy: invalid JSON at line 1, column 9: unexpected end of input,"
                + " expected a string key");
        zip(file, false, "model_json.npy", npy(dict("|S6", "()"), "[1] 2 ".getBytes(StandardCharsets.UTF_8)));
        assertRejectedContaining("model_json.npy: invalid JSON at line 1, column 5: unexpected character '2'");
    }

    @Test
    void textEntryInBothEncodingsWithNumpysNulPadding() throws Exception {
        String json = "{\"k\":\"é😀\"}";
        byte[] utf32 = NpzFiles.utf32le(json);
        zip(file, false, "spec.npy", npy(dict("<U15", "()"), Arrays.copyOf(utf32, 15 * 4)));
        assertEquals(json, Npz.read(file).json());
        assertEquals("spec", Npz.read(file).jsonEntryName());
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        zip(file, false, "spec.npy", npy(dict("|S20", "()"), Arrays.copyOf(utf8, 20)));
        assertEquals(json, Npz.read(file).json());
        byte[] utf32be = new byte[utf32.length];
        for (int i = 0; i < utf32.length; i++) {
            utf32be[i] = utf32[i - i % 4 + 3 - i % 4];
        }
        zip(file, false, "spec.npy", npy(dict(">U" + utf32.length / 4, "()"), utf32be));
        assertEquals(json, Npz.read(file).json());
    }

    @Test
    void badTextEntries() throws Exception {
        zip(file, false, "a.npy", npy(dict("<U2", "()"), NpzFiles.utf32le("{}")),
                "b.npy", npy(dict("<U2", "()"), NpzFiles.utf32le("[]")));
        assertRejected(file + ": two text entries, 'a.npy' and 'b.npy'; a model file holds one JSON entry");
        zip(file, false, "t.npy", npy(dict("<U2", "(2,)"), NpzFiles.utf32le("{}[]")));
        assertRejected(file + ": t.npy: a text entry must be a 0-d array, as np.array(json_text) makes, but its"
                + " shape is (2,)");
        zip(file, false, "t.npy", npy(dict("|S3", "()"), new byte[]{'"', (byte) 0xC3, '"'}));
        assertRejected(file + ": t.npy: the text is not valid UTF-8");
        byte[] surrogate = NpzFiles.utf32le("\"x\"");
        surrogate[4] = 0x00;
        surrogate[5] = (byte) 0xD8;
        zip(file, false, "t.npy", npy(dict("<U3", "()"), surrogate));
        assertRejected(file + ": t.npy: the text holds 0x0000d800 at index 1, which is not a Unicode scalar value");
        zip(file, false, "t.npy", npy(dict("<U5", "()"), NpzFiles.utf32le("{}")));
        assertRejected(file + ": t.npy: shape () of <U5 needs 20 data bytes but the entry holds 8");
        zip(file, false, "t.npy", npy(dict("<U999999999", "()"), NpzFiles.utf32le("{}")));
        assertRejected(file + ": t.npy: dtype '<U999999999' needs 3999999996 bytes, more than the limit of"
                + " 16777216 for a text entry");
    }
}
