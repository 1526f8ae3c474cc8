package io.github.panamamlp.internal.ops;

import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Element-wise and row-wise kernels over {@link Matrix} views: the part of a network's work that is not
 * GEMM.
 *
 * <p>Each kernel checks shapes and element types once, then stages whole rows through per-thread heap
 * arrays of {@code double} ({@code Scratch}): loaded from the segments (float32 rows widened, exactly), the
 * arithmetic run over the arrays, stored back (float32 results rounded to the nearest float, once). Why heap
 * arrays: C2 in JDK 25 did not vectorise a loop over segments where this was measured. On this project's
 * 2-core Xeon, {@link #sigmoidBackward} on 100×50 took about 0.63 ns an element over the segments whether
 * C2's vectoriser was on or off ({@code -XX:-UseSuperWord}), while the same arithmetic over a
 * {@code double[]} drops from about 0.5 to 0.15–0.3 ns an element when it is on; {@code train.Adam} found
 * the same for its update. Why double for float32 too: every float32 result is then the float64 kernel's
 * result rounded once (relative error at most 2^−24 against it), and one arithmetic path serves both types,
 * so the float64 results are the same bits as before float32 existed. Sums that span a whole batch (the
 * loss, the column sums) accumulate in double for the same reason: a float32 sum of thousands of terms
 * would lose digits the float64 run keeps.
 *
 * <p>Outputs come first in every signature; an output may be the same matrix as an input where the doc
 * says so. All matrices of one call must have the same element type. No kernel allocates.
 */
public final class Ops {
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    private Ops() {
    }

    /** Checks that a and b have the same shape and the same element type. */
    static void sameShape(String op, Matrix a, Matrix b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException(op + ": shapes differ: " + a.shape() + " vs " + b.shape());
        }
        sameType(op, a, b);
    }

    /** Checks that a and b have the same element type; the message names both. */
    static void sameType(String op, Matrix a, Matrix b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": element types differ: " + a.describe() + " and " + b.describe()
                    + " (one operation takes one type; convert with Matrix.copyFrom)");
        }
    }

    /**
     * Rows [i0, i0+rows) of m (segment s) into dst[0..rows·cols), packed, widened to double. {@code f} is
     * scratch for float32 rows (at least rows·cols long).
     */
    static void load(Matrix m, MemorySegment s, int i0, int rows, double[] dst, float[] f) {
        int c = m.cols();
        long stride = m.stride();
        // Rows stored back to back go in one copy: each copy has fixed checks that cost as much as a short row.
        int copies = stride == c ? 1 : rows;
        int perCopy = stride == c ? rows * c : c;
        if (m.dtype() == DType.FLOAT64) {
            for (int r = 0; r < copies; r++) {
                MemorySegment.copy(s, D, (i0 + r) * stride * Double.BYTES, dst, r * c, perCopy);
            }
        } else {
            for (int r = 0; r < copies; r++) {
                MemorySegment.copy(s, F, (i0 + r) * stride * Float.BYTES, f, r * c, perCopy);
            }
            int len = rows * c;
            for (int t = 0; t < len; t++) {
                dst[t] = f[t];
            }
        }
    }

    /** src[0..rows·cols), packed, into rows [i0, i0+rows) of m (segment s), rounded to float for float32. */
    static void store(double[] src, Matrix m, MemorySegment s, int i0, int rows, float[] f) {
        int c = m.cols();
        long stride = m.stride();
        int copies = stride == c ? 1 : rows;
        int perCopy = stride == c ? rows * c : c;
        if (m.dtype() == DType.FLOAT64) {
            for (int r = 0; r < copies; r++) {
                MemorySegment.copy(src, r * c, s, D, (i0 + r) * stride * Double.BYTES, perCopy);
            }
        } else {
            int len = rows * c;
            for (int t = 0; t < len; t++) {
                f[t] = (float) src[t];
            }
            for (int r = 0; r < copies; r++) {
                MemorySegment.copy(f, r * c, s, F, (i0 + r) * stride * Float.BYTES, perCopy);
            }
        }
    }

    /** Rows per staged block for rows of width m. */
    private static int rowsPerBlock(int m) {
        return Math.max(1, Scratch.BLOCK / Math.max(1, m));
    }

    static void checkLabels(String op, Matrix m, int[] labels, int offset) {
        if (labels == null) {
            throw new IllegalArgumentException(op + ": labels are null");
        }
        if (offset < 0 || offset > labels.length - m.rows()) {
            throw new IllegalArgumentException(op + ": " + m.rows() + " rows need labels[" + offset + ".." + (offset + m.rows())
                    + ") but there are " + labels.length + " labels");
        }
    }

    /**
     * Copies the 1×m row {@code bias} into every row of out: the start of Y = X·W + b with β = 1.
     *
     * @param out  n×m result
     * @param bias 1×m
     */
    public static void broadcastRows(Matrix out, Matrix bias) {
        if (bias.rows() != 1 || bias.cols() != out.cols()) {
            throw new IllegalArgumentException("broadcastRows: bias is " + bias.shape() + ", expected 1×" + out.cols());
        }
        sameType("broadcastRows", out, bias);
        MemorySegment o = out.segment(), b = bias.segment();
        int size = out.dtype().bytes();
        long rowBytes = (long) out.cols() * size;
        for (int i = 0; i < out.rows(); i++) {
            MemorySegment.copy(b, 0, o, (long) i * out.stride() * size, rowBytes);
        }
    }

    /**
     * out = 1 / (1 + e^(−x)), element-wise, with e^x from {@code tensor.Exp} (within a few units in the last place of
     * {@link Math#exp}; where e^(−x) would overflow, x &lt; −708, the result is about 3·10^−308 instead of 0).
     *
     * @param out n×m result (may be x)
     * @param x   n×m
     */
    public static void sigmoid(Matrix out, Matrix x) {
        sameShape("sigmoid", out, x);
        sigmoidRows(out, x, null);
    }

    /**
     * dx = dy · y · (1 − y), where y = sigmoid(x) from the forward pass.
     *
     * @param dx n×m result (may be dy)
     * @param dy n×m gradient of the output
     * @param y  n×m output of {@link #sigmoid}
     */
    public static void sigmoidBackward(Matrix dx, Matrix dy, Matrix y) {
        sameShape("sigmoidBackward", dx, dy);
        sameShape("sigmoidBackward", dy, y);
        backward(dx, dy, y, null, true);
    }

    /**
     * out = max(x, 0), element-wise; NaN stays NaN (as numpy's {@code maximum(x, 0)}), so a NaN input is not hidden.
     *
     * @param out n×m result (may be x)
     * @param x   n×m
     */
    public static void relu(Matrix out, Matrix x) {
        sameShape("relu", out, x);
        reluRows(out, x, null);
    }

    /** out = max(x + b, 0) (b omitted when null) through staged blocks; NaN stays NaN, as numpy's maximum(x, 0) keeps it. */
    private static void reluRows(Matrix out, Matrix x, Matrix bias) {
        activationRows(out, x, bias, false);
    }

    /**
     * out = f(x + b) (b omitted when null) for f = sigmoid or ReLU, through heap blocks of whole rows: gathered
     * from the segments, the bias added row by row, then f over the block as one array (loops C2 vectorises;
     * the sigmoid through {@link Exp#sigmoid}), then scattered back.
     */
    private static void activationRows(Matrix out, Matrix x, Matrix bias, boolean sigmoid) {
        MemorySegment o = out.segment(), s = x.segment();
        int n = x.rows(), m = x.cols();
        int rowsPerBlock = rowsPerBlock(m);
        Scratch sc = Scratch.get(Math.min(n, rowsPerBlock) * m, m);
        double[] a = sc.a, k = sc.b, b = sc.row;
        if (bias != null) {
            load(bias, bias.segment(), 0, 1, b, sc.f);
        }
        for (int i0 = 0; i0 < n; i0 += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, n - i0);
            load(x, s, i0, rows, a, sc.f);
            if (bias != null) {
                addRow(a, rows, m, b);
            }
            int len = rows * m;
            if (sigmoid) {
                Exp.sigmoid(a, k, len);
            } else {
                for (int t = 0; t < len; t++) {
                    double v = a[t];
                    a[t] = !(v <= 0) ? v : 0.0;
                }
            }
            store(a, out, o, i0, rows, sc.f);
        }
    }

    /** a[r·m + j] += b[j] for every row r of a block. */
    private static void addRow(double[] a, int rows, int m, double[] b) {
        for (int r = 0; r < rows; r++) {
            int base = r * m;
            for (int j = 0; j < m; j++) {
                a[base + j] += b[j];
            }
        }
    }

    /**
     * dx = dy where the forward output y was positive, else 0 (the gradient at 0 is taken as 0).
     * Uses y = relu(x), which is positive exactly where x is.
     *
     * @param dx n×m result (may be dy)
     * @param dy n×m gradient of the output
     * @param y  n×m output of {@link #relu}
     */
    public static void reluBackward(Matrix dx, Matrix dy, Matrix y) {
        sameShape("reluBackward", dx, dy);
        sameShape("reluBackward", dy, y);
        backward(dx, dy, y, null, false);
    }

    /**
     * Row-wise softmax that subtracts each row's maximum first, so e^z never overflows.
     *
     * @param out n×c probabilities (may be z)
     * @param z   n×c logits
     */
    public static void softmaxRows(Matrix out, Matrix z) {
        sameShape("softmaxRows", out, z); // checked here too, so a message names the kernel called
        softmaxCrossEntropy(out, z, null, null, 0);
    }

    /**
     * p[pOff..pOff+c) = e^(z[zOff + j] − max), normalised to sum 1: softmax's last two passes, shared by
     * {@link #softmaxRows} and the fused head. Returns the sum of the exponentials (the loss needs log of it).
     */
    private static double expNormalizeRow(double[] p, int pOff, double[] z, int zOff, int c, double max) {
        double sum = 0;
        for (int j = 0; j < c; j++) {
            double e = Math.exp(z[zOff + j] - max);
            p[pOff + j] = e;
            sum += e;
        }
        double inv = 1.0 / sum;
        for (int j = 0; j < c; j++) {
            p[pOff + j] = p[pOff + j] * inv;
        }
        return sum;
    }

    /**
     * Sum over rows of the cross-entropy −log softmax(z)[label], computed from the logits as
     * {@code logsumexp(z) − z[label]}: exact, and finite even where the softmax probability underflows to 0.
     *
     * @param z      n×c logits
     * @param labels the classes of the rows, each in [0, c)
     * @param offset the index in {@code labels} of row 0's class
     * @return the sum of the n rows' cross-entropies
     */
    public static double crossEntropySumFromLogits(Matrix z, int[] labels, int offset) {
        checkLabels("crossEntropy", z, labels, offset);
        MemorySegment s = z.segment();
        int n = z.rows(), c = z.cols();
        Scratch sc = Scratch.get(c, c);
        double[] a = sc.a;
        double total = 0;
        for (int i = 0; i < n; i++) {
            load(z, s, i, 1, a, sc.f);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, a[j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += Math.exp(a[j] - max);
            }
            int t = labels[offset + i];
            if (t < 0 || t >= c) {
                throw new IllegalArgumentException("crossEntropy: label " + t + " at row " + i + " is outside 0.." + (c - 1));
            }
            total += Math.log(sum) + max - a[t];
        }
        return total;
    }

    /**
     * The fused softmax–cross-entropy backward: dz = (ŷ − t) / scale, where ŷ = probs and t the one-hot labels.
     *
     * @param dz     n×c result (may be probs)
     * @param probs  n×c softmax probabilities
     * @param labels the classes of the rows, each in [0, c)
     * @param offset the index in {@code labels} of row 0's class
     * @param scale  the divisor, normally the batch size n (the gradient of the mean loss)
     */
    public static void softmaxCrossEntropyBackward(Matrix dz, Matrix probs, int[] labels, int offset, double scale) {
        sameShape("softmaxCrossEntropyBackward", dz, probs);
        checkLabels("softmaxCrossEntropyBackward", probs, labels, offset);
        headBackward(dz, probs, labels, offset, scale, null);
    }

    /**
     * sums[0][j] = Σ_i x[i][j].
     *
     * @param sums 1×m result
     * @param x    n×m
     */
    public static void columnSums(Matrix sums, Matrix x) {
        if (sums.rows() != 1 || sums.cols() != x.cols()) {
            throw new IllegalArgumentException("columnSums: output is " + sums.shape() + ", expected 1×" + x.cols());
        }
        sameType("columnSums", sums, x);
        MemorySegment s = x.segment();
        int n = x.rows(), m = x.cols();
        int rowsPerBlock = rowsPerBlock(m);
        Scratch sc = Scratch.get(Math.min(n, rowsPerBlock) * m, m);
        double[] a = sc.a, c = sc.row;
        java.util.Arrays.fill(c, 0, m, 0.0);
        for (int i0 = 0; i0 < n; i0 += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, n - i0);
            load(x, s, i0, rows, a, sc.f);
            accumulateColumns(c, a, rows, m);
        }
        store(c, sums, sums.segment(), 0, 1, sc.f);
    }

    /** c[j] += Σ_r a[r·m + j], row after row: each column accumulates in the order of a plain loop over the rows. */
    private static void accumulateColumns(double[] c, double[] a, int rows, int m) {
        for (int r = 0; r < rows; r++) {
            int base = r * m;
            for (int j = 0; j < m; j++) {
                c[j] += a[base + j];
            }
        }
    }

    /**
     * The forward epilogue of a dense layer with a sigmoid after it, in one pass: z = z + b, then
     * z = 1 / (1 + e^(−z)), in place. The same arithmetic as {@link #broadcastRows} before a product with
     * β = 1 followed by {@link #sigmoid}, except that the bias is added after the product instead of before
     * it (which may change the last bit of z where OpenBLAS splits the inner dimension into blocks).
     *
     * @param z    n×m: X·W on entry, the activations on return
     * @param bias 1×m
     */
    public static void biasSigmoid(Matrix z, Matrix bias) {
        checkBias("biasSigmoid", z, bias);
        sigmoidRows(z, z, bias);
    }

    /**
     * out = 1 / (1 + e^(−(x + b))) for every row, through heap blocks of whole rows: gathered from the
     * segments, the bias added row by row, then {@link Exp#sigmoid} over the block as one array (a loop C2
     * vectorises), then scattered back. On the 2-vCPU AMD EPYC (JDK 25, a shared machine) bias and sigmoid of
     * a 32×50 batch took 9.4 µs as two passes with {@link Math#exp} and 6.1 µs this way (100×50: 29 and
     * 17 µs): {@code make jmh JMH_ARGS='KernelBenchmark.biasS'}, against the commit before.
     *
     * @param bias 1×m, or null for none
     */
    private static void sigmoidRows(Matrix out, Matrix x, Matrix bias) {
        activationRows(out, x, bias, true);
    }

    /**
     * The forward epilogue of a dense layer with a ReLU after it, in one pass: z = max(z + b, 0), in place;
     * NaN stays NaN, as in {@link #relu}.
     *
     * @param z    n×m: X·W on entry, the activations on return
     * @param bias 1×m
     */
    public static void biasRelu(Matrix z, Matrix bias) {
        checkBias("biasRelu", z, bias);
        reluRows(z, z, bias);
    }

    /**
     * z = z + b for every row, in place: the bias of a dense layer added after its product.
     *
     * @param z    n×m
     * @param bias 1×m
     */
    public static void addBias(Matrix z, Matrix bias) {
        checkBias("addBias", z, bias);
        MemorySegment o = z.segment();
        int n = z.rows(), m = z.cols();
        int rowsPerBlock = rowsPerBlock(m);
        Scratch sc = Scratch.get(Math.min(n, rowsPerBlock) * m, m);
        double[] a = sc.a, b = sc.row;
        load(bias, bias.segment(), 0, 1, b, sc.f);
        for (int i0 = 0; i0 < n; i0 += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, n - i0);
            load(z, o, i0, rows, a, sc.f);
            addRow(a, rows, m, b);
            store(a, z, o, i0, rows, sc.f);
        }
    }

    /**
     * {@link #sigmoidBackward} and the bias gradient of the dense layer before it, in one pass:
     * dz = dy·y·(1 − y) and sums[0][j] = Σ_i dz[i][j] (accumulated row by row, as {@link #columnSums}).
     *
     * @param dz   n×m result (may be dy)
     * @param dy   n×m gradient of the sigmoid's output
     * @param y    n×m output of the sigmoid
     * @param sums 1×m result: the column sums of dz
     */
    public static void sigmoidBackwardColumnSums(Matrix dz, Matrix dy, Matrix y, Matrix sums) {
        sameShape("sigmoidBackward", dz, dy);
        sameShape("sigmoidBackward", dy, y);
        checkSums("sigmoidBackward", sums, dz);
        backward(dz, dy, y, sums, true);
    }

    /**
     * dz = dy·f′ (sigmoid: y·(1 − y); ReLU: y &gt; 0) and, unless sums is null, the column sums of dz, through
     * heap blocks of whole rows (see {@link #sigmoidRows}); the sums accumulate row after row, in the order of
     * {@link #columnSums}.
     */
    private static void backward(Matrix dz, Matrix dy, Matrix y, Matrix sums, boolean sigmoid) {
        MemorySegment o = dz.segment(), g = dy.segment(), s = y.segment();
        int n = y.rows(), m = y.cols();
        int rowsPerBlock = rowsPerBlock(m);
        Scratch sc = Scratch.get(Math.min(n, rowsPerBlock) * m, m);
        double[] a = sc.a, b = sc.b, c = sc.row;
        java.util.Arrays.fill(c, 0, m, 0.0);
        for (int i0 = 0; i0 < n; i0 += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, n - i0);
            load(dy, g, i0, rows, a, sc.f);
            load(y, s, i0, rows, b, sc.f);
            int len = rows * m;
            if (sigmoid) {
                for (int t = 0; t < len; t++) {
                    double v = b[t];
                    a[t] = a[t] * v * (1.0 - v);
                }
            } else {
                for (int t = 0; t < len; t++) {
                    a[t] = b[t] > 0 ? a[t] : 0.0;
                }
            }
            if (sums != null) {
                accumulateColumns(c, a, rows, m);
            }
            store(a, dz, o, i0, rows, sc.f);
        }
        if (sums != null) {
            store(c, sums, sums.segment(), 0, 1, sc.f);
        }
    }

    /**
     * {@link #reluBackward} and the bias gradient of the dense layer before it, in one pass.
     *
     * @param dz   n×m result (may be dy)
     * @param dy   n×m gradient of the ReLU's output
     * @param y    n×m output of the ReLU
     * @param sums 1×m result: the column sums of dz
     */
    public static void reluBackwardColumnSums(Matrix dz, Matrix dy, Matrix y, Matrix sums) {
        sameShape("reluBackward", dz, dy);
        sameShape("reluBackward", dy, y);
        checkSums("reluBackward", sums, dz);
        backward(dz, dy, y, sums, false);
    }

    /**
     * The whole forward of a softmax cross-entropy head in one pass over each row: the bias is added to
     * the logits (written back, so {@code logits} holds z = X·W + b on return), then the row's maximum, one
     * e^(z − max) per element, the probabilities, and the row's cross-entropy logsumexp(z) − z[label] from
     * the same sum. Gives the values of {@link #crossEntropySumFromLogits} and {@link #softmaxRows} with
     * half the exponentials.
     *
     * @param probs  n×c probabilities (may be logits: the label's logit is read before it is overwritten)
     * @param logits n×c: X·W on entry (or the logits if {@code bias} is null), z on return unless it is probs
     * @param bias   1×c added to every row first, or null for none
     * @param labels the classes of the rows, each in [0, c), or null for probabilities only (no loss)
     * @param offset the index in {@code labels} of row 0's class
     * @return the sum of the n rows' cross-entropies (0 without labels)
     */
    public static double softmaxCrossEntropy(Matrix probs, Matrix logits, Matrix bias, int[] labels, int offset) {
        sameShape("softmaxCrossEntropy", probs, logits);
        if (bias != null) {
            checkBias("softmaxCrossEntropy", logits, bias);
        }
        if (labels != null) {
            checkLabels("softmaxCrossEntropy", logits, labels, offset);
        }
        MemorySegment o = probs.segment(), s = logits.segment();
        int n = logits.rows(), c = logits.cols();
        int rowsPerBlock = rowsPerBlock(c);
        Scratch sc = Scratch.get(Math.min(n, rowsPerBlock) * c, c);
        // A block of rows in and out at a time (the copies' fixed costs), the arithmetic row by row.
        double[] z = sc.a, p = sc.b, b = sc.row;
        if (bias != null) {
            load(bias, bias.segment(), 0, 1, b, sc.f);
        }
        double total = 0;
        for (int i0 = 0; i0 < n; i0 += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, n - i0);
            load(logits, s, i0, rows, z, sc.f);
            for (int r = 0; r < rows; r++) {
                int base = r * c;
                double max = Double.NEGATIVE_INFINITY;
                if (bias != null) {
                    for (int j = 0; j < c; j++) {
                        double v = z[base + j] + b[j];
                        z[base + j] = v;
                        max = Math.max(max, v);
                    }
                } else {
                    for (int j = 0; j < c; j++) {
                        max = Math.max(max, z[base + j]);
                    }
                }
                double zt = 0;
                if (labels != null) {
                    int i = i0 + r;
                    int t = labels[offset + i];
                    if (t < 0 || t >= c) {
                        throw new IllegalArgumentException("softmaxCrossEntropy: label " + t + " at row " + i + " is outside 0.." + (c - 1));
                    }
                    zt = z[base + t];
                }
                double sum = expNormalizeRow(p, base, z, base, c, max);
                if (labels != null) {
                    total += Math.log(sum) + max - zt;
                }
            }
            if (bias != null) {
                store(z, logits, s, i0, rows, sc.f); // z = X·W + b back into the logits (before probs, which may be them)
            }
            store(p, probs, o, i0, rows, sc.f);
        }
        return total;
    }

    /**
     * {@link #softmaxCrossEntropyBackward} and the bias gradient of the last dense layer, in one pass:
     * dz = (ŷ − t) / scale and sums[0][j] = Σ_i dz[i][j].
     *
     * @param dz     n×c result (may be probs)
     * @param probs  n×c softmax probabilities
     * @param labels the classes of the rows, each in [0, c)
     * @param offset the index in {@code labels} of row 0's class
     * @param scale  the divisor, normally the batch size n
     * @param sums   1×c result: the column sums of dz
     */
    public static void softmaxCrossEntropyBackwardColumnSums(Matrix dz, Matrix probs, int[] labels, int offset, double scale,
                                                            Matrix sums) {
        sameShape("softmaxCrossEntropyBackward", dz, probs);
        checkLabels("softmaxCrossEntropyBackward", probs, labels, offset);
        checkSums("softmaxCrossEntropyBackward", sums, dz);
        headBackward(dz, probs, labels, offset, scale, sums);
    }

    /** dz = (ŷ − t) / scale row by row, and unless sums is null its column sums (accumulated in double, row after row). */
    private static void headBackward(Matrix dz, Matrix probs, int[] labels, int offset, double scale, Matrix sums) {
        MemorySegment o = dz.segment(), p = probs.segment();
        int n = probs.rows(), c = probs.cols();
        for (int i = 0; i < n; i++) {
            int t = labels[offset + i];
            if (t < 0 || t >= c) {
                throw new IllegalArgumentException("softmaxCrossEntropyBackward: label " + t + " at row " + i + " is outside 0.." + (c - 1));
            }
        }
        int rowsPerBlock = rowsPerBlock(c);
        Scratch sc = Scratch.get(Math.min(n, rowsPerBlock) * c, c);
        double[] a = sc.a, cs = sc.row;
        double inv = 1.0 / scale;
        java.util.Arrays.fill(cs, 0, c, 0.0);
        for (int i0 = 0; i0 < n; i0 += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, n - i0);
            load(probs, p, i0, rows, a, sc.f);
            for (int r = 0; r < rows; r++) {
                int base = r * c;
                int t = labels[offset + i0 + r];
                for (int j = 0; j < c; j++) {
                    double d = (a[base + j] - (j == t ? 1.0 : 0.0)) * inv;
                    a[base + j] = d;
                    cs[j] += d;
                }
            }
            store(a, dz, o, i0, rows, sc.f);
        }
        if (sums != null) {
            store(cs, sums, sums.segment(), 0, 1, sc.f);
        }
    }

    private static void checkBias(String op, Matrix z, Matrix bias) {
        if (bias.rows() != 1 || bias.cols() != z.cols()) {
            throw new IllegalArgumentException(op + ": bias is " + bias.shape() + ", expected 1×" + z.cols());
        }
        sameType(op, z, bias);
    }

    private static void checkSums(String op, Matrix sums, Matrix x) {
        if (sums.rows() != 1 || sums.cols() != x.cols()) {
            throw new IllegalArgumentException(op + ": column sums are " + sums.shape() + ", expected 1×" + x.cols());
        }
        sameType(op, sums, x);
    }

    /**
     * The index of the largest value in a row.
     *
     * @param x the matrix
     * @param i the row
     * @return the column of row i's largest value (the first one on ties)
     */
    public static int argmaxRow(Matrix x, int i) {
        MemorySegment s = x.segment();
        long r = (long) i * x.stride();
        DType t = x.dtype();
        int best = 0;
        double bestV = t.get(s, r);
        for (int j = 1; j < x.cols(); j++) {
            double v = t.get(s, r + j);
            if (v > bestV) {
                bestV = v;
                best = j;
            }
        }
        return best;
    }

    /**
     * Counts the rows whose largest score is at their label.
     *
     * @param scores n×c probabilities or logits
     * @param labels the classes of the rows, each in [0, c)
     * @param offset the index in {@code labels} of row 0's class
     * @return how many rows i have their argmax equal to labels[offset+i]
     */
    public static int countCorrect(Matrix scores, int[] labels, int offset) {
        checkLabels("countCorrect", scores, labels, offset);
        int correct = 0;
        for (int i = 0; i < scores.rows(); i++) {
            if (argmaxRow(scores, i) == labels[offset + i]) {
                correct++;
            }
        }
        return correct;
    }
}
