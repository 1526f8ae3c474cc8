package io.github.panamamlp.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static io.github.panamamlp.data.IdxFiles.allocatedBytes;
import static io.github.panamamlp.data.IdxFiles.assertFails;
import static io.github.panamamlp.data.IdxFiles.concat;
import static io.github.panamamlp.data.IdxFiles.gzip;
import static io.github.panamamlp.data.IdxFiles.header;
import static io.github.panamamlp.data.IdxFiles.images;
import static io.github.panamamlp.data.IdxFiles.labels;
import static io.github.panamamlp.data.IdxFiles.randomBytes;
import static io.github.panamamlp.data.IdxFiles.randomLabels;
import static io.github.panamamlp.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    @TempDir
    Path dir;

    private final Random rnd = new Random(42);

    /** Every pixel, read through the public accessor, equals the byte written. */
    private static void assertPixels(IdxImages images, int count, int rows, int cols, byte[] pixels) {
        assertEquals(count, images.count());
        assertEquals(rows, images.rows());
        assertEquals(cols, images.cols());
        assertEquals(rows * cols, images.pixelsPerImage());
        for (int i = 0; i < count; i++) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    assertEquals(pixels[(i * rows + r) * cols + c] & 0xFF, images.pixel(i, r, c));
                }
            }
            assertArrayEquals(Arrays.copyOfRange(pixels, i * rows * cols, (i + 1) * rows * cols), images.imageBytes(i));
        }
    }

    @Test
    void readsRawImagesExactly() {
        byte[] pixels = randomBytes(rnd, 7 * 3 * 5);
        Path f = write(dir.resolve("imgs"), images(7, 3, 5, pixels));
        assertPixels(IdxReader.readImages(f), 7, 3, 5, pixels);
    }

    /** A range of images or labels, raw or gzip: exactly that slice of the full read, and nothing else is kept. */
    @Test
    void readsARangeOfImagesAndLabels() {
        byte[] pixels = randomBytes(rnd, 50 * 4 * 3);
        byte[] lab = randomLabels(rnd, 50, 10);
        for (boolean gz : new boolean[]{false, true}) {
            Path fi = write(dir.resolve("range-images" + gz), gz ? gzip(images(50, 4, 3, pixels)) : images(50, 4, 3, pixels));
            Path fl = write(dir.resolve("range-labels" + gz), gz ? gzip(labels(lab)) : labels(lab));
            assertEquals(50, IdxReader.imageCount(fi));
            IdxImages some = IdxReader.readImages(fi, 17, 5);
            assertPixels(some, 5, 4, 3, Arrays.copyOfRange(pixels, 17 * 12, 22 * 12));
            assertPixels(IdxReader.readImages(fi, 49, 1), 1, 4, 3, Arrays.copyOfRange(pixels, 49 * 12, 50 * 12));
            IdxLabels l = IdxReader.readLabels(fl, 10, 17, 5);
            assertEquals(5, l.count());
            for (int i = 0; i < 5; i++) {
                assertEquals(lab[17 + i], l.label(i));
            }
            assertFails(fi, () -> IdxReader.readImages(fi, 50, 1), "holds 50 images", "index 50");
            assertFails(fl, () -> IdxReader.readLabels(fl, 10, 46, 5), "holds 50 labels", "index 50");
            assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(fi, -1, 1));
            assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(fi, 0, 0));
        }
        // The header is still checked: a raw file one byte short fails even when the range is complete.
        Path shortFile = write(dir.resolve("short"), Arrays.copyOf(images(50, 4, 3, pixels), 16 + 50 * 12 - 1));
        assertFails(shortFile, () -> IdxReader.readImages(shortFile, 0, 1), "truncated");
        assertFails(shortFile, () -> IdxReader.imageCount(shortFile), "truncated");
    }

    @Test
    void readsGzipImagesExactlyRecognizedByContentNotName() {
        // 3000 MNIST-sized images: several times the initial gzip buffer, so it has to grow.
        byte[] pixels = randomBytes(rnd, 3000 * 28 * 28);
        Path f = write(dir.resolve("images-without-gz-suffix"), gzip(images(3000, 28, 28, pixels)));
        assertPixels(IdxReader.readImages(f), 3000, 28, 28, pixels);
    }

    @Test
    void rawFileNamedGzIsReadAsRaw() {
        byte[] pixels = randomBytes(rnd, 2 * 4 * 4);
        Path f = write(dir.resolve("raw.gz"), images(2, 4, 4, pixels));
        assertPixels(IdxReader.readImages(f), 2, 4, 4, pixels);
    }

    @Test
    void readsRawAndGzipLabelsExactly() {
        byte[] labels = randomLabels(rnd, 1000, 10);
        int[] expected = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            expected[i] = labels[i];
        }
        for (Path f : new Path[]{write(dir.resolve("l"), labels(labels)), write(dir.resolve("l.gz"), gzip(labels(labels)))}) {
            IdxLabels read = IdxReader.readLabels(f);
            assertEquals(1000, read.count());
            assertEquals(10, read.numClasses());
            assertArrayEquals(expected, read.toIntArray(), f.toString());
            assertEquals(expected[17], read.label(17));
        }
    }

    @Test
    void readsLabelsOfOtherClassCounts() {
        byte[] labels = {0, (byte) 255, 7, (byte) 200};
        IdxLabels read = IdxReader.readLabels(write(dir.resolve("l"), labels(labels)), 256);
        assertArrayEquals(new int[]{0, 255, 7, 200}, read.toIntArray());
    }

    @Test
    void rejectsWrongMagicNumber() {
        Path f = write(dir.resolve("bad-magic"), concat(header(0x12345678, 1, 2, 2), new byte[4]));
        assertFails(f, () -> IdxReader.readImages(f), "bad magic number 0x12345678", "0x00000803");
        // IDX, right dimensions, but floats (type 0x0D), not unsigned bytes.
        Path g = write(dir.resolve("floats"), concat(header(0x0D01, 1), new byte[4]));
        assertFails(g, () -> IdxReader.readLabels(g), "bad magic number 0x00000D01", "unsigned bytes");
    }

    @Test
    void rejectsWrongNumberOfDimensions() {
        Path labelFile = write(dir.resolve("labels"), labels(new byte[]{1, 2}));
        assertFails(labelFile, () -> IdxReader.readImages(labelFile),
                "wrong number of dimensions", "gives 1, expected 3", "looks like a label file");
        Path imageFile = write(dir.resolve("images"), images(1, 1, 1, new byte[1]));
        assertFails(imageFile, () -> IdxReader.readLabels(imageFile),
                "wrong number of dimensions", "gives 3, expected 1", "looks like an image file");
        Path twoDims = write(dir.resolve("2d"), concat(header(0x802, 2, 2), new byte[4]));
        assertFails(twoDims, () -> IdxReader.readImages(twoDims), "wrong number of dimensions", "gives 2, expected 3");
    }

    @Test
    void rejectsDimensionsOutOfBounds() {
        Path zeroCount = write(dir.resolve("zero-count"), header(0x803, 0, 28, 28));
        assertFails(zeroCount, () -> IdxReader.readImages(zeroCount), "count 0", "outside 1…");
        Path zeroRows = write(dir.resolve("zero-rows"), header(0x803, 5, 0, 28));
        assertFails(zeroRows, () -> IdxReader.readImages(zeroRows), "rows 0", "outside 1…4096");
        Path wide = write(dir.resolve("wide"), header(0x803, 1, 28, 4097));
        assertFails(wide, () -> IdxReader.readImages(wide), "cols 4097", "outside 1…4096");
        // A "negative" count is read as the unsigned number it is.
        Path huge = write(dir.resolve("huge-count"), header(0x801, -1));
        assertFails(huge, () -> IdxReader.readLabels(huge), "count 4294967295", "outside 1…");
    }

    @Test
    void rejectsTruncatedHeader() {
        Path empty = write(dir.resolve("empty"), new byte[0]);
        assertFails(empty, () -> IdxReader.readImages(empty), "too short for an IDX header", "0 bytes");
        Path cut = write(dir.resolve("cut-header"), Arrays.copyOf(header(0x803, 1, 28, 28), 10));
        assertFails(cut, () -> IdxReader.readImages(cut), "truncated header", "ends after 10 bytes");
    }

    @Test
    void rejectsTruncatedPayload() {
        byte[] whole = images(3, 4, 4, randomBytes(rnd, 48));
        Path f = write(dir.resolve("truncated"), Arrays.copyOf(whole, whole.length - 1));
        assertFails(f, () -> IdxReader.readImages(f), "truncated", "3 images of 4×4", "64 bytes with the header",
                "file is 63 bytes");
        Path g = write(dir.resolve("truncated-labels"), concat(header(0x801, 10), new byte[9]));
        assertFails(g, () -> IdxReader.readLabels(g), "truncated", "10 labels");
    }

    @Test
    void rejectsTrailingBytes() {
        Path f = write(dir.resolve("trailing"), concat(images(2, 2, 2, new byte[8]), new byte[3]));
        assertFails(f, () -> IdxReader.readImages(f), "3 unexpected trailing bytes", "2 images of 2×2");
        Path g = write(dir.resolve("trailing.gz"), gzip(concat(labels(new byte[]{1, 2, 3}), new byte[]{4})));
        assertFails(g, () -> IdxReader.readLabels(g), "unexpected trailing bytes", "more than the 3 labels");
    }

    @Test
    void headerBeyondTheLimitsFailsWithoutAllocating() {
        Path count = write(dir.resolve("liar-count"), concat(header(0x803, Integer.MAX_VALUE, 28, 28), new byte[100]));
        Path size = write(dir.resolve("liar-size.gz"), gzip(concat(header(0x803, 10_000_000, 28, 28), new byte[100])));
        long allocated = allocatedBytes(() -> {
            assertFails(count, () -> IdxReader.readImages(count), "count 2147483647", "outside 1…2147483639");
            assertFails(size, () -> IdxReader.readImages(size), "10000000 images of 28×28 = 7840000000 bytes",
                    "more than the limit");
        });
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void rawHeaderPromisingMoreThanTheFileFailsWithoutAllocating() {
        // 2·10^9 labels and 2 million 28×28 images (1.5 GB) are within the limits; the tiny files are not.
        Path labels = write(dir.resolve("lying-labels"), concat(header(0x801, 2_000_000_000), new byte[]{1, 2, 3}));
        Path images = write(dir.resolve("lying-images"), concat(header(0x803, 2_000_000, 28, 28), new byte[100]));
        long allocated = allocatedBytes(() -> {
            assertFails(labels, () -> IdxReader.readLabels(labels), "truncated", "2000000000 labels", "file is 11 bytes");
            assertFails(images, () -> IdxReader.readImages(images), "truncated", "2000000 images of 28×28");
        });
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void gzipHeaderPromisingMoreThanTheDataFailsWithoutAllocating() {
        // The uncompressed length is unknown up front: the buffer must grow with the data, not with the header.
        Path labels = write(dir.resolve("lying-labels.gz"),
                gzip(concat(header(0x801, 2_000_000_000), new byte[]{1, 2, 3})));
        Path images = write(dir.resolve("lying-images.gz"),
                gzip(concat(header(0x803, 2_000_000, 28, 28), new byte[100])));
        long allocated = allocatedBytes(() -> {
            assertFails(labels, () -> IdxReader.readLabels(labels), "truncated", "2000000000 labels",
                    "uncompressed data holds only 3");
            assertFails(images, () -> IdxReader.readImages(images), "truncated", "2000000 images of 28×28",
                    "uncompressed data holds only 100");
        });
        assertTrue(allocated < 2 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void rejectsLabelOutOfRange() {
        byte[] labels = {0, 1, 2, 3, 4, 12, 9};
        Path f = write(dir.resolve("t10k-labels-idx1-ubyte"), labels(labels));
        DatasetException e = assertFails(f, () -> IdxReader.readLabels(f), "label 12 at index 5 is outside 0–9");
        assertEquals("label 12 at index 5 is outside 0–9", e.problem());
        Path g = write(dir.resolve("three-classes.gz"), gzip(labels(new byte[]{0, 2, 3})));
        assertFails(g, () -> IdxReader.readLabels(g, 3), "label 3 at index 2 is outside 0–2");
        assertThrows(IllegalArgumentException.class, () -> IdxReader.readLabels(g, 0));
    }

    @Test
    void rejectsCorruptGzip() {
        byte[] good = gzip(images(4, 5, 5, randomBytes(rnd, 100)));

        byte[] badBlock = good.clone();
        badBlock[10] = (byte) 0xFF; // first deflate block: final, type 11 (reserved)
        Path f = write(dir.resolve("bad-block"), badBlock);
        assertFails(f, () -> IdxReader.readImages(f), "corrupt gzip");

        byte[] badCrc = good.clone();
        badCrc[badCrc.length - 8] ^= 0x55; // the CRC-32 in the trailer
        Path g = write(dir.resolve("bad-crc"), badCrc);
        assertFails(g, () -> IdxReader.readImages(g), "corrupt gzip");

        byte[] badMethod = good.clone();
        badMethod[2] = 7; // compression method other than deflate
        Path h = write(dir.resolve("bad-method"), badMethod);
        assertFails(h, () -> IdxReader.readImages(h), "corrupt gzip");
    }

    @Test
    void rejectsTruncatedGzipStream() {
        byte[] good = gzip(images(40, 10, 10, randomBytes(rnd, 4000)));
        Path f = write(dir.resolve("cut.gz"), Arrays.copyOf(good, good.length / 2));
        assertFails(f, () -> IdxReader.readImages(f), "corrupt gzip", "ends early");
        Path g = write(dir.resolve("no-trailer.gz"), Arrays.copyOf(good, good.length - 4));
        assertFails(g, () -> IdxReader.readImages(g), "corrupt gzip", "ends early");
    }

    @Test
    void rejectsGzipOfTruncatedContent() {
        byte[] whole = images(3, 4, 4, randomBytes(rnd, 48));
        Path f = write(dir.resolve("truncated-content.gz"), gzip(Arrays.copyOf(whole, whole.length - 5)));
        assertFails(f, () -> IdxReader.readImages(f), "truncated", "3 images of 4×4", "holds only 43");
    }

    @Test
    void reportsMissingFile() {
        Path f = dir.resolve("no-such-file");
        assertFails(f, () -> IdxReader.readImages(f), "does not exist");
    }

    @Test
    void reportsDirectoryInsteadOfFile() {
        assertFails(dir, () -> IdxReader.readLabels(dir), "cannot read");
    }
}
