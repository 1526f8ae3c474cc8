package io.github.panamamlp.blas;

import io.github.panamamlp.reference.TestUtil;
import io.github.panamamlp.reference.ReferenceGemm;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every {@link Blas} implementation, in both element types, against the plain triple loop of
 * {@link ReferenceGemm}: dgemm to 1e-12, sgemm within the forward error bound of a float32 product (see
 * {@link #assertWithinSgemmBound}).
 */
class GemmTest {
    /** The unit roundoff of float32 (round to nearest): 2^−24. */
    static final double U32 = 0x1p-24;
    /** The unit roundoff of float64: 2^−53. */
    static final double U64 = 0x1p-53;

    static Stream<Blas> implementations() {
        return Stream.of(Blas.openBlas(), Blas.java());
    }

    static Stream<Arguments> implementationsAndTypes() {
        return implementations().flatMap(blas -> Stream.of(DType.values()).map(type -> Arguments.of(blas, type)));
    }

    /** (m, n, k) shapes: edge cases, the network's products, and random ones. */
    static List<int[]> shapes() {
        List<int[]> s = new ArrayList<>(List.of(
                new int[]{1, 1, 1}, new int[]{1, 7, 1}, new int[]{9, 1, 1}, new int[]{5, 6, 1},
                new int[]{1, 1, 300}, new int[]{300, 3, 2}, new int[]{2, 300, 3},
                new int[]{100, 50, 784}, new int[]{32, 50, 784}, new int[]{784, 50, 100}, new int[]{784, 50, 32},
                new int[]{100, 784, 50}, new int[]{100, 10, 50}, new int[]{50, 10, 100}, new int[]{100, 50, 10}));
        Random rnd = new Random(7);
        for (int i = 0; i < 25; i++) {
            s.add(new int[]{1 + rnd.nextInt(70), 1 + rnd.nextInt(70), 1 + rnd.nextInt(70)});
        }
        return s;
    }

    /** Every case in float64 and, with the same shape, flags, α, β and offset, in float32 (its sgemm twin). */
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Random rnd = new Random(42);
        for (Blas blas : implementations().toList()) {
            for (int[] s : shapes()) {
                if (blas == Blas.java() && (long) s[0] * s[1] * s[2] > 200_000) {
                    continue; // the loop version is slow; it meets the big shapes through the native path's agreement
                }
                boolean ta = rnd.nextBoolean();
                boolean tb = rnd.nextBoolean();
                double alpha = rnd.nextBoolean() ? 1 : rnd.nextGaussian();
                double beta = switch (rnd.nextInt(3)) {
                    case 0 -> 0;
                    case 1 -> 1;
                    default -> rnd.nextGaussian();
                };
                int rowOffset = rnd.nextInt(3);
                for (DType type : DType.values()) {
                    out.add(Arguments.of(blas, type, s[0], s[1], s[2], ta, tb, alpha, beta, rowOffset));
                    // The network's shapes in every transposed form.
                    if (s[0] >= 32 && s[2] >= 32) {
                        for (int t = 0; t < 4; t++) {
                            out.add(Arguments.of(blas, type, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, 1.0, 0.0, 0));
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} m={2} n={3} k={4} tA={5} tB={6} α={7} β={8} offset={9}")
    @MethodSource("cases")
    void matchesReference(Blas blas, DType type, int m, int n, int k, boolean ta, boolean tb, double alpha, double beta,
                          int rowOffset) {
        Random rnd = new Random(m * 31L + n * 17L + k);
        double[][] a = representable(TestUtil.random(rnd, ta ? k : m, ta ? m : k), type);
        double[][] b = representable(TestUtil.random(rnd, tb ? n : k, tb ? k : n), type);
        double[][] c = representable(TestUtil.random(rnd, m, n), type);
        // α and β as the caller gives them: for float32, gemm rounds them to float, and the bound counts that.
        double[][] expected = ReferenceGemm.gemm(alpha, a, ta, b, tb, beta, c);
        // Operands are views that start rowOffset rows into a larger matrix, as mini-batches do.
        try (Matrix bigA = Matrix.allocate(a.length + rowOffset + 1, a[0].length, type);
             Matrix bm = Matrix.of(b, type);
             Matrix bigC = Matrix.allocate(m + rowOffset, n, type)) {
            Matrix am = bigA.rowView(rowOffset, rowOffset + a.length);
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a[0].length; j++) {
                    am.set(i, j, a[i][j]);
                }
            }
            bigA.set(bigA.rows() - 1, 0, Double.NaN); // a row past the view: must never be read
            Matrix cm = bigC.rowView(rowOffset, rowOffset + m);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    cm.set(i, j, c[i][j]);
                }
            }
            blas.gemm(alpha, am, ta, bm, tb, beta, cm);
            if (type == DType.FLOAT64) {
                TestUtil.assertClose(cm.toArray2D(), expected, 1e-12, blas.name() + " gemm");
            } else {
                assertWithinSgemmBound(cm.toArray2D(), expected, alpha, a, ta, b, tb, beta, c, blas.name() + " sgemm");
            }
            for (int i = 0; i < rowOffset; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(0.0, bigC.get(i, j), "rows before the view of C must be untouched");
                }
            }
        }
    }

    /**
     * Each element of a float32 product against the exact-enough float64 reference, within the standard forward
     * error bound of floating-point dot products (Higham, Accuracy and Stability of Numerical Algorithms, §3.1
     * and §3.5): a dot product of length k computed in any order, blocked or not, with or without fused
     * multiply-adds, is off by at most γ_k·Σ|a_p||b_p|, where γ_k = k·u/(1 − k·u) and u = 2^−24. On top of
     * the k roundings of the dot product, each term of C = fl(α)·(A·B) + fl(β)·C meets at most four more:
     * α or β rounded to float (Blas.gemm passes float32 products float α and β), the multiplication by it,
     * the addition of the two parts, and one addition of a partial sum into C where OpenBLAS splits k into
     * blocks (every extra block also shortens the dot product, so more blocks add nothing). So
     * |c − c_ref| ≤ γ_{k+4}·(|α|·Σ|a||b| + |β|·|c|), plus the float64 reference's own error, γ_{k+2} with
     * u = 2^−53 on the same sum (~10^−16 relative, there for rigour only). The bound is a worst case: the
     * observed errors are about √k·u·Σ|a||b|, far inside it; a product that reads a wrong element, drops a
     * term or rounds to less than float32's 24 bits leaves it (k = 784: γ ≈ 4.7·10^−5 relative to Σ|a||b|,
     * where one dropped term is ~10^−3 of it).
     */
    static void assertWithinSgemmBound(double[][] actual, double[][] expected, double alpha, double[][] a, boolean ta,
                                       double[][] b, boolean tb, double beta, double[][] c, String what) {
        int k = ta ? a.length : a[0].length;
        double[][] sumOfAbs = ReferenceGemm.gemm(1, abs(a), ta, abs(b), tb, 0, null);
        double gamma = gamma(k + 4, U32) + gamma(k + 2, U64);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                double scale = Math.abs(alpha) * sumOfAbs[i][j] + (beta == 0 ? 0 : Math.abs(beta) * Math.abs(c[i][j]));
                double bound = gamma * scale;
                double err = Math.abs(actual[i][j] - expected[i][j]);
                if (!(err <= bound)) {
                    fail(what + ": element (" + i + ", " + j + ") is " + actual[i][j] + ", expected " + expected[i][j]
                            + ": error " + err + " > bound " + bound + " (γ_" + (k + 4) + "·" + scale + ")");
                }
                if (bound > 0) {
                    worst = Math.max(worst, err / bound);
                }
            }
        }
        double w = worst;
        assertTrue(w <= 1, () -> what + ": worst error " + w + " of the bound");
    }

    /** γ_n = n·u / (1 − n·u). */
    static double gamma(int n, double u) {
        return n * u / (1 - n * u);
    }

    /** The values as the type stores them: rounded to the nearest float for float32, unchanged for float64. */
    static double[][] representable(double[][] x, DType type) {
        if (type == DType.FLOAT32) {
            for (double[] row : x) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) row[j];
                }
            }
        }
        return x;
    }

    private static double[][] abs(double[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = Math.abs(x[i][j]);
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("implementationsAndTypes")
    void betaZeroIgnoresNaNInC(Blas blas, DType type) {
        try (Matrix a = Matrix.of(new double[][]{{1, 2}}, type); Matrix b = Matrix.of(new double[][]{{3}, {4}}, type);
             Matrix c = Matrix.allocate(1, 1, type)) {
            c.set(0, 0, Double.NaN);
            blas.gemm(1, a, false, b, false, 0, c);
            assertEquals(11.0, c.get(0, 0));
        }
    }

    /**
     * A 3×2 operand stored with lda 5 starting 4 elements into its segment, B from element 1 with ldb 6, C from
     * element 2 with ldc 5: offsets and leading dimensions counted in elements of the type (doubles for dgemm,
     * floats for sgemm), and nothing of C's segment outside the 3×4 result written.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void openBlasAndJavaAgreeOnRawOffsetsAndLeadingDimensions(DType type) {
        Random rnd = new Random(3);
        try (Matrix sa = Matrix.allocate(1, 40, type); Matrix sb = Matrix.allocate(1, 40, type);
             Matrix c1 = Matrix.allocate(3, 4, type); Matrix c2 = Matrix.allocate(3, 4, type);
             Matrix s1 = Matrix.allocate(1, 17, type); Matrix s2 = Matrix.allocate(1, 17, type)) {
            for (int i = 0; i < 40; i++) {
                sa.set(0, i, rnd.nextGaussian());
                sb.set(0, i, rnd.nextGaussian());
            }
            s1.fill(-7);
            s2.fill(-7);
            gemm(Blas.openBlas(), type, 3, 4, 2, 1.5, sa.segment(), 4, 5, sb.segment(), 1, 6, c1.segment(), 0, 4);
            gemm(Blas.java(), type, 3, 4, 2, 1.5, sa.segment(), 4, 5, sb.segment(), 1, 6, c2.segment(), 0, 4);
            gemm(Blas.openBlas(), type, 3, 4, 2, 1.5, sa.segment(), 4, 5, sb.segment(), 1, 6, s1.segment(), 2, 5);
            gemm(Blas.java(), type, 3, 4, 2, 1.5, sa.segment(), 4, 5, sb.segment(), 1, 6, s2.segment(), 2, 5);
            double[][] a = new double[3][2];
            double[][] b = new double[2][4];
            for (int i = 0; i < 3; i++) {
                for (int p = 0; p < 2; p++) {
                    a[i][p] = sa.get(0, 4 + i * 5 + p);
                }
            }
            for (int p = 0; p < 2; p++) {
                for (int j = 0; j < 4; j++) {
                    b[p][j] = sb.get(0, 1 + p * 6 + j);
                }
            }
            double[][] expected = ReferenceGemm.gemm(1.5, a, false, b, false, 0, null);
            double[][] strided1 = new double[3][4];
            double[][] strided2 = new double[3][4];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    strided1[i][j] = s1.get(0, 2 + i * 5 + j);
                    strided2[i][j] = s2.get(0, 2 + i * 5 + j);
                }
            }
            if (type == DType.FLOAT64) {
                TestUtil.assertClose(c1.toArray2D(), expected, 1e-12, "openblas raw");
                assertArrayEquals(flatten(expected), c2.toArray(), 1e-12);
                TestUtil.assertClose(strided1, expected, 1e-12, "openblas raw, C at an offset");
                TestUtil.assertClose(strided2, expected, 1e-12, "java raw, C at an offset");
            } else {
                assertWithinSgemmBound(c1.toArray2D(), expected, 1.5, a, false, b, false, 0, null, "openblas raw");
                assertWithinSgemmBound(c2.toArray2D(), expected, 1.5, a, false, b, false, 0, null, "java raw");
                assertWithinSgemmBound(strided1, expected, 1.5, a, false, b, false, 0, null, "openblas raw, C at an offset");
                assertWithinSgemmBound(strided2, expected, 1.5, a, false, b, false, 0, null, "java raw, C at an offset");
            }
            for (Matrix s : List.of(s1, s2)) {
                for (int i = 0; i < 17; i++) {
                    boolean inC = i >= 2 && (i - 2) % 5 < 4;
                    if (!inC) {
                        assertEquals(-7.0, s.get(0, i), "element " + i + " of C's segment lies outside C");
                    }
                }
            }
        }
    }

    /** dgemm or sgemm with β = 0, α given as a double (exact in float for the values used here). */
    private static void gemm(Blas blas, DType type, int m, int n, int k, double alpha, MemorySegment a, long aOffset, int lda,
                             MemorySegment b, long bOffset, int ldb, MemorySegment c, long cOffset, int ldc) {
        if (type == DType.FLOAT32) {
            blas.sgemm(Transpose.NO, Transpose.NO, m, n, k, (float) alpha, a, aOffset, lda, b, bOffset, ldb, 0f, c, cOffset, ldc);
        } else {
            blas.dgemm(Transpose.NO, Transpose.NO, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, 0, c, cOffset, ldc);
        }
    }

    private static double[] flatten(double[][] x) {
        return Stream.of(x).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /**
     * The bound is not vacuous: a float32 product whose α is rounded to bfloat16's 8 bits, or which drops the
     * last term of each dot product, leaves it. (A guard on the bound itself; the sgemm cases above are what
     * check the implementations.)
     */
    @Test
    void theSgemmBoundCatchesLowPrecisionAndMissingTerms() {
        Random rnd = new Random(11);
        int m = 20, n = 30, k = 784;
        double[][] a = representable(TestUtil.random(rnd, m, k), DType.FLOAT32);
        double[][] b = representable(TestUtil.random(rnd, k, n), DType.FLOAT32);
        double alpha = 0.7;
        double[][] expected = ReferenceGemm.gemm(alpha, a, false, b, false, 0, null);
        double bf16Alpha = Float.intBitsToFloat(Float.floatToIntBits((float) alpha) & 0xffff0000);
        double[][] coarse = ReferenceGemm.gemm(bf16Alpha, a, false, b, false, 0, null);
        double[][] shortA = new double[m][];
        for (int i = 0; i < m; i++) {
            shortA[i] = a[i].clone();
            shortA[i][k - 1] = 0;
        }
        double[][] dropped = ReferenceGemm.gemm(alpha, shortA, false, b, false, 0, null);
        for (double[][] wrong : List.of(coarse, dropped)) {
            AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () ->
                    assertWithinSgemmBound(toFloat(wrong), expected, alpha, a, false, b, false, 0, null, "wrong"));
            assertTrue(e.getMessage().contains("bound"), e.getMessage());
        }
        assertWithinSgemmBound(toFloat(expected), expected, alpha, a, false, b, false, 0, null, "the reference rounded to float");
    }

    private static double[][] toFloat(double[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i].clone();
        }
        return representable(out, DType.FLOAT32);
    }
}
