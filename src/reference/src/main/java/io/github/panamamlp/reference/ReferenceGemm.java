package io.github.panamamlp.reference;

/**
 * The textbook triple loop on {@code double[][]}: the independent answer every fast GEMM is checked against.
 * Shares no code with {@link io.github.panamamlp.blas.Blas}.
 */
public final class ReferenceGemm {
    private ReferenceGemm() {
    }

    /**
     * {@code alpha·op(A)·op(B) + beta·C} in three plain loops.
     *
     * @param alpha  the factor of the product
     * @param a      A, one array per row
     * @param transA whether A is used transposed
     * @param b      B, one array per row
     * @param transB whether B is used transposed
     * @param beta   the factor of C
     * @param c      C; may be null when beta is 0
     * @return the result as a new array
     */
    public static double[][] gemm(double alpha, double[][] a, boolean transA, double[][] b, boolean transB,
                                  double beta, double[][] c) {
        double[][] opA = transA ? transpose(a) : a;
        double[][] opB = transB ? transpose(b) : b;
        int m = opA.length;
        int k = m == 0 ? 0 : opA[0].length;
        int n = opB.length == 0 ? (c == null || c.length == 0 ? 0 : c[0].length) : opB[0].length;
        double[][] out = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += opA[i][p] * opB[p][j];
                }
                out[i][j] = alpha * s + (beta == 0 ? 0 : beta * c[i][j]);
            }
        }
        return out;
    }

    /**
     * The transpose.
     *
     * @param x a matrix, one array per row
     * @return a new array holding xᵀ
     */
    public static double[][] transpose(double[][] x) {
        int r = x.length;
        int c = r == 0 ? 0 : x[0].length;
        double[][] t = new double[c][r];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                t[j][i] = x[i][j];
            }
        }
        return t;
    }
}
