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

    /** A zero-filled rows×cols matrix that owns its memory; {@link #close()} frees it. */
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
     */
    public static Matrix allocate(Arena arena, int rows, int cols) {
        checkShape(rows, cols);
        return new Matrix(arena.allocate(bytes(rows, cols), ALIGNMENT), rows, cols, cols, null, null);
    }

    /** A new matrix that owns its memory, filled from {@code values} (one array per row). */
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

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Distance in doubles between the starts of consecutive rows (≥ cols). */
    public int stride() {
        return stride;
    }

    /** "rows×cols", for messages. */
    public String shape() {
        return rows + "×" + cols;
    }

    /** True when this matrix, or the matrix it is a view of, has been closed. */
    public boolean isClosed() {
        return closed || (parent != null && parent.isClosed()) || !segment.scope().isAlive();
    }

    /** Throws if this matrix can no longer be used. */
    public void checkOpen() {
        if (isClosed()) {
            throw new IllegalStateException("matrix " + shape() + " is closed");
        }
    }

    /**
     * The memory behind this matrix (checked open). Row r starts at byte {@code r·stride·8}.
     * For kernels that work on the raw segment.
     */
    public MemorySegment segment() {
        checkOpen();
        return segment;
    }

    /** True when rows are stored back to back (stride == cols), so the data is one run of rows·cols doubles. */
    public boolean isContiguous() {
        return stride == cols || rows <= 1;
    }

    public double get(int r, int c) {
        checkIndex(r, c);
        return segment.getAtIndex(D, (long) r * stride + c);
    }

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

    /** Rows {@code [from, to)} as a matrix sharing this one's memory (no copy). */
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

    /** Sets every element to {@code v}. */
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

    /** Copies {@code rows·cols} values, row after row, from {@code src}. */
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

    /** Copies {@code other}, which must have the same shape. */
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

    /** Copies the elements, row after row, into {@code dst} (length rows·cols). */
    public void copyTo(double[] dst) {
        checkOpen();
        if (dst.length != (long) rows * cols) {
            throw new IllegalArgumentException("copyTo: " + dst.length + " values for a " + shape() + " matrix");
        }
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(segment, D, (long) r * stride * Double.BYTES, dst, r * cols, cols);
        }
    }

    /** The elements, row after row, in a new array. */
    public double[] toArray() {
        double[] out = new double[Math.multiplyExact(rows, cols)];
        copyTo(out);
        return out;
    }

    /** The elements as one array per row. */
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
