package io.github.panamamlp.reference;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static io.github.panamamlp.reference.ReferenceMlp.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The static operations of {@link ReferenceMlp} against hand-computed values and known identities. */
class ReferenceMlpOpsTest {

    private static void assertMatrixEquals(double[][] expected, double[][] actual, double delta) {
        assertEquals(expected.length, actual.length, "rows");
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], delta, "row " + i);
        }
    }

    // ---- affine

    private static final double[][] X = {{1, 2}, {3, 4}};
    private static final double[][] W = {{1, 0, -1}, {2, 1, 0}};
    private static final double[] B = {0.5, -1, 2};

    @Test
    void affineForwardByHand() {
        // x·W = [[5, 2, -1], [11, 4, -3]]; plus b on every row.
        assertMatrixEquals(new double[][]{{5.5, 1, 1}, {11.5, 3, -1}}, affineForward(X, W, B), 0);
    }

    @Test
    void affineBackwardByHand() {
        double[][] dy = {{1, 0, 2}, {-1, 1, 0}};
        AffineGradients g = affineBackward(dy, X, W);
        // dx = dy·Wᵀ, dW = xᵀ·dy, db = column sums of dy, worked out on paper.
        assertMatrixEquals(new double[][]{{-1, 2}, {-1, -1}}, g.dx(), 0);
        assertMatrixEquals(new double[][]{{-2, 3, 2}, {-2, 4, 4}}, g.dW(), 0);
        assertArrayEquals(new double[]{0, 1, 2}, g.db(), 0);
    }

    @Test
    void affineAgreesWithReferenceGemmOnRandomShapes() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + rnd.nextInt(9);
            int in = 1 + rnd.nextInt(9);
            int out = 1 + rnd.nextInt(9);
            double[][] x = TestUtil.random(rnd, n, in);
            double[][] w = TestUtil.random(rnd, in, out);
            double[] b = TestUtil.random(rnd, 1, out)[0];
            double[][] dy = TestUtil.random(rnd, n, out);

            double[][] expectedY = ReferenceGemm.gemm(1, x, false, w, false, 0, null);
            for (double[] row : expectedY) {
                for (int j = 0; j < out; j++) {
                    row[j] += b[j];
                }
            }
            TestUtil.assertClose(affineForward(x, w, b), expectedY, 1e-14, "y");

            AffineGradients g = affineBackward(dy, x, w);
            TestUtil.assertClose(g.dx(), ReferenceGemm.gemm(1, dy, false, w, true, 0, null), 1e-14, "dx");
            TestUtil.assertClose(g.dW(), ReferenceGemm.gemm(1, x, true, dy, false, 0, null), 1e-14, "dW");
            double[][] ones = new double[1][n];
            java.util.Arrays.fill(ones[0], 1);
            TestUtil.assertClose(g.db(), ReferenceGemm.gemm(1, ones, false, dy, false, 0, null)[0], 1e-14, "db");
        }
    }

    @Test
    void affineRejectsMismatchedShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> affineForward(new double[][]{{1, 2, 3}}, W, B));
        assertTrue(e.getMessage().contains("x columns (3) != w rows (2)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> affineForward(X, W, new double[]{1, 2}));
        assertThrows(IllegalArgumentException.class, () -> affineBackward(new double[][]{{1, 2, 3}}, X, W));
        assertThrows(IllegalArgumentException.class, () -> affineBackward(new double[][]{{1, 2}, {3, 4}}, X, W));
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> affineForward(new double[][]{{1, 2}, {3}}, W, B));
        assertTrue(ragged.getMessage().contains("ragged"), ragged.getMessage());
        assertThrows(IllegalArgumentException.class, () -> affineForward(new double[0][], W, B));
        assertThrows(NullPointerException.class, () -> affineForward(X, null, B));
    }

    // ---- activations

    @Test
    void sigmoidValues() {
        double[][] y = sigmoid(new double[][]{{0, Math.log(3), -Math.log(3)}, {-1000, 1000, -745}});
        assertArrayEquals(new double[]{0.5, 0.75, 0.25}, y[0], 1e-16);
        // Where exp(-x) overflows the result is the limit, never NaN.
        assertEquals(0.0, y[1][0]);
        assertEquals(1.0, y[1][1]);
        assertTrue(y[1][2] >= 0 && y[1][2] < 1e-300);
    }

    @Test
    void sigmoidBackwardIsDyTimesYTimesOneMinusY() {
        double[][] dx = sigmoidBackward(new double[][]{{2, -4}, {1, 0}}, new double[][]{{0.25, 0.5}, {1, 0.1}});
        assertMatrixEquals(new double[][]{{0.375, -1}, {0, 0}}, dx, 0);
        assertThrows(IllegalArgumentException.class,
                () -> sigmoidBackward(new double[][]{{1, 2}}, new double[][]{{1, 2, 3}}));
    }

    @Test
    void reluAndItsGradientAtZero() {
        double[][] x = {{-1, 0, 2, -0.0, Double.NaN}};
        double[][] y = relu(x);
        assertArrayEquals(new double[]{0, 0, 2, 0, Double.NaN}, y[0], 0);
        // The gradient is 0 for x <= 0, including exactly 0.
        double[][] dx = reluBackward(new double[][]{{5, 6, 7, 8, 9}}, x);
        assertArrayEquals(new double[]{0, 0, 7, 0, 0}, dx[0], 0);
    }

    // ---- softmax and cross-entropy

    @Test
    void softmaxOfHugeLogitsIsFiniteAndExact() {
        double[] p = softmax(new double[][]{{1000, 1000, -1000}})[0];
        assertArrayEquals(new double[]{0.5, 0.5, 0}, p, 0);
        assertEquals(1.0, p[0] + p[1] + p[2], 0);
    }

    @Test
    void softmaxByHandAndShiftInvariant() {
        double[] p = softmax(new double[][]{{0, Math.log(2), Math.log(3)}})[0];
        assertArrayEquals(new double[]{1.0 / 6, 2.0 / 6, 3.0 / 6}, p, 1e-15);

        Random rnd = new Random(3);
        double[][] z = TestUtil.random(rnd, 5, 7);
        double[][] shifted = new double[5][7];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 7; j++) {
                shifted[i][j] = z[i][j] + 100 * (i + 1);
            }
        }
        double[][] pz = softmax(z);
        TestUtil.assertClose(softmax(shifted), pz, 1e-13, "softmax(z + c) vs softmax(z)");
        for (double[] row : pz) {
            double sum = 0;
            for (double v : row) {
                assertTrue(v > 0 && v < 1);
                sum += v;
            }
            assertEquals(1.0, sum, 1e-15);
        }
    }

    @Test
    void crossEntropyByHand() {
        double ce = crossEntropy(new double[][]{{0.25, 0.75}, {0.5, 0.5}}, new int[]{1, 0});
        assertEquals((-Math.log(0.75) - Math.log(0.5)) / 2, ce, 0);
    }

    @Test
    void crossEntropyOfAZeroProbabilityIsFiniteAndDocumented() {
        double ce = crossEntropy(new double[][]{{1, 0}}, new int[]{1});
        assertTrue(Double.isFinite(ce));
        assertEquals(-Math.log(Double.MIN_VALUE), ce, 0);
        assertEquals(744.44, ce, 0.01);
        // The smallest positive probability is not altered.
        assertEquals(-Math.log(Double.MIN_VALUE), crossEntropy(new double[][]{{Double.MIN_VALUE, 1}}, new int[]{0}));
        assertThrows(IllegalArgumentException.class, () -> crossEntropy(new double[][]{{-0.5, 1.5}}, new int[]{0}));
    }

    @Test
    void crossEntropyFromLogitsIsExactWhereProbabilitiesUnderflow() {
        double[][] z = {{1000, -1000}};
        // softmax gives p = [1, 0]: from probabilities the loss is clamped, from logits it is the exact 2000.
        assertArrayEquals(new double[]{1, 0}, softmax(z)[0], 0);
        assertEquals(2000.0, crossEntropyFromLogits(z, new int[]{1}), 0);
        assertEquals(0.0, crossEntropyFromLogits(z, new int[]{0}), 0);
    }

    @Test
    void crossEntropyFromLogitsAgreesWithProbabilities() {
        Random rnd = new Random(5);
        double[][] z = TestUtil.random(rnd, 30, 10);
        int[] labels = rnd.ints(30, 0, 10).toArray();
        double fromLogits = crossEntropyFromLogits(z, labels);
        assertEquals(crossEntropy(softmax(z), labels), fromLogits, 1e-14);
        // Uniform logits: the loss is log(classes).
        assertEquals(Math.log(10), crossEntropyFromLogits(new double[3][10], new int[]{0, 4, 9}), 1e-15);
    }

    @Test
    void softmaxCrossEntropyBackwardByHandAndRowsSumToZero() {
        double[][] probs = {{0.25, 0.75}, {0.5, 0.5}};
        double[][] dz = softmaxCrossEntropyBackward(probs, new int[]{1, 0});
        assertMatrixEquals(new double[][]{{0.125, -0.125}, {-0.25, 0.25}}, dz, 0);

        Random rnd = new Random(9);
        double[][] p = softmax(TestUtil.random(rnd, 16, 10));
        double[][] d = softmaxCrossEntropyBackward(p, rnd.ints(16, 0, 10).toArray());
        for (double[] row : d) {
            double sum = 0;
            for (double v : row) {
                sum += v;
            }
            assertEquals(0.0, sum, 1e-16);
        }
    }

    @Test
    void labelsAreValidated() {
        double[][] p = {{0.5, 0.5}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> crossEntropy(p, new int[]{2}));
        assertTrue(e.getMessage().contains("labels[0] = 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> crossEntropyFromLogits(p, new int[]{-1}));
        assertThrows(IllegalArgumentException.class, () -> softmaxCrossEntropyBackward(p, new int[]{0, 1}));
        assertThrows(IllegalArgumentException.class, () -> accuracy(p, new int[0]));
        assertThrows(NullPointerException.class, () -> crossEntropy(p, null));
    }

    // ---- oneHot, argmax, accuracy

    @Test
    void oneHotByHand() {
        assertMatrixEquals(new double[][]{{0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
                oneHot(new int[]{2, 0, 1, 2}, 3), 0);
        assertMatrixEquals(new double[][]{{1}}, oneHot(new int[]{0}, 1), 0);
        assertThrows(IllegalArgumentException.class, () -> oneHot(new int[]{3}, 3));
        assertThrows(IllegalArgumentException.class, () -> oneHot(new int[]{0}, 0));
    }

    @Test
    void accuracyTiesGoToTheFirstIndex() {
        double[][] scores = {
                {0.4, 0.4, 0.2},   // tie 0/1 -> 0
                {0.1, 0.45, 0.45}, // tie 1/2 -> 1
                {0.7, 0.2, 0.1},   // 0
                {0.2, 0.2, 0.2},   // all equal -> 0
        };
        assertArrayEquals(new int[]{0, 1, 0, 0}, argmax(scores));
        assertEquals(0.5, accuracy(scores, new int[]{0, 2, 1, 0}), 0);
        assertEquals(1.0, accuracy(scores, new int[]{0, 1, 0, 0}), 0);
        assertEquals(0.0, accuracy(scores, new int[]{1, 2, 2, 2}), 0);
    }

    @Test
    void argmaxIgnoresNaN() {
        double nan = Double.NaN;
        assertArrayEquals(new int[]{1, 2, 0}, argmax(new double[][]{{nan, -5, -6}, {1, nan, 2}, {nan, nan, nan}}));
    }

    // ---- initialisers

    @Test
    void glorotUniformStaysWithinItsLimitAndHasTheRightSpread() {
        double limit = Math.sqrt(6.0 / (784 + 50));
        double[][] w = glorotUniform(784, 50, new Random(1));
        double sum = 0;
        double sumSq = 0;
        for (double[] row : w) {
            for (double v : row) {
                assertTrue(v >= -limit && v < limit, "value " + v + " outside ±" + limit);
                sum += v;
                sumSq += v * v;
            }
        }
        int n = 784 * 50;
        assertEquals(0, sum / n, 0.01 * limit);
        assertEquals(limit * limit / 3, sumSq / n, 0.02 * limit * limit / 3);
        // Deterministic for a seed, different for another; SplittableRandom works too.
        assertArrayEquals(w[7], glorotUniform(784, 50, new Random(1))[7]);
        assertNotEquals(w[7][0], glorotUniform(784, 50, new Random(2))[7][0]);
        assertEquals(3, glorotUniform(3, 4, new SplittableRandom(1)).length);
    }

    @Test
    void normalHasTheRequestedStandardDeviation() {
        double[][] w = normal(400, 100, 0.1, new SplittableRandom(4));
        double sumSq = 0;
        for (double[] row : w) {
            for (double v : row) {
                sumSq += v * v;
            }
        }
        assertEquals(0.1, Math.sqrt(sumSq / 40_000), 0.002);
        assertThrows(IllegalArgumentException.class, () -> normal(0, 3, 1, new Random()));
        assertThrows(IllegalArgumentException.class, () -> normal(3, 3, Double.NaN, new Random()));
    }

    // ---- construction

    @Test
    void constructorValidatesTheArchitecture() {
        double[][] w1 = new double[4][3];
        double[][] w2 = new double[3][2];
        List<double[][]> ws = List.of(w1, w2);
        List<double[]> bs = List.of(new double[3], new double[2]);
        ReferenceMlp ok = new ReferenceMlp(ws, bs, List.of(SIGMOID));
        assertEquals(2, ok.layerCount());
        assertEquals(4, ok.inputSize());
        assertEquals(2, ok.classCount());

        assertThrows(IllegalArgumentException.class, () -> new ReferenceMlp(List.of(), List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ReferenceMlp(ws, bs, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ReferenceMlp(ws, List.of(new double[3]), List.of(RELU)));
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> new ReferenceMlp(ws, bs, List.of("tanh")));
        assertTrue(name.getMessage().contains("'tanh'"), name.getMessage());
        IllegalArgumentException chain = assertThrows(IllegalArgumentException.class,
                () -> new ReferenceMlp(List.of(w1, new double[2][2]), bs, List.of(RELU)));
        assertTrue(chain.getMessage().contains("weights[1] has 2 rows but layer 0 has 3 outputs"), chain.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ReferenceMlp(ws, List.of(new double[3], new double[3]), List.of(RELU)));
        IllegalArgumentException input = assertThrows(IllegalArgumentException.class,
                () -> ok.forward(new double[][]{{1, 2, 3}}));
        assertTrue(input.getMessage().contains("x has 3 columns but the network expects 4 inputs"),
                input.getMessage());
    }

    @Test
    void parametersAreDeepCopiedInAndOut() {
        double[][] w1 = {{1, 2}, {3, 4}};
        double[] b1 = {5, 6};
        ReferenceMlp net = new ReferenceMlp(List.<double[][]>of(w1), List.<double[]>of(b1), List.of());
        w1[0][0] = 100;
        b1[1] = 100;
        assertEquals(1, net.weights().get(0)[0][0]);
        assertEquals(6, net.biases().get(0)[1]);
        net.weights().get(0)[0][0] = 200;
        net.biases().get(0)[1] = 200;
        assertEquals(1, net.weights().get(0)[0][0]);
        assertEquals(6, net.biases().get(0)[1]);
        assertEquals(List.of(), net.hiddenActivations());
        // With no hidden layer the network is softmax regression: logits are x·W + b.
        assertMatrixEquals(new double[][]{{1 + 3 + 5, 2 + 4 + 6}}, net.logits(new double[][]{{1, 1}}), 0);
    }
}
