package io.github.panamamlp.nn;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A sequential network of dense layers, each followed by an activation; the last layer's activation is
 * softmax, which belongs to the model's output {@link #head()} together with the cross-entropy loss.
 * Built in one line:
 * {@snippet :
 * Model model = Model.builder(784).dense(50, Activation.SIGMOID).dense(10, Activation.SOFTMAX).seed(1).build();
 * }
 *
 * <p>All parameters live in one flat off-heap block (W1, b1, W2, b2, … in order, each W row-major
 * inputs×outputs), and so do their gradients, so an optimizer updates the whole model in one pass. The
 * model owns that memory: {@link #close()} frees it and any later use throws.
 *
 * <p>One batch flows one way: {@link #forward(Matrix, Matrix[], int[], int)} runs the layers and then
 * the head (probabilities and summed loss), {@link #backward} runs the head's gradient and then the layers
 * in reverse. Training, evaluation and {@link #predict(Matrix)} all take that path. Outside the matrix
 * products, each layer costs one pass over its output: forward, the bias and the activation together
 * (the head: bias, softmax and loss together); backward, the activation's gradient together with the
 * bias gradient.
 *
 * <p>Thread safety: {@link #predict(Matrix)}, {@link #predict(double[])} and {@link #predictClass} only
 * read the parameters and use their own scratch memory, so one trained model may serve predictions from
 * several threads at once, and every thread gets exactly the result a single thread would (this is
 * tested, OpenBLAS with several threads of its own included). Everything that writes the parameters —
 * training through a {@code Trainer}, writing into {@link #parameters()} or a layer's weights, loading
 * saved parameters — must not overlap with any other use of the same model, and neither may
 * {@link #close()}. The model does no locking of its own: share it between threads only after training,
 * through a safe publication (a final field, a concurrent collection, a started thread).
 */
public final class Model implements AutoCloseable {

    /**
     * One dense layer: its output size and the activation after it.
     *
     * @param units      the layer's outputs, at least 1
     * @param activation the activation after it; {@link Activation#SOFTMAX} on the last layer only
     */
    public record LayerSpec(int units, Activation activation) {
        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if {@code units < 1} or {@code activation} is null
         */
        public LayerSpec {
            if (units < 1) {
                throw new IllegalArgumentException("a dense layer needs at least 1 unit, got " + units);
            }
            if (activation == null) {
                throw new IllegalArgumentException("activation must not be null");
            }
        }
    }

    private final int inputSize;
    private final List<LayerSpec> specs;
    private final Blas blas;
    private final Arena arena;
    private final MemorySegment params;
    private final MemorySegment grads;
    private final List<Dense> dense = new ArrayList<>();
    /** Dense, activation, Dense, activation, …, Dense: acts[L] are the logits; the last activation is the head's. */
    private final List<Layer> layers = new ArrayList<>();
    /** The last layer's activation and the loss: logits in, probabilities, loss and dLogits out. */
    private final SoftmaxCrossEntropy head;
    private final List<Layer> layersView = Collections.unmodifiableList(layers);
    private final List<Dense> denseView = Collections.unmodifiableList(dense);
    private volatile boolean closed;
    /** Set when close() starts: no new call may begin, while calls already running finish. */
    private volatile boolean closing;
    private static final long CLOSE_WAIT_NANOS = 10_000_000_000L;

    private Model(int inputSize, List<LayerSpec> specs, Blas blas) {
        validate(inputSize, specs);
        this.inputSize = inputSize;
        this.specs = List.copyOf(specs);
        this.blas = blas;
        long count = countParameters(inputSize, specs);
        this.arena = Arena.ofShared();
        try {
            this.params = arena.allocate(count * Double.BYTES, Matrix.ALIGNMENT);
            this.grads = arena.allocate(count * Double.BYTES, Matrix.ALIGNMENT);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        long offset = 0;
        int in = inputSize;
        for (int i = 0; i < specs.size(); i++) {
            LayerSpec s = specs.get(i);
            long wBytes = (long) in * s.units() * Double.BYTES;
            long bBytes = (long) s.units() * Double.BYTES;
            Matrix w = Matrix.wrap(params.asSlice(offset, wBytes), in, s.units(), s.units());
            Matrix dw = Matrix.wrap(grads.asSlice(offset, wBytes), in, s.units(), s.units());
            Matrix b = Matrix.wrap(params.asSlice(offset + wBytes, bBytes), 1, s.units(), s.units());
            Matrix db = Matrix.wrap(grads.asSlice(offset + wBytes, bBytes), 1, s.units(), s.units());
            offset += wBytes + bBytes;
            Dense d = new Dense(blas, w, b, dw, db);
            dense.add(d);
            layers.add(d);
            if (i < specs.size() - 1) {
                layers.add(switch (s.activation()) {
                    case SIGMOID -> new Sigmoid(s.units());
                    case RELU -> new ReLU(s.units());
                    case SOFTMAX -> throw new AssertionError("rejected by validate");
                });
            }
            in = s.units();
        }
        LayerSpec last = specs.getLast();
        this.head = switch (last.activation()) {
            case SOFTMAX -> new SoftmaxCrossEntropy(last.units());
            case SIGMOID, RELU -> throw new AssertionError("rejected by validate");
        };
    }

    private static void validate(int inputSize, List<LayerSpec> specs) {
        if (inputSize < 1) {
            throw new IllegalArgumentException("input size must be at least 1, got " + inputSize);
        }
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one dense layer");
        }
        for (int i = 0; i < specs.size(); i++) {
            boolean last = i == specs.size() - 1;
            Activation a = specs.get(i).activation();
            if (last && a != Activation.SOFTMAX) {
                throw new IllegalArgumentException("the last layer's activation must be softmax (trained with cross-entropy), got " + a.id());
            }
            if (!last && a == Activation.SOFTMAX) {
                throw new IllegalArgumentException("softmax is only supported on the last layer (layer " + (i + 1) + " of " + specs.size() + ")");
            }
        }
        countParameters(inputSize, specs);
    }

    private static long countParameters(int inputSize, List<LayerSpec> specs) {
        long count = 0;
        int in = inputSize;
        for (LayerSpec s : specs) {
            count = Math.addExact(count, Math.addExact(Math.multiplyExact((long) in, s.units()), s.units()));
            in = s.units();
        }
        if (count > Integer.MAX_VALUE / Double.BYTES) {
            throw new IllegalArgumentException("model too large: " + count + " parameters");
        }
        return count;
    }

    /**
     * Starts a model whose input rows have {@code inputSize} features.
     *
     * @param inputSize features per example (784 for MNIST's 28×28 images)
     * @return a builder without layers
     */
    public static Builder builder(int inputSize) {
        return new Builder(inputSize);
    }

    /**
     * A model with the given layers and all parameters zero (for loading saved parameters into).
     *
     * @param inputSize features per example
     * @param specs     the dense layers in order; the last one's activation is softmax
     * @param blas      the GEMM implementation its dense layers use
     * @return the new model, which the caller closes
     * @throws IllegalArgumentException if the layers are not a valid network
     */
    public static Model zeros(int inputSize, List<LayerSpec> specs, Blas blas) {
        return new Model(inputSize, specs, blas);
    }

    /** Builds a {@link Model}: layers, initialization, seed and GEMM implementation. */
    public static final class Builder {
        private final int inputSize;
        private final List<LayerSpec> specs = new ArrayList<>();
        private Init init = Init.glorotUniform();
        private long seed = 1;
        private Blas blas = Blas.openBlas();

        private Builder(int inputSize) {
            this.inputSize = inputSize;
        }

        /**
         * Appends a dense layer of {@code units} outputs followed by {@code activation}.
         *
         * @param units      the layer's outputs
         * @param activation sigmoid or ReLU for hidden layers, softmax for the last one
         * @return this builder
         */
        public Builder dense(int units, Activation activation) {
            specs.add(new LayerSpec(units, activation));
            return this;
        }

        /**
         * Appends the given layers.
         *
         * @param layers dense layers, in order
         * @return this builder
         */
        public Builder layers(List<LayerSpec> layers) {
            specs.addAll(layers);
            return this;
        }

        /**
         * Weight initialization (default Glorot-uniform, as Keras); biases start at zero.
         *
         * @param init how the weights are drawn
         * @return this builder
         */
        public Builder init(Init init) {
            this.init = init;
            return this;
        }

        /**
         * The seed of the weight initialization (default 1). The same seed gives bit-identical weights.
         *
         * @param seed the seed of a {@link Random} that draws the weights layer after layer
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The GEMM implementation (default OpenBLAS).
         *
         * @param blas {@link Blas#openBlas()} or {@link Blas#java()}
         * @return this builder
         */
        public Builder blas(Blas blas) {
            this.blas = blas;
            return this;
        }

        /**
         * Allocates the model and draws its weights.
         *
         * @return the new model; it owns off-heap memory, so close it (try-with-resources)
         * @throws IllegalArgumentException if the layers are not a valid network (no layer, softmax not
         *                                  last, or too many parameters)
         */
        public Model build() {
            Model m = new Model(inputSize, specs, blas);
            Random rnd = new Random(seed);
            for (Dense d : m.dense) {
                init.fill(d.weights(), rnd);
            }
            return m;
        }
    }

    /** {@return features per example: the width of the input rows} */
    public int inputSize() {
        return inputSize;
    }

    /** {@return the number of classes (outputs of the last layer)} */
    public int outputSize() {
        return specs.getLast().units();
    }

    /** {@return the dense layers' specifications, in order} */
    public List<LayerSpec> layerSpecs() {
        return specs;
    }

    /** {@return the dense layers, in order; their weights and biases are views into {@link #parameters()}} */
    public List<Dense> denseLayers() {
        checkOpen();
        return denseView;
    }

    /** {@return every layer in execution order (dense layers and activations, without the softmax head)} */
    public List<Layer> layers() {
        checkOpen();
        return layersView;
    }

    /** {@return the output head after the last layer: its softmax activation and the cross-entropy loss} */
    public SoftmaxCrossEntropy head() {
        return head;
    }

    /** {@return the GEMM implementation the dense layers use} */
    public Blas blas() {
        return blas;
    }

    /** {@return the number of trainable parameters (39,760 for 784 → 50 → 10)} */
    public long parameterCount() {
        return params.byteSize() / Double.BYTES;
    }

    /**
     * All parameters as one flat block: W1, b1, W2, b2, … Writing into it is training: see the thread
     * safety note on the class.
     *
     * @return the model's own memory (not a copy), valid until {@link #close()}
     */
    public MemorySegment parameters() {
        checkOpen();
        return params;
    }

    /** {@return all gradients from the last backward pass, laid out like {@link #parameters()}} */
    public MemorySegment gradients() {
        checkOpen();
        return grads;
    }

    /** {@return a copy of every parameter, in the order of {@link #parameters()}} */
    public double[] parameterArray() {
        return parameters().toArray(java.lang.foreign.ValueLayout.JAVA_DOUBLE);
    }

    /** {@return true once {@link #close()} has been called} */
    public boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed || closing) {
            throw new IllegalStateException("model is closed");
        }
    }

    /**
     * The forward pass of a labelled batch: the layers, then the head. acts[0] is the input
     * (n×inputSize, given); acts[i+1] is layer i's output, so acts[L] holds the logits (n×classes) and
     * probs receives softmax(logits). Each dense layer and the activation after it run as one product and
     * one pass (bias and activation in place), so a dense layer's output before its activation,
     * acts[2l+1] for hidden layer l, is not written; the logits are.
     *
     * @param probs  n×classes output (may be acts[L]: the loss is read from the logits first)
     * @param acts   the input and one matrix per layer output, sized as {@link #activationWidths()} says
     * @param labels the classes of the rows, labels[offset..offset+n), each in [0, classes)
     * @param offset the index in {@code labels} of row 0's class
     * @return the sum over the n rows of the cross-entropy −log ŷ[label], taken from the logits
     * @throws IllegalArgumentException if a shape does not match or a label is out of range
     * @throws IllegalStateException    if the model is closed
     */
    public double forward(Matrix probs, Matrix[] acts, int[] labels, int offset) {
        checkOpen();
        if (labels == null) {
            throw new IllegalArgumentException("forward: labels are null");
        }
        forwardLayers(acts);
        return head.forward(probs, acts[acts.length - 1], dense.getLast().bias(), labels, offset);
    }

    /**
     * The forward pass without labels, for prediction: the layers, then the head's softmax. The
     * probabilities are exactly those of {@link #forward(Matrix, Matrix[], int[], int)}.
     *
     * @param probs n×classes output (may be acts[L])
     * @param acts  as for {@link #forward(Matrix, Matrix[], int[], int)}
     * @throws IllegalArgumentException if a shape does not match
     * @throws IllegalStateException    if the model is closed
     */
    public void forward(Matrix probs, Matrix[] acts) {
        checkOpen();
        forwardLayers(acts);
        head.forward(probs, acts[acts.length - 1], dense.getLast().bias(), null, 0);
    }

    /**
     * Every dense layer's product, each followed by one pass that adds its bias and applies its activation
     * in place (Dense l writes X·W straight into acts[2l+2], the activation's output, so acts[2l+1] is not
     * written). The last layer's product goes to acts[L] without its bias: the head adds it in its own pass.
     */
    private void forwardLayers(Matrix[] acts) {
        if (acts.length != layers.size() + 1) {
            throw new IllegalArgumentException("forward: " + acts.length + " activation matrices, expected " + (layers.size() + 1));
        }
        int last = dense.size() - 1;
        for (int l = 0; l < last; l++) {
            Matrix out = acts[2 * l + 2];
            dense.get(l).product(out, acts[2 * l]);
            activation(l).forwardWithBias(out, dense.get(l).bias());
        }
        dense.get(last).product(acts[2 * last + 1], acts[2 * last]);
    }

    /** The activation after dense layer l (not the last one). */
    private ElementwiseLayer activation(int l) {
        return (ElementwiseLayer) layers.get(2 * l + 1);
    }

    /**
     * The backward pass of the batch of the last {@link #forward(Matrix, Matrix[], int[], int)}: the head
     * writes dActs[L] = ∂(mean loss)/∂logits = (probs − onehot(labels)) / n, then every layer in reverse
     * writes dActs[i] = ∂L/∂acts[i] (dActs[0], the input's gradient, is never computed) and its parameter
     * gradients into {@link #gradients()}.
     *
     * @param dActs  one n×width matrix per layer output, like acts (dActs[0] is not used)
     * @param acts   the activations of that forward pass
     * @param probs  n×classes, the probabilities of that forward pass (may be acts[L]; may be dActs[L])
     * @param labels the classes of the rows, as given to the forward pass
     * @param offset the index in {@code labels} of row 0's class
     * @throws IllegalArgumentException if a shape does not match or a label is out of range
     * @throws IllegalStateException    if the model is closed
     */
    public void backward(Matrix[] dActs, Matrix[] acts, Matrix probs, int[] labels, int offset) {
        checkOpen();
        if (dActs.length != layers.size() + 1 || acts.length != layers.size() + 1) {
            throw new IllegalArgumentException("backward: " + dActs.length + " gradient and " + acts.length
                    + " activation matrices, expected " + (layers.size() + 1) + " each");
        }
        int last = dense.size() - 1;
        Matrix dz = dActs[2 * last + 1];
        // The head's gradient and the last bias gradient in one pass; then per layer, from the last: its
        // products, and one pass for the activation's gradient and the bias gradient of the layer before it.
        head.backward(dz, probs, labels, offset, dense.get(last).biasGradient());
        for (int l = last; l >= 0; l--) {
            // The input's gradient (l == 0) is never needed: skipping it saves dOut·Wᵀ of the first layer,
            // n·inputSize·units multiply-adds (as many as its dW).
            Matrix dIn = l == 0 ? null : dActs[2 * l];
            dense.get(l).products(dIn, dz, acts[2 * l]);
            if (l > 0) {
                Matrix dzBefore = dActs[2 * l - 1];
                activation(l - 1).backwardWithColumnSums(dzBefore, dIn, acts[2 * l], dense.get(l - 1).biasGradient());
                dz = dzBefore;
            }
        }
    }

    /** {@return the widths of acts[0..L] (see {@link #forward})} */
    public int[] activationWidths() {
        int[] w = new int[layers.size() + 1];
        w[0] = inputSize;
        for (int i = 0; i < layers.size(); i++) {
            w[i + 1] = layers.get(i).outputSize();
        }
        return w;
    }

    /**
     * Class probabilities for each row of x (n×inputSize), as a new n×classes matrix that the caller owns.
     * Safe to call from several threads at once on a model that is not being trained.
     *
     * @param x the inputs, one example per row (pixels scaled to [0, 1] for image models)
     * @return the softmax probabilities, one row per example; close it when done
     * @throws IllegalArgumentException if x does not have {@link #inputSize()} columns
     * @throws IllegalStateException    if the model or x is closed
     */
    public Matrix predict(Matrix x) {
        checkOpen();
        if (x.cols() != inputSize) {
            throw new IllegalArgumentException("predict: input is " + x.shape() + " but the model takes " + inputSize + " features");
        }
        Matrix out = Matrix.allocate(x.rows(), outputSize());
        if (x.rows() == 0) {
            return out;
        }
        try (Arena scratch = Arena.ofConfined()) {
            int[] widths = activationWidths();
            Matrix[] acts = new Matrix[widths.length];
            acts[0] = x;
            for (int i = 1; i < widths.length; i++) {
                acts[i] = Matrix.allocate(scratch, x.rows(), widths[i]);
            }
            forward(out, acts);
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
        return out;
    }

    /**
     * Class probabilities of one example. Safe to call from several threads at once on a model that is
     * not being trained.
     *
     * @param x the example's {@link #inputSize()} features (for MNIST, 784 pixels scaled to [0, 1], as
     *          {@code IdxImages.imageAsDoubles} returns them)
     * @return {@link #outputSize()} probabilities that sum to 1
     * @throws IllegalArgumentException if x does not have {@link #inputSize()} values
     * @throws IllegalStateException    if the model is closed
     */
    public double[] predict(double[] x) {
        try (Matrix in = Matrix.allocate(1, x.length).copyFrom(x); Matrix p = predict(in)) {
            return p.toArray();
        }
    }

    /**
     * The most probable class of one example: the index of the largest of {@link #predict(double[])}'s
     * probabilities (the first one on a tie). Safe to call from several threads at once on a model that is
     * not being trained.
     *
     * @param x the example's {@link #inputSize()} features
     * @return a class in {@code 0 … outputSize()-1}
     * @throws IllegalArgumentException if x does not have {@link #inputSize()} values
     * @throws IllegalStateException    if the model is closed
     */
    public int predictClass(double[] x) {
        try (Matrix in = Matrix.allocate(1, x.length).copyFrom(x); Matrix p = predict(in)) {
            return head.predictedClass(p, 0);
        }
    }

    /** {@return a Keras-like table: layer, output shape, parameter count, and the total} */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-26s %-14s %12s%n";
        String rule = "─".repeat(54) + "\n";
        sb.append(String.format(Locale.ROOT, fmt, "Layer (type)", "Output Shape", "Param #"));
        sb.append(rule);
        int in = inputSize;
        for (int i = 0; i < specs.size(); i++) {
            LayerSpec s = specs.get(i);
            long p = (long) in * s.units() + s.units();
            String name = "dense" + (i == 0 ? "" : "_" + i) + " (Dense, " + s.activation().id() + ")";
            sb.append(String.format(Locale.ROOT, fmt, name, "(None, " + s.units() + ")", String.format(Locale.ROOT, "%,d", p)));
            in = s.units();
        }
        sb.append(rule);
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", parameterCount()));
        return sb.toString();
    }

    /**
     * Frees the parameters and gradients; any later use throws {@link IllegalStateException}. Closing
     * twice is harmless. Should not overlap with predictions on other threads; if it does, calls that
     * start afterwards throw, and the memory is freed once the native calls already running return
     * (waiting up to 10 s; then this throws {@link IllegalStateException}, the model stays unusable
     * but unfreed, and a later {@code close()} tries again).
     *
     * @throws IllegalStateException if native calls on the model's memory are still running after 10 s
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        // Refuse new work first, then free the memory once calls already under way have left it: a
        // shared arena refuses to close while a thread is inside a native call on its memory.
        closing = true;
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (true) {
            try {
                arena.close();
                closed = true;
                return;
            } catch (IllegalStateException busy) {
                if (System.nanoTime() > deadline) {
                    // Still in use: stay unusable for new calls but keep the memory (never free it under a
                    // running call); a later close() tries again.
                    throw busy;
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }
}
