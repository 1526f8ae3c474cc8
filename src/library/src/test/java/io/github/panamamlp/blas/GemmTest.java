package io.github.panamamlp.blas;

import io.github.panamamlp.reference.TestUtil;
import io.github.panamamlp.reference.ReferenceGemm;
import io.github.panamamlp.tensor.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every {@link Blas} implementation against the plain triple loop of {@link ReferenceGemm}. */
class GemmTest {

    static Stream<Blas> implementations() {
        return Stream.of(Blas.openBlas(), Blas.java());
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
                out.add(Arguments.of(blas, s[0], s[1], s[2], ta, tb, alpha, beta, rowOffset));
                // The network's shapes in every transposed form.
                if (s[0] >= 32 && s[2] >= 32) {
                    for (int t = 0; t < 4; t++) {
                        out.add(Arguments.of(blas, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, 1.0, 0.0, 0));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3} tA={4} tB={5} α={6} β={7} offset={8}")
    @MethodSource("cases")
    void matchesReference(Blas blas, int m, int n, int k, boolean ta, boolean tb, double alpha, double beta, int rowOffset) {
        Random rnd = new Random(m * 31L + n * 17L + k);
        double[][] a = TestUtil.random(rnd, ta ? k : m, ta ? m : k);
        double[][] b = TestUtil.random(rnd, tb ? n : k, tb ? k : n);
        double[][] c = TestUtil.random(rnd, m, n);
        double[][] expected = ReferenceGemm.gemm(alpha, a, ta, b, tb, beta, c);
        // Operands are views that start rowOffset rows into a larger matrix, as mini-batches do.
        try (Matrix bigA = Matrix.allocate(a.length + rowOffset + 1, a[0].length);
             Matrix bm = Matrix.of(b);
             Matrix bigC = Matrix.allocate(m + rowOffset, n)) {
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
            TestUtil.assertClose(cm.toArray2D(), expected, 1e-12, blas.name() + " gemm");
            for (int i = 0; i < rowOffset; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(0.0, bigC.get(i, j), "rows before the view of C must be untouched");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void betaZeroIgnoresNaNInC(Blas blas) {
        try (Matrix a = Matrix.of(new double[][]{{1, 2}}); Matrix b = Matrix.of(new double[][]{{3}, {4}});
             Matrix c = Matrix.allocate(1, 1)) {
            c.set(0, 0, Double.NaN);
            blas.gemm(1, a, false, b, false, 0, c);
            assertEquals(11.0, c.get(0, 0));
        }
    }

    @Test
    void openBlasAndJavaAgreeOnRawOffsetsAndLeadingDimensions() {
        // A 3×2 operand stored with lda 5 starting 4 doubles into its segment.
        Random rnd = new Random(3);
        try (Matrix sa = Matrix.allocate(1, 40); Matrix sb = Matrix.allocate(1, 40);
             Matrix c1 = Matrix.allocate(3, 4); Matrix c2 = Matrix.allocate(3, 4)) {
            for (int i = 0; i < 40; i++) {
                sa.set(0, i, rnd.nextGaussian());
                sb.set(0, i, rnd.nextGaussian());
            }
            Blas.openBlas().dgemm(Transpose.NO, Transpose.NO, 3, 4, 2, 1.5, sa.segment(), 4, 5, sb.segment(), 1, 6, 0, c1.segment(), 0, 4);
            Blas.java().dgemm(Transpose.NO, Transpose.NO, 3, 4, 2, 1.5, sa.segment(), 4, 5, sb.segment(), 1, 6, 0, c2.segment(), 0, 4);
            double[] expected = new double[12];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    double s = 0;
                    for (int p = 0; p < 2; p++) {
                        s += sa.get(0, 4 + i * 5 + p) * sb.get(0, 1 + p * 6 + j);
                    }
                    expected[i * 4 + j] = 1.5 * s;
                }
            }
            TestUtil.assertClose(c1.toArray(), expected, 1e-12, "openblas raw");
            assertArrayEquals(c2.toArray(), expected, 1e-12);
        }
    }
}
