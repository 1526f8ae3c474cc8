package io.github.panamamlp.train;

import io.github.panamamlp.internal.AtomicFile;
import io.github.panamamlp.internal.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /** {@return the epochs as indented JSON, {@code {"epochs": [{"epoch": 1, "train_loss": …}, …]}}, NaN written as null} */
    public String toJson() {
        List<Object> list = new ArrayList<>();
        for (Epoch e : epochs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("train_loss", num(e.trainLoss()));
            m.put("train_accuracy", num(e.trainAccuracy()));
            m.put("test_loss", num(e.testLoss()));
            m.put("test_accuracy", num(e.testAccuracy()));
            m.put("seconds", num(e.seconds()));
            list.add(m);
        }
        return Json.writeIndented(Map.of("epochs", list));
    }

    /** JSON has no NaN: a missing figure (no test set) is null. */
    private static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /**
     * Writes CSV (name ends in .csv) or JSON (anything else) atomically ({@link AtomicFile}).
     *
     * @param file the file to write
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        AtomicFile.writeString(file, file.getFileName().toString().endsWith(".csv") ? toCsv() : toJson());
    }
}
