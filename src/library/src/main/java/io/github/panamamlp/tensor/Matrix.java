package io.github.panamamlp.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A row-major matrix of {@code double}s in off-heap memory, aligned to 64 bytes.
 *
 * <p>Element (r, c) lives at index {@code r·stride + c} of the segment. A matrix either owns its memory
 * ({@link #allocate(int, int)}: closing it frees the memory) or borrows it from an {@link Arena} that the
 * caller owns ({@link #allocate(Arena, int, int)}: the memory is freed when that arena closes). A
 * {@linkplain #rowView(int, int) row view} shares its parent's memory without copying, which is how
 * mini-batches are taken. Any use after {@link #close()} — of the matrix, or of a view after its parent
 * is closed — throws {@link IllegalStateException}.
 *
 * <p>Not thread-safe for writes; concurrent reads of a matrix nobody writes are safe.
 */
public final class Matrix implements AutoCloseable {
    /** Alignment of every allocation: one cache line, and enough for any SIMD load. */
    public static final long ALIGNMENT = 64;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    private final MemorySegment segment;
    private final int rows;
    private final int cols;
    private final int stride;
    private final Arena ownArena;
    private final Matrix parent;
    private volatile boolean closed;

    private Matrix(MemorySegment segment, int rows, int cols, int stride, Arena ownArena, Matrix parent) {
        this.segment = segment;
        this.rows = rows;
        this.cols = cols;
        this.stride = stride;
        this.ownArena = ownArena;
        this.parent = parent;
    }

    /**
     * A zero-filled rows×cols matrix that owns its memory; {@link #close()} frees it.
     *
     * @param rows rows, ≥ 0
     * @param cols columns, ≥ 0
     * @return the new matrix, which the caller closes
     * @throws IllegalArgumentException if a dimension is negative
     */
    public static Matrix allocate(int rows, int cols) {
        checkShape(rows, cols);
        Arena arena = Arena.ofShared();
        try {
            return new Matrix(arena.allocate(bytes(rows, cols), ALIGNMENT), rows, cols, cols, arena, null);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * A zero-filled rows×cols matrix whose memory belongs to {@code arena}: it is freed when the arena
     * closes. {@link #close()} only marks this matrix unusable.
     *
     * @param arena the arena that owns the memory
     * @param rows  rows, ≥ 0
     * @param cols  columns, ≥ 0
     * @return the new matrix
     * @throws IllegalArgumentException if a dimension is negative
     */
    public static Matrix allocate(Arena arena, int rows, int cols) {
        checkShape(rows, cols);
        return new Matrix(arena.allocate(bytes(rows, cols), ALIGNMENT), rows, cols, cols, null, null);
    }

    /**
     * A new matrix that owns its memory, filled from {@code values}.
     *
     * @param values one array per row, all of the same length
     * @return the new matrix, which the caller closes
     * @throws IllegalArgumentException if the rows have different lengths
     */
    public static Matrix of(double[][] values) {
        int r = values.length;
        int c = r == 0 ? 0 : values[0].length;
        Matrix m = allocate(r, c);
        for (int i = 0; i < r; i++) {
            if (values[i].length != c) {
                m.close();
                throw new IllegalArgumentException("ragged rows: row 0 has " + c + " values, row " + i + " has " + values[i].length);
            }
            MemorySegment.copy(values[i], 0, m.segment, D, (long) i * c * Double.BYTES, c);
        }
        return m;
    }

    /**
     * A matrix over existing memory: element (r, c) at index {@code r·stride + c} of {@code segment}.
     * The segment must be large enough and stays owned by whoever allocated it.
     *
     * @param segment the memory, aligned to 8 bytes
     * @param rows    rows, ≥ 0
     * @param cols    columns, ≥ 0
     * @param stride  distance in doubles between the starts of consecutive rows, ≥ cols
     * @return a matrix over the segment; closing it does not free the memory
     * @throws IllegalArgumentException if the shape, stride, size or alignment do not fit
     */
    public static Matrix wrap(MemorySegment segment, int rows, int cols, int stride) {
        checkShape(rows, cols);
        if (stride < Math.max(1, cols)) {
            throw new IllegalArgumentException("stride " + stride + " is smaller than the " + cols + " columns");
        }
        long needed = rows == 0 ? 0 : ((long) (rows - 1) * stride + cols) * Double.BYTES;
        if (segment.byteSize() < needed) {
            throw new IllegalArgumentException("a " + rows + "×" + cols + " matrix with stride " + stride + " needs "
                    + needed + " bytes but the segment has " + segment.byteSize());
        }
        if (segment.address() % Double.BYTES != 0) {
            throw new IllegalArgumentException("the segment is not aligned to 8 bytes");
        }
        return new Matrix(segment.asSlice(0, needed), rows, cols, stride, null, null);
    }

    private static void checkShape(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape must be non-negative, got " + rows + "×" + cols);
        }
    }

    private static long bytes(int rows, int cols) {
        // At least one byte: a zero-sized allocation is legal but keeps the code paths uniform.
        return Math.max(1, (long) rows * cols * Double.BYTES);
    }

    /** {@return the number of rows} */
    public int rows() {
        return rows;
    }

    /** {@return the number of columns} */
    public int cols() {
        return cols;
    }

    /** {@return the distance in doubles between the starts of consecutive rows (≥ cols)} */
    public int stride() {
        return stride;
    }

    /** {@return "rows×cols", for messages} */
    public String shape() {
        return rows + "×" + cols;
    }

    /** {@return true when this matrix, or the matrix it is a view of, has been closed} */
    public boolean isClosed() {
        return closed || (parent != null && parent.isClosed()) || !segment.scope().isAlive();
    }

    /**
     * Throws if this matrix can no longer be used.
     *
     * @throws IllegalStateException if this matrix or the matrix it is a view of is closed
     */
    public void checkOpen() {
        if (isClosed()) {
            throw new IllegalStateException("matrix " + shape() + " is closed");
        }
    }

    /**
     * The memory behind this matrix (checked open). Row r starts at byte {@code r·stride·8}.
     * For kernels that work on the raw segment.
     *
     * @return the segment, valid until the memory is freed
     * @throws IllegalStateException if the matrix is closed
     */
    public MemorySegment segment() {
        checkOpen();
        return segment;
    }

    /** {@return true when rows are stored back to back (stride == cols), so the data is one run of rows·cols doubles} */
    public boolean isContiguous() {
        return stride == cols || rows <= 1;
    }

    /**
     * Reads one element.
     *
     * @param r row
     * @param c column
     * @return element (r, c)
     * @throws IndexOutOfBoundsException if (r, c) is outside the matrix
     * @throws IllegalStateException     if the matrix is closed
     */
    public double get(int r, int c) {
        checkIndex(r, c);
        return segment.getAtIndex(D, (long) r * stride + c);
    }

    /**
     * Writes one element. Not thread-safe: no other thread may read or write the matrix meanwhile.
     *
     * @param r row
     * @param c column
     * @param v the value
     * @throws IndexOutOfBoundsException if (r, c) is outside the matrix
     * @throws IllegalStateException     if the matrix is closed
     */
    public void set(int r, int c, double v) {
        checkIndex(r, c);
        segment.setAtIndex(D, (long) r * stride + c, v);
    }

    private void checkIndex(int r, int c) {
        checkOpen();
        if (r < 0 || r >= rows || c < 0 || c >= cols) {
            throw new IndexOutOfBoundsException("index (" + r + ", " + c + ") outside a " + shape() + " matrix");
        }
    }

    /**
     * Rows {@code [from, to)} as a matrix sharing this one's memory (no copy).
     *
     * @param from first row
     * @param to   one past the last row
     * @return the view; it becomes unusable when this matrix is closed
     * @throws IndexOutOfBoundsException if the range is outside the matrix
     */
    public Matrix rowView(int from, int to) {
        checkOpen();
        if (from < 0 || to > rows || from > to) {
            throw new IndexOutOfBoundsException("row view [" + from + ", " + to + ") outside a " + shape() + " matrix");
        }
        int n = to - from;
        long bytes = n == 0 ? 0 : ((long) (n - 1) * stride + cols) * Double.BYTES;
        MemorySegment slice = segment.asSlice((long) from * stride * Double.BYTES, bytes);
        return new Matrix(slice, n, cols, stride, null, this);
    }

    /**
     * Sets every element to {@code v}.
     *
     * @param v the value
     * @return this matrix
     */
    public Matrix fill(double v) {
        checkOpen();
        for (int r = 0; r < rows; r++) {
            long base = (long) r * stride;
            for (int c = 0; c < cols; c++) {
                segment.setAtIndex(D, base + c, v);
            }
        }
        return this;
    }

    /**
     * Copies {@code rows·cols} values, row after row, from {@code src}.
     *
     * @param src the values, row after row
     * @return this matrix
     * @throws IllegalArgumentException if {@code src} does not hold rows·cols values
     */
    public Matrix copyFrom(double[] src) {
        checkOpen();
        if (src.length != (long) rows * cols) {
            throw new IllegalArgumentException("copyFrom: " + src.length + " values for a " + shape() + " matrix");
        }
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(src, r * cols, segment, D, (long) r * stride * Double.BYTES, cols);
        }
        return this;
    }

    /**
     * Copies {@code other}, which must have the same shape.
     *
     * @param other the source matrix
     * @return this matrix
     * @throws IllegalArgumentException if the shapes differ
     */
    public Matrix copyFrom(Matrix other) {
        checkOpen();
        other.checkOpen();
        if (other.rows != rows || other.cols != cols) {
            throw new IllegalArgumentException("copyFrom: " + other.shape() + " into " + shape());
        }
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(other.segment, (long) r * other.stride * Double.BYTES,
                    segment, (long) r * stride * Double.BYTES, (long) cols * Double.BYTES);
        }
        return this;
    }

    /**
     * Copies the elements, row after row, into {@code dst}.
     *
     * @param dst an array of length rows·cols
     * @throws IllegalArgumentException if {@code dst} has another length
     */
    public void copyTo(double[] dst) {
        checkOpen();
        if (dst.length != (long) rows * cols) {
            throw new IllegalArgumentException("copyTo: " + dst.length + " values for a " + shape() + " matrix");
        }
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(segment, D, (long) r * stride * Double.BYTES, dst, r * cols, cols);
        }
    }

    /** {@return the elements, row after row, in a new array} */
    public double[] toArray() {
        double[] out = new double[Math.multiplyExact(rows, cols)];
        copyTo(out);
        return out;
    }

    /** {@return the elements as one array per row} */
    public double[][] toArray2D() {
        checkOpen();
        double[][] out = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(segment, D, (long) r * stride * Double.BYTES, out[r], 0, cols);
        }
        return out;
    }

    /**
     * Marks this matrix closed; frees its memory if it owns it. Views and arena-borrowed matrices only
     * become unusable. Closing twice is harmless.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ownArena != null) {
            ownArena.close();
        }
    }

    @Override
    public String toString() {
        return "Matrix[" + shape() + (stride != cols ? ", stride " + stride : "") + (isClosed() ? ", closed" : "") + "]";
    }
}
