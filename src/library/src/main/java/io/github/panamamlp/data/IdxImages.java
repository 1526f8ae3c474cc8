package io.github.panamamlp.data;

import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code count} grayscale images of {@code rows×cols} unsigned-byte pixels, held compactly as one
 * {@code byte[]} (image after image, each row-major), as read from an IDX image file.
 *
 * <p>Immutable: the pixel array never leaves this object. Pixel 0 is black and 255 white; MNIST digits
 * are white on black. Safe to share between threads.
 *
 * <p>Inside, each pixel p is kept as the signed byte p − 128 (p with its top bit flipped): C2 turns a loop
 * that converts signed bytes to doubles into SIMD code, while the unsigned conversion {@code b & 0xFF} stays
 * scalar (JDK 25), and turning a batch of bytes into doubles is what every training step starts with.
 */
public final class IdxImages {
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    /** 1/255 rounded, and the exact quotient's correction below (see {@link #scaled}). */
    private static final double INV_255 = 1 / 255.0;
    /** The same for float32 batches. */
    private static final float INV_255F = 1 / 255f;
    /** One row of converted pixels per thread, copied into the batch matrix in one bulk copy. */
    private static final ThreadLocal<double[]> ROW = ThreadLocal.withInitial(() -> new double[0]);
    /** The same for float32 batches: the float64 value rounded to float, so both types see the same pixels. */
    private static final ThreadLocal<float[]> ROW_F = ThreadLocal.withInitial(() -> new float[0]);

    private final int count;
    private final int rows;
    private final int cols;
    private final byte[] pixels;

    /**
     * Takes ownership of {@code pixels} (unsigned pixels, turned into the stored form in place) without
     * copying; the caller has checked the shape.
     */
    IdxImages(int count, int rows, int cols, byte[] pixels) {
        this(count, rows, cols, flipTopBits(pixels), true);
    }

    /** Takes ownership of pixels already in the stored form (the flag only tells the constructors apart). */
    private IdxImages(int count, int rows, int cols, byte[] stored, boolean isStored) {
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.pixels = stored;
    }

    /** p ↔ p − 128 as a signed byte, in place (its own inverse). */
    private static byte[] flipTopBits(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (b[i] ^ 0x80);
        }
        return b;
    }

    /**
     * p / 255.0, correctly rounded, from the stored byte p − 128, in operations C2 vectorises: the product
     * with the rounded reciprocal is off by one unit in the last place for 24 of the 256 pixel values, and
     * one fused multiply-add of the remainder corrects it (checked for all 256 by the tests).
     */
    private static double scaled(byte stored) {
        double p = stored + 128.0;
        double q = p * INV_255;
        double r = Math.fma(-q, 255.0, p);
        return Math.fma(r, INV_255, q);
    }

    /**
     * p / 255 as a float, correctly rounded, from the stored byte p − 128: {@link #scaled}'s correction in float
     * arithmetic, which C2 vectorises twice as wide. Equal to {@code (float) scaled(stored)} for all 256 values
     * (the tests check it): p/255 is never halfway between two floats, so rounding the double first changes
     * nothing.
     */
    static float scaledFloat(byte stored) {
        float p = stored + 128f;
        float q = p * INV_255F;
        float r = Math.fma(-q, 255f, p);
        return Math.fma(r, INV_255F, q);
    }

    /**
     * Reads an IDX image file of unsigned bytes (magic {@code 0x00000803}), raw or gzip-compressed (recognized
     * by content). The header is checked before anything is allocated, and a lying header cannot cause a
     * large allocation.
     *
     * @param file the file
     * @return its images
     * @throws DatasetException naming the file, if it is missing, unreadable or not a well-formed IDX image file
     */
    public static IdxImages read(Path file) {
        return IdxReader.readImages(file);
    }

    /**
     * Reads {@code count} images from image {@code from} on, and only those (the images before are skipped,
     * nothing after the last one is read): e.g. one image of a test set.
     *
     * @param file  the file
     * @param from  the first image, ≥ 0
     * @param count how many, ≥ 1, with {@code from + count} at most the file's image count
     * @return those images
     * @throws DatasetException naming the file, if it is missing, unreadable, malformed or holds fewer than
     *                          {@code from + count} images
     */
    public static IdxImages read(Path file, int from, int count) {
        return IdxReader.readImages(file, from, count);
    }

    /**
     * The number of images in an IDX image file, from its header alone.
     *
     * @param file the file
     * @return the count its header declares (checked against a raw file's length)
     * @throws DatasetException naming the file, if it is missing, unreadable or not a well-formed IDX image file
     */
    public static int count(Path file) {
        return IdxReader.imageCount(file);
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
        return (pixels[(image * rows + row) * cols + col] ^ 0x80) & 0xFF;
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
        return flipTopBits(Arrays.copyOfRange(pixels, image * n, image * n + n));
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
        convert(pixels, base, out, n);
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
        return new IdxImages(n, rows, cols, Arrays.copyOf(pixels, n * pixelsPerImage()), true);
    }

    /**
     * Fills {@code out} with the images {@code order[from]}, …, {@code order[to-1]}: row k of {@code out}
     * receives image {@code order[from+k]} as pixel/255.0, row-major (in a float32 matrix, that double rounded
     * to float). Allocates nothing; meant to run
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
        if (out.dtype() == DType.FLOAT32) {
            long rowBytes = (long) out.stride() * Float.BYTES;
            float[] row = ROW_F.get();
            if (row.length < width) {
                row = new float[width];
                ROW_F.set(row);
            }
            for (int k = 0; k < n; k++) {
                int image = Objects.checkIndex(order[from + k], count);
                int base = image * width;
                for (int j = 0; j < width; j++) {
                    row[j] = scaledFloat(pixels[base + j]);
                }
                MemorySegment.copy(row, 0, dst, ValueLayout.JAVA_FLOAT, k * rowBytes, width);
            }
            touchAhead(order, to, n);
            return;
        }
        long rowBytes = (long) out.stride() * Double.BYTES;
        double[] row = ROW.get();
        if (row.length < width) {
            row = new double[width];
            ROW.set(row);
        }
        for (int k = 0; k < n; k++) {
            int image = Objects.checkIndex(order[from + k], count);
            convert(pixels, image * width, row, width);
            MemorySegment.copy(row, 0, dst, D, k * rowBytes, width);
        }
        touchAhead(order, to, n);
    }

    /** Where {@link #touchAhead} leaves its sum, so that the JIT cannot drop its loads. A benign race. */
    private static int touched;

    /**
     * Reads one byte of every cache line of the images of the next batch (order[to..to+n)), so that its fill
     * finds them in the cache: these loads are independent and overlap in the memory system, while the fill's
     * own loads meet the misses one image after another. The batch is not copied; a bad index is skipped (its
     * own fill reports it). A shuffled batch of 32 went from 20.2 to 13.2 µs in float64 and from 16.7 to 8.5 µs
     * in float32, against 11.5 and 6.3 µs in file order ({@code make jmh JMH_ARGS='BatchAssemblyBenchmark'},
     * AMD EPYC 2-vCPU, JDK 25), and in training the step between two fills leaves the lines time to arrive.
     */
    private void touchAhead(int[] order, int to, int n) {
        int width = pixelsPerImage();
        if (width == 0) {
            return;
        }
        int end = Math.min(order.length, to + n);
        int sum = 0;
        for (int k = to; k < end; k++) {
            int image = order[k];
            if (image >= 0 && image < count) {
                int base = image * width;
                for (int j = 0; j < width; j += 64) {
                    sum += pixels[base + j];
                }
                sum += pixels[base + width - 1];
            }
        }
        touched = sum;
    }

    /**
     * dst[0..width) = pixel/255.0 of the stored bytes from {@code srcOffset}: a loop over heap arrays that C2
     * compiles to SIMD code, then one bulk copy per row into the matrix. {@code panama-mlp bench}'s batch copy
     * per epoch (60,000 shuffled images, 2-vCPU AMD EPYC, JDK 25) went from 0.062 to 0.055 s against a
     * 256-entry table lookup per pixel written straight into the segment (C2 vectorises neither the lookup
     * nor stores into a segment); much of what is left is fetching the shuffled images from memory: a batch of
     * 32 took 40 µs in an epoch's order and 16 µs in file order ({@code make jmh
     * JMH_ARGS='BatchAssemblyBenchmark'}, a loaded machine: ±28 µs on the first).
     */
    private static void convert(byte[] src, int srcOffset, double[] dst, int width) {
        for (int j = 0; j < width; j++) {
            dst[j] = scaled(src[srcOffset + j]);
        }
    }

    @Override
    public String toString() {
        return "IdxImages[" + count + " × " + rows + "×" + cols + "]";
    }
}
