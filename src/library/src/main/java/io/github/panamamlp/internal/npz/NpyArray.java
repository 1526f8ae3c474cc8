package io.github.panamamlp.internal.npz;

import io.github.panamamlp.internal.Untrusted;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A named float64 array of 0, 1 or 2 dimensions, as stored in one {@code NAME.npy} entry of an
 * {@code .npz} file. {@code data} is in row-major (C) order: element (i, j) of a 2-D array is
 * {@code data[i * shape[1] + j]}; a 0-d array (a scalar) holds exactly one element.
 *
 * <p>The shape is copied in and out, so it cannot change; the data array is shared, not copied,
 * because model arrays can be large. {@link #equals} compares names, shapes and the bit patterns of
 * the data ({@link Arrays#equals(double[], double[])}: NaN equals NaN, 0.0 differs from -0.0).
 *
 * @param name  the entry name without {@code .npy}: 1 to {@value #MAX_NAME_LENGTH} characters from
 *              {@code [A-Za-z0-9_.-]}, not starting with {@code .} or {@code -} and not ending in {@code .npy}
 * @param shape the dimensions, each ≥ 0; at most 2 of them
 * @param data  the elements in row-major order; its length must equal the product of the shape
 */
public record NpyArray(String name, int[] shape, double[] data) {
    /** The longest name accepted. */
    public static final int MAX_NAME_LENGTH = 128;
    /** The most dimensions an array may have. */
    public static final int MAX_DIMENSIONS = 2;

    // Plain names only: they become zip entry names and dictionary keys in numpy, and must not be paths.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");

    /**
     * Checks the components and copies the shape.
     *
     * @throws IllegalArgumentException if the name is not {@linkplain #isValidName valid}, the shape has
     *         more than 2 dimensions or a negative one, or {@code data.length} is not the shape's product
     * @throws NullPointerException if {@code shape} or {@code data} is null
     */
    public NpyArray {
        checkNameAndShape(name, shape);
        shape = shape.clone();
        long count = 1;
        for (int dim : shape) {
            count *= dim; // two ints: cannot overflow a long
        }
        if (data.length != count) {
            throw new IllegalArgumentException(name + ": shape " + shapeString(shape) + " needs " + count
                    + " elements but data has " + data.length);
        }
    }

    /** Checks an array's name and shape as the constructor does (also for arrays written from memory). */
    static void checkNameAndShape(String name, int[] shape) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid array name " + Untrusted.quote(name)
                    + ": use 1 to " + MAX_NAME_LENGTH + " characters from [A-Za-z0-9_.-], not starting"
                    + " with '.' or '-' and not ending in .npy");
        }
        if (shape.length > MAX_DIMENSIONS) {
            throw new IllegalArgumentException(name + ": " + shape.length + " dimensions; at most "
                    + MAX_DIMENSIONS + " are supported");
        }
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in shape " + shapeString(shape));
            }
        }
    }

    /**
     * A rows×cols matrix.
     *
     * @param name the array's name in the archive
     * @param rows rows
     * @param cols columns
     * @param data rows·cols elements, row-major (shared, not copied)
     * @return the array
     * @throws IllegalArgumentException if the name is invalid or the data does not fit the shape
     */
    public static NpyArray matrix(String name, int rows, int cols, double[] data) {
        return new NpyArray(name, new int[]{rows, cols}, data);
    }

    /**
     * A 1-D array.
     *
     * @param name the array's name in the archive
     * @param data the elements (shared, not copied)
     * @return the array
     * @throws IllegalArgumentException if the name is invalid
     */
    public static NpyArray vector(String name, double[] data) {
        return new NpyArray(name, new int[]{data.length}, data);
    }

    /**
     * A 0-d array (a numpy scalar array).
     *
     * @param name  the array's name in the archive
     * @param value its one element
     * @return the array
     * @throws IllegalArgumentException if the name is invalid
     */
    public static NpyArray scalar(String name, double value) {
        return new NpyArray(name, new int[0], new double[]{value});
    }

    /**
     * Whether a name may name an array (see the {@code name} component).
     *
     * @param name the candidate
     * @return true if it is valid
     */
    public static boolean isValidName(String name) {
        return name != null && name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches()
                && !name.endsWith(".npy");
    }

    /** {@return a copy of the shape} */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** {@return the number of dimensions: 0, 1 or 2} */
    public int rank() {
        return shape.length;
    }

    /**
     * The size of one dimension.
     *
     * @param axis 0 … rank-1
     * @return its size
     */
    public int dimension(int axis) {
        return shape[axis];
    }

    /** {@return the shape as Python writes a tuple: {@code ()}, {@code (5,)} or {@code (3, 4)}} */
    public String shapeString() {
        return shapeString(shape);
    }

    public static String shapeString(int[] shape) {
        return shapeString(Arrays.stream(shape).asLongStream().toArray());
    }

    static String shapeString(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /** Equal names, shapes and data bit patterns. */
    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray other && name.equals(other.name) && Arrays.equals(shape, other.shape)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Arrays.hashCode(data);
    }

    /** Name and shape only: the data can be millions of numbers. */
    @Override
    public String toString() {
        return "NpyArray[" + name + " " + shapeString() + "]";
    }
}
