package io.github.panamamlp.data;

import io.github.panamamlp.tensor.Matrix;

import java.util.Objects;

/**
 * Images with one label each: a training or a test set.
 *
 * @param images the images
 * @param labels their labels, {@code labels.count() == images.count()}
 */
public record LabeledImages(IdxImages images, IdxLabels labels) implements BatchSource {

    /**
     * Checks that every image has a label.
     *
     * @throws IllegalArgumentException if the counts differ
     */
    public LabeledImages {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        if (images.count() != labels.count()) {
            throw new IllegalArgumentException(images.count() + " images but " + labels.count() + " labels");
        }
    }

    /** Number of samples. */
    public int count() {
        return images.count();
    }

    /** {@return rows·cols of each image: the network's input size} */
    public int pixelsPerImage() {
        return images.pixelsPerImage();
    }

    /** Features per example for a {@link BatchSource}: the pixels of one image. */
    @Override
    public int features() {
        return pixelsPerImage();
    }

    /** Classes for a {@link BatchSource}: the labels' class count. */
    @Override
    public int classes() {
        return numClasses();
    }

    /** {@return number of classes: the network's output size} */
    public int numClasses() {
        return labels.numClasses();
    }

    /**
     * Fills one mini-batch: row k of {@code x} receives image {@code order[from+k]} as pixel/255.0 and
     * {@code y[k]} its label. Allocates nothing. See {@link IdxImages#fillBatch} and {@link IdxLabels#fillBatch}.
     *
     * @param x an open matrix of exactly {@code to-from} rows and {@link #pixelsPerImage()} columns
     * @param y at least {@code to-from} long; later entries are left as they are
     */
    public void fillBatch(int[] order, int from, int to, Matrix x, int[] y) {
        images.fillBatch(order, from, to, x);
        labels.fillBatch(order, from, to, y);
    }

    /**
     * The first samples (a copy).
     *
     * @param n how many, 0 … count
     * @return the first {@code n} images with their labels
     */
    public LabeledImages head(int n) {
        return new LabeledImages(images.head(n), labels.head(n));
    }
}
