package io.github.panamamlp.api;

import io.github.panamamlp.data.Dataset;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** The real MNIST files, which {@code make test} always fetches first: their absence is a failure. */
final class Mnist {
    private Mnist() {
    }

    static Path dir() {
        Path dir = Path.of(System.getProperty("panamamlp.data", "data/mnist")).toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            fail("MNIST is not in " + dir + ": run 'make data' (or 'make test', which fetches it)");
        }
        return dir;
    }

    static Dataset load() {
        return Dataset.load(dir());
    }
}
