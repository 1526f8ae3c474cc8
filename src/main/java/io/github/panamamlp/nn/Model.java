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
 * softmax, trained with cross-entropy. Built in one line:
 * {@snippet :
 * Model model = Model.builder(784).dense(50, Activation.SIGMOID).dense(10, Activation.SOFTMAX).seed(1).build();
 * }
 *
 * <p>All parameters live in one flat off-heap block (W1, b1, W2, b2, … in order, each W row-major
 * inputs×outputs), and so do their gradients, so an optimizer updates the whole model in one pass. The
 * model owns that memory: {@link #close()} frees it and any later use throws.
 *
 * <p>Thread safety: {@link #predict} only reads the parameters and uses its own scratch memory, so one
 * trained model may serve predictions from several threads at once. Training (through a
 * {@code Trainer}) writes the parameters and must not overlap with anything else on the same model.
 */
public final class Model implements AutoCloseable {

    /** One dense layer: its output size and the activation after it. */
    public record LayerSpec(int units, Activation activation) {
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
    /** Dense, activation, Dense, activation, …, Dense: the last activation (softmax) is the loss head's. */
    private final List<Layer> layers = new ArrayList<>();
    private final List<Layer> layersView = Collections.unmodifiableList(layers);
    private final List<Dense> denseView = Collections.unmodifiableList(dense);
    private volatile boolean closed;

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

    /** Starts a model whose input rows have {@code inputSize} features. */
    public static Builder builder(int inputSize) {
        return new Builder(inputSize);
    }

    /**
     * A model with the given layers and all parameters zero (for loading saved parameters into).
     *
     * @param blas the GEMM implementation its dense layers use
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

        /** Appends a dense layer of {@code units} outputs followed by {@code activation}. */
        public Builder dense(int units, Activation activation) {
            specs.add(new LayerSpec(units, activation));
            return this;
        }

        /** Appends the given layers. */
        public Builder layers(List<LayerSpec> layers) {
            specs.addAll(layers);
            return this;
        }

        /** Weight initialization (default Glorot-uniform, as Keras); biases start at zero. */
        public Builder init(Init init) {
            this.init = init;
            return this;
        }

        /** The seed of the weight initialization (default 1). The same seed gives bit-identical weights. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The GEMM implementation (default OpenBLAS). */
        public Builder blas(Blas blas) {
            this.blas = blas;
            return this;
        }

        public Model build() {
            Model m = new Model(inputSize, specs, blas);
            Random rnd = new Random(seed);
            for (Dense d : m.dense) {
                init.fill(d.weights(), rnd);
            }
            return m;
        }
    }

    public int inputSize() {
        return inputSize;
    }

    /** The number of classes (outputs of the last layer). */
    public int outputSize() {
        return specs.getLast().units();
    }

    /** The dense layers' specifications, in order. */
    public List<LayerSpec> layerSpecs() {
        return specs;
    }

    /** The dense layers, in order; their weights and biases are views into {@link #parameters()}. */
    public List<Dense> denseLayers() {
        checkOpen();
        return denseView;
    }

    /** Every layer in execution order (dense layers and activations, without the softmax head). */
    public List<Layer> layers() {
        checkOpen();
        return layersView;
    }

    public Blas blas() {
        return blas;
    }

    /** The number of trainable parameters (39,760 for 784 → 50 → 10). */
    public long parameterCount() {
        return params.byteSize() / Double.BYTES;
    }

    /** All parameters as one flat block: W1, b1, W2, b2, … */
    public MemorySegment parameters() {
        checkOpen();
        return params;
    }

    /** All gradients from the last backward pass, laid out like {@link #parameters()}. */
    public MemorySegment gradients() {
        checkOpen();
        return grads;
    }

    /** A copy of every parameter, in the order of {@link #parameters()}. */
    public double[] parameterArray() {
        return parameters().toArray(java.lang.foreign.ValueLayout.JAVA_DOUBLE);
    }

    public boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    /**
     * Runs the layers: acts[0] is the input (n×inputSize), acts[i+1] receives layer i's output; the last
     * one holds the logits (n×classes).
     */
    public void forward(Matrix[] acts) {
        checkOpen();
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).forward(acts[i + 1], acts[i]);
        }
    }

    /**
     * Backward through every layer from dActs[L] = ∂L/∂logits; dActs[i] receives ∂L/∂acts[i] (dActs[0],
     * the input's gradient, is never computed), and the parameter gradients are written to
     * {@link #gradients()}.
     */
    public void backward(Matrix[] dActs, Matrix[] acts) {
        checkOpen();
        for (int i = layers.size() - 1; i >= 0; i--) {
            // The input's gradient (i == 0) is never needed: skipping it saves the largest GEMM of backward.
            layers.get(i).backward(i == 0 ? null : dActs[i], dActs[i + 1], acts[i], acts[i + 1]);
        }
    }

    /** Sizes of acts[0..L] (see {@link #forward}). */
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
            forward(acts);
            io.github.panamamlp.tensor.Ops.softmaxRows(out, acts[acts.length - 1]);
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
        return out;
    }

    /** Class probabilities of one input row. */
    public double[] predict(double[] x) {
        try (Matrix in = Matrix.allocate(1, x.length).copyFrom(x); Matrix p = predict(in)) {
            return p.toArray();
        }
    }

    /** A Keras-like table: layer, output shape, parameter count, and the total. */
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

    /** Frees the parameters and gradients; any later use throws. Closing twice is harmless. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}
