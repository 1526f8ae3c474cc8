package io.github.panamamlp.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Loads the real MNIST files. They are always present where the suite runs ({@code make test} fetches them
 * first), so their absence is a failure, not a skip.
 */
class MnistDataTest {

    @Test
    void loadsRealMnist() {
        Path dir = Path.of(System.getProperty("panamamlp.data", "data/mnist"));
        if (!Files.isDirectory(dir)) {
            fail("MNIST is not in " + dir.toAbsolutePath() + ": run 'make data' (or 'make test', which fetches it)");
        }
        Dataset d = Dataset.load(dir);
        assertEquals(60_000, d.train().count());
        assertEquals(10_000, d.test().count());
        for (LabeledImages set : new LabeledImages[]{d.train(), d.test()}) {
            assertEquals(28, set.images().rows());
            assertEquals(28, set.images().cols());
            assertEquals(10, set.numClasses());
        }
        // Well-known facts of the original files: the first training digit is a 5, the first test digit a 7.
        assertEquals(5, d.train().labels().label(0));
        assertEquals(7, d.test().labels().label(0));
        int[] perClass = new int[10];
        for (int label : d.train().labels().toIntArray()) {
            perClass[label]++;
        }
        for (int k = 0; k < 10; k++) {
            // Every digit has between 5421 (digit 5) and 6742 (digit 1) training samples.
            assertTrue(perClass[k] >= 5421 && perClass[k] <= 6742, "digit " + k + ": " + perClass[k]);
        }
    }
}
