package io.github.panamamlp.blas;

import io.github.panamamlp.tensor.DType;

import java.lang.foreign.MemorySegment;

/** Argument checks shared by every {@link Blas} implementation; run before any memory is touched. */
final class BlasChecks {
    private BlasChecks() {
    }

    static void checkDgemm(Transpose transA, Transpose transB, int m, int n, int k,
                           MemorySegment a, long aOffset, int lda,
                           MemorySegment b, long bOffset, int ldb,
                           MemorySegment c, long cOffset, int ldc) {
        checkGemm(DType.FLOAT64, transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
    }

    static void checkSgemm(Transpose transA, Transpose transB, int m, int n, int k,
                           MemorySegment a, long aOffset, int lda,
                           MemorySegment b, long bOffset, int ldb,
                           MemorySegment c, long cOffset, int ldc) {
        checkGemm(DType.FLOAT32, transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
    }

    /** The checks of dgemm (float64) and sgemm (float32): the same rules, counted in elements of {@code type}. */
    private static void checkGemm(DType type, Transpose transA, Transpose transB, int m, int n, int k,
                                  MemorySegment a, long aOffset, int lda,
                                  MemorySegment b, long bOffset, int ldb,
                                  MemorySegment c, long cOffset, int ldc) {
        String op = name(type);
        if (transA == null || transB == null) {
            throw new IllegalArgumentException(op + ": transpose flags must not be null");
        }
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": dimensions must be non-negative, got m=" + m + ", n=" + n + ", k=" + k);
        }
        // Stored shapes (row-major): A is m×k, or k×m when transposed; B is k×n, or n×k when transposed.
        int aRows = transA == Transpose.NO ? m : k;
        int aCols = transA == Transpose.NO ? k : m;
        int bRows = transB == Transpose.NO ? k : n;
        int bCols = transB == Transpose.NO ? n : k;
        int size = type.bytes();
        checkOperand(type, "A", a, aOffset, lda, aRows, aCols, m, n, k);
        checkOperand(type, "B", b, bOffset, ldb, bRows, bCols, m, n, k);
        checkOperand(type, "C", c, cOffset, ldc, m, n, m, n, k);
        if (m > 0 && n > 0) {
            if (k > 0 && overlaps(size, c, cOffset, m, n, ldc, a, aOffset, aRows, aCols, lda)) {
                throw new IllegalArgumentException(op + ": C overlaps A; the result would be undefined" + shapes(m, n, k));
            }
            if (k > 0 && overlaps(size, c, cOffset, m, n, ldc, b, bOffset, bRows, bCols, ldb)) {
                throw new IllegalArgumentException(op + ": C overlaps B; the result would be undefined" + shapes(m, n, k));
            }
        }
    }

    private static String name(DType type) {
        return type == DType.FLOAT32 ? "sgemm" : "dgemm";
    }

    private static String unit(DType type) {
        return type == DType.FLOAT32 ? "floats" : "doubles";
    }

    /** The shapes of the whole call, for messages; built only when a check fails (no allocation per call). */
    private static String shapes(int m, int n, int k) {
        return " (op(A) " + m + "×" + k + ", op(B) " + k + "×" + n + ", C " + m + "×" + n + ")";
    }

    /** Checks that a rows×cols row-major operand with leading dimension ld fits its segment. */
    static void checkOperand(DType type, String name, MemorySegment s, long offset, int ld, int rows, int cols, int m, int n, int k) {
        long needed = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        if (s != null && s.scope().isAlive() && s.isNative() && ld >= Math.max(1, cols) && offset >= 0
                && (needed == 0 || offset <= s.byteSize() / type.bytes() - needed)) {
            return; // the common case, without building any message
        }
        String shapes = shapes(m, n, k);
        String op = name(type);
        if (s == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null" + shapes);
        }
        if (!s.scope().isAlive()) {
            throw new IllegalStateException(op + ": the memory of " + name + " has been freed (its arena is closed)" + shapes);
        }
        if (!s.isNative()) {
            throw new IllegalArgumentException(op + ": " + name + " must be an off-heap (native) segment" + shapes);
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(op + ": leading dimension of " + name + " is " + ld
                    + " but must be at least max(1, " + cols + ") for a stored " + rows + "×" + cols + " row-major operand" + shapes);
        }
        if (offset < 0) {
            throw new IllegalArgumentException(op + ": offset of " + name + " is negative: " + offset + shapes);
        }
        long available = s.byteSize() / type.bytes();
        if (needed > 0 && offset > available - needed) {
            throw new IllegalArgumentException(op + ": " + name + " needs " + needed + " " + unit(type) + " from offset " + offset
                    + " (stored " + rows + "×" + cols + ", ld " + ld + ") but its segment holds " + available + shapes);
        }
    }

    /** True when the byte ranges the two operands span intersect (a conservative test). */
    private static boolean overlaps(int size, MemorySegment c, long cOffset, int cRows, int cCols, int ldc,
                                    MemorySegment x, long xOffset, int xRows, int xCols, int ldx) {
        if (xRows == 0 || xCols == 0) {
            return false;
        }
        long cStart = c.address() + cOffset * size;
        long cEnd = cStart + ((long) (cRows - 1) * ldc + cCols) * size;
        long xStart = x.address() + xOffset * size;
        long xEnd = xStart + ((long) (xRows - 1) * ldx + xCols) * size;
        return cStart < xEnd && xStart < cEnd;
    }
}
