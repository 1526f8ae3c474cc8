package io.github.panamamlp.internal.ops;

import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Element-wise and row-wise kernels over {@link Matrix} views: the part of a network's work that is not
 * GEMM.
 *
 * <p>Each kernel checks shapes once, then runs plain loops over the raw segments, except the fused ones
 * that stage whole rows through per-thread heap arrays ({@code Scratch}) where the arithmetic is heavy
 * enough to pay for the copies. Expect scalar code over segments:
 * C2 in JDK 25 did not vectorise a loop over segments where this was measured. On this project's 2-core
 * Xeon, {@link #sigmoidBackward} on 100×50 takes about 0.63 ns an element whether C2's vectoriser is on
 * or off ({@code -XX:-UseSuperWord}), while the same arithmetic over a {@code double[]} drops from about
 * 0.5 to 0.15–0.3 ns an element when it is on; {@code train.Adam} found the same for its update and
 * copies through heap arrays for that reason.
 *
 * <p>Outputs come first in every signature; an output may be the same matrix as an input where the doc
 * says so. No kernel allocates.
 */
public final class Ops {
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    private Ops() {
    }

    static void sameShape(String op, Matrix a, Matrix b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException(op + ": shapes differ: " + a.shape() + " vs " + b.shape());
        }
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
        MemorySegment o = out.segment(), b = bias.segment();
        long rowBytes = (long) out.cols() * Double.BYTES;
        for (int i = 0; i < out.rows(); i++) {
            MemorySegment.copy(b, 0, o, (long) i * out.stride() * Double.BYTES, rowBytes);
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
        MemorySegment o = dx.segment(), g = dy.segment(), s = y.segment();
        int n = y.rows(), m = y.cols(), so = dx.stride(), sg = dy.stride(), sy = y.stride();
        for (int i = 0; i < n; i++) {
            long ro = (long) i * so, rg = (long) i * sg, ry = (long) i * sy;
            for (int j = 0; j < m; j++) {
                double v = s.getAtIndex(D, ry + j);
                o.setAtIndex(D, ro + j, g.getAtIndex(D, rg + j) * v * (1.0 - v));
            }
        }
    }

    /**
     * out = max(x, 0), element-wise; NaN stays NaN (as numpy's {@code maximum(x, 0)}), so a NaN input is not hidden.
     *
     * @param out n×m result (may be x)
     * @param x   n×m
     */
    public static void relu(Matrix out, Matrix x) {
        sameShape("relu", out, x);
        MemorySegment o = out.segment(), s = x.segment();
        int n = x.rows(), m = x.cols(), so = out.stride(), sx = x.stride();
        for (int i = 0; i < n; i++) {
            long ro = (long) i * so, rx = (long) i * sx;
            for (int j = 0; j < m; j++) {
                double v = s.getAtIndex(D, rx + j);
                o.setAtIndex(D, ro + j, !(v <= 0) ? v : 0.0); // NaN stays NaN, as numpy's maximum(x, 0) keeps it
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
        MemorySegment o = dx.segment(), g = dy.segment(), s = y.segment();
        int n = y.rows(), m = y.cols(), so = dx.stride(), sg = dy.stride(), sy = y.stride();
        for (int i = 0; i < n; i++) {
            long ro = (long) i * so, rg = (long) i * sg, ry = (long) i * sy;
            for (int j = 0; j < m; j++) {
                o.setAtIndex(D, ro + j, s.getAtIndex(D, ry + j) > 0 ? g.getAtIndex(D, rg + j) : 0.0);
            }
        }
    }

    /**
     * Row-wise softmax that subtracts each row's maximum first, so e^z never overflows.
     *
     * @param out n×c probabilities (may be z)
     * @param z   n×c logits
     */
    public static void softmaxRows(Matrix out, Matrix z) {
        sameShape("softmaxRows", out, z);
        MemorySegment o = out.segment(), s = z.segment();
        int n = z.rows(), c = z.cols(), so = out.stride(), sz = z.stride();
        for (int i = 0; i < n; i++) {
            long ro = (long) i * so, rz = (long) i * sz;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, s.getAtIndex(D, rz + j));
            }
            expNormalizeRow(o, ro, s, rz, c, max);
        }
    }

    /**
     * Row ro of o (c values) = e^(row rz of s − max), normalised to sum 1: softmax's last two passes, shared by
     * {@link #softmaxRows} and the fused head. Returns the sum of the exponentials (the loss needs log of it).
     */
    private static double expNormalizeRow(MemorySegment o, long ro, MemorySegment s, long rz, int c, double max) {
        double sum = 0;
        for (int j = 0; j < c; j++) {
            double e = Math.exp(s.getAtIndex(D, rz + j) - max);
            o.setAtIndex(D, ro + j, e);
            sum += e;
        }
        double inv = 1.0 / sum;
        for (int j = 0; j < c; j++) {
            o.setAtIndex(D, ro + j, o.getAtIndex(D, ro + j) * inv);
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
        int n = z.rows(), c = z.cols(), sz = z.stride();
        double total = 0;
        for (int i = 0; i < n; i++) {
            long rz = (long) i * sz;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, s.getAtIndex(D, rz + j));
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += Math.exp(s.getAtIndex(D, rz + j) - max);
            }
            int t = labels[offset + i];
            if (t < 0 || t >= c) {
                throw new IllegalArgumentException("crossEntropy: label " + t + " at row " + i + " is outside 0.." + (c - 1));
            }
            total += Math.log(sum) + max - s.getAtIndex(D, rz + t);
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
        MemorySegment o = dz.segment(), p = probs.segment();
        int n = probs.rows(), c = probs.cols(), so = dz.stride(), sp = probs.stride();
        double inv = 1.0 / scale;
        for (int i = 0; i < n; i++) {
            long ro = (long) i * so, rp = (long) i * sp;
            int t = labels[offset + i];
            if (t < 0 || t >= c) {
                throw new IllegalArgumentException("softmaxCrossEntropyBackward: label " + t + " at row " + i + " is outside 0.." + (c - 1));
            }
            for (int j = 0; j < c; j++) {
                o.setAtIndex(D, ro + j, (p.getAtIndex(D, rp + j) - (j == t ? 1.0 : 0.0)) * inv);
            }
        }
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
        MemorySegment o = sums.segment(), s = x.segment();
        int n = x.rows(), m = x.cols(), sx = x.stride();
        for (int j = 0; j < m; j++) {
            o.setAtIndex(D, j, 0.0);
        }
        // Row by row, so memory is read in order; each output column accumulates in the same order as a plain loop.
        for (int i = 0; i < n; i++) {
            long rx = (long) i * sx;
            for (int j = 0; j < m; j++) {
                o.setAtIndex(D, j, o.getAtIndex(D, j) + s.getAtIndex(D, rx + j));
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
        MemorySegment o = out.segment(), s = x.segment();
        int n = x.rows(), m = x.cols(), so = out.stride(), sx = x.stride();
        int rowsPerBlock = Math.max(1, Scratch.BLOCK / Math.max(1, m));
        Scratch sc = Scratch.get(Math.min(n, rowsPerBlock) * m, m);
        double[] a = sc.a, k = sc.b, b = sc.row;
        if (bias != null) {
            MemorySegment.copy(bias.segment(), D, 0, b, 0, m);
        }
        for (int i0 = 0; i0 < n; i0 += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, n - i0);
            for (int r = 0; r < rows; r++) {
                MemorySegment.copy(s, D, (long) (i0 + r) * sx * Double.BYTES, a, r * m, m);
            }
            if (bias != null) {
                for (int r = 0; r < rows; r++) {
                    int base = r * m;
                    for (int j = 0; j < m; j++) {
                        a[base + j] += b[j];
                    }
                }
            }
            Exp.sigmoid(a, k, rows * m);
            for (int r = 0; r < rows; r++) {
                MemorySegment.copy(a, r * m, o, D, (long) (i0 + r) * so * Double.BYTES, m);
            }
        }
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
        MemorySegment o = z.segment(), b = bias.segment();
        int n = z.rows(), m = z.cols(), so = z.stride();
        for (int i = 0; i < n; i++) {
            long ro = (long) i * so;
            for (int j = 0; j < m; j++) {
                double v = o.getAtIndex(D, ro + j) + b.getAtIndex(D, j);
                o.setAtIndex(D, ro + j, !(v <= 0) ? v : 0.0); // NaN stays NaN, as in relu
            }
        }
    }

    /**
     * z = z + b for every row, in place: the bias of a dense layer added after its product.
     *
     * @param z    n×m
     * @param bias 1×m
     */
    public static void addBias(Matrix z, Matrix bias) {
        checkBias("addBias", z, bias);
        MemorySegment o = z.segment(), b = bias.segment();
        int n = z.rows(), m = z.cols(), so = z.stride();
        for (int i = 0; i < n; i++) {
            long ro = (long) i * so;
            for (int j = 0; j < m; j++) {
                o.setAtIndex(D, ro + j, o.getAtIndex(D, ro + j) + b.getAtIndex(D, j));
            }
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
        backwardColumnSums(dz, dy, y, sums, true);
    }

    /**
     * dz = dy·f′ (sigmoid: y·(1 − y); ReLU: y &gt; 0) and the column sums of dz, through heap blocks of whole
     * rows (see {@link #sigmoidRows}); the sums accumulate row after row, in the order of {@link #columnSums}.
     */
    private static void backwardColumnSums(Matrix dz, Matrix dy, Matrix y, Matrix sums, boolean sigmoid) {
        MemorySegment o = dz.segment(), g = dy.segment(), s = y.segment();
        int n = y.rows(), m = y.cols(), so = dz.stride(), sg = dy.stride(), sy = y.stride();
        int rowsPerBlock = Math.max(1, Scratch.BLOCK / Math.max(1, m));
        Scratch sc = Scratch.get(Math.min(n, rowsPerBlock) * m, m);
        double[] a = sc.a, b = sc.b, c = sc.row;
        java.util.Arrays.fill(c, 0, m, 0.0);
        for (int i0 = 0; i0 < n; i0 += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, n - i0);
            for (int r = 0; r < rows; r++) {
                MemorySegment.copy(g, D, (long) (i0 + r) * sg * Double.BYTES, a, r * m, m);
                MemorySegment.copy(s, D, (long) (i0 + r) * sy * Double.BYTES, b, r * m, m);
            }
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
            for (int r = 0; r < rows; r++) {
                int base = r * m;
                for (int j = 0; j < m; j++) {
                    c[j] += a[base + j];
                }
                MemorySegment.copy(a, base, o, D, (long) (i0 + r) * so * Double.BYTES, m);
            }
        }
        MemorySegment.copy(c, 0, sums.segment(), D, 0, m);
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
        backwardColumnSums(dz, dy, y, sums, false);
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
        MemorySegment o = probs.segment(), s = logits.segment(), b = bias == null ? null : bias.segment();
        int n = logits.rows(), c = logits.cols(), so = probs.stride(), sz = logits.stride();
        double total = 0;
        for (int i = 0; i < n; i++) {
            long ro = (long) i * so, rz = (long) i * sz;
            double max = Double.NEGATIVE_INFINITY;
            if (b != null) {
                for (int j = 0; j < c; j++) {
                    double v = s.getAtIndex(D, rz + j) + b.getAtIndex(D, j);
                    s.setAtIndex(D, rz + j, v);
                    max = Math.max(max, v);
                }
            } else {
                for (int j = 0; j < c; j++) {
                    max = Math.max(max, s.getAtIndex(D, rz + j));
                }
            }
            double zt = 0;
            if (labels != null) {
                int t = labels[offset + i];
                if (t < 0 || t >= c) {
                    throw new IllegalArgumentException("softmaxCrossEntropy: label " + t + " at row " + i + " is outside 0.." + (c - 1));
                }
                zt = s.getAtIndex(D, rz + t);
            }
            double sum = expNormalizeRow(o, ro, s, rz, c, max);
            if (labels != null) {
                total += Math.log(sum) + max - zt;
            }
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
        MemorySegment o = dz.segment(), p = probs.segment(), cs = sums.segment();
        int n = probs.rows(), c = probs.cols(), so = dz.stride(), sp = probs.stride();
        double inv = 1.0 / scale;
        for (int j = 0; j < c; j++) {
            cs.setAtIndex(D, j, 0.0);
        }
        for (int i = 0; i < n; i++) {
            long ro = (long) i * so, rp = (long) i * sp;
            int t = labels[offset + i];
            if (t < 0 || t >= c) {
                throw new IllegalArgumentException("softmaxCrossEntropyBackward: label " + t + " at row " + i + " is outside 0.." + (c - 1));
            }
            for (int j = 0; j < c; j++) {
                double d = (p.getAtIndex(D, rp + j) - (j == t ? 1.0 : 0.0)) * inv;
                o.setAtIndex(D, ro + j, d);
                cs.setAtIndex(D, j, cs.getAtIndex(D, j) + d);
            }
        }
    }

    private static void checkBias(String op, Matrix z, Matrix bias) {
        if (bias.rows() != 1 || bias.cols() != z.cols()) {
            throw new IllegalArgumentException(op + ": bias is " + bias.shape() + ", expected 1×" + z.cols());
        }
    }

    private static void checkSums(String op, Matrix sums, Matrix x) {
        if (sums.rows() != 1 || sums.cols() != x.cols()) {
            throw new IllegalArgumentException(op + ": column sums are " + sums.shape() + ", expected 1×" + x.cols());
        }
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
        int best = 0;
        double bestV = s.getAtIndex(D, r);
        for (int j = 1; j < x.cols(); j++) {
            double v = s.getAtIndex(D, r + j);
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
