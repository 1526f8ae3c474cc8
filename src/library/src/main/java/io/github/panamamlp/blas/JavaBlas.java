package io.github.panamamlp.blas;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** {@link Blas} in plain Java loops over the segments. Correct and slow. */
final class JavaBlas implements Blas {
    static final JavaBlas INSTANCE = new JavaBlas();
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private JavaBlas() {
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void dgemm(Transpose transA, Transpose transB, int m, int n, int k,
                      double alpha, MemorySegment a, long aOffset, int lda,
                      MemorySegment b, long bOffset, int ldb,
                      double beta, MemorySegment c, long cOffset, int ldc) {
        BlasChecks.checkDgemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        boolean ta = transA == Transpose.YES;
        boolean tb = transB == Transpose.YES;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double av = a.getAtIndex(D, aOffset + (ta ? (long) p * lda + i : (long) i * lda + p));
                    double bv = b.getAtIndex(D, bOffset + (tb ? (long) j * ldb + p : (long) p * ldb + j));
                    sum += av * bv;
                }
                long ci = cOffset + (long) i * ldc + j;
                // beta == 0 means C is output only, as in BLAS.
                double old = beta == 0 ? 0 : beta * c.getAtIndex(D, ci);
                c.setAtIndex(D, ci, alpha * sum + old);
            }
        }
    }

    /**
     * The float32 product accumulates each dot product in {@code float}, in order, as a plain single-precision
     * BLAS does: the reference for {@code sgemm}'s rounding, not a more accurate answer.
     */
    @Override
    public void sgemm(Transpose transA, Transpose transB, int m, int n, int k,
                      float alpha, MemorySegment a, long aOffset, int lda,
                      MemorySegment b, long bOffset, int ldb,
                      float beta, MemorySegment c, long cOffset, int ldc) {
        BlasChecks.checkSgemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        boolean ta = transA == Transpose.YES;
        boolean tb = transB == Transpose.YES;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0;
                for (int p = 0; p < k; p++) {
                    float av = a.getAtIndex(F, aOffset + (ta ? (long) p * lda + i : (long) i * lda + p));
                    float bv = b.getAtIndex(F, bOffset + (tb ? (long) j * ldb + p : (long) p * ldb + j));
                    sum += av * bv;
                }
                long ci = cOffset + (long) i * ldc + j;
                float old = beta == 0 ? 0 : beta * c.getAtIndex(F, ci);
                c.setAtIndex(F, ci, alpha * sum + old);
            }
        }
    }
}
