package io.github.panamamlp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.panamamlp.data.DatasetException;
import io.github.panamamlp.data.IdxImages;
import io.github.panamamlp.data.IdxLabels;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import io.github.panamamlp.fuzz.FuzzFiles.Outcome;

import static io.github.panamamlp.fuzz.FuzzFiles.assertClearMessage;
import static io.github.panamamlp.fuzz.FuzzFiles.withFile;

/**
 * Fuzzes the IDX reader ({@link IdxImages#read}, {@link IdxLabels#read}) with hostile files. Contract: every input is either read into a consistent
 * result or rejected with a {@link DatasetException} that names the file; anything else (another
 * exception, an {@link OutOfMemoryError}, a {@link StackOverflowError}, an allocation beyond
 * {@link FuzzFiles}' budget) fails the test.
 *
 * <p>The {@code …Gzip} targets gzip the fuzz input before writing it, so the fuzzer explores the
 * header and payload checks of the gzip path as well (a raw input that starts with {@code 1f 8b} reaches the
 * gzip path with a mostly corrupt stream).
 *
 * <p>Without {@code JAZZER_FUZZ} these run over the committed inputs in
 * {@code src/test/resources/io/github/panamamlp/fuzz/IdxReaderFuzzTestInputs/<method>/}; {@code make fuzz}
 * fuzzes them.
 */
class IdxReaderFuzzTest {

    @FuzzTest
    void images(byte[] content) throws Exception {
        readImages(content);
    }

    @FuzzTest
    void labels(byte[] content) throws Exception {
        readLabels(content);
    }

    @FuzzTest
    void imagesGzip(byte[] uncompressed) throws Exception {
        readImages(gzip(uncompressed));
    }

    @FuzzTest
    void labelsGzip(byte[] uncompressed) throws Exception {
        readLabels(gzip(uncompressed));
    }

    /** {@code content} as an image file through {@link IdxImages#read}, checking the contract. */
    static Outcome readImages(byte[] content) throws Exception {
        return withFile("images-idx3-ubyte", content, IdxReaderFuzzTest::checkImages);
    }

    /** {@code content} as a label file through {@link IdxLabels#read}, checking the contract. */
    static Outcome readLabels(byte[] content) throws Exception {
        return withFile("labels-idx1-ubyte", content, IdxReaderFuzzTest::checkLabels);
    }

    private static Outcome checkImages(Path file) throws IOException {
        IdxImages images;
        try {
            images = IdxImages.read(file);
        } catch (DatasetException e) {
            assertClearMessage(e, file);
            return Outcome.REJECTED;
        }
        // Accepted: the shape must account for every pixel, and every image must be readable.
        long pixels = (long) images.count() * images.rows() * images.cols();
        check(images.count() >= 1 && images.rows() >= 1 && images.cols() >= 1, "bad shape " + images);
        check(pixels == payloadBytes(file, 16), images + " does not account for the payload");
        double[] last = images.imageAsDoubles(images.count() - 1);
        for (double v : last) {
            check(v >= 0 && v <= 1, "pixel " + v + " outside [0, 1]");
        }
        return Outcome.ACCEPTED;
    }

    private static Outcome checkLabels(Path file) throws IOException {
        IdxLabels labels;
        try {
            labels = IdxLabels.read(file, IdxLabels.DEFAULT_CLASSES);
        } catch (DatasetException e) {
            assertClearMessage(e, file);
            return Outcome.REJECTED;
        }
        check(labels.count() >= 1 && labels.count() == payloadBytes(file, 8), labels + " does not account for the payload");
        for (int label : labels.toIntArray()) {
            check(label >= 0 && label <= 9, "label " + label + " outside 0–9 was accepted");
        }
        return Outcome.ACCEPTED;
    }

    /** The uncompressed length of {@code file} minus its header (an accepted file is well-formed gzip or raw). */
    private static long payloadBytes(Path file, int headerBytes) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1f && (bytes[1] & 0xFF) == 0x8b) {
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
                return in.readAllBytes().length - headerBytes;
            }
        }
        return bytes.length - headerBytes;
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }
}
