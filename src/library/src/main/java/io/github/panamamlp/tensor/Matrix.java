package io.github.panamamlp.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A row-major matrix of {@code double}s or {@code float}s in off-heap memory, aligned to 64 bytes.
 *
 * <p>Its {@linkplain #dtype() element type} is fixed when it is allocated ({@link DType#FLOAT64} unless
 * stated) and views keep it. The accessors work in {@code double} whatever the type: reading a float32
 * element widens it exactly, writing one rounds to the nearest float. Kernels that take several matrices
 * require one type and say which ones differ.
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
    private final DType dtype;
    private final int rows;
    private final int cols;
    private final int stride;
    private final Arena ownArena;
    private final Matrix parent;
    private volatile boolean closed;

    private Matrix(MemorySegment segment, DType dtype, int rows, int cols, int stride, Arena ownArena, Matrix parent) {
        this.segment = segment;
        this.dtype = dtype;
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
        return allocate(rows, cols, DType.FLOAT64);
    }

    /**
     * A zero-filled rows×cols matrix of {@code dtype} that owns its memory; {@link #close()} frees it.
     *
     * @param rows  rows, ≥ 0
     * @param cols  columns, ≥ 0
     * @param dtype the element type
     * @return the new matrix, which the caller closes
     * @throws IllegalArgumentException if a dimension is negative
     */
    public static Matrix allocate(int rows, int cols, DType dtype) {
        checkShape(rows, cols);
        checkType(dtype);
        Arena arena = Arena.ofShared();
        try {
            return new Matrix(arena.allocate(bytes(rows, cols, dtype), ALIGNMENT), dtype, rows, cols, cols, arena, null);
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
        return allocate(arena, rows, cols, DType.FLOAT64);
    }

    /**
     * A zero-filled rows×cols matrix of {@code dtype} whose memory belongs to {@code arena}.
     *
     * @param arena the arena that owns the memory
     * @param rows  rows, ≥ 0
     * @param cols  columns, ≥ 0
     * @param dtype the element type
     * @return the new matrix
     * @throws IllegalArgumentException if a dimension is negative
     */
    public static Matrix allocate(Arena arena, int rows, int cols, DType dtype) {
        checkShape(rows, cols);
        checkType(dtype);
        return new Matrix(arena.allocate(bytes(rows, cols, dtype), ALIGNMENT), dtype, rows, cols, cols, null, null);
    }

    /**
     * A new matrix that owns its memory, filled from {@code values}.
     *
     * @param values one array per row, all of the same length
     * @return the new matrix, which the caller closes
     * @throws IllegalArgumentException if the rows have different lengths
     */
    public static Matrix of(double[][] values) {
        return of(values, DType.FLOAT64);
    }

    /**
     * A new matrix of {@code dtype} that owns its memory, filled from {@code values} (rounded to the
     * nearest float for float32).
     *
     * @param values one array per row, all of the same length
     * @param dtype  the element type
     * @return the new matrix, which the caller closes
     * @throws IllegalArgumentException if the rows have different lengths
     */
    public static Matrix of(double[][] values, DType dtype) {
        int r = values.length;
        int c = r == 0 ? 0 : values[0].length;
        Matrix m = allocate(r, c, dtype);
        for (int i = 0; i < r; i++) {
            if (values[i].length != c) {
                m.close();
                throw new IllegalArgumentException("ragged rows: row 0 has " + c + " values, row " + i + " has " + values[i].length);
            }
            m.writeRow(i, values[i], 0);
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
        return wrap(segment, rows, cols, stride, DType.FLOAT64);
    }

    /**
     * A matrix of {@code dtype} over existing memory: element (r, c) at index {@code r·stride + c} of
     * {@code segment}, counted in elements of that type.
     *
     * @param segment the memory, aligned to the element size
     * @param rows    rows, ≥ 0
     * @param cols    columns, ≥ 0
     * @param stride  distance in elements between the starts of consecutive rows, ≥ cols
     * @param dtype   the element type
     * @return a matrix over the segment; closing it does not free the memory
     * @throws IllegalArgumentException if the shape, stride, size or alignment do not fit
     */
    public static Matrix wrap(MemorySegment segment, int rows, int cols, int stride, DType dtype) {
        checkShape(rows, cols);
        checkType(dtype);
        if (stride < Math.max(1, cols)) {
            throw new IllegalArgumentException("stride " + stride + " is smaller than the " + cols + " columns");
        }
        long needed = rows == 0 ? 0 : ((long) (rows - 1) * stride + cols) * dtype.bytes();
        if (segment.byteSize() < needed) {
            throw new IllegalArgumentException("a " + rows + "×" + cols + " matrix with stride " + stride + " needs "
                    + needed + " bytes but the segment has " + segment.byteSize());
        }
        if (segment.address() % dtype.bytes() != 0) {
            throw new IllegalArgumentException("the segment is not aligned to " + dtype.bytes() + " bytes, as " + dtype + " needs");
        }
        return new Matrix(segment.asSlice(0, needed), dtype, rows, cols, stride, null, null);
    }

    private static void checkShape(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape must be non-negative, got " + rows + "×" + cols);
        }
    }

    private static void checkType(DType dtype) {
        if (dtype == null) {
            throw new IllegalArgumentException("matrix element type must not be null");
        }
    }

    private static long bytes(int rows, int cols, DType dtype) {
        // At least one byte: a zero-sized allocation is legal but keeps the code paths uniform.
        return Math.max(1, (long) rows * cols * dtype.bytes());
    }

    /** {@return the element type, fixed at allocation} */
    public DType dtype() {
        return dtype;
    }

    /** {@return the number of rows} */
    public int rows() {
        return rows;
    }

    /** {@return the number of columns} */
    public int cols() {
        return cols;
    }

    /** {@return the distance in elements between the starts of consecutive rows (≥ cols)} */
    public int stride() {
        return stride;
    }

    /** {@return "rows×cols", for messages} */
    public String shape() {
        return rows + "×" + cols;
    }

    /** {@return "rows×cols float32" or "rows×cols float64", for messages about types} */
    public String describe() {
        return shape() + " " + dtype;
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
     * The memory behind this matrix (checked open). Row r starts at byte {@code r·stride·dtype().bytes()}.
     * For kernels that work on the raw segment.
     *
     * @return the segment, valid until the memory is freed
     * @throws IllegalStateException if the matrix is closed
     */
    public MemorySegment segment() {
        checkOpen();
        return segment;
    }

    /** {@return true when rows are stored back to back (stride == cols), so the data is one run of rows·cols elements} */
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
        return dtype.get(segment, (long) r * stride + c);
    }

    /**
     * Writes one element (rounded to the nearest float in a float32 matrix). Not thread-safe: no other
     * thread may read or write the matrix meanwhile.
     *
     * @param r row
     * @param c column
     * @param v the value
     * @throws IndexOutOfBoundsException if (r, c) is outside the matrix
     * @throws IllegalStateException     if the matrix is closed
     */
    public void set(int r, int c, double v) {
        checkIndex(r, c);
        dtype.set(segment, (long) r * stride + c, v);
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
        int size = dtype.bytes();
        long bytes = n == 0 ? 0 : ((long) (n - 1) * stride + cols) * size;
        MemorySegment slice = segment.asSlice((long) from * stride * size, bytes);
        return new Matrix(slice, dtype, n, cols, stride, null, this);
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
                dtype.set(segment, base + c, v);
            }
        }
        return this;
    }

    /**
     * Copies {@code rows·cols} values, row after row, from {@code src} (rounded to the nearest float in a
     * float32 matrix).
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
            writeRow(r, src, r * cols);
        }
        return this;
    }

    /**
     * Copies {@code other}, which must have the same shape; between element types it converts (float64 to
     * float32 rounds to the nearest float, float32 to float64 is exact).
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
        if (other.dtype == dtype) {
            int size = dtype.bytes();
            for (int r = 0; r < rows; r++) {
                MemorySegment.copy(other.segment, (long) r * other.stride * size,
                        segment, (long) r * stride * size, (long) cols * size);
            }
        } else {
            // Element by element, so that a conversion allocates nothing (a training step may convert its batch).
            for (int r = 0; r < rows; r++) {
                long src = (long) r * other.stride, dst = (long) r * stride;
                for (int c = 0; c < cols; c++) {
                    dtype.set(segment, dst + c, other.dtype.get(other.segment, src + c));
                }
            }
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
            readRow(r, dst, r * cols);
        }
    }

    /**
     * Copies row {@code r} into {@code dst[offset..offset+cols)} (float32 widened exactly).
     *
     * @param r      the row
     * @param dst    the destination
     * @param offset where in {@code dst} the row starts
     * @throws IndexOutOfBoundsException if r is not a row or dst has no room for the row at offset
     * @throws IllegalStateException     if the matrix is closed
     */
    public void getRow(int r, double[] dst, int offset) {
        checkOpen();
        java.util.Objects.checkIndex(r, rows);
        java.util.Objects.checkFromIndexSize(offset, cols, dst.length);
        readRow(r, dst, offset);
    }

    /**
     * Copies {@code src[offset..offset+cols)} into row {@code r} (rounded to the nearest float in a float32
     * matrix). Not thread-safe, as {@link #set}.
     *
     * @param r      the row
     * @param src    the values
     * @param offset where in {@code src} the row starts
     * @throws IndexOutOfBoundsException if r is not a row or src has fewer than cols values from offset
     * @throws IllegalStateException     if the matrix is closed
     */
    public void setRow(int r, double[] src, int offset) {
        checkOpen();
        java.util.Objects.checkIndex(r, rows);
        java.util.Objects.checkFromIndexSize(offset, cols, src.length);
        writeRow(r, src, offset);
    }

    /** Row r into dst[off..off+cols), widened to double; no checks (callers check). */
    private void readRow(int r, double[] dst, int off) {
        long base = (long) r * stride;
        if (dtype == DType.FLOAT64) {
            MemorySegment.copy(segment, D, base * Double.BYTES, dst, off, cols);
        } else {
            for (int c = 0; c < cols; c++) {
                dst[off + c] = dtype.get(segment, base + c);
            }
        }
    }

    /** src[off..off+cols) into row r, rounded to float in a float32 matrix; no checks (callers check). */
    private void writeRow(int r, double[] src, int off) {
        long base = (long) r * stride;
        if (dtype == DType.FLOAT64) {
            MemorySegment.copy(src, off, segment, D, base * Double.BYTES, cols);
        } else {
            for (int c = 0; c < cols; c++) {
                dtype.set(segment, base + c, src[off + c]);
            }
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
            readRow(r, out[r], 0);
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
        return "Matrix[" + shape() + (dtype == DType.FLOAT64 ? "" : ", " + dtype) + (stride != cols ? ", stride " + stride : "") + (isClosed() ? ", closed" : "") + "]";
    }
}
