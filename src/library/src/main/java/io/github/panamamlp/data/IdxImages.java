package io.github.panamamlp.data;

import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code count} grayscale images of {@code rows×cols} unsigned-byte pixels, held compactly as one
 * {@code byte[]} (image after image, each row-major), as read from an IDX image file.
 *
 * <p>Immutable: the pixel array never leaves this object. Pixel 0 is black and 255 white; MNIST digits
 * are white on black. Safe to share between threads.
 */
public final class IdxImages {
    /** {@code PIXEL_SCALE[p] == p / 255.0} exactly; a table lookup is cheaper than a division per pixel. */
    private static final double[] PIXEL_SCALE = new double[256];

    static {
        for (int p = 0; p < 256; p++) {
            PIXEL_SCALE[p] = p / 255.0;
        }
    }

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    private final int count;
    private final int rows;
    private final int cols;
    private final byte[] pixels;

    /** Takes ownership of {@code pixels} without copying; the caller has checked the shape. */
    IdxImages(int count, int rows, int cols, byte[] pixels) {
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
    }

    /**
     * Images from a copy of {@code pixels}.
     *
     * @param count  the number of images, ≥ 0
     * @param rows   pixel rows per image, ≥ 1
     * @param cols   pixel columns per image, ≥ 1
     * @param pixels count·rows·cols unsigned bytes, image after image, each row-major
     * @return the images
     * @throws IllegalArgumentException if a dimension is negative or the array length does not match
     */
    public static IdxImages of(int count, int rows, int cols, byte[] pixels) {
        if (count < 0 || rows < 1 || cols < 1) {
            throw new IllegalArgumentException("image shape must be count ≥ 0, rows ≥ 1, cols ≥ 1, got count " + count
                    + ", " + rows + "×" + cols);
        }
        long expected = (long) count * rows * cols;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(count + " images of " + rows + "×" + cols + " need " + expected
                    + " pixels, got " + pixels.length);
        }
        return new IdxImages(count, rows, cols, pixels.clone());
    }

    /** {@return number of images} */
    public int count() {
        return count;
    }

    /** {@return pixel rows per image} */
    public int rows() {
        return rows;
    }

    /** {@return pixel columns per image} */
    public int cols() {
        return cols;
    }

    /** {@return rows·cols: the width of one image as a matrix row (the network's input size)} */
    public int pixelsPerImage() {
        return rows * cols;
    }

    /**
     * One pixel.
     *
     * @param image the image
     * @param row   its pixel row
     * @param col   its pixel column
     * @return the pixel, 0 (black) … 255 (white)
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public int pixel(int image, int row, int col) {
        Objects.checkIndex(image, count);
        Objects.checkIndex(row, rows);
        Objects.checkIndex(col, cols);
        return pixels[(image * rows + row) * cols + col] & 0xFF;
    }

    /**
     * One image's pixels.
     *
     * @param image the image
     * @return a copy of its pixels, row-major, as unsigned bytes
     * @throws IndexOutOfBoundsException if there is no such image
     */
    public byte[] imageBytes(int image) {
        Objects.checkIndex(image, count);
        int n = pixelsPerImage();
        return Arrays.copyOfRange(pixels, image * n, image * n + n);
    }

    /**
     * One image as the network's input.
     *
     * @param image the image
     * @return rows·cols values pixel/255.0 in [0, 1], row-major
     * @throws IndexOutOfBoundsException if there is no such image
     */
    public double[] imageAsDoubles(int image) {
        Objects.checkIndex(image, count);
        int n = pixelsPerImage();
        double[] out = new double[n];
        int base = image * n;
        for (int j = 0; j < n; j++) {
            out[j] = PIXEL_SCALE[pixels[base + j] & 0xFF];
        }
        return out;
    }

    /**
     * The first images (a copy), e.g. to train quickly on a part of a dataset.
     *
     * @param n how many, 0 … count
     * @return the first {@code n} images
     * @throws IllegalArgumentException if {@code n} is out of range
     */
    public IdxImages head(int n) {
        if (n < 0 || n > count) {
            throw new IllegalArgumentException("head(" + n + ") of " + count + " images");
        }
        return new IdxImages(n, rows, cols, Arrays.copyOf(pixels, n * pixelsPerImage()));
    }

    /**
     * Fills {@code out} with the images {@code order[from]}, …, {@code order[to-1]}: row k of {@code out}
     * receives image {@code order[from+k]} as pixel/255.0, row-major. Allocates nothing; meant to run
     * every training step.
     *
     * @param order image indices
     * @param from  the first position in {@code order} to copy
     * @param to    one past the last position
     * @param out   an open matrix of exactly {@code to-from} rows and {@link #pixelsPerImage()} columns (any stride)
     * @throws IndexOutOfBoundsException if {@code [from, to)} is not inside {@code order} or an entry of
     *                                   {@code order} is not an image index
     * @throws IllegalArgumentException  if {@code out} has the wrong shape
     * @throws IllegalStateException     if {@code out} is closed
     */
    public void fillBatch(int[] order, int from, int to, Matrix out) {
        Objects.checkFromToIndex(from, to, order.length);
        int n = to - from;
        int width = pixelsPerImage();
        if (out.rows() != n || out.cols() != width) {
            throw new IllegalArgumentException("batch of " + n + " images of " + rows + "×" + cols + " needs a "
                    + n + "×" + width + " matrix, got " + out.shape());
        }
        MemorySegment dst = out.segment();
        long rowBytes = (long) out.stride() * Double.BYTES;
        for (int k = 0; k < n; k++) {
            int image = Objects.checkIndex(order[from + k], count);
            convertRow(pixels, image * width, dst, k * rowBytes, width);
        }
    }

    /**
     * Writes {@code width} doubles pixel/255.0 from {@code src[srcOffset…]} to {@code dst} at byte
     * {@code dstOffset}. Writes go straight to the segment by byte offset: measured faster than a scratch
     * {@code double[]} plus bulk copy, and unlike a per-row {@code asSlice} it allocates nothing.
     */
    private static void convertRow(byte[] src, int srcOffset, MemorySegment dst, long dstOffset, int width) {
        for (int j = 0; j < width; j++) {
            dst.set(D, dstOffset + (long) j * Double.BYTES, PIXEL_SCALE[src[srcOffset + j] & 0xFF]);
        }
    }

    @Override
    public String toString() {
        return "IdxImages[" + count + " × " + rows + "×" + cols + "]";
    }
}
