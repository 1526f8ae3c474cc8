package io.github.panamamlp.blas;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** {@link Blas} in plain Java loops over the segments. Correct and slow. */
final class JavaBlas implements Blas {
    static final JavaBlas INSTANCE = new JavaBlas();
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

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
}
