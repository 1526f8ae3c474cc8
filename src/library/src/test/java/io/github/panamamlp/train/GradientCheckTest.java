package io.github.panamamlp.train;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.internal.access.Access;
import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Dense;
import io.github.panamamlp.nn.Init;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.tensor.Matrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Central finite differences of the mean loss against the backward pass, for every parameter of the
 * tutorial network (784 → 50 sigmoid → 10 softmax) and of a deeper ReLU network.
 */
class GradientCheckTest {
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    static Stream<Arguments> networks() {
        return Stream.of(
                Arguments.of("tutorial 784-50s-10", 784, List.of(new Model.LayerSpec(50, Activation.SIGMOID), new Model.LayerSpec(10, Activation.SOFTMAX)), 0.1),
                Arguments.of("relu 30-20r-15r-7", 30, List.of(new Model.LayerSpec(20, Activation.RELU), new Model.LayerSpec(15, Activation.RELU), new Model.LayerSpec(7, Activation.SOFTMAX)), 0.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void everyGradientMatchesFiniteDifferences(String name, int inputs, List<Model.LayerSpec> layers, double sigma) {
        int n = 6;
        Random rnd = new Random(11);
        int classes = layers.getLast().units();
        int[] labels = new int[n];
        try (Model model = Model.builder(inputs).layers(layers).init(Init.normal(sigma)).seed(5).blas(Blas.openBlas()).build();
             Trainer trainer = new Trainer(model, new Sgd(0.1));
             Matrix x = Matrix.allocate(n, inputs)) {
            for (int i = 0; i < n; i++) {
                labels[i] = rnd.nextInt(classes);
                for (int j = 0; j < inputs; j++) {
                    x.set(i, j, rnd.nextDouble());
                }
            }
            // Non-zero biases, so their gradients are exercised away from the symmetric start.
            for (Dense d : model.denseLayers()) {
                for (int j = 0; j < d.bias().cols(); j++) {
                    d.bias().set(0, j, 0.1 * rnd.nextGaussian());
                }
            }
            trainer.computeGradients(x, labels, 0);
            double[] analytic = Access.model(model).gradients().toArray(D);
            MemorySegment p = Access.model(model).parameters();
            double h = 1e-5;
            double worst = 0;
            long worstIndex = -1;
            for (long i = 0; i < analytic.length; i++) {
                double saved = p.getAtIndex(D, i);
                p.setAtIndex(D, i, saved + h);
                double up = trainer.loss(x, labels, 0);
                p.setAtIndex(D, i, saved - h);
                double down = trainer.loss(x, labels, 0);
                p.setAtIndex(D, i, saved);
                double numeric = (up - down) / (2 * h);
                double a = analytic[(int) i];
                // Relative error, floored at 1e-3 so that gradients near 0 compare by absolute error (≤ 1e-9):
                // below that, rounding in the two loss evaluations (~1e-16·loss/h) dominates the difference.
                double err = Math.abs(a - numeric) / Math.max(Math.max(Math.abs(a), Math.abs(numeric)), 1e-3);
                if (err > worst) {
                    worst = err;
                    worstIndex = i;
                }
            }
            double w = worst;
            long wi = worstIndex;
            assertTrue(worst < 1e-6, () -> name + ": worst relative error " + w + " at parameter " + wi);
        }
    }
}
