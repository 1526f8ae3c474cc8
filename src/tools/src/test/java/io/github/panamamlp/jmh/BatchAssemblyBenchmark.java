package io.github.panamamlp.jmh;

import io.github.panamamlp.bench.SyntheticImages;
import io.github.panamamlp.data.LabeledImages;
import io.github.panamamlp.internal.Permutation;
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

import java.util.concurrent.TimeUnit;

/**
 * Copying one shuffled mini-batch of 28×28 images (pixel/255) and labels into the input matrix, over an
 * MNIST-sized set of 60,000 synthetic images so the source is as scattered in memory as in training.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
public class BatchAssemblyBenchmark {
    /** Images per batch. */
    @Param({"32", "100"})
    public int batch;

    /**
     * "shuffled": an epoch's order, as training reads the images; "sequential": the images in file order, the
     * same conversion without fetching scattered images from memory.
     */
    @Param({"shuffled", "sequential"})
    public String order;

    /** The batch matrix's element type. */
    @Param({"float64", "float32"})
    public String dtype;

    private static final int COUNT = 60_000;
    private LabeledImages data;
    private int[] indices;
    private Matrix x;
    private int[] y;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        data = SyntheticImages.of(COUNT, 1);
        indices = order.equals("sequential") ? java.util.stream.IntStream.range(0, COUNT).toArray()
                : Permutation.forEpoch(COUNT, 1, 1);
        x = Matrix.allocate(batch, 784, io.github.panamamlp.tensor.DType.parse(dtype));
        y = new int[batch];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        x.close();
    }

    /** The next batch of the epoch's order (wrapping around). */
    @Benchmark
    public void fillBatch() {
        int from = next;
        next = from + 2 * batch > COUNT ? 0 : from + batch;
        data.fillBatch(indices, from, from + batch, x, y);
    }
}
