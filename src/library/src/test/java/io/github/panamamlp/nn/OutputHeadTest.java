package io.github.panamamlp.nn;

import io.github.panamamlp.data.BatchSource;
import io.github.panamamlp.reference.TestUtil;
import io.github.panamamlp.tensor.Matrix;
import io.github.panamamlp.nn.Evaluation;
import io.github.panamamlp.train.Sgd;
import io.github.panamamlp.train.Trainer;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The model's output head is the one way from logits to probabilities, losses and predicted classes:
 * training, evaluation and prediction give bit-identical numbers for the same rows.
 */
class OutputHeadTest {
    private static final int N = 9;
    private static final int INPUTS = 6;
    private static final int CLASSES = 4;

    /** Rows of x with their labels, as a {@link BatchSource}. */
    private record Rows(double[][] x, int[] y) implements BatchSource {
        @Override
        public int count() {
            return x.length;
        }

        @Override
        public int features() {
            return x[0].length;
        }

        @Override
        public int classes() {
            return CLASSES;
        }

        @Override
        public void fillBatch(int[] order, int from, int to, Matrix batch, int[] labels) {
            for (int k = 0; k < to - from; k++) {
                for (int j = 0; j < features(); j++) {
                    batch.set(k, j, x[order[from + k]][j]);
                }
                labels[k] = y[order[from + k]];
            }
        }
    }

    private static Model model() {
        return Model.builder(INPUTS).dense(5, Activation.RELU).dense(CLASSES, Activation.SOFTMAX)
                .init(Init.normal(1.5)).seed(3).build();
    }

    private static Rows rows() {
        Random rnd = new Random(12);
        int[] y = new int[N];
        for (int i = 0; i < N; i++) {
            y[i] = rnd.nextInt(CLASSES);
        }
        return new Rows(TestUtil.random(rnd, N, INPUTS), y);
    }

    private static Matrix[] acts(Arena arena, Model model, Matrix x) {
        int[] widths = model.activationWidths();
        Matrix[] acts = new Matrix[widths.length];
        acts[0] = x;
        for (int i = 1; i < widths.length; i++) {
            acts[i] = Matrix.allocate(arena, x.rows(), widths[i]);
        }
        return acts;
    }

    @Test
    void trainingEvaluationAndPredictionShareOnePath() {
        Rows data = rows();
        try (Model model = model(); Trainer trainer = new Trainer(model, new Sgd(0.1));
             Arena arena = Arena.ofConfined(); Matrix x = Matrix.of(data.x()); Matrix predicted = model.predict(x)) {
            SoftmaxCrossEntropy head = model.head();
            assertEquals(CLASSES, head.classes());
            Matrix[] acts = acts(arena, model, x);
            Matrix probs = Matrix.allocate(arena, N, CLASSES);
            double lossSum = model.forward(probs, acts, data.y(), 0);

            // Prediction: the same probabilities, bit for bit, and the same classes.
            assertArrayEquals(probs.toArray(), predicted.toArray(), 0.0);
            int correct = 0;
            for (int i = 0; i < N; i++) {
                assertArrayEquals(probs.rowView(i, i + 1).toArray(), model.predict(data.x()[i]), 0.0, "row " + i);
                int c = model.predictClass(data.x()[i]);
                assertEquals(head.predictedClass(probs, i), c, "class of row " + i);
                correct += c == data.y()[i] ? 1 : 0;
            }
            assertEquals(correct, head.countCorrect(probs, data.y(), 0));

            // Training's loss and evaluation's loss and accuracy: the same forward pass.
            assertEquals(Double.doubleToRawLongBits(lossSum / N), Double.doubleToRawLongBits(trainer.loss(x, data.y(), 0)));
            Evaluation ev = trainer.evaluate(data);
            assertEquals(Double.doubleToRawLongBits(lossSum / N), Double.doubleToRawLongBits(ev.loss()));
            assertEquals((double) correct / N, ev.accuracy());
        }
    }

    @Test
    void aStepReturnsTheLossAndCorrectCountOfItsForwardPass() {
        Rows data = rows();
        try (Model model = model(); Trainer trainer = new Trainer(model, new Sgd(0.5));
             Arena arena = Arena.ofConfined(); Matrix x = Matrix.of(data.x())) {
            Matrix[] acts = acts(arena, model, x);
            Matrix probs = Matrix.allocate(arena, N, CLASSES);
            Trainer.StepResult first = null;
            for (int step = 0; step < 3; step++) {
                double lossSum = model.forward(probs, acts, data.y(), 0);
                int correct = model.head().countCorrect(probs, data.y(), 0);
                Trainer.StepResult r = trainer.step(x, data.y(), 0);
                assertEquals(Double.doubleToRawLongBits(lossSum / N), Double.doubleToRawLongBits(r.loss()), "loss of step " + step);
                assertEquals(correct, r.correct(), "correct of step " + step);
                // One result object per trainer, overwritten by every step (so that a step allocates nothing).
                first = first == null ? r : first;
                assertSame(first, r);
            }
        }
    }

    @Test
    void theLossIsTakenFromTheLogitsBeforeSoftmaxOverwritesThem() {
        Rows data = rows();
        try (Model model = model(); Arena arena = Arena.ofConfined(); Matrix x = Matrix.of(data.x())) {
            Matrix[] apart = acts(arena, model, x);
            Matrix probs = Matrix.allocate(arena, N, CLASSES);
            double lossApart = model.forward(probs, apart, data.y(), 0);
            Matrix[] inPlace = acts(arena, model, x);
            Matrix logits = inPlace[inPlace.length - 1];
            double lossInPlace = model.forward(logits, inPlace, data.y(), 0);
            assertEquals(Double.doubleToRawLongBits(lossApart), Double.doubleToRawLongBits(lossInPlace));
            assertArrayEquals(probs.toArray(), logits.toArray(), 0.0);
            // The summed cross-entropy of the logits, as logsumexp(z) − z[label].
            double expected = 0;
            double[][] z = apart[apart.length - 1].toArray2D();
            for (int i = 0; i < N; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z[i]) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (double v : z[i]) {
                    sum += Math.exp(v - max);
                }
                expected += Math.log(sum) + max - z[i][data.y()[i]];
            }
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(lossApart));
        }
    }

    @Test
    void theHeadChecksWidthsAndRows() {
        try (Model model = model(); Matrix wrong = Matrix.allocate(2, CLASSES + 1); Matrix p = Matrix.allocate(2, CLASSES)) {
            SoftmaxCrossEntropy head = model.head();
            assertSame(head, model.head());
            int[] y = {0, 1};
            assertThrows(IllegalArgumentException.class, () -> head.forward(wrong, wrong, y, 0));
            assertThrows(IllegalArgumentException.class, () -> head.forward(wrong, wrong));
            assertThrows(IllegalArgumentException.class, () -> head.backward(wrong, wrong, y, 0));
            assertThrows(IllegalArgumentException.class, () -> head.countCorrect(wrong, y, 0));
            assertThrows(IllegalArgumentException.class, () -> head.predictedClass(p, 2));
            assertThrows(IllegalArgumentException.class, () -> head.predictedClass(p, -1));
            assertThrows(IllegalArgumentException.class, () -> head.forward(p, p, new int[]{0, CLASSES}, 0));
            assertThrows(IllegalArgumentException.class, () -> new SoftmaxCrossEntropy(0));
        }
    }
}
