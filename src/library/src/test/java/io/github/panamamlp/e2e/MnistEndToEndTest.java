package io.github.panamamlp.e2e;

import io.github.panamamlp.data.Dataset;
import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.History;
import io.github.panamamlp.train.Trainer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tutorial's network, the default setup (Glorot, Adam, batch 32), one epoch on the real MNIST. Not timed. */
class MnistEndToEndTest {

    @Test
    void oneEpochOfTheDefaultSetupReaches90Percent() {
        Dataset ds = mnist();
        double acc = oneEpoch(ds, DType.FLOAT64).last().testAccuracy();
        assertTrue(acc >= 0.90, "test accuracy after one epoch: " + acc);
    }

    /**
     * The same epoch in float32 reaches the same accuracy: within 0.3 points of float64's (30 of the 10,000
     * test images; the runs differ only by rounding, about 10^−6 in the parameters after an epoch, which
     * moves a handful of borderline images at most).
     */
    @Test
    void oneEpochInFloat32MatchesFloat64() {
        Dataset ds = mnist();
        History h64 = oneEpoch(ds, DType.FLOAT64);
        History h32 = oneEpoch(ds, DType.FLOAT32);
        double a64 = h64.last().testAccuracy(), a32 = h32.last().testAccuracy();
        assertTrue(a32 >= 0.90, "float32 test accuracy after one epoch: " + a32);
        assertTrue(Math.abs(a32 - a64) <= 0.003, "float32 " + a32 + " against float64 " + a64);
        assertTrue(Math.abs(h32.last().trainLoss() - h64.last().trainLoss()) <= 1e-3 * h64.last().trainLoss(),
                "training loss: float32 " + h32.last().trainLoss() + ", float64 " + h64.last().trainLoss());
    }

    private static Dataset mnist() {
        Path dir = Path.of(System.getProperty("panamamlp.data", "data/mnist"));
        assertTrue(Files.isDirectory(dir), "MNIST is missing in " + dir + ": run 'make data'");
        return Dataset.load(dir);
    }

    private static History oneEpoch(Dataset ds, DType dtype) {
        try (Model model = Model.builder(784).dense(50, Activation.SIGMOID).dense(10, Activation.SOFTMAX).seed(1).dtype(dtype).build();
             Trainer trainer = new Trainer(model, new Adam())) {
            History h = trainer.fit(ds.train(), ds.test(), 1, 32, 1, null);
            assertTrue(h.last().trainLoss() < 0.6, dtype + ": mean training loss: " + h.last().trainLoss());
            return h;
        }
    }
}
