package io.github.panamamlp.reference;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimizer steps of {@link ReferenceMlp}: each update is recomputed here from {@link ReferenceMlp#gradients}
 * with the textbook formula, element by element, and a small problem is actually learned.
 */
class ReferenceMlpTrainingTest {
    private static final int[] SIZES = {6, 5, 3};

    private static ReferenceMlp network(Random rnd) {
        List<double[][]> ws = new ArrayList<>();
        List<double[]> bs = new ArrayList<>();
        for (int l = 0; l + 1 < SIZES.length; l++) {
            ws.add(ReferenceMlp.glorotUniform(SIZES[l], SIZES[l + 1], rnd));
            bs.add(ReferenceMlp.normal(1, SIZES[l + 1], 0.1, rnd)[0]);
        }
        return new ReferenceMlp(ws, bs, List.of(ReferenceMlp.SIGMOID));
    }

    /** A network with the given parameters and the same architecture. */
    private static ReferenceMlp at(List<double[][]> ws, List<double[]> bs) {
        return new ReferenceMlp(ws, bs, List.of(ReferenceMlp.SIGMOID));
    }

    /** Applies {@code update(parameter, gradient, state index)} to copies of every parameter, in a fixed order. */
    private interface Update {
        double apply(double p, double g, int index);
    }

    private record Params(List<double[][]> ws, List<double[]> bs) {
    }

    private static Params updated(ReferenceMlp net, ReferenceMlp.Gradients g, Update update) {
        List<double[][]> ws = net.weights();
        List<double[]> bs = net.biases();
        int index = 0;
        for (int l = 0; l < ws.size(); l++) {
            double[][] w = ws.get(l);
            for (int i = 0; i < w.length; i++) {
                for (int j = 0; j < w[i].length; j++) {
                    w[i][j] = update.apply(w[i][j], g.dW().get(l)[i][j], index++);
                }
            }
            double[] b = bs.get(l);
            for (int j = 0; j < b.length; j++) {
                b[j] = update.apply(b[j], g.db().get(l)[j], index++);
            }
        }
        return new Params(ws, bs);
    }

    private static int parameterCount() {
        int n = 0;
        for (int l = 0; l + 1 < SIZES.length; l++) {
            n += SIZES[l] * SIZES[l + 1] + SIZES[l + 1];
        }
        return n;
    }

    private static void assertParams(Params expected, ReferenceMlp actual, double tol) {
        for (int l = 0; l < expected.ws().size(); l++) {
            TestUtil.assertClose(actual.weights().get(l), expected.ws().get(l), tol, "W" + l);
            TestUtil.assertClose(actual.biases().get(l), expected.bs().get(l), tol, "b" + l);
        }
    }

    private static double[][] batch(Random rnd) {
        return TestUtil.random(rnd, 8, SIZES[0]);
    }

    private static int[] labels(Random rnd) {
        return rnd.ints(8, 0, SIZES[SIZES.length - 1]).toArray();
    }

    @Test
    void sgdStepIsParameterMinusRateTimesGradient() {
        Random rnd = new Random(1);
        ReferenceMlp net = network(rnd);
        double[][] x = batch(rnd);
        int[] y = labels(rnd);
        ReferenceMlp.Gradients g = net.gradients(x, y);
        Params expected = updated(net, g, (p, grad, k) -> p - 0.3 * grad);

        double reported = net.sgdStep(x, y, 0.3);

        assertEquals(g.loss(), reported, 0, "the loss before the update");
        assertParams(expected, net, 0);
        assertTrue(net.loss(x, y) < reported, "a small step down the gradient lowers the batch loss");
    }

    @Test
    void momentumStepsFollowKeras() {
        Random rnd = new Random(2);
        ReferenceMlp net = network(rnd);
        double lr = 0.1;
        double mu = 0.9;
        double[] velocity = new double[parameterCount()];
        for (int step = 0; step < 3; step++) {
            double[][] x = batch(rnd);
            int[] y = labels(rnd);
            ReferenceMlp.Gradients g = net.gradients(x, y);
            Params expected = updated(net, g, (p, grad, k) -> {
                velocity[k] = mu * velocity[k] - lr * grad;
                return p + velocity[k];
            });
            assertEquals(g.loss(), net.momentumStep(x, y, lr, mu), 0);
            assertParams(expected, net, 0);
        }
    }

    @Test
    void adamFirstStepMovesEveryParameterByAboutTheLearningRate() {
        Random rnd = new Random(3);
        ReferenceMlp net = network(rnd);
        double[][] x = batch(rnd);
        int[] y = labels(rnd);
        ReferenceMlp.Gradients g = net.gradients(x, y);
        List<double[][]> ws = net.weights();
        List<double[]> bs = net.biases();
        double lr = 0.01;

        net.adamStep(x, y, lr, ReferenceMlp.ADAM_BETA1, ReferenceMlp.ADAM_BETA2, ReferenceMlp.ADAM_EPSILON);

        // With bias correction the first step is −lr·g/(|g| + ε/sqrt(1−β2)), i.e. −lr·sign(g) when |g| ≫ 3e-6.
        int checked = 0;
        for (int l = 0; l < ws.size(); l++) {
            for (int i = 0; i < ws.get(l).length; i++) {
                for (int j = 0; j < ws.get(l)[i].length; j++) {
                    double grad = g.dW().get(l)[i][j];
                    double moved = net.weights().get(l)[i][j] - ws.get(l)[i][j];
                    if (Math.abs(grad) > 1e-3) {
                        assertEquals(-lr * Math.signum(grad), moved, lr * 1e-2, "W" + l + "[" + i + "][" + j + "]");
                        checked++;
                    }
                    assertTrue(Math.abs(moved) <= lr * (1 + 1e-12), "no parameter moves more than lr");
                }
            }
            for (int j = 0; j < bs.get(l).length; j++) {
                double grad = g.db().get(l)[j];
                double moved = net.biases().get(l)[j] - bs.get(l)[j];
                if (Math.abs(grad) > 1e-3) {
                    assertEquals(-lr * Math.signum(grad), moved, lr * 1e-2, "b" + l + "[" + j + "]");
                    checked++;
                }
            }
        }
        assertTrue(checked > parameterCount() / 2, "most gradients are large enough to check: " + checked);
        assertEquals(1, net.adamStepCount());
    }

    @Test
    void adamStepsFollowKerasWithBiasCorrection() {
        Random rnd = new Random(4);
        ReferenceMlp net = network(rnd);
        double lr = 0.02;
        double b1 = 0.8;
        double b2 = 0.95;
        double eps = 1e-4;
        int n = parameterCount();
        double[] m = new double[n];
        double[] v = new double[n];
        for (int t = 1; t <= 4; t++) {
            double[][] x = batch(rnd);
            int[] y = labels(rnd);
            ReferenceMlp.Gradients g = net.gradients(x, y);
            double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            Params expected = updated(net, g, (p, grad, k) -> {
                m[k] = b1 * m[k] + (1 - b1) * grad;
                v[k] = b2 * v[k] + (1 - b2) * grad * grad;
                return p - lrT * m[k] / (Math.sqrt(v[k]) + eps);
            });
            assertEquals(g.loss(), net.adamStep(x, y, lr, b1, b2, eps), 0);
            assertParams(expected, net, 0);
            assertEquals(t, net.adamStepCount());
        }
    }

    @Test
    void sgdLearnsASeparableProblem() {
        // Two classes in the plane split by the line x0 + x1 = 0, kept at least 0.2 away from it.
        Random rnd = new Random(5);
        int n = 64;
        double[][] x = new double[n][2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double s;
            do {
                x[i][0] = 2 * rnd.nextDouble() - 1;
                x[i][1] = 2 * rnd.nextDouble() - 1;
                s = x[i][0] + x[i][1];
            } while (Math.abs(s) < 0.2);
            y[i] = s > 0 ? 1 : 0;
        }
        ReferenceMlp net = new ReferenceMlp(
                List.of(ReferenceMlp.glorotUniform(2, 4, rnd), ReferenceMlp.glorotUniform(4, 2, rnd)),
                List.of(new double[4], new double[2]), List.of(ReferenceMlp.SIGMOID));
        double initial = net.loss(x, y);
        for (int step = 0; step < 300; step++) {
            net.sgdStep(x, y, 1.0);
        }
        double last = net.loss(x, y);
        assertTrue(last < initial / 4, "loss " + initial + " -> " + last);
        assertEquals(1.0, ReferenceMlp.accuracy(net.forward(x), y), 0);
    }

    @Test
    void optimizerArgumentsAreValidated() {
        ReferenceMlp net = network(new Random(6));
        double[][] x = batch(new Random(7));
        int[] y = labels(new Random(8));
        List<double[][]> before = net.weights();
        assertThrows(IllegalArgumentException.class, () -> net.sgdStep(x, y, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> net.sgdStep(x, y, -0.1));
        assertThrows(IllegalArgumentException.class, () -> net.momentumStep(x, y, 0.1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> net.adamStep(x, y, 0.1, 1.0, 0.999, 1e-7));
        assertThrows(IllegalArgumentException.class, () -> net.adamStep(x, y, 0.1, 0.9, -0.1, 1e-7));
        assertThrows(IllegalArgumentException.class, () -> net.adamStep(x, y, 0.1, 0.9, 0.999, 0));
        assertThrows(IllegalArgumentException.class, () -> net.sgdStep(x, new int[]{0}, 0.1));
        // A rejected step leaves the network as it was.
        TestUtil.assertClose(net.weights().get(0), before.get(0), 0, "W0");
        assertEquals(0, net.adamStepCount());
    }

    @Test
    void forwardIsSoftmaxOfLogitsAndLossMatchesIt() {
        Random rnd = new Random(9);
        ReferenceMlp net = network(rnd);
        double[][] x = batch(rnd);
        int[] y = labels(rnd);
        double[][] probs = net.forward(x);
        assertEquals(TestUtil.relativeError(probs, ReferenceMlp.softmax(net.logits(x))), 0.0);
        assertEquals(ReferenceMlp.crossEntropy(probs, y), net.loss(x, y), 1e-14);
        // The network by hand with the static ops.
        List<double[][]> ws = net.weights();
        List<double[]> bs = net.biases();
        double[][] hidden = ReferenceMlp.sigmoid(ReferenceMlp.affineForward(x, ws.get(0), bs.get(0)));
        TestUtil.assertClose(net.logits(x), ReferenceMlp.affineForward(hidden, ws.get(1), bs.get(1)), 0, "logits");
        // A network rebuilt from the accessors is the same network.
        TestUtil.assertClose(at(ws, bs).forward(x), probs, 0, "rebuilt");
    }
}
