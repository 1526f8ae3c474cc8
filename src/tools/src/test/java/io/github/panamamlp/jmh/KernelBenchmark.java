package io.github.panamamlp.jmh;

import io.github.panamamlp.internal.ops.Ops;
import io.github.panamamlp.nn.SoftmaxCrossEntropy;
import io.github.panamamlp.tensor.Matrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The element-wise kernels of one training step of 784 → 50 sigmoid → 10 softmax, at the network's real
 * sizes: everything a step does besides GEMM, the update and the batch copy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
public class KernelBenchmark {
    /** Mini-batch rows: 32 (default setup) or 100 (tutorial preset). */
    @Param({"32", "100"})
    public int batch;

    private static final int HIDDEN = 50;
    private static final int CLASSES = 10;

    private Matrix hidden;
    private Matrix hiddenOut;
    private Matrix hiddenGrad;
    private Matrix bias;
    private Matrix biasGrad;
    private Matrix logits;
    private Matrix probs;
    private Matrix logitGrad;
    private int[] labels;
    private final SoftmaxCrossEntropy head = new SoftmaxCrossEntropy(CLASSES);

    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(1);
        hidden = random(rnd, batch, HIDDEN, 3);
        hiddenOut = Matrix.allocate(batch, HIDDEN);
        Ops.sigmoid(hiddenOut, hidden);
        hiddenGrad = random(rnd, batch, HIDDEN, 0.1);
        bias = random(rnd, 1, HIDDEN, 0.1);
        biasGrad = Matrix.allocate(1, HIDDEN);
        logits = random(rnd, batch, CLASSES, 5);
        probs = Matrix.allocate(batch, CLASSES);
        logitGrad = Matrix.allocate(batch, CLASSES);
        labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rnd.nextInt(CLASSES);
        }
        head.forward(probs, logits, labels, 0);
    }

    private static Matrix random(Random rnd, int rows, int cols, double scale) {
        Matrix m = Matrix.allocate(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.set(i, j, rnd.nextGaussian() * scale);
            }
        }
        return m;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Matrix m : new Matrix[]{hidden, hiddenOut, hiddenGrad, bias, biasGrad, logits, probs, logitGrad}) {
            m.close();
        }
    }

    /** Dense forward's bias: copy b into every row before GEMM adds X·W (batch×50). */
    @Benchmark
    public void biasBroadcast() {
        Ops.broadcastRows(hiddenOut, bias);
    }

    /** Sigmoid over the hidden activations (batch×50). */
    @Benchmark
    public void sigmoid() {
        Ops.sigmoid(hiddenOut, hidden);
    }

    /** Sigmoid's backward, dx = dy·y·(1−y), in place as the network does it (batch×50). */
    @Benchmark
    public void sigmoidBackward() {
        Ops.sigmoidBackward(hiddenGrad, hiddenGrad, hiddenOut);
    }

    /** Softmax and the summed cross-entropy of the logits (batch×10), as the loss head's forward. */
    @Benchmark
    public double softmaxCrossEntropy() {
        return head.forward(probs, logits, labels, 0);
    }

    /** Softmax alone (batch×10). */
    @Benchmark
    public void softmax() {
        Ops.softmaxRows(probs, logits);
    }

    /** The loss head's backward, (ŷ − t)/n (batch×10). */
    @Benchmark
    public void softmaxCrossEntropyBackward() {
        head.backward(logitGrad, probs, labels, 0);
    }

    /** Dense backward's bias gradient: column sums of dOut (batch×50). */
    @Benchmark
    public void columnSums() {
        Ops.columnSums(biasGrad, hiddenGrad);
    }

    /** The training accuracy count: argmax per row (batch×10). */
    @Benchmark
    public int countCorrect() {
        return head.countCorrect(probs, labels, 0);
    }

    /** What the forward pass did before fusing: the bias copied into every row, then sigmoid in a second pass (batch×50). */
    @Benchmark
    public void biasThenSigmoidApart() {
        Ops.broadcastRows(hiddenOut, bias);
        Ops.sigmoid(hiddenOut, hidden);
    }

    /** The fused forward epilogue: bias and sigmoid in one pass, in place (batch×50). */
    @Benchmark
    public void biasSigmoidFused() {
        hiddenOut.copyFrom(hidden);
        Ops.biasSigmoid(hiddenOut, bias);
    }

    /** The copy {@link #biasSigmoidFused} starts with, to subtract. */
    @Benchmark
    public void copyOnly() {
        hiddenOut.copyFrom(hidden);
    }

    /** Before fusing: sigmoid's backward, then the column sums for the bias gradient (batch×50). */
    @Benchmark
    public void sigmoidBackwardThenColumnSumsApart() {
        Ops.sigmoidBackward(hiddenGrad, hiddenGrad, hiddenOut);
        Ops.columnSums(biasGrad, hiddenGrad);
    }

    /** Fused: one pass for both (batch×50). */
    @Benchmark
    public void sigmoidBackwardColumnSumsFused() {
        Ops.sigmoidBackwardColumnSums(hiddenGrad, hiddenGrad, hiddenOut, biasGrad);
    }

    /** Before fusing: the loss from the logits, then softmax, each with its own exponentials (batch×10). */
    @Benchmark
    public double softmaxAndLossApart() {
        double loss = Ops.crossEntropySumFromLogits(logits, labels, 0);
        Ops.softmaxRows(probs, logits);
        return loss;
    }

    /** Fused: one exponential per element (batch×10). */
    @Benchmark
    public double softmaxAndLossFused() {
        return Ops.softmaxCrossEntropy(probs, logits, null, labels, 0);
    }
}
