package io.github.panamamlp.e2e;

import io.github.panamamlp.data.Dataset;
import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Model;
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
        Path dir = Path.of(System.getProperty("panamamlp.data", "data/mnist"));
        assertTrue(Files.isDirectory(dir), "MNIST is missing in " + dir + ": run 'make data'");
        Dataset ds = Dataset.load(dir);
        try (Model model = Model.builder(784).dense(50, Activation.SIGMOID).dense(10, Activation.SOFTMAX).seed(1).build();
             Trainer trainer = new Trainer(model, new Adam())) {
            History h = trainer.fit(ds.train(), ds.test(), 1, 32, 1, null);
            double acc = h.last().testAccuracy();
            assertTrue(acc >= 0.90, "test accuracy after one epoch: " + acc);
            assertTrue(h.last().trainLoss() < 0.6, "mean training loss: " + h.last().trainLoss());
        }
    }
}
