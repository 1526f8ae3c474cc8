package io.github.panamamlp.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** What training recorded once per epoch; writes itself as CSV or JSON. */
public final class History {

    /**
     * One epoch: mean loss and accuracy over the epoch's training batches (as Keras reports them), loss
     * and accuracy on the test set after the epoch, and the epoch's wall time in seconds.
     *
     * @param epoch         the epoch, counted from 1
     * @param trainLoss     mean training loss over the epoch's batches
     * @param trainAccuracy training accuracy over the epoch's batches (before each batch's update)
     * @param testLoss      test loss after the epoch (NaN without a test set)
     * @param testAccuracy  test accuracy after the epoch (NaN without a test set)
     * @param seconds       the epoch's wall time, evaluation included
     */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy, double seconds) {
    }

    private final List<Epoch> epochs = new ArrayList<>();

    /** An empty history; {@link Trainer#fit} fills one epoch at a time. */
    public History() {
    }

    /**
     * Appends an epoch.
     *
     * @param e what was recorded for it
     */
    public void add(Epoch e) {
        epochs.add(e);
    }

    /** {@return the epochs in order, unmodifiable} */
    public List<Epoch> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /**
     * The last epoch.
     *
     * @return the last epoch recorded
     * @throws IllegalStateException if none was
     */
    public Epoch last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch recorded");
        }
        return epochs.getLast();
    }

    /** {@return one CSV line per epoch under a header line, numbers in full precision} */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds\n");
        for (Epoch e : epochs) {
            sb.append(String.format(Locale.ROOT, "%d,%.17g,%.17g,%.17g,%.17g,%.6f%n",
                    e.epoch(), e.trainLoss(), e.trainAccuracy(), e.testLoss(), e.testAccuracy(), e.seconds()));
        }
        return sb.toString();
    }

    /** {@return the epochs as JSON, {@code {"epochs": [...]}}, NaN written as null} */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"epochs\": [\n");
        for (int i = 0; i < epochs.size(); i++) {
            Epoch e = epochs.get(i);
            sb.append(String.format(Locale.ROOT,
                    "  {\"epoch\": %d, \"train_loss\": %s, \"train_accuracy\": %s, \"test_loss\": %s, \"test_accuracy\": %s, \"seconds\": %s}%s%n",
                    e.epoch(), num(e.trainLoss()), num(e.trainAccuracy()), num(e.testLoss()), num(e.testAccuracy()), num(e.seconds()),
                    i + 1 < epochs.size() ? "," : ""));
        }
        return sb.append("]}\n").toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    /**
     * Writes CSV (name ends in .csv) or JSON (anything else) atomically: a temporary file, then a rename.
     *
     * @param file the file to write
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        String text = file.getFileName().toString().endsWith(".csv") ? toCsv() : toJson();
        writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes bytes to a temporary file beside {@code file}, then renames it over {@code file}.
     *
     * @param file  the file to write
     * @param bytes its content
     * @throws IOException if it cannot be written
     */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try {
                // createTempFile makes the file owner-only; results are meant to be shared like any output.
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: keep its defaults
            }
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
