package io.github.panamamlp.nn;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.internal.ops.Ops;
import io.github.panamamlp.reference.ReferenceMlp;
import io.github.panamamlp.reference.TestUtil;
import io.github.panamamlp.tensor.Matrix;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Momentum;
import io.github.panamamlp.train.Optimizer;
import io.github.panamamlp.train.Sgd;
import io.github.panamamlp.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The off-heap fast path against the independent {@link ReferenceMlp}, op by op and over whole training runs. */
class ReferenceCrossCheckTest {

    static Stream<Blas> implementations() {
        return Stream.of(Blas.openBlas(), Blas.java());
    }

    private static int[] labels(Random rnd, int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(classes);
        }
        return y;
    }

    @Test
    void elementwiseOpsMatchTheReference() {
        Random rnd = new Random(1);
        double[][] x = TestUtil.random(rnd, 17, 23);
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= 4; // reach both tails of the sigmoid and both sides of ReLU
            }
        }
        double[][] dy = TestUtil.random(rnd, 17, 23);
        int[] y = labels(rnd, 17, 23);
        try (Matrix mx = Matrix.of(x); Matrix mdy = Matrix.of(dy); Matrix out = Matrix.allocate(17, 23);
             Matrix out2 = Matrix.allocate(17, 23); Matrix sums = Matrix.allocate(1, 23)) {
            Ops.sigmoid(out, mx);
            double[][] s = ReferenceMlp.sigmoid(x);
            TestUtil.assertClose(out.toArray2D(), s, 1e-12, "sigmoid");
            Ops.sigmoidBackward(out2, mdy, out);
            TestUtil.assertClose(out2.toArray2D(), ReferenceMlp.sigmoidBackward(dy, s), 1e-12, "sigmoid backward");
            Ops.relu(out, mx);
            TestUtil.assertClose(out.toArray2D(), ReferenceMlp.relu(x), 1e-12, "relu");
            Ops.reluBackward(out2, mdy, out);
            TestUtil.assertClose(out2.toArray2D(), ReferenceMlp.reluBackward(dy, x), 1e-12, "relu backward");
            Ops.softmaxRows(out, mx);
            double[][] p = ReferenceMlp.softmax(x);
            TestUtil.assertClose(out.toArray2D(), p, 1e-12, "softmax");
            double ce = Ops.crossEntropySumFromLogits(mx, y, 0) / 17;
            assertEquals(ReferenceMlp.crossEntropyFromLogits(x, y), ce, 1e-12, "cross-entropy");
            assertEquals(ReferenceMlp.crossEntropy(p, y), ce, 1e-12, "cross-entropy from probabilities");
            Ops.softmaxCrossEntropyBackward(out2, out, y, 0, 17);
            TestUtil.assertClose(out2.toArray2D(), ReferenceMlp.softmaxCrossEntropyBackward(p, y), 1e-12, "softmax-CE backward");
            Ops.columnSums(sums, mdy);
            TestUtil.assertClose(sums.toArray(), ReferenceMlp.affineBackward(dy, x, new double[23][23]).db(), 1e-12, "column sums");
            int[] argmax = ReferenceMlp.argmax(x);
            for (int i = 0; i < 17; i++) {
                assertEquals(argmax[i], Ops.argmaxRow(mx, i), "argmax row " + i);
            }
            assertEquals(ReferenceMlp.accuracy(x, y), Ops.countCorrect(mx, y, 0) / 17.0, 0);
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void denseForwardAndBackwardMatchTheAffineReference(Blas blas) {
        Random rnd = new Random(2);
        double[][] x = TestUtil.random(rnd, 13, 784);
        double[][] dy = TestUtil.random(rnd, 13, 50);
        try (Model model = Model.builder(784).dense(50, Activation.SIGMOID).dense(10, Activation.SOFTMAX).seed(3).blas(blas).build();
             Matrix mx = Matrix.of(x); Matrix mdy = Matrix.of(dy); Matrix y = Matrix.allocate(13, 50); Matrix dx = Matrix.allocate(13, 784)) {
            Dense d = model.denseLayers().get(0);
            for (int j = 0; j < 50; j++) {
                d.bias().set(0, j, rnd.nextGaussian());
            }
            double[][] w = d.weights().toArray2D();
            double[] b = d.bias().toArray();
            d.forward(y, mx);
            TestUtil.assertClose(y.toArray2D(), ReferenceMlp.affineForward(x, w, b), 1e-12, "affine forward");
            d.backward(dx, mdy, mx, y);
            ReferenceMlp.AffineGradients g = ReferenceMlp.affineBackward(dy, x, w);
            TestUtil.assertClose(dx.toArray2D(), g.dx(), 1e-12, "dX");
            TestUtil.assertClose(d.weightGradient().toArray2D(), g.dW(), 1e-12, "dW");
            TestUtil.assertClose(d.biasGradient().toArray(), g.db(), 1e-12, "db");
        }
    }

    private static ReferenceMlp referenceOf(Model model, List<String> hidden) {
        List<double[][]> w = new ArrayList<>();
        List<double[]> b = new ArrayList<>();
        for (Dense d : model.denseLayers()) {
            w.add(d.weights().toArray2D());
            b.add(d.bias().toArray());
        }
        return new ReferenceMlp(w, b, hidden);
    }

    private static double[] flatten(ReferenceMlp ref) {
        List<Double> out = new ArrayList<>();
        for (int l = 0; l < ref.layerCount(); l++) {
            for (double[] row : ref.weights().get(l)) {
                for (double v : row) {
                    out.add(v);
                }
            }
            for (double v : ref.biases().get(l)) {
                out.add(v);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static Stream<Optimizer> optimizers() {
        return Stream.of(new Adam(), new Sgd(0.1), new Momentum(0.05, 0.9));
    }

    /** 200 steps of the tutorial network on random batches, both implementations from the same start. */
    @ParameterizedTest
    @MethodSource("optimizers")
    void twoHundredStepsMatchTheReference(Optimizer optimizer) {
        int n = 20;
        Random rnd = new Random(4);
        try (Model model = Model.builder(784).dense(50, Activation.SIGMOID).dense(10, Activation.SOFTMAX).seed(9).build();
             Trainer trainer = new Trainer(model, optimizer);
             Matrix x = Matrix.allocate(n, 784)) {
            ReferenceMlp ref = referenceOf(model, List.of(ReferenceMlp.SIGMOID));
            for (int step = 0; step < 200; step++) {
                double[][] xb = new double[n][784];
                for (double[] row : xb) {
                    for (int j = 0; j < 784; j++) {
                        row[j] = rnd.nextInt(256) / 255.0;
                    }
                }
                int[] y = labels(rnd, n, 10);
                x.copyFrom(flattenRows(xb));
                double fastLoss = trainer.step(x, y, 0).loss();
                double refLoss = switch (optimizer) {
                    case Adam a -> ref.adamStep(xb, y, a.learningRate(), a.beta1(), a.beta2(), a.epsilon());
                    case Sgd s -> ref.sgdStep(xb, y, s.learningRate());
                    case Momentum m -> ref.momentumStep(xb, y, m.learningRate(), m.momentum());
                };
                assertEquals(refLoss, fastLoss, 1e-9, "loss at step " + step);
            }
            double[] fast = model.parameterArray();
            double[] slow = flatten(ref);
            double maxDiff = 0;
            for (int i = 0; i < fast.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(fast[i] - slow[i]));
            }
            double md = maxDiff;
            assertTrue(maxDiff <= 1e-9, () -> optimizer.describe() + ": parameters differ by " + md + " after 200 steps");
            assertTrue(trainer.steps() == 200);
        }
    }

    private static double[] flattenRows(double[][] x) {
        double[] out = new double[x.length * x[0].length];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, out, i * x[0].length, x[0].length);
        }
        return out;
    }

    /**
     * The fused kernels the network actually runs (bias and activation in one pass, the backward with the
     * bias gradient's column sums, softmax with its loss) against the reference, op by op, like the
     * separate kernels above: the whole-training cross-checks alone would not say which op went wrong.
     */
    @Test
    void fusedKernelsMatchTheReference() {
        Random rnd = new Random(3);
        int n = 17, m = 23;
        double[][] x = TestUtil.random(rnd, n, m);
        for (double[] row : x) {
            for (int j = 0; j < m; j++) {
                row[j] *= 4; // both tails of the sigmoid, both sides of ReLU
            }
        }
        double[] b = TestUtil.random(rnd, 1, m)[0];
        double[][] dy = TestUtil.random(rnd, n, m);
        int[] y = labels(rnd, n, m);
        double[][] zb = new double[n][m]; // x + b, the reference's affine output
        double[] flat = new double[n * m]; // x row-major, to restart the in-place kernels from
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                zb[i][j] = x[i][j] + b[j];
                flat[i * m + j] = x[i][j];
            }
        }
        try (Matrix bias = Matrix.of(new double[][]{b}); Matrix mdy = Matrix.of(dy); Matrix z = Matrix.allocate(n, m);
             Matrix dz = Matrix.allocate(n, m); Matrix sums = Matrix.allocate(1, m); Matrix probs = Matrix.allocate(n, m)) {
            z.copyFrom(flat);
            Ops.addBias(z, bias);
            TestUtil.assertClose(z.toArray2D(), zb, 1e-12, "addBias");

            z.copyFrom(flat);
            Ops.biasSigmoid(z, bias);
            double[][] s = ReferenceMlp.sigmoid(zb);
            TestUtil.assertClose(z.toArray2D(), s, 1e-12, "bias + sigmoid");
            Ops.sigmoidBackwardColumnSums(dz, mdy, z, sums);
            double[][] ds = ReferenceMlp.sigmoidBackward(dy, s);
            TestUtil.assertClose(dz.toArray2D(), ds, 1e-12, "sigmoid backward (fused)");
            TestUtil.assertClose(sums.toArray(), columnSums(ds), 1e-12, "sigmoid backward's column sums");

            z.copyFrom(flat);
            Ops.biasRelu(z, bias);
            TestUtil.assertClose(z.toArray2D(), ReferenceMlp.relu(zb), 1e-12, "bias + relu");
            Ops.reluBackwardColumnSums(dz, mdy, z, sums);
            double[][] dr = ReferenceMlp.reluBackward(dy, zb);
            TestUtil.assertClose(dz.toArray2D(), dr, 1e-12, "relu backward (fused)");
            TestUtil.assertClose(sums.toArray(), columnSums(dr), 1e-12, "relu backward's column sums");

            z.copyFrom(flat);
            double ce = Ops.softmaxCrossEntropy(probs, z, bias, y, 0) / n;
            double[][] p = ReferenceMlp.softmax(zb);
            TestUtil.assertClose(probs.toArray2D(), p, 1e-12, "bias + softmax (fused)");
            TestUtil.assertClose(z.toArray2D(), zb, 1e-12, "the logits hold z = x + b on return");
            assertEquals(ReferenceMlp.crossEntropyFromLogits(zb, y), ce, 1e-12, "cross-entropy (fused)");
            Ops.softmaxCrossEntropyBackwardColumnSums(dz, probs, y, 0, n, sums);
            double[][] dp = ReferenceMlp.softmaxCrossEntropyBackward(p, y);
            TestUtil.assertClose(dz.toArray2D(), dp, 1e-12, "softmax-CE backward (fused)");
            TestUtil.assertClose(sums.toArray(), columnSums(dp), 1e-12, "softmax-CE backward's column sums");
        }
    }

    private static double[] columnSums(double[][] a) {
        double[] s = new double[a[0].length];
        for (double[] row : a) {
            for (int j = 0; j < s.length; j++) {
                s[j] += row[j];
            }
        }
        return s;
    }

    @Test
    void extremeLogitsStayFinite() {
        try (Matrix z = Matrix.of(new double[][]{{1000, 1000, -1000}}); Matrix p = Matrix.allocate(1, 3)) {
            Ops.softmaxRows(p, z);
            double[] v = p.toArray();
            assertArrayEquals(new double[]{0.5, 0.5, 0.0}, v, 0);
            // The label's probability is exactly 0, yet the loss is finite: 2000 = logsumexp − z[2].
            double ce = Ops.crossEntropySumFromLogits(z, new int[]{2}, 0);
            assertTrue(Double.isFinite(ce));
            assertEquals(2000 + Math.log(2), ce, 1e-9);
        }
    }

    @Test
    void gradientRowsSumToZero() {
        Random rnd = new Random(5);
        try (Matrix z = Matrix.of(TestUtil.random(rnd, 8, 10)); Matrix p = Matrix.allocate(8, 10); Matrix dz = Matrix.allocate(8, 10)) {
            int[] y = labels(rnd, 8, 10);
            Ops.softmaxRows(p, z);
            new SoftmaxCrossEntropy(10).backward(dz, p, y, 0);
            for (double[] row : dz.toArray2D()) {
                double s = 0;
                for (double v : row) {
                    s += v;
                }
                assertEquals(0, s, 1e-15);
            }
        }
    }

    @Test
    void sameSeedGivesBitIdenticalTraining() {
        double[][] runs = new double[2][];
        for (int r = 0; r < 2; r++) {
            Random rnd = new Random(6);
            try (Model model = Model.builder(784).dense(50, Activation.SIGMOID).dense(10, Activation.SOFTMAX).seed(42).build();
                 Trainer trainer = new Trainer(model, new Adam()); Matrix x = Matrix.allocate(32, 784)) {
                for (int step = 0; step < 20; step++) {
                    double[] xs = new double[32 * 784];
                    for (int i = 0; i < xs.length; i++) {
                        xs[i] = rnd.nextDouble();
                    }
                    x.copyFrom(xs);
                    trainer.step(x, labels(rnd, 32, 10), 0);
                }
                runs[r] = model.parameterArray();
            }
        }
        assertArrayEquals(runs[0], runs[1], 0.0);
        try (Model other = Model.builder(784).dense(50, Activation.SIGMOID).dense(10, Activation.SOFTMAX).seed(43).build();
             Model same = Model.builder(784).dense(50, Activation.SIGMOID).dense(10, Activation.SOFTMAX).seed(42).build();
             Model again = Model.builder(784).dense(50, Activation.SIGMOID).dense(10, Activation.SOFTMAX).seed(42).build()) {
            assertArrayEquals(same.parameterArray(), again.parameterArray(), 0.0);
            assertTrue(!java.util.Arrays.equals(same.parameterArray(), other.parameterArray()));
        }
    }

    @Test
    void shorterLastBatchWorks() {
        Random rnd = new Random(8);
        try (Model model = Model.builder(5).dense(4, Activation.RELU).dense(3, Activation.SOFTMAX).seed(1).build();
             Trainer trainer = new Trainer(model, new Sgd(0.1));
             Matrix x = Matrix.of(TestUtil.random(rnd, 10, 5))) {
            ReferenceMlp ref = referenceOf(model, List.of(ReferenceMlp.RELU));
            int[] y = labels(rnd, 10, 3);
            trainer.step(x.rowView(0, 7), y, 0);
            trainer.step(x.rowView(7, 10), y, 7);
            trainer.step(x.rowView(0, 7), y, 0);
            double[][] all = x.toArray2D();
            ref.sgdStep(java.util.Arrays.copyOfRange(all, 0, 7), java.util.Arrays.copyOfRange(y, 0, 7), 0.1);
            ref.sgdStep(java.util.Arrays.copyOfRange(all, 7, 10), java.util.Arrays.copyOfRange(y, 7, 10), 0.1);
            ref.sgdStep(java.util.Arrays.copyOfRange(all, 0, 7), java.util.Arrays.copyOfRange(y, 0, 7), 0.1);
            assertArrayEquals(flatten(ref), model.parameterArray(), 1e-12);
        }
    }
}
