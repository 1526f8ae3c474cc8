package io.github.panamamlp.blas;

import java.lang.foreign.MemorySegment;

/** Argument checks shared by every {@link Blas} implementation; run before any memory is touched. */
final class BlasChecks {
    private BlasChecks() {
    }

    static void checkDgemm(Transpose transA, Transpose transB, int m, int n, int k,
                           MemorySegment a, long aOffset, int lda,
                           MemorySegment b, long bOffset, int ldb,
                           MemorySegment c, long cOffset, int ldc) {
        if (transA == null || transB == null) {
            throw new IllegalArgumentException("dgemm: transpose flags must not be null");
        }
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("dgemm: dimensions must be non-negative, got m=" + m + ", n=" + n + ", k=" + k);
        }
        // Stored shapes (row-major): A is m×k, or k×m when transposed; B is k×n, or n×k when transposed.
        int aRows = transA == Transpose.NO ? m : k;
        int aCols = transA == Transpose.NO ? k : m;
        int bRows = transB == Transpose.NO ? k : n;
        int bCols = transB == Transpose.NO ? n : k;
        checkOperand("A", a, aOffset, lda, aRows, aCols, m, n, k);
        checkOperand("B", b, bOffset, ldb, bRows, bCols, m, n, k);
        checkOperand("C", c, cOffset, ldc, m, n, m, n, k);
        if (m > 0 && n > 0) {
            if (k > 0 && overlaps(c, cOffset, m, n, ldc, a, aOffset, aRows, aCols, lda)) {
                throw new IllegalArgumentException("dgemm: C overlaps A; the result would be undefined" + shapes(m, n, k));
            }
            if (k > 0 && overlaps(c, cOffset, m, n, ldc, b, bOffset, bRows, bCols, ldb)) {
                throw new IllegalArgumentException("dgemm: C overlaps B; the result would be undefined" + shapes(m, n, k));
            }
        }
    }

    /** The shapes of the whole call, for messages; built only when a check fails (no allocation per call). */
    private static String shapes(int m, int n, int k) {
        return " (op(A) " + m + "×" + k + ", op(B) " + k + "×" + n + ", C " + m + "×" + n + ")";
    }

    /** Checks that a rows×cols row-major operand with leading dimension ld fits its segment. */
    static void checkOperand(String name, MemorySegment s, long offset, int ld, int rows, int cols, int m, int n, int k) {
        long needed = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        if (s != null && s.scope().isAlive() && s.isNative() && ld >= Math.max(1, cols) && offset >= 0
                && (needed == 0 || offset <= s.byteSize() / Double.BYTES - needed)) {
            return; // the common case, without building any message
        }
        String shapes = shapes(m, n, k);
        if (s == null) {
            throw new IllegalArgumentException("dgemm: " + name + " is null" + shapes);
        }
        if (!s.scope().isAlive()) {
            throw new IllegalStateException("dgemm: the memory of " + name + " has been freed (its arena is closed)" + shapes);
        }
        if (!s.isNative()) {
            throw new IllegalArgumentException("dgemm: " + name + " must be an off-heap (native) segment" + shapes);
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("dgemm: leading dimension of " + name + " is " + ld
                    + " but must be at least max(1, " + cols + ") for a stored " + rows + "×" + cols + " row-major operand" + shapes);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("dgemm: offset of " + name + " is negative: " + offset + shapes);
        }
        long available = s.byteSize() / Double.BYTES;
        if (needed > 0 && offset > available - needed) {
            throw new IllegalArgumentException("dgemm: " + name + " needs " + needed + " doubles from offset " + offset
                    + " (stored " + rows + "×" + cols + ", ld " + ld + ") but its segment holds " + available + shapes);
        }
    }

    /** True when the byte ranges the two operands span intersect (a conservative test). */
    private static boolean overlaps(MemorySegment c, long cOffset, int cRows, int cCols, int ldc,
                                    MemorySegment x, long xOffset, int xRows, int xCols, int ldx) {
        if (xRows == 0 || xCols == 0) {
            return false;
        }
        long cStart = c.address() + cOffset * Double.BYTES;
        long cEnd = cStart + ((long) (cRows - 1) * ldc + cCols) * Double.BYTES;
        long xStart = x.address() + xOffset * Double.BYTES;
        long xEnd = xStart + ((long) (xRows - 1) * ldx + xCols) * Double.BYTES;
        return cStart < xEnd && xStart < cEnd;
    }
}
