package io.github.panamamlp.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The whole multilayer perceptron written as plainly as the tutorial's numpy, on {@code double[][]}: the independent
 * answer the fast off-heap network is checked against. It uses nothing but {@code java.*} and its own loops, and
 * shares no code with {@code Matrix}, {@code Blas} or the {@code nn} package.
 *
 * <h2>Conventions</h2>
 * A batch is a {@code double[N][features]}: one example per row. Layer {@code l} holds a weight matrix
 * {@code W_l} of shape {@code inputs × outputs} and a bias vector {@code b_l} of length {@code outputs}, so
 * {@code z_l = a_{l-1}·W_l + b_l}. Every layer but the last applies its named activation ({@value #SIGMOID} or
 * {@value #RELU}) to {@code z_l}; the last layer's {@code z} are the logits, turned into class probabilities by a
 * row-wise softmax and scored by the mean cross-entropy against integer labels.
 *
 * <h2>Operations</h2>
 * Each operation is a public static method, forward and backward in pairs in the style of llm.c, so the fast path
 * can be checked op by op as well as end to end. Every operation returns a new array and never modifies its
 * arguments. Arguments are validated (non-empty, rectangular, matching shapes, labels in range) and bad ones end in
 * an {@link IllegalArgumentException} or {@link NullPointerException} saying what is wrong.
 *
 * <h2>Training</h2>
 * {@link #sgdStep}, {@link #momentumStep} and {@link #adamStep} update the parameters in place with Keras's
 * update rules and return the batch's loss before the update. Momentum velocities and Adam moments are kept per
 * parameter and created (as zeros) by the first step that needs them; each optimizer has its own state.
 * Instances are not thread-safe.
 */
public final class ReferenceMlp {
    /** Name of the logistic activation {@code 1/(1+e^{-x})} for hidden layers. */
    public static final String SIGMOID = "sigmoid";
    /** Name of the rectifier {@code max(0, x)} for hidden layers. */
    public static final String RELU = "relu";

    /** Keras's default Adam learning rate. */
    public static final double ADAM_LEARNING_RATE = 1e-3;
    /** Keras's default Adam first-moment decay. */
    public static final double ADAM_BETA1 = 0.9;
    /** Keras's default Adam second-moment decay. */
    public static final double ADAM_BETA2 = 0.999;
    /** Keras's default Adam epsilon (added to {@code sqrt(v)}, not bias-corrected). */
    public static final double ADAM_EPSILON = 1e-7;

    private final double[][][] weights;
    private final double[][] biases;
    /** One per hidden layer: {@code activations[l]} follows layer {@code l}. */
    private final String[] activations;

    private double[][][] velocityW;
    private double[][] velocityB;

    private double[][][] adamMW;
    private double[][][] adamVW;
    private double[][] adamMB;
    private double[][] adamVB;
    private long adamSteps;

    /**
     * Gradients of an affine layer {@code y = x·W + b}.
     *
     * @param dx gradient with respect to the input, {@code N × inputs}
     * @param dW gradient with respect to the weights, {@code inputs × outputs}
     * @param db gradient with respect to the bias, {@code outputs}
     */
    public record AffineGradients(double[][] dx, double[][] dW, double[] db) {
    }

    /**
     * Gradients of the mean cross-entropy loss with respect to every parameter, and the loss itself.
     *
     * @param dW   one {@code inputs × outputs} array per layer, first layer first (unmodifiable list)
     * @param db   one {@code outputs} array per layer (unmodifiable list)
     * @param loss the mean cross-entropy of the batch at the parameters the gradients were taken at
     */
    public record Gradients(List<double[][]> dW, List<double[]> db, double loss) {
        /** Copies the lists (not the arrays, which belong to the new record) into unmodifiable ones. */
        public Gradients {
            dW = List.copyOf(dW);
            db = List.copyOf(db);
        }
    }

    /**
     * Creates a network from deep copies of the given parameters.
     *
     * @param weights           per layer, first layer first, {@code W_l} shaped {@code inputs × outputs}; each
     *                          layer's inputs equal the previous layer's outputs
     * @param biases            per layer, {@code b_l} of length {@code outputs_l}
     * @param hiddenActivations one name per hidden layer ({@code weights.size() - 1} of them), each
     *                          {@value #SIGMOID} or {@value #RELU}; the last layer is always softmax
     * @throws IllegalArgumentException if the counts, shapes or names do not fit together
     */
    public ReferenceMlp(List<double[][]> weights, List<double[]> biases, List<String> hiddenActivations) {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(biases, "biases");
        Objects.requireNonNull(hiddenActivations, "hiddenActivations");
        int layers = weights.size();
        if (layers == 0) {
            throw new IllegalArgumentException("a network needs at least one layer; no weights were given");
        }
        if (biases.size() != layers) {
            throw new IllegalArgumentException(layers + " weight matrices but " + biases.size() + " bias vectors");
        }
        if (hiddenActivations.size() != layers - 1) {
            throw new IllegalArgumentException(layers + " layers need " + (layers - 1)
                    + " hidden activations (the last layer is softmax) but " + hiddenActivations.size()
                    + " were given");
        }
        this.weights = new double[layers][][];
        this.biases = new double[layers][];
        this.activations = new String[layers - 1];
        for (int l = 0; l < layers; l++) {
            double[][] w = weights.get(l);
            int outputs = columns("weights[" + l + "]", w);
            if (l > 0 && w.length != this.weights[l - 1][0].length) {
                throw new IllegalArgumentException("weights[" + l + "] has " + w.length + " rows but layer "
                        + (l - 1) + " has " + this.weights[l - 1][0].length + " outputs");
            }
            double[] b = Objects.requireNonNull(biases.get(l), "biases[" + l + "]");
            if (b.length != outputs) {
                throw new IllegalArgumentException("biases[" + l + "] has length " + b.length + " but weights["
                        + l + "] has " + outputs + " columns");
            }
            this.weights[l] = copy(w);
            this.biases[l] = b.clone();
        }
        for (int l = 0; l < layers - 1; l++) {
            String name = hiddenActivations.get(l);
            if (!SIGMOID.equals(name) && !RELU.equals(name)) {
                throw new IllegalArgumentException("hidden activation " + l + " is '" + name + "'; expected '"
                        + SIGMOID + "' or '" + RELU + "'");
            }
            this.activations[l] = name;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Accessors

    /** {@return the number of layers (weight matrices), hidden and output} */
    public int layerCount() {
        return weights.length;
    }

    /** {@return the number of input features: the first weight matrix's row count} */
    public int inputSize() {
        return weights[0].length;
    }

    /** {@return the number of classes: the last weight matrix's column count} */
    public int classCount() {
        return weights[weights.length - 1][0].length;
    }

    /** {@return deep copies of the weight matrices, first layer first} */
    public List<double[][]> weights() {
        List<double[][]> out = new ArrayList<>(weights.length);
        for (double[][] w : weights) {
            out.add(copy(w));
        }
        return out;
    }

    /** {@return copies of the bias vectors, first layer first} */
    public List<double[]> biases() {
        List<double[]> out = new ArrayList<>(biases.length);
        for (double[] b : biases) {
            out.add(b.clone());
        }
        return out;
    }

    /** {@return the hidden layers' activation names, first hidden layer first} */
    public List<String> hiddenActivations() {
        return List.of(activations);
    }

    /** {@return how many {@link #adamStep} calls have been made: Adam's {@code t}} */
    public long adamStepCount() {
        return adamSteps;
    }

    // ------------------------------------------------------------------------------------------------------------
    // The network

    /**
     * The last layer's pre-softmax outputs.
     *
     * @param x {@code N × inputSize()}
     * @return {@code N × classCount()}
     */
    public double[][] logits(double[][] x) {
        return forwardPass(x).logits();
    }

    /**
     * Class probabilities: {@code softmax(logits(x))}.
     *
     * @param x {@code N × inputSize()}
     * @return {@code N × classCount()}, each row summing to 1
     */
    public double[][] forward(double[][] x) {
        return softmax(logits(x));
    }

    /**
     * The mean cross-entropy of the batch, computed from the logits by {@link #crossEntropyFromLogits} (exact and
     * always finite for finite logits).
     *
     * @param x      {@code N × inputSize()}
     * @param labels {@code N} class indices in {@code [0, classCount())}
     * @return the mean loss
     */
    public double loss(double[][] x, int[] labels) {
        return crossEntropyFromLogits(logits(x), labels);
    }

    /**
     * Backpropagation: the gradient of {@link #loss} with respect to every weight and bias, and the loss.
     *
     * @param x      {@code N × inputSize()}
     * @param labels {@code N} class indices in {@code [0, classCount())}
     * @return {@code dW} and {@code db} per layer, shaped as the parameters, and the loss
     */
    public Gradients gradients(double[][] x, int[] labels) {
        ForwardPass pass = forwardPass(x);
        int last = weights.length - 1;
        double loss = crossEntropyFromLogits(pass.logits(), labels);
        double[][] dz = softmaxCrossEntropyBackward(softmax(pass.logits()), labels);
        double[][][] dW = new double[weights.length][][];
        double[][] db = new double[weights.length][];
        for (int l = last; l >= 0; l--) {
            double[][] input = pass.inputs[l];
            dW[l] = transposeTimes(input, dz);
            db[l] = columnSums(dz);
            if (l > 0) {
                // The first layer's input gradient is not needed, so it is not computed.
                double[][] da = timesTranspose(dz, weights[l]);
                dz = SIGMOID.equals(activations[l - 1])
                        ? sigmoidBackward(da, input)
                        : reluBackward(da, pass.preActivations[l - 1]);
            }
        }
        return new Gradients(List.of(dW), List.of(db), loss);
    }

    /**
     * One step of plain gradient descent: {@code p = p − lr·g} for every parameter.
     *
     * @param x            {@code N × inputSize()}
     * @param labels       {@code N} class indices
     * @param learningRate finite and {@code >= 0}
     * @return the batch's loss before the update
     */
    public double sgdStep(double[][] x, int[] labels, double learningRate) {
        requireRate(learningRate);
        Gradients g = gradients(x, labels);
        for (int l = 0; l < weights.length; l++) {
            double[][] w = weights[l];
            double[][] gw = g.dW().get(l);
            for (int i = 0; i < w.length; i++) {
                for (int j = 0; j < w[i].length; j++) {
                    w[i][j] -= learningRate * gw[i][j];
                }
            }
            double[] b = biases[l];
            double[] gb = g.db().get(l);
            for (int j = 0; j < b.length; j++) {
                b[j] -= learningRate * gb[j];
            }
        }
        return g.loss();
    }

    /**
     * One step of Keras's SGD with momentum: {@code v = μ·v − lr·g; p = p + v}, with {@code v} starting at zero
     * for every parameter and kept between calls.
     *
     * @param x            {@code N × inputSize()}
     * @param labels       {@code N} class indices
     * @param learningRate finite and {@code >= 0}
     * @param momentum     {@code μ} in {@code [0, 1)}
     * @return the batch's loss before the update
     */
    public double momentumStep(double[][] x, int[] labels, double learningRate, double momentum) {
        requireRate(learningRate);
        requireUnitInterval("momentum", momentum);
        Gradients g = gradients(x, labels);
        if (velocityW == null) {
            velocityW = zerosLike(weights);
            velocityB = zerosLike(biases);
        }
        for (int l = 0; l < weights.length; l++) {
            double[][] w = weights[l];
            double[][] vw = velocityW[l];
            double[][] gw = g.dW().get(l);
            for (int i = 0; i < w.length; i++) {
                for (int j = 0; j < w[i].length; j++) {
                    vw[i][j] = momentum * vw[i][j] - learningRate * gw[i][j];
                    w[i][j] += vw[i][j];
                }
            }
            double[] b = biases[l];
            double[] vb = velocityB[l];
            double[] gb = g.db().get(l);
            for (int j = 0; j < b.length; j++) {
                vb[j] = momentum * vb[j] - learningRate * gb[j];
                b[j] += vb[j];
            }
        }
        return g.loss();
    }

    /**
     * One step of Adam with Keras's bias correction, for every parameter {@code p} with gradient {@code g}:
     * <pre>
     * t    = t + 1
     * m    = β1·m + (1−β1)·g
     * v    = β2·v + (1−β2)·g·g
     * lr_t = lr·sqrt(1 − β2^t) / (1 − β1^t)
     * p    = p − lr_t·m / (sqrt(v) + ε)
     * </pre>
     * {@code m} and {@code v} start at zero; {@code ε} is not bias-corrected. Keras's defaults are
     * {@link #ADAM_LEARNING_RATE}, {@link #ADAM_BETA1}, {@link #ADAM_BETA2} and {@link #ADAM_EPSILON}.
     *
     * @param x            {@code N × inputSize()}
     * @param labels       {@code N} class indices
     * @param learningRate finite and {@code >= 0}
     * @param beta1        in {@code [0, 1)}
     * @param beta2        in {@code [0, 1)}
     * @param epsilon      finite and {@code > 0} (so a zero gradient never divides 0 by 0)
     * @return the batch's loss before the update
     */
    public double adamStep(double[][] x, int[] labels, double learningRate, double beta1, double beta2,
                           double epsilon) {
        requireRate(learningRate);
        requireUnitInterval("beta1", beta1);
        requireUnitInterval("beta2", beta2);
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
        }
        Gradients g = gradients(x, labels);
        if (adamMW == null) {
            adamMW = zerosLike(weights);
            adamVW = zerosLike(weights);
            adamMB = zerosLike(biases);
            adamVB = zerosLike(biases);
        }
        adamSteps++;
        double lrT = learningRate * Math.sqrt(1 - Math.pow(beta2, adamSteps)) / (1 - Math.pow(beta1, adamSteps));
        for (int l = 0; l < weights.length; l++) {
            double[][] w = weights[l];
            double[][] gw = g.dW().get(l);
            for (int i = 0; i < w.length; i++) {
                adamUpdate(w[i], gw[i], adamMW[l][i], adamVW[l][i], lrT, beta1, beta2, epsilon);
            }
            adamUpdate(biases[l], g.db().get(l), adamMB[l], adamVB[l], lrT, beta1, beta2, epsilon);
        }
        return g.loss();
    }

    private static void adamUpdate(double[] p, double[] g, double[] m, double[] v, double lrT, double beta1,
                                   double beta2, double epsilon) {
        for (int j = 0; j < p.length; j++) {
            m[j] = beta1 * m[j] + (1 - beta1) * g[j];
            v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j];
            p[j] -= lrT * m[j] / (Math.sqrt(v[j]) + epsilon);
        }
    }

    /** Every layer's input and pre-activation from one forward pass; the last pre-activation is the logits. */
    private record ForwardPass(double[][][] inputs, double[][][] preActivations) {
        double[][] logits() {
            return preActivations[preActivations.length - 1];
        }
    }

    private ForwardPass forwardPass(double[][] x) {
        int features = columns("x", x);
        if (features != inputSize()) {
            throw new IllegalArgumentException("x has " + features + " columns but the network expects "
                    + inputSize() + " inputs");
        }
        double[][][] inputs = new double[weights.length][][];
        double[][][] pre = new double[weights.length][][];
        double[][] a = x;
        for (int l = 0; l < weights.length; l++) {
            inputs[l] = a;
            pre[l] = affineForward(a, weights[l], biases[l]);
            if (l < weights.length - 1) {
                a = SIGMOID.equals(activations[l]) ? sigmoid(pre[l]) : relu(pre[l]);
            }
        }
        return new ForwardPass(inputs, pre);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Operations

    /**
     * Affine layer forward: {@code y = x·W + b} (the bias added to every row).
     *
     * @param x {@code N × inputs}
     * @param w {@code inputs × outputs}
     * @param b {@code outputs}
     * @return {@code N × outputs}
     */
    public static double[][] affineForward(double[][] x, double[][] w, double[] b) {
        int inputs = columns("x", x);
        int outputs = columns("w", w);
        requireSameLength("x columns", inputs, "w rows", w.length);
        Objects.requireNonNull(b, "b");
        requireSameLength("b length", b.length, "w columns", outputs);
        double[][] y = times(x, w);
        for (double[] row : y) {
            for (int j = 0; j < outputs; j++) {
                row[j] += b[j];
            }
        }
        return y;
    }

    /**
     * Affine layer backward, for {@code y = x·W + b}: {@code dx = dy·Wᵀ}, {@code dW = xᵀ·dy},
     * {@code db = column sums of dy}.
     *
     * @param dy gradient of the output, {@code N × outputs}
     * @param x  the forward input, {@code N × inputs}
     * @param w  {@code inputs × outputs}
     * @return {@code dx} ({@code N × inputs}), {@code dW} ({@code inputs × outputs}), {@code db} ({@code outputs})
     */
    public static AffineGradients affineBackward(double[][] dy, double[][] x, double[][] w) {
        int outputs = columns("dy", dy);
        int inputs = columns("x", x);
        requireSameLength("dy rows", dy.length, "x rows", x.length);
        requireSameLength("w columns", columns("w", w), "dy columns", outputs);
        requireSameLength("w rows", w.length, "x columns", inputs);
        return new AffineGradients(timesTranspose(dy, w), transposeTimes(x, dy), columnSums(dy));
    }

    /**
     * Element-wise logistic function {@code 1 / (1 + exp(−x))}. Accurate for every finite {@code x}: where
     * {@code exp(−x)} overflows ({@code x < −709.78}) it gives the limit 0.
     *
     * @param x any shape (rectangular)
     * @return same shape as {@code x}, values in {@code [0, 1]}
     */
    public static double[][] sigmoid(double[][] x) {
        int cols = columns("x", x);
        double[][] y = new double[x.length][cols];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < cols; j++) {
                y[i][j] = 1 / (1 + Math.exp(-x[i][j]));
            }
        }
        return y;
    }

    /**
     * Sigmoid backward from its output {@code y = sigmoid(x)}: {@code dx = dy·y·(1 − y)}, evaluated as
     * {@code (dy·y)·(1 − y)}.
     *
     * @param dy gradient of the output
     * @param y  the forward output, same shape as {@code dy}
     * @return {@code dx}, same shape
     */
    public static double[][] sigmoidBackward(double[][] dy, double[][] y) {
        int cols = requireSameShape("dy", dy, "y", y);
        double[][] dx = new double[dy.length][cols];
        for (int i = 0; i < dy.length; i++) {
            for (int j = 0; j < cols; j++) {
                double s = y[i][j];
                dx[i][j] = dy[i][j] * s * (1 - s);
            }
        }
        return dx;
    }

    /**
     * Element-wise rectifier {@code max(0, x)} (0 for {@code x ≤ 0}, NaN passed through).
     *
     * @param x any shape (rectangular)
     * @return same shape as {@code x}
     */
    public static double[][] relu(double[][] x) {
        int cols = columns("x", x);
        double[][] y = new double[x.length][cols];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < cols; j++) {
                double v = x[i][j];
                y[i][j] = v > 0 ? v : (Double.isNaN(v) ? v : 0.0);
            }
        }
        return y;
    }

    /**
     * Rectifier backward from its input {@code x}: {@code dx = dy} where {@code x > 0} and {@code 0} elsewhere
     * (the gradient at {@code x = 0} is taken to be 0).
     *
     * @param dy gradient of the output
     * @param x  the forward input, same shape as {@code dy}
     * @return {@code dx}, same shape
     */
    public static double[][] reluBackward(double[][] dy, double[][] x) {
        int cols = requireSameShape("dy", dy, "x", x);
        double[][] dx = new double[dy.length][cols];
        for (int i = 0; i < dy.length; i++) {
            for (int j = 0; j < cols; j++) {
                dx[i][j] = x[i][j] > 0 ? dy[i][j] : 0.0;
            }
        }
        return dx;
    }

    /**
     * Row-wise softmax: {@code p_ij = exp(z_ij − m_i) / Σ_k exp(z_ik − m_i)} with {@code m_i} the row's maximum, so
     * no finite row overflows and each row's largest entry contributes exactly {@code exp(0) = 1} to the sum.
     *
     * @param z logits, {@code N × classes}
     * @return probabilities, {@code N × classes}
     */
    public static double[][] softmax(double[][] z) {
        int cols = columns("z", z);
        double[][] p = new double[z.length][cols];
        for (int i = 0; i < z.length; i++) {
            double max = rowMax(z[i]);
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                p[i][j] = Math.exp(z[i][j] - max);
                sum += p[i][j];
            }
            for (int j = 0; j < cols; j++) {
                p[i][j] /= sum;
            }
        }
        return p;
    }

    /**
     * One-hot encoding: row {@code i} is all zeros but a 1 at column {@code labels[i]}.
     *
     * @param labels  {@code N} class indices in {@code [0, classes)}
     * @param classes the number of classes, {@code >= 1}
     * @return {@code N × classes}
     */
    public static double[][] oneHot(int[] labels, int classes) {
        Objects.requireNonNull(labels, "labels");
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        requireLabels(labels, labels.length, classes);
        double[][] t = new double[labels.length][classes];
        for (int i = 0; i < labels.length; i++) {
            t[i][labels[i]] = 1;
        }
        return t;
    }

    /**
     * Mean cross-entropy from probabilities: {@code (1/N) Σ_i −log(p_i,labels[i])}. Exact for every positive
     * probability; a probability of exactly 0 (softmax underflow) is replaced by {@link Double#MIN_VALUE}, the
     * smallest positive double, so it contributes {@code −log(4.9e−324) ≈ 744.44} instead of infinity. No other
     * value is changed. Prefer {@link #crossEntropyFromLogits}, which needs no such replacement.
     *
     * @param probs  {@code N × classes}, entries in {@code [0, 1]} (a negative one is rejected; NaN propagates)
     * @param labels {@code N} class indices
     * @return the mean loss
     */
    public static double crossEntropy(double[][] probs, int[] labels) {
        int classes = columns("probs", probs);
        requireLabels(labels, probs.length, classes);
        double total = 0;
        for (int i = 0; i < probs.length; i++) {
            double p = probs[i][labels[i]];
            if (p < 0) {
                throw new IllegalArgumentException("probs[" + i + "][" + labels[i] + "] is negative: " + p);
            }
            total += -Math.log(Math.max(p, Double.MIN_VALUE));
        }
        return total / probs.length;
    }

    /**
     * Mean cross-entropy of {@code softmax(z)} computed from the logits without forming probabilities:
     * {@code (1/N) Σ_i [log Σ_k exp(z_ik − m_i) − (z_i,labels[i] − m_i)]} with {@code m_i} the row's maximum,
     * i.e. {@code logsumexp(z_i) − z_i,label}. Exact, never negative, and finite for every finite row.
     *
     * @param z      logits, {@code N × classes}
     * @param labels {@code N} class indices
     * @return the mean loss
     */
    public static double crossEntropyFromLogits(double[][] z, int[] labels) {
        int classes = columns("z", z);
        requireLabels(labels, z.length, classes);
        double total = 0;
        for (int i = 0; i < z.length; i++) {
            double max = rowMax(z[i]);
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(z[i][j] - max);
            }
            total += Math.log(sum) - (z[i][labels[i]] - max);
        }
        return total / z.length;
    }

    /**
     * Backward of mean cross-entropy through softmax, with respect to the logits: {@code dz = (p − t) / N} where
     * {@code t = oneHot(labels)}. Each row of the result sums to zero (up to rounding) when {@code p}'s rows sum to 1.
     *
     * @param probs  softmax output, {@code N × classes}
     * @param labels {@code N} class indices
     * @return {@code N × classes}
     */
    public static double[][] softmaxCrossEntropyBackward(double[][] probs, int[] labels) {
        int classes = columns("probs", probs);
        requireLabels(labels, probs.length, classes);
        int n = probs.length;
        double[][] dz = new double[n][classes];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < classes; j++) {
                double target = j == labels[i] ? 1 : 0;
                dz[i][j] = (probs[i][j] - target) / n;
            }
        }
        return dz;
    }

    /**
     * Row-wise index of the largest entry. On ties the first (lowest) index wins. NaN entries are never the
     * maximum, except that a row of only NaN gives index 0.
     *
     * @param scores {@code N × classes}
     * @return {@code N} indices
     */
    public static int[] argmax(double[][] scores) {
        int classes = columns("scores", scores);
        int[] out = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            double[] row = scores[i];
            int best = 0;
            for (int j = 1; j < classes; j++) {
                if (row[j] > row[best] || (Double.isNaN(row[best]) && !Double.isNaN(row[j]))) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * Fraction of rows whose {@link #argmax} equals the label. Works on probabilities or logits; the two agree
     * except where softmax rounds distinct logits to equal probabilities (then the first index wins).
     *
     * @param scores {@code N × classes}
     * @param labels {@code N} class indices
     * @return a value in {@code [0, 1]}
     */
    public static double accuracy(double[][] scores, int[] labels) {
        int classes = columns("scores", scores);
        requireLabels(labels, scores.length, classes);
        int[] predicted = argmax(scores);
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return (double) correct / predicted.length;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Initialisers (a convenience: comparisons pass the same weights to both implementations)

    /**
     * A {@code rows × cols} matrix of {@code sigma · rnd.nextGaussian()}, drawn row by row.
     *
     * @param rows  {@code >= 1}
     * @param cols  {@code >= 1}
     * @param sigma standard deviation, finite and {@code >= 0}
     * @param rnd   e.g. a {@link java.util.Random} or {@link java.util.SplittableRandom}
     * @return a new {@code rows × cols} array
     */
    public static double[][] normal(int rows, int cols, double sigma, RandomGenerator rnd) {
        requireShape(rows, cols);
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be finite and >= 0, got " + sigma);
        }
        Objects.requireNonNull(rnd, "rnd");
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = sigma * rnd.nextGaussian();
            }
        }
        return m;
    }

    /**
     * Glorot (Xavier) uniform, as Keras: a {@code rows × cols} matrix (fan-in {@code rows}, fan-out {@code cols})
     * of values uniform in {@code [−limit, limit)} with {@code limit = sqrt(6 / (rows + cols))}, each drawn as
     * {@code limit · (2·rnd.nextDouble() − 1)}, row by row.
     *
     * @param rows fan-in, {@code >= 1}
     * @param cols fan-out, {@code >= 1}
     * @param rnd  e.g. a {@link java.util.Random} or {@link java.util.SplittableRandom}
     * @return a new {@code rows × cols} array
     */
    public static double[][] glorotUniform(int rows, int cols, RandomGenerator rnd) {
        requireShape(rows, cols);
        Objects.requireNonNull(rnd, "rnd");
        double limit = Math.sqrt(6.0 / ((double) rows + cols));
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = limit * (2 * rnd.nextDouble() - 1);
            }
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Plain loops. The loop orders keep the innermost loop running along rows of double[] (contiguous memory).

    /** {@code a·b}: {@code (n × k)·(k × m)}. */
    private static double[][] times(double[][] a, double[][] b) {
        int k = b.length;
        int m = b[0].length;
        double[][] out = new double[a.length][m];
        for (int i = 0; i < a.length; i++) {
            double[] outRow = out[i];
            for (int p = 0; p < k; p++) {
                double aip = a[i][p];
                double[] bRow = b[p];
                for (int j = 0; j < m; j++) {
                    outRow[j] += aip * bRow[j];
                }
            }
        }
        return out;
    }

    /** {@code aᵀ·b}: {@code (n × k)ᵀ·(n × m)}, a {@code k × m} result. */
    private static double[][] transposeTimes(double[][] a, double[][] b) {
        int k = a[0].length;
        int m = b[0].length;
        double[][] out = new double[k][m];
        for (int i = 0; i < a.length; i++) {
            double[] aRow = a[i];
            double[] bRow = b[i];
            for (int p = 0; p < k; p++) {
                double aip = aRow[p];
                double[] outRow = out[p];
                for (int j = 0; j < m; j++) {
                    outRow[j] += aip * bRow[j];
                }
            }
        }
        return out;
    }

    /** {@code a·bᵀ}: {@code (n × m)·(k × m)ᵀ}, an {@code n × k} result. */
    private static double[][] timesTranspose(double[][] a, double[][] b) {
        int k = b.length;
        int m = a[0].length;
        double[][] out = new double[a.length][k];
        for (int i = 0; i < a.length; i++) {
            double[] aRow = a[i];
            for (int p = 0; p < k; p++) {
                double[] bRow = b[p];
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += aRow[j] * bRow[j];
                }
                out[i][p] = s;
            }
        }
        return out;
    }

    private static double[] columnSums(double[][] a) {
        double[] sums = new double[a[0].length];
        for (double[] row : a) {
            for (int j = 0; j < sums.length; j++) {
                sums[j] += row[j];
            }
        }
        return sums;
    }

    /** The largest entry; NaN if the row holds a NaN, so NaN propagates into softmax and the loss. */
    private static double rowMax(double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : row) {
            max = Math.max(max, v);
        }
        return max;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Copies and checks

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    private static double[][][] zerosLike(double[][][] ms) {
        double[][][] z = new double[ms.length][][];
        for (int l = 0; l < ms.length; l++) {
            z[l] = new double[ms[l].length][ms[l][0].length];
        }
        return z;
    }

    private static double[][] zerosLike(double[][] vs) {
        double[][] z = new double[vs.length][];
        for (int l = 0; l < vs.length; l++) {
            z[l] = new double[vs[l].length];
        }
        return z;
    }

    /** Checks {@code m} is a non-empty rectangular matrix and returns its column count. */
    private static int columns(String name, double[][] m) {
        Objects.requireNonNull(m, name);
        if (m.length == 0) {
            throw new IllegalArgumentException(name + " has no rows");
        }
        Objects.requireNonNull(m[0], name + "[0]");
        int cols = m[0].length;
        if (cols == 0) {
            throw new IllegalArgumentException(name + " has no columns");
        }
        for (int i = 1; i < m.length; i++) {
            Objects.requireNonNull(m[i], name + "[" + i + "]");
            if (m[i].length != cols) {
                throw new IllegalArgumentException(name + " is ragged: row " + i + " has " + m[i].length
                        + " columns but row 0 has " + cols);
            }
        }
        return cols;
    }

    /** Checks both are non-empty rectangular matrices of one shape and returns the column count. */
    private static int requireSameShape(String aName, double[][] a, String bName, double[][] b) {
        int aCols = columns(aName, a);
        int bCols = columns(bName, b);
        if (a.length != b.length || aCols != bCols) {
            throw new IllegalArgumentException(aName + " is " + a.length + "×" + aCols + " but " + bName + " is "
                    + b.length + "×" + bCols);
        }
        return aCols;
    }

    private static void requireSameLength(String aWhat, int a, String bWhat, int b) {
        if (a != b) {
            throw new IllegalArgumentException(aWhat + " (" + a + ") != " + bWhat + " (" + b + ")");
        }
    }

    private static void requireLabels(int[] labels, int rows, int classes) {
        Objects.requireNonNull(labels, "labels");
        if (labels.length != rows) {
            throw new IllegalArgumentException(labels.length + " labels for " + rows + " rows");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " is outside [0, "
                        + classes + ")");
            }
        }
    }

    private static void requireShape(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("shape must be at least 1×1, got " + rows + "×" + cols);
        }
    }

    private static void requireRate(double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
        }
    }

    private static void requireUnitInterval(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
    }
}
