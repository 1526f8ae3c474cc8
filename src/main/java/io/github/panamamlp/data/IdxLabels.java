package io.github.panamamlp.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * {@code count} class labels, each in {@code 0 … numClasses-1}, held as one {@code byte[]}, as read from an
 * IDX label file. Immutable and safe to share between threads.
 */
public final class IdxLabels {
    /** The number of classes of MNIST-like data (digits 0–9). */
    public static final int DEFAULT_CLASSES = 10;
    /** Labels are unsigned bytes, so at most 256 classes. */
    public static final int MAX_CLASSES = 256;

    private final int numClasses;
    private final byte[] labels;

    /** Takes ownership of {@code labels}; the caller has checked every value. */
    IdxLabels(int numClasses, byte[] labels) {
        this.numClasses = numClasses;
        this.labels = labels;
    }

    /**
     * Labels from a copy of {@code labels} (each an unsigned byte).
     *
     * @throws IllegalArgumentException if {@code numClasses} is outside 1…256 or a label is ≥ numClasses
     */
    public static IdxLabels of(int numClasses, byte[] labels) {
        checkClasses(numClasses);
        int bad = firstOutOfRange(labels, numClasses);
        if (bad >= 0) {
            throw new IllegalArgumentException(outOfRangeMessage(labels, bad, numClasses));
        }
        return new IdxLabels(numClasses, labels.clone());
    }

    static void checkClasses(int numClasses) {
        if (numClasses < 1 || numClasses > MAX_CLASSES) {
            throw new IllegalArgumentException("number of classes must be 1…" + MAX_CLASSES + ", got " + numClasses);
        }
    }

    /** Index of the first label ≥ numClasses, or -1. */
    static int firstOutOfRange(byte[] labels, int numClasses) {
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= numClasses) {
                return i;
            }
        }
        return -1;
    }

    static String outOfRangeMessage(byte[] labels, int index, int numClasses) {
        return "label " + (labels[index] & 0xFF) + " at index " + index + " is outside 0–" + (numClasses - 1);
    }

    /** Number of labels. */
    public int count() {
        return labels.length;
    }

    /** Number of classes: every label is in {@code 0 … numClasses()-1}. */
    public int numClasses() {
        return numClasses;
    }

    /** The label of sample {@code index}. */
    public int label(int index) {
        return labels[Objects.checkIndex(index, labels.length)] & 0xFF;
    }

    /** All labels in a new array. */
    public int[] toIntArray() {
        int[] out = new int[labels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels[i] & 0xFF;
        }
        return out;
    }

    /** The first {@code n} labels (a copy). */
    public IdxLabels head(int n) {
        if (n < 0 || n > labels.length) {
            throw new IllegalArgumentException("head(" + n + ") of " + labels.length + " labels");
        }
        return new IdxLabels(numClasses, Arrays.copyOf(labels, n));
    }

    /**
     * Writes the labels of samples {@code order[from]}, …, {@code order[to-1]} into {@code out[0 … to-from-1]}.
     * {@code out} may be longer (so one array serves every batch, the last smaller one included); the
     * entries after {@code to-from} are left as they are. Allocates nothing.
     *
     * @throws IndexOutOfBoundsException if {@code [from, to)} is not inside {@code order}, an entry of
     *                                   {@code order} is not a sample index, or {@code out} is too short
     */
    public void fillBatch(int[] order, int from, int to, int[] out) {
        Objects.checkFromToIndex(from, to, order.length);
        int n = to - from;
        if (out.length < n) {
            throw new IndexOutOfBoundsException("batch of " + n + " labels does not fit an int[" + out.length + "]");
        }
        for (int k = 0; k < n; k++) {
            out[k] = labels[Objects.checkIndex(order[from + k], labels.length)] & 0xFF;
        }
    }

    @Override
    public String toString() {
        return "IdxLabels[" + labels.length + ", " + numClasses + " classes]";
    }
}
