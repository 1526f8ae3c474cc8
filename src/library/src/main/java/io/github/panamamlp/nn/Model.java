package io.github.panamamlp.nn;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.data.ArrayDataset;
import io.github.panamamlp.data.BatchSource;
import io.github.panamamlp.data.Standardization;
import io.github.panamamlp.internal.access.Access;
import io.github.panamamlp.internal.access.CheckedBatches;
import io.github.panamamlp.internal.access.ModelAccess;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A sequential network of dense layers, each followed by an activation; the last layer's activation is
 * softmax, which belongs to the model's output {@link #head()} together with the cross-entropy loss.
 * Built in one line:
 * {@snippet :
 * Model model = Model.builder(784).dense(50, Activation.SIGMOID).dense(10, Activation.SOFTMAX).seed(1).build();
 * }
 *
 * <p>What a trained model does: {@link #predict(double[][])} and {@link #predictClasses(double[][])} for
 * many rows at once (one matrix product per layer for a whole chunk of rows), {@link #predict(double[])}
 * and {@link #predictClass(double[])} for one; {@link #evaluate(BatchSource)} for the loss, accuracy and
 * confusion matrix on labelled data; {@link #save(Path)} to write it to a file and {@link #load(Path)} to
 * read it back (a numpy {@code .npz} file: see the {@link io.github.panamamlp.io} package). A model may
 * carry the {@linkplain Builder#standardize standardization} of its input and the
 * {@linkplain Builder#classNames names of its classes}: then it takes raw rows everywhere (training,
 * evaluation, prediction), and its file keeps both.
 *
 * <p>All parameters live in one flat off-heap block (W1, b1, W2, b2, … in order, each W row-major
 * inputs×outputs), and so do their gradients, so an optimizer updates the whole model in one pass. The
 * model owns that memory: {@link #close()} frees it and any later use throws.
 *
 * <p>One batch flows one way: the forward pass runs the layers and then the head (probabilities and summed
 * loss), the backward pass runs the head's gradient and then the layers in reverse. Training, evaluation and
 * {@link #predict(Matrix)} all take that path; the passes themselves are the library's own (a {@code Trainer}
 * drives them), not API. Outside the matrix
 * products, each layer costs one pass over its output: forward, the bias and the activation together
 * (the head: bias, softmax and loss together); backward, the activation's gradient together with the
 * bias gradient.
 *
 * <p>Thread safety: {@link #predict(Matrix)}, {@link #predict(double[])} and {@link #predictClass} only
 * read the parameters and use their own scratch memory, so one trained model may serve predictions from
 * several threads at once, and every thread gets exactly the result a single thread would (this is
 * tested, OpenBLAS with several threads of its own included). Everything that writes the parameters —
 * training through a {@code Trainer}, writing into a layer's weights, loading
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
    /** The element type of the parameters, gradients and every activation. */
    private final DType dtype;
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
    /** Rows per forward pass in {@link #predict(double[][])}: bounds the scratch memory. */
    private static final int PREDICT_CHUNK = 1024;

    /** Applied to raw input rows before the first layer, or null. */
    private final Standardization standardization;
    private final double[] mean;
    private final double[] std;
    /** The classes' names, or null when they are numbered. */
    private final List<String> classNames;
    /** The input columns' names, or empty. */
    private final List<String> featureNames;
    /** Set while a trainer trains this model: a second one at the same time is refused. */
    private final AtomicBoolean training = new AtomicBoolean();
    private final ModelAccess access = new Internals();

    static {
        Access.registerModels(m -> ((Model) m).access);
    }

    private Model(int inputSize, List<LayerSpec> specs, Blas blas, DType dtype, Standardization standardization,
                  List<String> classNames, List<String> featureNames) {
        validate(inputSize, specs);
        if (blas == null) {
            throw new IllegalArgumentException("blas must not be null: Blas.openBlas() or Blas.java()");
        }
        if (dtype == null) {
            throw new IllegalArgumentException("dtype must not be null: DType.FLOAT64 or DType.FLOAT32");
        }
        this.dtype = dtype;
        if (standardization != null && standardization.features() != inputSize) {
            throw new IllegalArgumentException("the standardization has " + standardization.features()
                    + " features but the model takes " + inputSize);
        }
        int classes = specs.getLast().units();
        this.classNames = classNames == null ? null : checkNames(classNames, classes, "class names", "classes");
        this.featureNames = featureNames == null ? List.of() : checkNames(featureNames, inputSize, "feature names", "inputs");
        this.standardization = standardization;
        this.mean = standardization == null ? null : standardization.mean();
        this.std = standardization == null ? null : standardization.std();
        this.inputSize = inputSize;
        this.specs = List.copyOf(specs);
        this.blas = blas;
        long count = countParameters(inputSize, specs);
        this.arena = Arena.ofShared();
        try {
            this.params = arena.allocate(count * dtype.bytes(), Matrix.ALIGNMENT);
            this.grads = arena.allocate(count * dtype.bytes(), Matrix.ALIGNMENT);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        long offset = 0;
        int in = inputSize;
        for (int i = 0; i < specs.size(); i++) {
            LayerSpec s = specs.get(i);
            long wBytes = (long) in * s.units() * dtype.bytes();
            long bBytes = (long) s.units() * dtype.bytes();
            Matrix w = Matrix.wrap(params.asSlice(offset, wBytes), in, s.units(), s.units(), dtype);
            Matrix dw = Matrix.wrap(grads.asSlice(offset, wBytes), in, s.units(), s.units(), dtype);
            Matrix b = Matrix.wrap(params.asSlice(offset + wBytes, bBytes), 1, s.units(), s.units(), dtype);
            Matrix db = Matrix.wrap(grads.asSlice(offset + wBytes, bBytes), 1, s.units(), s.units(), dtype);
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

    /** {@code names}, once there is one per {@code count} and none is null or repeated. */
    private static List<String> checkNames(List<String> names, int count, String what, String of) {
        if (names.size() != count) {
            throw new IllegalArgumentException(names.size() + " " + what + " for " + count + " " + of);
        }
        var seen = new HashSet<String>();
        for (String n : names) {
            if (n == null || !seen.add(n)) {
                throw new IllegalArgumentException(what + " must be distinct and not null: " + names);
            }
        }
        return List.copyOf(names);
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

    /**
     * The trainable parameters a model of these layers has (weights and biases), without building it: what
     * a caller can check against its memory before anything is allocated.
     *
     * @param inputSize features per example
     * @param specs     the dense layers in order
     * @return the count (39,760 for 784 → 50 → 10), whether or not a model that large can be built
     */
    public static long parameterCount(int inputSize, List<LayerSpec> specs) {
        long count = 0;
        int in = inputSize;
        for (LayerSpec s : specs) {
            count = Math.addExact(count, Math.addExact(Math.multiplyExact((long) in, s.units()), s.units()));
            in = s.units();
        }
        return count;
    }

    private static long countParameters(int inputSize, List<LayerSpec> specs) {
        long count = parameterCount(inputSize, specs);
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
        return zeros(inputSize, specs, blas, DType.FLOAT64);
    }

    /**
     * A model of {@code dtype} with the given layers and all parameters zero.
     *
     * @param inputSize features per example
     * @param specs     the dense layers in order; the last one's activation is softmax
     * @param blas      the GEMM implementation its dense layers use
     * @param dtype     the element type of its parameters and activations
     * @return the new model, which the caller closes
     * @throws IllegalArgumentException if the layers are not a valid network
     */
    public static Model zeros(int inputSize, List<LayerSpec> specs, Blas blas, DType dtype) {
        return new Model(inputSize, specs, blas, dtype, null, null, null);
    }

    /** A model with all parameters zero and the given metadata (for the model file). */
    static Model create(int inputSize, List<LayerSpec> specs, Blas blas, DType dtype, Standardization standardization,
                        List<String> classNames, List<String> featureNames) {
        return new Model(inputSize, specs, blas, dtype, standardization, classNames, featureNames);
    }

    /**
     * Reads a model saved by {@link #save(Path)} (or written by numpy in the same format), to run on
     * OpenBLAS. The model keeps the file's element type: the {@code dtype} a version-3 file records, else
     * float32 when every parameter array is stored as float32 (as numpy writes float32 arrays), else float64.
     * (Before version 3, float32 files were widened to float64 models; {@link #load(Path, DType)} still does.)
     *
     * @param file the {@code .npz} file
     * @return the model, which the caller closes
     * @throws io.github.panamamlp.io.ModelFormatException naming the file and what is wrong with it
     * @throws IOException                                 if the file cannot be read
     * @throws io.github.panamamlp.blas.OpenBlasUnavailableException if OpenBLAS cannot be loaded
     */
    public static Model load(Path file) throws IOException {
        return load(file, Blas.openBlas());
    }

    /**
     * Reads a model saved by {@link #save(Path)} (or written by numpy) as a model of {@code dtype}, to run on
     * OpenBLAS: a float64 file loaded as float32 has every parameter rounded to the nearest float; a float32
     * file loaded as float64 is widened exactly.
     *
     * @param file  the {@code .npz} file
     * @param dtype the element type of the loaded model
     * @return the model, which the caller closes
     * @throws io.github.panamamlp.io.ModelFormatException naming the file and what is wrong with it (also a
     *                                                     float64 value beyond float32's range)
     * @throws IOException                                 if the file cannot be read
     */
    public static Model load(Path file, DType dtype) throws IOException {
        if (dtype == null) {
            throw new IllegalArgumentException("dtype must not be null");
        }
        return load(file, Blas.openBlas(), dtype);
    }

    /**
     * Reads a model saved by {@link #save(Path)} (or written by numpy in the same format), to run on the
     * given GEMM implementation. The whole file is checked before the model is allocated: its description,
     * that the shapes chain, that every value is finite, and the zip checksums.
     *
     * @param file the {@code .npz} file
     * @param blas the GEMM implementation: {@link Blas#openBlas()} or {@link Blas#java()}
     * @return the model, which the caller closes
     * @throws io.github.panamamlp.io.ModelFormatException naming the file and what is wrong with it
     * @throws IOException                                 if the file cannot be read
     * @throws IllegalArgumentException                    if {@code file} or {@code blas} is null
     */
    public static Model load(Path file, Blas blas) throws IOException {
        return load(file, blas, null);
    }

    /**
     * As {@link #load(Path, Blas)}, converted to {@code dtype} (see {@link #load(Path, DType)}); null keeps
     * the file's type.
     *
     * @param file  the {@code .npz} file
     * @param blas  the GEMM implementation
     * @param dtype the element type of the loaded model, or null for the file's own
     * @return the model, which the caller closes
     * @throws io.github.panamamlp.io.ModelFormatException naming the file and what is wrong with it
     * @throws IOException                                 if the file cannot be read
     * @throws IllegalArgumentException                    if {@code file} or {@code blas} is null
     */
    public static Model load(Path file, Blas blas, DType dtype) throws IOException {
        if (file == null || blas == null) {
            throw new IllegalArgumentException((file == null ? "file" : "blas") + " must not be null");
        }
        return ModelFile.load(file, blas, dtype);
    }

    /**
     * Writes the model to {@code file} (a numpy {@code .npz} archive; see the {@link io.github.panamamlp.io}
     * package): its layers, parameters, standardization and class names. Written atomically: a temporary
     * file, then a rename, so a reader never sees half a file and a failure leaves no file behind. Must not
     * overlap with training the model.
     *
     * @param file the file to write (replaced if it exists)
     * @throws IllegalStateException if a parameter is NaN or infinite (a diverged model: its file could not
     *                               be loaded), or the model is closed; nothing is written
     * @throws IOException           if writing fails
     */
    public void save(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        checkOpen();
        ModelFile.save(this, file);
    }

    /** Builds a {@link Model}: layers, initialization, seed and GEMM implementation. */
    public static final class Builder {
        private final int inputSize;
        private final List<LayerSpec> specs = new ArrayList<>();
        private Init init = Init.glorotUniform();
        private long seed = 1;
        private Blas blas = Blas.openBlas();
        private DType dtype = DType.FLOAT64;
        private Standardization standardization;
        private List<String> classNames;
        private List<String> featureNames;

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
            if (blas == null) {
                throw new IllegalArgumentException("blas must not be null: Blas.openBlas() or Blas.java()");
            }
            this.blas = blas;
            return this;
        }

        /**
         * The element type of the parameters, gradients and activations (default {@link DType#FLOAT64}).
         * {@link DType#FLOAT32} halves the memory per value and runs the products through {@code sgemm}; the
         * weights are drawn as for float64 with the same seed, then rounded to float.
         *
         * @param dtype the element type
         * @return this builder
         * @throws IllegalArgumentException if {@code dtype} is null
         */
        public Builder dtype(DType dtype) {
            if (dtype == null) {
                throw new IllegalArgumentException("dtype must not be null: DType.FLOAT64 or DType.FLOAT32");
            }
            this.dtype = dtype;
            return this;
        }

        /**
         * Standardizes every input row with these statistics before the first layer: {@code (x − mean) / std}
         * per feature, in training, evaluation and prediction alike, so the model takes raw rows. Take them
         * from the training data: {@code split.train().standardization()}. Saved with the model.
         *
         * @param standardization the statistics, one per input feature
         * @return this builder
         * @throws IllegalArgumentException if {@code standardization} is null
         */
        public Builder standardize(Standardization standardization) {
            if (standardization == null) {
                throw new IllegalArgumentException("standardization must not be null");
            }
            this.standardization = standardization;
            return this;
        }

        /**
         * Names the classes (the last layer's outputs, in order), e.g. {@code train.classNames()} of an
         * {@link ArrayDataset} read from CSV. Saved with the model; {@link Model#classNames()} returns them.
         *
         * @param names one distinct name per class
         * @return this builder
         * @throws IllegalArgumentException if {@code names} is null
         */
        public Builder classNames(List<String> names) {
            if (names == null) {
                throw new IllegalArgumentException("class names must not be null");
            }
            this.classNames = List.copyOf(names);
            return this;
        }

        /**
         * Names the input features (in order), e.g. the CSV columns they came from. Saved with the model;
         * {@link Model#featureNames()} returns them.
         *
         * @param names one distinct name per input feature
         * @return this builder
         * @throws IllegalArgumentException if {@code names} is null
         */
        public Builder featureNames(List<String> names) {
            if (names == null) {
                throw new IllegalArgumentException("feature names must not be null");
            }
            this.featureNames = List.copyOf(names);
            return this;
        }

        /**
         * Allocates the model and draws its weights.
         *
         * @return the new model; it owns off-heap memory, so close it (try-with-resources)
         * @throws IllegalArgumentException if the layers are not a valid network (no layer, softmax not
         *                                  last, or too many parameters), or the standardization, class
         *                                  names or feature names do not fit it
         */
        public Model build() {
            Model m = new Model(inputSize, specs, blas, dtype, standardization, classNames, featureNames);
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

    /** {@return the dense layers, in order; their weights and biases are views into the model's one parameter block} */
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

    /** {@return the element type of the parameters, gradients and activations} */
    public DType dtype() {
        return dtype;
    }

    /** {@return the number of trainable parameters (39,760 for 784 → 50 → 10)} */
    public long parameterCount() {
        return params.byteSize() / dtype.bytes();
    }

    /**
     * All parameters as one flat block: W1, b1, W2, b2, … Writing into it is training: see the thread
     * safety note on the class. For the library's trainer (through {@code internal.access}), not users:
     * {@link #parameterArray()} is their copy.
     *
     * @return the model's own memory (not a copy), valid until {@link #close()}
     */
    MemorySegment parameters() {
        checkOpen();
        return params;
    }

    /** {@return all gradients from the last backward pass, laid out like {@link #parameters()}} */
    MemorySegment gradients() {
        checkOpen();
        return grads;
    }

    /** {@return a copy of every parameter: W1 (row-major, inputs × outputs), b1, W2, b2, … in order (float32 widened)} */
    public double[] parameterArray() {
        MemorySegment p = parameters();
        if (dtype == DType.FLOAT64) {
            return p.toArray(ValueLayout.JAVA_DOUBLE);
        }
        float[] f = p.toArray(ValueLayout.JAVA_FLOAT);
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
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
    double forward(Matrix probs, Matrix[] acts, int[] labels, int offset) {
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
    void forward(Matrix probs, Matrix[] acts) {
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
    void backward(Matrix[] dActs, Matrix[] acts, Matrix probs, int[] labels, int offset) {
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

    /**
     * {@return the widths of the activation matrices of a forward pass: the input, then each layer's output
     * (a dense layer's, then its activation's, …, the logits)}
     */
    public int[] activationWidths() {
        int[] w = new int[layers.size() + 1];
        w[0] = inputSize;
        for (int i = 0; i < layers.size(); i++) {
            w[i + 1] = layers.get(i).outputSize();
        }
        return w;
    }

    /**
     * Class probabilities for each row of x (n×inputSize), as a new n×classes matrix of the model's
     * {@linkplain #dtype() type} that the caller owns. The rows are raw: a model with a standardization
     * applies it (to a copy; x is not changed). x may be of either type: one that differs from the model's
     * is converted (to a copy). Safe to call from several threads at once on a model that is not being
     * trained.
     *
     * @param x the inputs, one example per row (pixels scaled to [0, 1] for image models)
     * @return the softmax probabilities, one row per example; close it when done
     * @throws IllegalArgumentException if x does not have {@link #inputSize()} columns, or a value is NaN or
     *                                  infinite (naming its row)
     * @throws IllegalStateException    if the model or x is closed
     */
    public Matrix predict(Matrix x) {
        checkOpen();
        if (x.cols() != inputSize) {
            throw new IllegalArgumentException("predict: input is " + x.shape() + " but the model takes " + inputSize + " features");
        }
        CheckedBatches.requireFinite(x, "predict: row");
        Matrix out = Matrix.allocate(x.rows(), outputSize(), dtype);
        if (x.rows() == 0) {
            return out;
        }
        try (Arena scratch = Arena.ofConfined()) {
            Matrix[] acts = scratchActs(scratch, x.rows());
            if (standardization != null) {
                acts[0] = Matrix.allocate(scratch, x.rows(), inputSize, dtype);
                CheckedBatches.standardize(acts[0], x, mean, std);
            } else if (x.dtype() != dtype) {
                acts[0] = Matrix.allocate(scratch, x.rows(), inputSize, dtype).copyFrom(x);
            } else {
                acts[0] = x;
            }
            forward(out, acts);
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
        return out;
    }

    /** Activation matrices for {@code rows} rows in {@code arena}; acts[0] is left for the input. */
    private Matrix[] scratchActs(Arena arena, int rows) {
        int[] widths = activationWidths();
        Matrix[] acts = new Matrix[widths.length];
        for (int i = 1; i < widths.length; i++) {
            acts[i] = Matrix.allocate(arena, rows, widths[i], dtype);
        }
        return acts;
    }

    /**
     * Class probabilities of one example. Safe to call from several threads at once on a model that is
     * not being trained.
     *
     * @param x the example's {@link #inputSize()} features, raw (for MNIST, 784 pixels scaled to [0, 1], as
     *          {@code IdxImages.imageAsDoubles} returns them)
     * @return {@link #outputSize()} probabilities that sum to 1
     * @throws IllegalArgumentException if x does not have {@link #inputSize()} values or one is NaN or infinite
     * @throws IllegalStateException    if the model is closed
     */
    public double[] predict(double[] x) {
        checkRow(x, -1);
        try (Matrix in = Matrix.allocate(1, x.length, dtype).copyFrom(x); Matrix p = predict(in)) {
            return p.toArray();
        }
    }

    /**
     * The most probable class of one example: the index of the largest of {@link #predict(double[])}'s
     * probabilities (the first one on a tie); {@link #classNames()} names it. Safe to call from several
     * threads at once on a model that is not being trained.
     *
     * @param x the example's {@link #inputSize()} features, raw
     * @return a class in {@code 0 … outputSize()-1}
     * @throws IllegalArgumentException if x does not have {@link #inputSize()} values or one is NaN or infinite
     * @throws IllegalStateException    if the model is closed
     */
    public int predictClass(double[] x) {
        checkRow(x, -1);
        try (Matrix in = Matrix.allocate(1, x.length, dtype).copyFrom(x); Matrix p = predict(in)) {
            return head.predictedClass(p, 0);
        }
    }

    /**
     * Class probabilities of many examples, computed a chunk of rows at a time with one matrix product per
     * layer (much faster than one {@link #predict(double[])} per row). Safe to call from several threads at
     * once on a model that is not being trained.
     *
     * @param rows the examples' raw features, {@link #inputSize()} each
     * @return one array of {@link #outputSize()} probabilities per row
     * @throws IllegalArgumentException if a row is null, does not have {@link #inputSize()} values, or holds
     *                                  a NaN or infinite value (naming the row's index)
     * @throws IllegalStateException    if the model is closed
     */
    public double[][] predict(double[][] rows) {
        double[][] out = new double[checkRows(rows)][];
        forEachChunk(rows, (probs, from) -> {
            for (int i = 0; i < probs.rows(); i++) {
                double[] p = new double[probs.cols()];
                for (int j = 0; j < p.length; j++) {
                    p[j] = probs.get(i, j);
                }
                out[from + i] = p;
            }
        });
        return out;
    }

    /**
     * The most probable class of each example, as {@link #predictClass(double[])} gives it, computed like
     * {@link #predict(double[][])}. {@code classNames().get(c)} names class {@code c}.
     *
     * @param rows the examples' raw features, {@link #inputSize()} each
     * @return one class per row, each in {@code 0 … outputSize()-1}
     * @throws IllegalArgumentException if a row is null, does not have {@link #inputSize()} values, or holds
     *                                  a NaN or infinite value (naming the row's index)
     * @throws IllegalStateException    if the model is closed
     */
    public int[] predictClasses(double[][] rows) {
        int[] out = new int[checkRows(rows)];
        forEachChunk(rows, (probs, from) -> {
            for (int i = 0; i < probs.rows(); i++) {
                out[from + i] = head.predictedClass(probs, i);
            }
        });
        return out;
    }

    /** What is done with the probabilities of the chunk of rows starting at {@code from}. */
    private interface ChunkResult {
        void accept(Matrix probs, int from);
    }

    private int checkRows(double[][] rows) {
        checkOpen();
        if (rows == null) {
            throw new IllegalArgumentException("rows must not be null");
        }
        for (int i = 0; i < rows.length; i++) {
            checkRow(rows[i], i);
        }
        return rows.length;
    }

    /** Checks one input row; {@code index} is its index among many, or -1 for a single row. */
    private void checkRow(double[] x, int index) {
        String which = index < 0 ? "the input" : "row " + index;
        if (x == null) {
            throw new IllegalArgumentException(which + " is null");
        }
        if (x.length != inputSize) {
            throw new IllegalArgumentException(which + " has " + x.length + " values but the model takes " + inputSize);
        }
        for (int j = 0; j < x.length; j++) {
            if (!Double.isFinite(x[j])) {
                throw new IllegalArgumentException(which + " has " + x[j] + " in feature " + j + ": every input value must be finite");
            }
        }
    }

    /** Runs the rows (checked) through the model, {@value #PREDICT_CHUNK} at a time, in scratch memory sized once. */
    private void forEachChunk(double[][] rows, ChunkResult result) {
        int n = rows.length;
        if (n == 0) {
            return;
        }
        int chunk = Math.min(n, PREDICT_CHUNK);
        try (Arena scratch = Arena.ofConfined()) {
            Matrix input = Matrix.allocate(scratch, chunk, inputSize, dtype);
            Matrix[] full = scratchActs(scratch, chunk);
            for (int from = 0; from < n; from += chunk) {
                int m = Math.min(chunk, n - from);
                Matrix x = m == chunk ? input : input.rowView(0, m);
                for (int i = 0; i < m; i++) {
                    x.setRow(i, rows[from + i], 0);
                }
                if (standardization != null) {
                    CheckedBatches.standardize(x, x, mean, std);
                }
                Matrix[] acts = new Matrix[full.length];
                acts[0] = x;
                for (int i = 1; i < full.length; i++) {
                    acts[i] = m == chunk ? full[i] : full[i].rowView(0, m);
                }
                Matrix probs = acts[acts.length - 1];
                forward(probs, acts);
                result.accept(probs, from);
            }
        }
    }

    /**
     * The model's loss, accuracy and confusion matrix on {@code data} under its current parameters (no
     * training), e.g. on {@code split.test()} or on a model just {@linkplain #load(Path) loaded}. Scratch
     * memory is allocated for the call and freed before it returns; an {@link Evaluator} keeps it instead.
     *
     * @param data labelled examples with {@link #inputSize()} raw features each, at least one
     * @return their mean loss, accuracy and confusion matrix
     * @throws IllegalArgumentException if the data is empty or does not fit the model (features, classes,
     *                                  or class names other than the model's), or an example has a label
     *                                  outside the classes or a non-finite value (naming its index)
     * @throws IllegalStateException    if the model is closed
     */
    public Evaluation evaluate(BatchSource data) {
        checkFits(data, "evaluation");
        try (Evaluator evaluator = new Evaluator(this, Math.min(1000, data.count()))) {
            return evaluator.evaluate(data);
        }
    }

    /**
     * Checks that {@code data} may be given to this model: not null, not empty, of the model's width and at
     * most its classes, and (for an {@link ArrayDataset} with named classes) classes named as the model's.
     *
     * @param data the examples
     * @param what what they are for, e.g. "training", for the messages
     * @throws IllegalArgumentException if they may not
     * @throws IllegalStateException    if the model is closed
     */
    void checkFits(BatchSource data, String what) {
        checkOpen();
        if (data == null) {
            throw new IllegalArgumentException("the " + what + " data must not be null");
        }
        if (data.count() == 0) {
            throw new IllegalArgumentException("the " + what + " data is empty: at least one example is needed");
        }
        if (data.features() != inputSize) {
            throw new IllegalArgumentException("the " + what + " data has " + data.features() + " features but the model takes " + inputSize);
        }
        if (data.classes() > outputSize()) {
            throw new IllegalArgumentException("the " + what + " data has " + data.classes() + " classes but the model predicts " + outputSize());
        }
        if (data instanceof ArrayDataset a && a.hasClassNames() && classNames != null
                && !classNames.subList(0, a.classes()).equals(a.classNames())) {
            throw new IllegalArgumentException("the " + what + " data's classes " + a.classNames() + " are not the model's "
                    + classNames + ": renumber them with data.withClassNames(model.classNames())");
        }
    }

    /**
     * The names of the classes, by class number: those given to {@link Builder#classNames} (or saved in the
     * model's file), else {@code "0"}, {@code "1"}, ….
     *
     * @return {@link #outputSize()} names (unmodifiable)
     */
    public List<String> classNames() {
        if (classNames != null) {
            return classNames;
        }
        List<String> numbers = new ArrayList<>(outputSize());
        for (int i = 0; i < outputSize(); i++) {
            numbers.add(Integer.toString(i));
        }
        return Collections.unmodifiableList(numbers);
    }

    /** {@return true if the classes were given names, false if they are numbered} */
    boolean hasClassNames() {
        return classNames != null;
    }

    /** {@return the input features' names given to {@link Builder#featureNames} (or saved in the file); empty if none} */
    public List<String> featureNames() {
        return featureNames;
    }

    /** {@return the standardization applied to raw input rows, if the model has one} */
    public Optional<Standardization> standardization() {
        return Optional.ofNullable(standardization);
    }

    /** {@return how many parameters are NaN or infinite (0 for a healthy model)} */
    long nonFiniteParameters() {
        MemorySegment p = parameters();
        long n = parameterCount();
        long bad = 0;
        for (long i = 0; i < n; i++) {
            if (!Double.isFinite(dtype.get(p, i))) {
                bad++;
            }
        }
        return bad;
    }

    /** What the trainer in {@code train} may do with this model (see {@link ModelAccess}). */
    private final class Internals implements ModelAccess {
        @Override
        public boolean tryBeginTraining() {
            return training.compareAndSet(false, true);
        }

        @Override
        public void endTraining() {
            training.set(false);
        }

        @Override
        public Standardization standardization() {
            return standardization;
        }

        @Override
        public void standardize(Matrix out, Matrix x) {
            CheckedBatches.standardize(out, x, mean, std);
        }

        @Override
        public double forward(Matrix probs, Matrix[] acts, int[] labels, int offset) {
            return Model.this.forward(probs, acts, labels, offset);
        }

        @Override
        public void backward(Matrix[] dActs, Matrix[] acts, Matrix probs, int[] labels, int offset) {
            Model.this.backward(dActs, acts, probs, labels, offset);
        }

        @Override
        public MemorySegment parameters() {
            return Model.this.parameters();
        }

        @Override
        public MemorySegment gradients() {
            return Model.this.gradients();
        }

        @Override
        public void checkFits(BatchSource data, String what) {
            Model.this.checkFits(data, what);
        }

        @Override
        public long nonFiniteParameters() {
            return Model.this.nonFiniteParameters();
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
        long count = parameterCount();
        sb.append(String.format(Locale.ROOT, "Total params: %,d (%s, %s)%n", count, dtype,
                sizeInWords(count * dtype.bytes())));
        return sb.toString();
    }

    /** "155.3 KB", "1.2 MB": a byte count as Keras's summary writes it (1 KB = 1024 bytes). */
    private static String sizeInWords(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double kb = bytes / 1024.0;
        return kb < 1024 ? String.format(Locale.ROOT, "%.2f KB", kb) : String.format(Locale.ROOT, "%.2f MB", kb / 1024);
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
