package io.github.panamamlp.reference;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link ReferenceMlp#gradients} against central finite differences of {@link ReferenceMlp#loss}, parameter by
 * parameter, so the reference backpropagation is trusted on its own and not by agreement with another
 * implementation.
 */
class ReferenceMlpGradientCheckTest {
    private static final double H = 1e-5;
    /** Relative error allowed per parameter. */
    private static final double TOLERANCE = 1e-6;
    /**
     * Denominator floor for the relative error. The central difference carries rounding noise of about
     * {@code ε·loss/h ≈ 1e-11} in absolute terms, so for gradients far below this floor only an absolute error
     * of {@code TOLERANCE · FLOOR = 1e-10} is required.
     */
    private static final double FLOOR = 1e-4;

    private record Network(List<double[][]> weights, List<double[]> biases, List<String> activations) {
        ReferenceMlp build() {
            return new ReferenceMlp(weights, biases, activations);
        }
    }

    private static Network randomNetwork(Random rnd, int[] sizes, List<String> activations) {
        List<double[][]> ws = new ArrayList<>();
        List<double[]> bs = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            ws.add(ReferenceMlp.normal(sizes[l], sizes[l + 1], 1 / Math.sqrt(sizes[l]), rnd));
            bs.add(ReferenceMlp.normal(1, sizes[l + 1], 0.1, rnd)[0]);
        }
        return new Network(ws, bs, activations);
    }

    /** Central difference of the loss with respect to {@code array[index]}, restoring it afterwards. */
    private static double numericalDerivative(Network net, double[] array, int index, double[][] x, int[] labels) {
        double saved = array[index];
        array[index] = saved + H;
        double plus = net.build().loss(x, labels);
        array[index] = saved - H;
        double minus = net.build().loss(x, labels);
        array[index] = saved;
        return (plus - minus) / (2 * H);
    }

    /** Checks the given entries of one parameter row; returns the largest relative error seen. */
    private static double checkRow(Network net, double[] row, double[] analytic, int[] columns, double[][] x,
                                   int[] labels, String what) {
        double worst = 0;
        for (int j : columns) {
            double numeric = numericalDerivative(net, row, j, x, labels);
            double a = analytic[j];
            double err = Math.abs(a - numeric) / Math.max(FLOOR, Math.abs(a) + Math.abs(numeric));
            if (!(err < TOLERANCE)) {
                fail(what + "[" + j + "]: analytic " + a + " numeric " + numeric + " relative error " + err);
            }
            worst = Math.max(worst, err);
        }
        return worst;
    }

    private static int[] all(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /**
     * Checks every bias and every weight of layers other than {@code sampledLayer}; of that layer's weights
     * (if any) only {@code samples} random ones, to keep the full-size network fast.
     */
    private static void check(Network net, double[][] x, int[] labels, int sampledLayer, int samples, Random rnd) {
        ReferenceMlp mlp = net.build();
        ReferenceMlp.Gradients g = mlp.gradients(x, labels);
        assertEquals(mlp.loss(x, labels), g.loss(), 0, "gradients() reports the loss it was taken at");
        assertEquals(net.weights().size(), g.dW().size());
        assertEquals(net.biases().size(), g.db().size());

        double worst = 0;
        double largestGradient = 0;
        for (int l = 0; l < net.weights().size(); l++) {
            double[][] w = net.weights().get(l);
            double[][] dW = g.dW().get(l);
            assertEquals(w.length, dW.length, "dW[" + l + "] rows");
            if (l == sampledLayer) {
                for (int s = 0; s < samples; s++) {
                    int i = rnd.nextInt(w.length);
                    int j = rnd.nextInt(w[0].length);
                    worst = Math.max(worst, checkRow(net, w[i], dW[i], new int[]{j}, x, labels,
                            "dW[" + l + "][" + i + "]"));
                }
            } else {
                for (int i = 0; i < w.length; i++) {
                    assertEquals(w[i].length, dW[i].length, "dW[" + l + "] columns");
                    worst = Math.max(worst, checkRow(net, w[i], dW[i], all(w[i].length), x, labels,
                            "dW[" + l + "][" + i + "]"));
                }
            }
            for (double[] row : dW) {
                for (double v : row) {
                    largestGradient = Math.max(largestGradient, Math.abs(v));
                }
            }
            double[] b = net.biases().get(l);
            assertEquals(b.length, g.db().get(l).length, "db[" + l + "] length");
            worst = Math.max(worst, checkRow(net, b, g.db().get(l), all(b.length), x, labels, "db[" + l + "]"));
        }
        // The check is meaningful only if the gradients are well above the floor.
        assertTrue(largestGradient > 100 * FLOOR, "gradients too small to check: " + largestGradient);
        System.out.println("worst relative error " + worst + ", largest gradient " + largestGradient);
    }

    private static int[] labels(Random rnd, int n, int classes) {
        return rnd.ints(n, 0, classes).toArray();
    }

    /** Fails if any relu pre-activation is so close to the kink that a finite difference could cross it. */
    private static void assertNoReluKinkNearby(Network net, double[][] x) {
        double[][] a = x;
        for (int l = 0; l + 1 < net.weights().size(); l++) {
            double[][] z = ReferenceMlp.affineForward(a, net.weights().get(l), net.biases().get(l));
            if (ReferenceMlp.RELU.equals(net.activations().get(l))) {
                for (double[] row : z) {
                    for (double v : row) {
                        assertTrue(Math.abs(v) > 1e-3, "pre-activation " + v + " near the relu kink: pick another seed");
                    }
                }
                a = ReferenceMlp.relu(z);
            } else {
                a = ReferenceMlp.sigmoid(z);
            }
        }
    }

    @Test
    void sigmoidNetwork() {
        Random rnd = new Random(20_07_04);
        Network net = randomNetwork(rnd, new int[]{20, 7, 4}, List.of(ReferenceMlp.SIGMOID));
        double[][] x = TestUtil.random(rnd, 6, 20);
        check(net, x, labels(rnd, 6, 4), -1, 0, rnd);
    }

    @Test
    void reluNetwork() {
        Random rnd = new Random(12_06_05);
        Network net = randomNetwork(rnd, new int[]{12, 6, 5, 3}, List.of(ReferenceMlp.RELU, ReferenceMlp.RELU));
        double[][] x = TestUtil.random(rnd, 5, 12);
        assertNoReluKinkNearby(net, x);
        check(net, x, labels(rnd, 5, 3), -1, 0, rnd);
    }

    @Test
    void mixedNetwork() {
        Random rnd = new Random(10_06_05);
        Network net = randomNetwork(rnd, new int[]{10, 6, 5, 3}, List.of(ReferenceMlp.RELU, ReferenceMlp.SIGMOID));
        double[][] x = TestUtil.random(rnd, 4, 10);
        assertNoReluKinkNearby(net, x);
        check(net, x, labels(rnd, 4, 3), -1, 0, rnd);
    }

    @Test
    void softmaxRegressionWithoutHiddenLayer() {
        Random rnd = new Random(8);
        Network net = randomNetwork(rnd, new int[]{8, 5}, List.of());
        check(net, TestUtil.random(rnd, 7, 8), labels(rnd, 7, 5), -1, 0, rnd);
    }

    /** The tutorial's 784 → 50 sigmoid → 10 network: all of layer 2 and b1, a random sample of W1. */
    @Test
    void tutorialNetwork() {
        Random rnd = new Random(784_50_10);
        List<double[][]> ws = List.of(ReferenceMlp.glorotUniform(784, 50, rnd), ReferenceMlp.glorotUniform(50, 10, rnd));
        List<double[]> bs = List.of(ReferenceMlp.normal(1, 50, 0.1, rnd)[0], ReferenceMlp.normal(1, 10, 0.1, rnd)[0]);
        Network net = new Network(ws, bs, List.of(ReferenceMlp.SIGMOID));
        // Pixel-like inputs in [0, 1] with many exact zeros, as MNIST.
        double[][] x = new double[4][784];
        for (double[] row : x) {
            for (int j = 0; j < 784; j++) {
                row[j] = rnd.nextDouble() < 0.8 ? 0 : rnd.nextDouble();
            }
        }
        check(net, x, labels(rnd, 4, 10), 0, 300, rnd);
    }
}
