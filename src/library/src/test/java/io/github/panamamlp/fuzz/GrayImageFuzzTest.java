package io.github.panamamlp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.panamamlp.data.DatasetException;
import io.github.panamamlp.data.GrayImage;
import io.github.panamamlp.fuzz.FuzzFiles.Outcome;

import java.nio.file.Path;

import static io.github.panamamlp.fuzz.FuzzFiles.assertClearMessage;
import static io.github.panamamlp.fuzz.FuzzFiles.withFile;

/**
 * Fuzzes {@link GrayImage#read(Path)} (28×28, as {@code predict} reads an image) on PNG and PGM bytes.
 * Contract: the image is either read into 784 intensities in [0, 1] or rejected with a
 * {@link DatasetException} naming the file; anything else fails the test.
 */
class GrayImageFuzzTest {

    @FuzzTest
    void read(byte[] content) throws Exception {
        readImage(content);
    }

    /** {@code content} as an image file through {@link GrayImage#read(Path)}, checking the contract. */
    static Outcome readImage(byte[] content) throws Exception {
        return withFile("digit.img", content, file -> {
            double[] pixels;
            try {
                pixels = GrayImage.read(file);
            } catch (DatasetException e) {
                assertClearMessage(e, file);
                return Outcome.REJECTED;
            }
            if (pixels.length != GrayImage.MNIST_SIDE * GrayImage.MNIST_SIDE) {
                throw new AssertionError(pixels.length + " pixels read from a 28×28 image");
            }
            for (double p : pixels) {
                if (!(p >= 0 && p <= 1)) {
                    throw new AssertionError("intensity " + p + " outside [0, 1]");
                }
            }
            return Outcome.ACCEPTED;
        });
    }
}
