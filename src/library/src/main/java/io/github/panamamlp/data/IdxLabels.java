package io.github.panamamlp.data;

import java.nio.file.Path;
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
     * Reads an IDX label file of unsigned bytes (magic {@code 0x00000801}), raw or gzip-compressed
     * (recognized by content), whose labels must be in {@code 0 … numClasses-1}.
     *
     * @param file       the file
     * @param numClasses 1…{@value #MAX_CLASSES} ({@value #DEFAULT_CLASSES} for MNIST)
     * @return its labels
     * @throws DatasetException naming the file, if it is missing, unreadable, malformed or holds a label out
     *                          of range
     */
    public static IdxLabels read(Path file, int numClasses) {
        return IdxReader.readLabels(file, numClasses);
    }

    /**
     * Reads {@code count} labels from label {@code from} on, and only those; each must be in
     * {@code 0 … numClasses-1}.
     *
     * @param file       the file
     * @param numClasses 1…{@value #MAX_CLASSES}
     * @param from       the first label, ≥ 0
     * @param count      how many, ≥ 1
     * @return those labels
     * @throws DatasetException naming the file, if it is missing, unreadable, malformed, holds fewer than
     *                          {@code from + count} labels, or one of those is out of range
     */
    public static IdxLabels read(Path file, int numClasses, int from, int count) {
        return IdxReader.readLabels(file, numClasses, from, count);
    }

    /**
     * Labels from a copy of {@code labels}.
     *
     * @param numClasses the number of classes, 1…256
     * @param labels     the labels, each an unsigned byte below {@code numClasses}
     * @return the labels
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

    /** {@return number of labels} */
    public int count() {
        return labels.length;
    }

    /** {@return number of classes: every label is in {@code 0 … numClasses()-1}} */
    public int numClasses() {
        return numClasses;
    }

    /**
     * One label.
     *
     * @param index the sample
     * @return its label
     * @throws IndexOutOfBoundsException if there is no such sample
     */
    public int label(int index) {
        return labels[Objects.checkIndex(index, labels.length)] & 0xFF;
    }

    /** {@return all labels in a new array} */
    public int[] toIntArray() {
        int[] out = new int[labels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels[i] & 0xFF;
        }
        return out;
    }

    /**
     * The first labels (a copy).
     *
     * @param n how many, 0 … count
     * @return the first {@code n} labels
     * @throws IllegalArgumentException if {@code n} is out of range
     */
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
     * @param order sample indices
     * @param from  the first position in {@code order} to copy
     * @param to    one past the last position
     * @param out   receives the labels
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
