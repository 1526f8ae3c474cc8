package io.github.panamamlp.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static io.github.panamamlp.data.IdxFiles.assertFails;
import static io.github.panamamlp.data.IdxFiles.gzip;
import static io.github.panamamlp.data.IdxFiles.images;
import static io.github.panamamlp.data.IdxFiles.labels;
import static io.github.panamamlp.data.IdxFiles.randomBytes;
import static io.github.panamamlp.data.IdxFiles.randomLabels;
import static io.github.panamamlp.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatasetTest {
    @TempDir
    Path dir;

    private final Random rnd = new Random(7);

    /** The contents of the four files of a small dataset of 4×3 images (not MNIST-sized on purpose). */
    private record Contents(byte[] trainPixels, byte[] trainLabels, byte[] testPixels, byte[] testLabels) {
    }

    private Contents contents() {
        return new Contents(randomBytes(rnd, 20 * 12), randomLabels(rnd, 20, 10),
                randomBytes(rnd, 7 * 12), randomLabels(rnd, 7, 10));
    }

    /** Writes the dataset; {@code gzipped[i]} compresses file i (train images, train labels, test images, test labels). */
    private void writeDataset(Path into, Contents c, boolean... gzipped) {
        byte[][] files = {images(20, 4, 3, c.trainPixels), labels(c.trainLabels),
                images(7, 4, 3, c.testPixels), labels(c.testLabels)};
        String[] names = {Dataset.TRAIN_IMAGES, Dataset.TRAIN_LABELS, Dataset.TEST_IMAGES, Dataset.TEST_LABELS};
        for (int i = 0; i < 4; i++) {
            boolean gz = gzipped.length > i && gzipped[i];
            write(into.resolve(names[i] + (gz ? ".gz" : "")), gz ? gzip(files[i]) : files[i]);
        }
    }

    private static void assertContents(Contents c, Dataset d) {
        assertSet(c.trainPixels, c.trainLabels, d.train());
        assertSet(c.testPixels, c.testLabels, d.test());
    }

    private static void assertSet(byte[] pixels, byte[] labels, LabeledImages set) {
        assertEquals(labels.length, set.count());
        assertEquals(12, set.pixelsPerImage());
        assertEquals(10, set.numClasses());
        for (int i = 0; i < set.count(); i++) {
            assertEquals(labels[i], set.labels().label(i));
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(pixels[i * 12 + r * 3 + c] & 0xFF, set.images().pixel(i, r, c));
                }
            }
        }
    }

    @Test
    void loadsRawGzipAndMixedDirectories() throws IOException {
        boolean[][] layouts = {{false, false, false, false}, {true, true, true, true}, {true, false, false, true}};
        for (int i = 0; i < layouts.length; i++) {
            Path d = Files.createDirectory(dir.resolve("layout" + i));
            Contents c = contents();
            writeDataset(d, c, layouts[i]);
            assertContents(c, Dataset.load(d));
        }
    }

    /** The sizes come from the two image headers alone: a run can be sized before its data is read. */
    @Test
    void sizesAreReadFromTheHeadersWithoutThePixels() {
        writeDataset(dir, contents(), false, false, true, false);
        assertEquals(new Dataset.Sizes(20, 7, 4, 3), Dataset.sizes(dir));
        assertEquals(27L * 13, Dataset.sizes(dir).loadedBytes());
        // A header that promises 60,000 images over a few bytes of pixels: the sizes are what it declares,
        // and only loading finds that the pixels are missing.
        write(dir.resolve(Dataset.TRAIN_IMAGES), IdxFiles.concat(IdxFiles.header(0x803, 60_000, 28, 28), new byte[10]));
        assertEquals(new Dataset.Sizes(60_000, 7, 28, 28), Dataset.sizes(dir));
        assertFails(dir.resolve(Dataset.TRAIN_IMAGES), () -> Dataset.load(dir), "truncated");
        assertFails(dir.resolve("absent"), () -> Dataset.sizes(dir.resolve("absent")), "does not exist");
    }

    @Test
    void prefersTheRawFileWhenBothExist() {
        Contents c = contents();
        writeDataset(dir, c);
        // A .gz twin with other (here: broken) content must not be read.
        write(dir.resolve(Dataset.TRAIN_IMAGES + ".gz"), new byte[]{0x1f, (byte) 0x8b, 0});
        write(dir.resolve(Dataset.TEST_LABELS + ".gz"), gzip(labels(new byte[]{1, 2, 3})));
        assertContents(c, Dataset.load(dir));
        assertEquals(dir.resolve(Dataset.TRAIN_IMAGES), Dataset.locate(dir, Dataset.TRAIN_IMAGES));
    }

    @Test
    void missingFileNamesTheFileAndTheDirectory() throws IOException {
        writeDataset(dir, contents());
        Files.delete(dir.resolve(Dataset.TEST_LABELS));
        Path expected = dir.resolve(Dataset.TEST_LABELS);
        assertFails(expected, () -> Dataset.load(dir), "missing", "t10k-labels-idx1-ubyte.gz", "directory " + dir);
    }

    @Test
    void missingDirectoryIsReported() {
        Path nowhere = dir.resolve("nowhere");
        assertFails(nowhere, () -> Dataset.load(nowhere), "directory does not exist");
        Path file = write(dir.resolve("a-file"), new byte[1]);
        assertFails(file, () -> Dataset.load(file), "not a directory");
    }

    @Test
    void imageLabelCountMismatchNamesBothFiles() {
        Contents c = contents();
        writeDataset(dir, c);
        write(dir.resolve(Dataset.TRAIN_LABELS), labels(randomLabels(rnd, 19, 10)));
        assertFails(dir.resolve(Dataset.TRAIN_IMAGES), () -> Dataset.load(dir),
                "holds 20 images but", Dataset.TRAIN_LABELS, "holds 19 labels");
    }

    @Test
    void labelOutOfRangeNamesTheFile() {
        writeDataset(dir, contents());
        byte[] bad = randomLabels(rnd, 7, 10);
        bad[5] = 12;
        Path f = write(dir.resolve(Dataset.TEST_LABELS), labels(bad));
        assertFails(f, () -> Dataset.load(dir), "label 12 at index 5 is outside 0–9");
        // With 13 classes the same file is fine.
        assertEquals(12, Dataset.load(dir, 13).test().labels().label(5));
    }

    @Test
    void trainAndTestImagesMustHaveTheSameSize() throws IOException {
        writeDataset(dir, contents());
        Files.delete(dir.resolve(Dataset.TEST_IMAGES));
        Path f = write(dir.resolve(Dataset.TEST_IMAGES + ".gz"), gzip(images(7, 3, 4, new byte[84])));
        assertFails(f, () -> Dataset.load(dir), "images are 3×4", Dataset.TRAIN_IMAGES, "are 4×3");
    }

    @Test
    void headTakesTheFirstSamples() {
        Contents c = contents();
        writeDataset(dir, c);
        Dataset d = Dataset.load(dir).head(5, 2);
        assertEquals(5, d.train().count());
        assertEquals(2, d.test().count());
        assertEquals(c.trainLabels[4], d.train().labels().label(4));
        assertArrayEquals(java.util.Arrays.copyOfRange(c.testPixels, 12, 24), d.test().images().imageBytes(1));
        assertThrows(IllegalArgumentException.class, () -> d.head(6, 1));
    }

    @Test
    void inMemoryConstructionChecksConsistency() {
        IdxImages images = IdxImages.of(2, 1, 2, new byte[]{1, 2, 3, 4});
        IdxLabels labels = IdxLabels.of(10, new byte[]{0, 9, 9});
        assertThrows(IllegalArgumentException.class, () -> new LabeledImages(images, labels));
        assertThrows(IllegalArgumentException.class, () -> IdxLabels.of(10, new byte[]{10}));
        assertThrows(IllegalArgumentException.class, () -> IdxImages.of(2, 1, 2, new byte[3]));
        LabeledImages a = new LabeledImages(images, labels.head(2));
        LabeledImages b = new LabeledImages(IdxImages.of(1, 2, 1, new byte[2]), IdxLabels.of(10, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(a, b));
    }
}
