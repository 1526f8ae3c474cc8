package io.github.panamamlp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The training run of the build's AOT cache (see {@link AotCacheWriter}): every command once, on a small
 * synthetic dataset in a temporary directory, so that the classes they load and the methods they run are
 * in the cache. Nothing here is part of the command line.
 */
public final class AotTraining {
    private AotTraining() {
    }

    /**
     * Runs the commands; exits with 1 if one of them fails.
     *
     * @param args ignored
     * @throws IOException if the temporary files cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("panama-mlp-aot");
        try {
            Path data = dir.resolve("data");
            Files.createDirectories(data);
            Random rnd = new Random(1);
            writeImages(data.resolve("train-images-idx3-ubyte"), 256, rnd);
            writeLabels(data.resolve("train-labels-idx1-ubyte"), 256, rnd);
            writeImages(data.resolve("t10k-images-idx3-ubyte"), 64, rnd);
            writeLabels(data.resolve("t10k-labels-idx1-ubyte"), 64, rnd);
            Path image = dir.resolve("digit.pgm");
            byte[] pixels = new byte[28 * 28];
            rnd.nextBytes(pixels);
            Files.write(image, concat("P5\n28 28\n255\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), pixels));
            String model = dir.resolve("out").resolve("model.npz").toString();
            List<String[]> commands = List.of(
                    new String[]{"--help"},
                    new String[]{"train", "--help"},
                    new String[]{"summary"},
                    new String[]{"train", "--data", data.toString(), "--out", dir.resolve("out").toString(), "--epochs", "2",
                            "--no-progress"},
                    new String[]{"summary", "--model", model},
                    new String[]{"evaluate", "--model", model, "--data", data.toString()},
                    new String[]{"predict", "--model", model, "--index", "3", "--data", data.toString()},
                    new String[]{"predict", "--model", model, "--image", image.toString()});
            for (String[] c : commands) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int code = Main.execute(new PrintWriter(out), new PrintWriter(err), c);
                if (code != 0) {
                    System.err.println("AOT training: '" + String.join(" ", c) + "' failed (" + code + "): " + err);
                    System.exit(1);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void writeImages(Path file, int count, Random rnd) throws IOException {
        byte[] pixels = new byte[count * 28 * 28];
        rnd.nextBytes(pixels);
        ByteBuffer header = ByteBuffer.allocate(16).putInt(0x00000803).putInt(count).putInt(28).putInt(28);
        Files.write(file, concat(header.array(), pixels));
    }

    private static void writeLabels(Path file, int count, Random rnd) throws IOException {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) rnd.nextInt(10);
        }
        ByteBuffer header = ByteBuffer.allocate(8).putInt(0x00000801).putInt(count);
        Files.write(file, concat(header.array(), labels));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
