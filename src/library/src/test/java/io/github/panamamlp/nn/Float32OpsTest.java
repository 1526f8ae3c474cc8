package io.github.panamamlp.nn;

import io.github.panamamlp.internal.ops.Ops;
import io.github.panamamlp.reference.ReferenceMlp;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The kernels of {@link Ops} on float32 matrices, beside {@link ReferenceCrossCheckTest}'s float64 checks.
 *
 * <p>What they promise ({@link Ops}' class comment): a float32 kernel widens its inputs to double exactly, runs
 * the float64 kernel's arithmetic and rounds each stored result once. So, on inputs that are floats:
 * <ul>
 *   <li>every float32 result is, bit for bit, {@code (float)} of the float64 kernel's result on the same
 *       (widened) inputs, and every returned loss is the float64 kernel's, exactly: checked for every kernel and
 *       variant ({@link #float32IsTheFloat64KernelRoundedOnce});</li>
 *   <li>against the independent {@link ReferenceMlp}, each element is within one float rounding:
 *       {@code |r32 − ref| ≤ REL·|ref| + FLOOR} (see {@link #REL} and {@link #FLOOR}), sums also within their
 *       double summation error ({@link #sumSlack}).</li>
 * </ul>
 * Besides: a call mixing the types is refused naming both, before anything is written; strided float32 views
 * give the contiguous results and write nothing outside themselves; and warm kernels allocate nothing.
 */
class Float32OpsTest {
    private static final DType F32 = DType.FLOAT32;
    private static final DType F64 = DType.FLOAT64;

    /**
     * How far a float64 kernel's element may be from the reference's, relative to it: 2^−48, 32 units of 2^−53.
     * Both do the same double arithmetic in the same order, except that the kernels take e^x from
     * {@code Exp} (within 4 units in the last place of {@link Math#exp}, see ExpTest) where the reference calls
     * Math.exp, and multiply by 1/x where the reference divides by x (one more rounding): a few units of 2^−53
     * in all. {@link #assertRoundedOnce} checks this premise on the float64 results before using it.
     */
    static final double DOUBLE_REL = 0x1p-48;
    /**
     * The float32 tolerance relative to the reference: rounding the float64 value v to the nearest float is off
     * by at most 2^−24·|v| (half a unit in the last place of a 24-bit significand) while v is in float's normal
     * range, and |v| ≤ (1 + 2^−48)·|ref|, so |r32 − ref| ≤ 2^−24·|ref| + 2^−48·|ref| + 2^−72·|ref|, which is below
     * (2^−24 + 2^−47)·|ref|. The factor over 2^−24 is 1 + 2^−23: a kernel that rounded towards zero instead of to
     * the nearest float (an error of up to 2^−23, twice this) fails.
     */
    static final double REL = 0x1p-24 + 0x1p-47;
    /**
     * The floor for values near zero: below float's least normal value, 2^−126, floats are spaced 2^−149 apart
     * (subnormals), so rounding is off by at most half of that, 2^−150, whatever the value's size; a relative
     * bound alone would demand the impossible there (e.g. a sigmoid of −100 is 3.7·10^−44, a subnormal float).
     */
    static final double FLOOR = 0x1p-150;

    /** (n, m): one block of rows; several blocks (2048 elements a block: 89 rows of 23); rows wider than the 64-element scratch row; 1×1. */
    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(17, 23), Arguments.of(200, 23), Arguments.of(5, 130), Arguments.of(1, 1));
    }

    /** Gaussian values times {@code scale}, rounded to floats: inputs a float32 matrix holds exactly. */
    static double[][] floats(Random rnd, int n, int m, double scale) {
        double[][] x = new double[n][m];
        for (double[] row : x) {
            for (int j = 0; j < m; j++) {
                row[j] = (float) (rnd.nextGaussian() * scale);
            }
        }
        return x;
    }

    /**
     * Puts extreme values in row 0 of x: −100 (its sigmoid, 3.7·10^−44, is a subnormal float, where {@link #FLOOR}
     * applies), 100 (its softmax neighbours underflow to float 0) and 0 (ReLU's corner, the sigmoid's 1/2).
     */
    private static double[][] withExtremes(double[][] x) {
        double[] extremes = {-100, 100, 0};
        for (int j = 0; j < Math.min(extremes.length, x[0].length); j++) {
            x[0][j] = extremes[j];
        }
        return x;
    }

    private static int[] labels(Random rnd, int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(classes);
        }
        return y;
    }

    /** A matrix of {@code type} in {@code arena} holding {@code v} (which must be float-representable for float32). */
    static Matrix matrix(Arena arena, double[][] v, DType type) {
        Matrix m = Matrix.allocate(arena, v.length, v[0].length, type);
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v[i].length; j++) {
                m.set(i, j, v[i][j]);
            }
        }
        assertArrayEquals(flat(v), m.toArray(), 0.0, "inputs must be floats, held exactly");
        return m;
    }

    /** {@code [float32, float64]} matrices holding the same values. */
    private static Matrix[] both(Arena arena, double[][] v) {
        return new Matrix[]{matrix(arena, v, F32), matrix(arena, v, F64)};
    }

    private static Matrix[] bothZero(Arena arena, int n, int m) {
        return new Matrix[]{Matrix.allocate(arena, n, m, F32), Matrix.allocate(arena, n, m, F64)};
    }

    private static double[] flat(double[][] x) {
        return Stream.of(x).flatMapToDouble(Arrays::stream).toArray();
    }

    /**
     * The float32 result is (float) of the float64 one, bit for bit; the float64 one is within {@link #DOUBLE_REL}
     * (plus {@code slack}) of the reference; so the float32 one is within {@link #REL} (plus slack and
     * {@link #FLOOR}) of it.
     *
     * @param slack per element, an absolute allowance on top of the relative ones (column sums' summation
     *              error, {@link #sumSlack}), or null for none
     */
    static void assertRoundedOnce(String what, Matrix out32, Matrix out64, double[][] ref, double[][] slack) {
        assertEquals(F32, out32.dtype());
        assertEquals(F64, out64.dtype());
        double[][] r32 = out32.toArray2D();
        double[][] r64 = out64.toArray2D();
        for (int i = 0; i < ref.length; i++) {
            for (int j = 0; j < ref[i].length; j++) {
                int bits = Float.floatToIntBits((float) r32[i][j]);
                int rounded = Float.floatToIntBits((float) r64[i][j]);
                if (bits != rounded) {
                    fail(what + ": float32 element (" + i + ", " + j + ") is " + r32[i][j] + " but the float64 kernel's "
                            + r64[i][j] + " rounds to " + (double) (float) r64[i][j]);
                }
                double s = slack == null ? 0 : slack[i][j];
                double e = ref[i][j];
                double err64 = Math.abs(r64[i][j] - e);
                if (!(err64 <= DOUBLE_REL * Math.abs(e) + s + Double.MIN_VALUE)) {
                    fail(what + ": the float64 kernel's element (" + i + ", " + j + ") " + r64[i][j] + " is "
                            + err64 + " from the reference's " + e + ", beyond 2^−48 relative: the premise of the float32 bound");
                }
            }
        }
        assertWithinOneRounding(what, r32, ref, slack);
    }

    /** Each float32 element within {@link #REL}·|ref| + slack + {@link #FLOOR} of the reference's. */
    static void assertWithinOneRounding(String what, double[][] r32, double[][] ref, double[][] slack) {
        for (int i = 0; i < ref.length; i++) {
            for (int j = 0; j < ref[i].length; j++) {
                double e = ref[i][j];
                double err32 = Math.abs(r32[i][j] - e);
                double tol = REL * Math.abs(e) + (slack == null ? 0 : slack[i][j]) + FLOOR;
                if (!(err32 <= tol)) {
                    fail(what + ": float32 element (" + i + ", " + j + ") " + r32[i][j] + " is " + err32
                            + " from the reference's " + e + ", beyond one float rounding (" + tol + ")");
                }
            }
        }
    }

    /**
     * For column sums: the kernel adds the unrounded double values v_ij row after row; the reference adds its
     * own values ref_ij in the same order. Each v_ij is within 2^−48·|ref_ij| of ref_ij, and each of the two
     * double sums of n terms is within γ_n·Σ|ref_ij| of its exact value (γ_n = n·u/(1 − n·u), u = 2^−53): a sum
     * that cancels to near zero may keep only this absolute agreement, which is why the relative bound gets
     * (2^−47 + 2γ_n)·Σ_i|ref_ij| on top (2^−47 covering 2^−48 and the rounding of the slack itself).
     */
    static double[][] sumSlack(double[][] terms) {
        int n = terms.length;
        double gamma = n * 0x1p-53 / (1 - n * 0x1p-53);
        double[] s = new double[terms[0].length];
        for (double[] row : terms) {
            for (int j = 0; j < s.length; j++) {
                s[j] += Math.abs(row[j]);
            }
        }
        for (int j = 0; j < s.length; j++) {
            s[j] *= 0x1p-47 + 2 * gamma;
        }
        return new double[][]{s};
    }

    static double[][] columnSums(double[][] a) {
        double[] s = new double[a[0].length];
        for (double[] row : a) {
            for (int j = 0; j < s.length; j++) {
                s[j] += row[j];
            }
        }
        return new double[][]{s};
    }

    private static double[][] plusBias(double[][] x, double[] b) {
        double[][] z = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            z[i] = new double[b.length];
            for (int j = 0; j < b.length; j++) {
                z[i][j] = x[i][j] + b[j];
            }
        }
        return z;
    }

    /** The same float32 losses as float64's, exactly, and the float64 loss within 1e-12 of the reference's (the float64 tests' tolerance). */
    private static void assertLoss(String what, double loss32, double loss64, double referenceMean, int n) {
        assertEquals(loss64, loss32, 0.0, what + ": the float32 loss is the float64 kernel's, exactly (it is never rounded to float)");
        assertEquals(referenceMean, loss32 / n, 1e-12 * Math.max(1, Math.abs(referenceMean)), what + " against the reference");
    }

    @ParameterizedTest(name = "{0}×{1}")
    @MethodSource("shapes")
    void elementwiseKernelsAreTheReferenceRoundedOnce(int n, int m) {
        Random rnd = new Random(n * 31L + m);
        double[][] x = withExtremes(floats(rnd, n, m, 4)); // both tails of the sigmoid, both sides of ReLU
        double[][] dy = floats(rnd, n, m, 1);
        int[] y = labels(rnd, n, m);
        try (Arena arena = Arena.ofConfined()) {
            Matrix[] mx = both(arena, x), mdy = both(arena, dy), out = bothZero(arena, n, m), sums = bothZero(arena, 1, m);
            for (int t = 0; t < 2; t++) {
                Ops.sigmoid(out[t], mx[t]);
            }
            assertRoundedOnce("sigmoid", out[0], out[1], ReferenceMlp.sigmoid(x), null);
            // The backward kernels take the float32 forward output (floats) as their input, in both types.
            double[][] s = out[0].toArray2D();
            Matrix[] ms = both(arena, s), dx = bothZero(arena, n, m);
            for (int t = 0; t < 2; t++) {
                Ops.sigmoidBackward(dx[t], mdy[t], ms[t]);
            }
            assertRoundedOnce("sigmoid backward", dx[0], dx[1], ReferenceMlp.sigmoidBackward(dy, s), null);

            for (int t = 0; t < 2; t++) {
                Ops.relu(out[t], mx[t]);
            }
            assertRoundedOnce("relu", out[0], out[1], ReferenceMlp.relu(x), null);
            double[][] r = out[0].toArray2D();
            Matrix[] mr = both(arena, r);
            for (int t = 0; t < 2; t++) {
                Ops.reluBackward(dx[t], mdy[t], mr[t]);
            }
            // The reference's ReLU backward takes the forward input; its output is positive exactly where it is.
            assertRoundedOnce("relu backward", dx[0], dx[1], ReferenceMlp.reluBackward(dy, r), null);

            for (int t = 0; t < 2; t++) {
                Ops.softmaxRows(out[t], mx[t]);
            }
            assertRoundedOnce("softmax", out[0], out[1], ReferenceMlp.softmax(x), null);
            double[][] p = out[0].toArray2D();
            Matrix[] mp = both(arena, p);

            double ce32 = Ops.crossEntropySumFromLogits(mx[0], y, 0);
            double ce64 = Ops.crossEntropySumFromLogits(mx[1], y, 0);
            assertLoss("cross-entropy from logits", ce32, ce64, ReferenceMlp.crossEntropyFromLogits(x, y), n);

            for (int t = 0; t < 2; t++) {
                Ops.softmaxCrossEntropyBackward(dx[t], mp[t], y, 0, n);
            }
            assertRoundedOnce("softmax-CE backward", dx[0], dx[1], ReferenceMlp.softmaxCrossEntropyBackward(p, y), null);

            for (int t = 0; t < 2; t++) {
                Ops.columnSums(sums[t], mdy[t]);
            }
            assertRoundedOnce("column sums", sums[0], sums[1], columnSums(dy), sumSlack(dy));

            int[] argmax = ReferenceMlp.argmax(x);
            for (int i = 0; i < n; i++) {
                assertEquals(argmax[i], Ops.argmaxRow(mx[0], i), "argmax row " + i);
            }
            assertEquals(ReferenceMlp.accuracy(x, y), Ops.countCorrect(mx[0], y, 0) / (double) n, 0);
        }
    }

    @ParameterizedTest(name = "{0}×{1}")
    @MethodSource("shapes")
    void fusedKernelsAreTheReferenceRoundedOnce(int n, int m) {
        Random rnd = new Random(n * 37L + m);
        double[][] x = withExtremes(floats(rnd, n, m, 4));
        double[] b = floats(rnd, 1, m, 1)[0];
        double[][] dy = floats(rnd, n, m, 1);
        int offset = 3; // labels of row 0 at labels[3]: the offset counts in the labels, not the rows
        int[] all = labels(rnd, n + offset, m);
        int[] y = Arrays.copyOfRange(all, offset, offset + n);
        double[][] zb = plusBias(x, b); // x + b in double, the reference's affine output (not rounded)
        try (Arena arena = Arena.ofConfined()) {
            Matrix[] bias = both(arena, new double[][]{b}), mdy = both(arena, dy), sums = bothZero(arena, 1, m);
            Matrix[] z = both(arena, x);
            for (int t = 0; t < 2; t++) {
                Ops.addBias(z[t], bias[t]);
            }
            assertRoundedOnce("addBias", z[0], z[1], zb, null);

            z = both(arena, x);
            for (int t = 0; t < 2; t++) {
                Ops.biasSigmoid(z[t], bias[t]);
            }
            assertRoundedOnce("bias + sigmoid", z[0], z[1], ReferenceMlp.sigmoid(zb), null);
            double[][] s = z[0].toArray2D();
            Matrix[] ms = both(arena, s), dz = bothZero(arena, n, m);
            for (int t = 0; t < 2; t++) {
                Ops.sigmoidBackwardColumnSums(dz[t], mdy[t], ms[t], sums[t]);
            }
            double[][] ds = ReferenceMlp.sigmoidBackward(dy, s);
            assertRoundedOnce("sigmoid backward (fused)", dz[0], dz[1], ds, null);
            assertRoundedOnce("sigmoid backward's column sums", sums[0], sums[1], columnSums(ds), sumSlack(ds));

            z = both(arena, x);
            for (int t = 0; t < 2; t++) {
                Ops.biasRelu(z[t], bias[t]);
            }
            assertRoundedOnce("bias + relu", z[0], z[1], ReferenceMlp.relu(zb), null);
            double[][] r = z[0].toArray2D();
            Matrix[] mr = both(arena, r);
            for (int t = 0; t < 2; t++) {
                Ops.reluBackwardColumnSums(dz[t], mdy[t], mr[t], sums[t]);
            }
            double[][] dr = ReferenceMlp.reluBackward(dy, r);
            assertRoundedOnce("relu backward (fused)", dz[0], dz[1], dr, null);
            assertRoundedOnce("relu backward's column sums", sums[0], sums[1], columnSums(dr), sumSlack(dr));

            // The head: bias and labels, then each left out, then in place (probs = logits).
            double[][] pb = ReferenceMlp.softmax(zb);
            double[][] px = ReferenceMlp.softmax(x);
            Matrix[] probs = bothZero(arena, n, m);
            z = both(arena, x);
            double[] loss = new double[2];
            for (int t = 0; t < 2; t++) {
                loss[t] = Ops.softmaxCrossEntropy(probs[t], z[t], bias[t], all, offset);
            }
            assertRoundedOnce("bias + softmax (fused)", probs[0], probs[1], pb, null);
            assertRoundedOnce("the logits hold z = x + b on return", z[0], z[1], zb, null);
            assertLoss("cross-entropy (fused)", loss[0], loss[1], ReferenceMlp.crossEntropyFromLogits(zb, y), n);

            z = both(arena, x);
            for (int t = 0; t < 2; t++) {
                loss[t] = Ops.softmaxCrossEntropy(probs[t], z[t], null, all, offset);
            }
            assertRoundedOnce("softmax (fused, no bias)", probs[0], probs[1], px, null);
            assertArrayEquals(flat(x), z[0].toArray(), 0.0, "without a bias the logits are not written");
            assertLoss("cross-entropy (fused, no bias)", loss[0], loss[1], ReferenceMlp.crossEntropyFromLogits(x, y), n);

            z = both(arena, x);
            for (int t = 0; t < 2; t++) {
                loss[t] = Ops.softmaxCrossEntropy(probs[t], z[t], bias[t], null, 0);
                assertEquals(0.0, loss[t], "no labels, no loss");
            }
            assertRoundedOnce("bias + softmax (fused, no labels)", probs[0], probs[1], pb, null);
            assertRoundedOnce("the logits hold z = x + b on return (no labels)", z[0], z[1], zb, null);

            z = both(arena, x);
            for (int t = 0; t < 2; t++) {
                loss[t] = Ops.softmaxCrossEntropy(z[t], z[t], bias[t], all, offset);
            }
            assertRoundedOnce("bias + softmax in place", z[0], z[1], pb, null);
            assertLoss("cross-entropy in place", loss[0], loss[1], ReferenceMlp.crossEntropyFromLogits(zb, y), n);

            double[][] p = probs[0].toArray2D();
            Matrix[] mp = both(arena, p);
            for (int t = 0; t < 2; t++) {
                Ops.softmaxCrossEntropyBackwardColumnSums(dz[t], mp[t], all, offset, n, sums[t]);
            }
            double[][] dp = ReferenceMlp.softmaxCrossEntropyBackward(p, y);
            assertRoundedOnce("softmax-CE backward (fused)", dz[0], dz[1], dp, null);
            assertRoundedOnce("softmax-CE backward's column sums", sums[0], sums[1], columnSums(dp), sumSlack(dp));

            Matrix[] out = bothZero(arena, n, m);
            for (int t = 0; t < 2; t++) {
                Ops.broadcastRows(out[t], bias[t]);
            }
            double[][] rows = new double[n][];
            Arrays.fill(rows, b);
            assertRoundedOnce("broadcastRows", out[0], out[1], rows, null);
        }
    }

    /** Distinct doubles can round to one float: argmax then takes the first, as on any float32 scores. */
    @Test
    void argmaxSeesTheRoundedScores() {
        double[][] scores = {{1.0, 1 + 1e-12, 0.5}, {-3, -2, -2 - 1e-9}};
        try (Matrix s32 = Matrix.of(scores, F32); Matrix s64 = Matrix.of(scores)) {
            assertEquals(0, Ops.argmaxRow(s32, 0), "1 + 1e-12 is 1.0f: a tie, the first wins");
            assertEquals(1, Ops.argmaxRow(s64, 0));
            assertEquals(1, Ops.argmaxRow(s32, 1));
            assertEquals(1, Ops.argmaxRow(s64, 1));
            assertArrayEquals(ReferenceMlp.argmax(s32.toArray2D()), new int[]{Ops.argmaxRow(s32, 0), Ops.argmaxRow(s32, 1)});
            assertEquals(2, Ops.countCorrect(s32, new int[]{0, 1}, 0));
            assertEquals(1, Ops.countCorrect(s64, new int[]{0, 1}, 0));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Every kernel and variant as one case, for the checks that treat them alike.

    /**
     * One kernel call: {@code shapes} gives each matrix argument's shape ('F' n×m, 'R' 1×m); the call returns
     * what the kernel returns (a loss, the argmax of each row), or nothing.
     */
    record Case(String name, String shapes, Function<Matrix[], double[]> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final double[] NONE = new double[0];

    static List<Case> cases(int n, int m, int[] labels) {
        return List.of(
                new Case("broadcastRows", "FR", a -> { Ops.broadcastRows(a[0], a[1]); return NONE; }),
                new Case("sigmoid", "FF", a -> { Ops.sigmoid(a[0], a[1]); return NONE; }),
                new Case("sigmoid in place", "F", a -> { Ops.sigmoid(a[0], a[0]); return NONE; }),
                new Case("sigmoidBackward", "FFF", a -> { Ops.sigmoidBackward(a[0], a[1], a[2]); return NONE; }),
                new Case("sigmoidBackward in place", "FF", a -> { Ops.sigmoidBackward(a[0], a[0], a[1]); return NONE; }),
                new Case("relu", "FF", a -> { Ops.relu(a[0], a[1]); return NONE; }),
                new Case("reluBackward", "FFF", a -> { Ops.reluBackward(a[0], a[1], a[2]); return NONE; }),
                new Case("softmaxRows", "FF", a -> { Ops.softmaxRows(a[0], a[1]); return NONE; }),
                new Case("crossEntropySumFromLogits", "F", a -> new double[]{Ops.crossEntropySumFromLogits(a[0], labels, 1)}),
                new Case("softmaxCrossEntropyBackward", "FF", a -> { Ops.softmaxCrossEntropyBackward(a[0], a[1], labels, 1, n); return NONE; }),
                new Case("columnSums", "RF", a -> { Ops.columnSums(a[0], a[1]); return NONE; }),
                new Case("biasSigmoid", "FR", a -> { Ops.biasSigmoid(a[0], a[1]); return NONE; }),
                new Case("biasRelu", "FR", a -> { Ops.biasRelu(a[0], a[1]); return NONE; }),
                new Case("addBias", "FR", a -> { Ops.addBias(a[0], a[1]); return NONE; }),
                new Case("sigmoidBackwardColumnSums", "FFFR", a -> { Ops.sigmoidBackwardColumnSums(a[0], a[1], a[2], a[3]); return NONE; }),
                new Case("reluBackwardColumnSums", "FFFR", a -> { Ops.reluBackwardColumnSums(a[0], a[1], a[2], a[3]); return NONE; }),
                new Case("softmaxCrossEntropy with bias and labels", "FFR", a -> new double[]{Ops.softmaxCrossEntropy(a[0], a[1], a[2], labels, 1)}),
                new Case("softmaxCrossEntropy with labels", "FF", a -> new double[]{Ops.softmaxCrossEntropy(a[0], a[1], null, labels, 1)}),
                new Case("softmaxCrossEntropy with bias", "FFR", a -> new double[]{Ops.softmaxCrossEntropy(a[0], a[1], a[2], null, 0)}),
                new Case("softmaxCrossEntropy without either", "FF", a -> new double[]{Ops.softmaxCrossEntropy(a[0], a[1], null, null, 0)}),
                new Case("softmaxCrossEntropy in place", "FR", a -> new double[]{Ops.softmaxCrossEntropy(a[0], a[0], a[1], labels, 1)}),
                new Case("softmaxCrossEntropyBackwardColumnSums", "FFR",
                        a -> { Ops.softmaxCrossEntropyBackwardColumnSums(a[0], a[1], labels, 1, n, a[2]); return NONE; }),
                new Case("argmaxRow", "F", a -> {
                    double[] best = new double[n];
                    for (int i = 0; i < n; i++) {
                        best[i] = Ops.argmaxRow(a[0], i);
                    }
                    return best;
                }),
                new Case("countCorrect", "F", a -> new double[]{Ops.countCorrect(a[0], labels, 1)}));
    }

    static Stream<Arguments> shapesAndCases() {
        return shapes().flatMap(s -> {
            int n = (int) s.get()[0], m = (int) s.get()[1];
            return cases(n, m, new int[n + 1]).stream().map(c -> Arguments.of(n, m, c.name()));
        });
    }

    /** The cases that take more than one matrix: the ones whose types can differ. */
    static Stream<Arguments> shapesAndMixableCases() {
        return shapes().flatMap(s -> {
            int n = (int) s.get()[0], m = (int) s.get()[1];
            return cases(n, m, new int[n + 1]).stream().filter(c -> c.shapes().length() > 1).map(c -> Arguments.of(n, m, c.name()));
        });
    }

    private static Case find(int n, int m, int[] labels, String name) {
        return cases(n, m, labels).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** Each argument's values: random floats (x4, so the sigmoid's tails and ReLU's both sides are reached). */
    private static double[][][] inputs(long seed, int n, int m, String shapes) {
        Random rnd = new Random(seed);
        double[][][] v = new double[shapes.length()][][];
        for (int p = 0; p < v.length; p++) {
            v[p] = withExtremes(floats(rnd, shapes.charAt(p) == 'R' ? 1 : n, m, 4));
        }
        return v;
    }

    /**
     * Every kernel and variant (in place, with and without bias or labels) on float32 inputs: each matrix
     * afterwards, inputs and outputs, holds bit for bit (float) of what the float64 kernel leaves in it from the
     * same values, and the returned losses and argmaxes are the float64 kernel's, exactly.
     */
    @ParameterizedTest(name = "{0}×{1} {2}")
    @MethodSource("shapesAndCases")
    void float32IsTheFloat64KernelRoundedOnce(int n, int m, String name) {
        int[] labels = labels(new Random(n + m), n + 1, m);
        Case c = find(n, m, labels, name);
        double[][][] v = inputs(n * 7L + m, n, m, c.shapes());
        try (Arena arena = Arena.ofConfined()) {
            Matrix[] a32 = new Matrix[v.length], a64 = new Matrix[v.length];
            for (int p = 0; p < v.length; p++) {
                a32[p] = matrix(arena, v[p], F32);
                a64[p] = matrix(arena, v[p], F64);
            }
            double[] r32 = c.call().apply(a32);
            double[] r64 = c.call().apply(a64);
            assertArrayEquals(r64, r32, 0.0, name + ": what the kernel returns");
            for (int p = 0; p < v.length; p++) {
                double[] got = a32[p].toArray(), want = a64[p].toArray();
                for (int i = 0; i < got.length; i++) {
                    if (Float.floatToIntBits((float) got[i]) != Float.floatToIntBits((float) want[i])) {
                        fail(name + ": argument " + p + ", element " + i + " is " + got[i] + " in float32 but "
                                + want[i] + " in float64, which rounds to " + (double) (float) want[i]);
                    }
                }
            }
        }
    }

    /**
     * Every kernel with one matrix of the other type, in each position and from each side: an
     * IllegalArgumentException naming both types, thrown before anything is written. (crossEntropySumFromLogits,
     * argmaxRow, countCorrect and the one-matrix in-place calls take a single matrix: nothing to mix.)
     */
    @ParameterizedTest(name = "{0}×{1} {2}")
    @MethodSource("shapesAndMixableCases")
    void mixedTypesAreRefusedNamingBoth(int n, int m, String name) {
        int[] labels = labels(new Random(n + m), n + 1, m);
        Case c = find(n, m, labels, name);
        double[][][] v = inputs(n * 11L + m, n, m, c.shapes());
        for (DType base : DType.values()) {
            DType other = base == F32 ? F64 : F32;
            for (int odd = 0; odd < v.length; odd++) {
                try (Arena arena = Arena.ofConfined()) {
                    Matrix[] args = new Matrix[v.length];
                    for (int p = 0; p < v.length; p++) {
                        args[p] = matrix(arena, v[p], p == odd ? other : base);
                    }
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.call().apply(args),
                            name + " with argument " + (odd) + " in " + other + " and the rest in " + base);
                    String msg = e.getMessage();
                    assertTrue(msg.contains("float32") && msg.contains("float64") && msg.contains("element types differ"),
                            () -> name + ": message '" + msg + "' does not name both types");
                    for (int p = 0; p < v.length; p++) {
                        assertArrayEquals(flat(v[p]), args[p].toArray(), 0.0, name + ": argument " + p + " was written before the refusal");
                    }
                }
            }
        }
    }

    /**
     * Float32 views with strides and row offsets: each argument a view starting one row into a wrapped matrix
     * whose rows are 3 floats longer than the view's, every float around the views holding a NaN sentinel. The
     * results are bit for bit those on contiguous float32 matrices, and no sentinel changes.
     */
    @ParameterizedTest(name = "{0}×{1} {2}")
    @MethodSource("shapesAndCases")
    void stridedFloat32ViewsGiveTheContiguousResults(int n, int m, String name) {
        int[] labels = labels(new Random(n + m), n + 1, m);
        Case c = find(n, m, labels, name);
        double[][][] v = inputs(n * 13L + m, n, m, c.shapes());
        int sentinel = 0x7fc1_2345; // a quiet NaN with a payload no kernel writes
        int stride = m + 3;
        try (Arena arena = Arena.ofConfined()) {
            Matrix[] plain = new Matrix[v.length], views = new Matrix[v.length];
            MemorySegment[] segments = new MemorySegment[v.length];
            for (int p = 0; p < v.length; p++) {
                plain[p] = matrix(arena, v[p], F32);
                int rows = v[p].length;
                segments[p] = arena.allocate(4L * (rows + 2) * stride, 4);
                for (long i = 0; i < (long) (rows + 2) * stride; i++) {
                    segments[p].setAtIndex(ValueLayout.JAVA_INT, i, sentinel);
                }
                Matrix whole = Matrix.wrap(segments[p], rows + 2, m, stride, F32);
                views[p] = whole.rowView(1, rows + 1);
                assertEquals(stride, views[p].stride());
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < m; j++) {
                        views[p].set(i, j, v[p][i][j]);
                    }
                }
            }
            assertArrayEquals(c.call().apply(plain), c.call().apply(views), 0.0, name + ": what the kernel returns");
            for (int p = 0; p < v.length; p++) {
                double[] want = plain[p].toArray(), got = views[p].toArray();
                for (int i = 0; i < want.length; i++) {
                    assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]),
                            name + ": argument " + p + ", element " + i + " through a strided view");
                }
                int rows = v[p].length;
                for (int i = 0; i < rows + 2; i++) {
                    for (int j = 0; j < stride; j++) {
                        boolean inView = i >= 1 && i <= rows && j < m;
                        if (!inView) {
                            assertEquals(sentinel, segments[p].getAtIndex(ValueLayout.JAVA_INT, (long) i * stride + j),
                                    name + ": argument " + p + " wrote outside its view at (" + (i - 1) + ", " + j + ")");
                        }
                    }
                }
            }
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * "No kernel allocates" ({@link Ops}), for float32 too, whose rows pass through one more scratch array: once
     * warm, 200 rounds of every kernel allocate nothing, measured with the thread's allocation counter in three
     * windows as SteadyStateAllocationTest does for whole training steps (an allocation every round would show in
     * each window; a one-off event of the JVM in one at most).
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void kernelsAllocateNothingOnceWarm(DType type) {
        assertTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count allocated bytes per thread");
        int n = 32, m = 50;
        Random rnd = new Random(5);
        int[] y = labels(rnd, n, m);
        try (Arena arena = Arena.ofConfined()) {
            Matrix x = matrix(arena, floats(rnd, n, m, 4), type);
            Matrix dy = matrix(arena, floats(rnd, n, m, 1), type);
            Matrix bias = matrix(arena, floats(rnd, 1, m, 1), type);
            Matrix z = Matrix.allocate(arena, n, m, type), out = Matrix.allocate(arena, n, m, type);
            Matrix dz = Matrix.allocate(arena, n, m, type), sums = Matrix.allocate(arena, 1, m, type);
            double[] sink = new double[1];
            Runnable round = () -> {
                Ops.broadcastRows(z, bias);
                Ops.addBias(z, bias);
                Ops.biasSigmoid(z, bias);
                Ops.sigmoid(out, x);
                Ops.sigmoidBackward(dz, dy, out);
                Ops.sigmoidBackwardColumnSums(dz, dy, out, sums);
                Ops.biasRelu(z, bias);
                Ops.relu(out, x);
                Ops.reluBackward(dz, dy, out);
                Ops.reluBackwardColumnSums(dz, dy, out, sums);
                Ops.columnSums(sums, dy);
                Ops.softmaxRows(out, x);
                sink[0] += Ops.crossEntropySumFromLogits(x, y, 0);
                sink[0] += Ops.softmaxCrossEntropy(out, x, null, y, 0);
                z.copyFrom(x);
                sink[0] += Ops.softmaxCrossEntropy(out, z, bias, y, 0);
                sink[0] += Ops.softmaxCrossEntropy(out, z, bias, null, 0);
                Ops.softmaxCrossEntropyBackward(dz, out, y, 0, n);
                Ops.softmaxCrossEntropyBackwardColumnSums(dz, out, y, 0, n, sums);
                sink[0] += Ops.argmaxRow(out, 3) + Ops.countCorrect(out, y, 0);
            };
            for (int i = 0; i < 3000; i++) {
                round.run();
            }
            long[] windows = new long[3];
            for (int w = 0; w < windows.length; w++) {
                long before = THREADS.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 200; i++) {
                    round.run();
                }
                windows[w] = THREADS.getCurrentThreadAllocatedBytes() - before;
            }
            assertTrue(Double.isFinite(sink[0]));
            long least = Math.min(windows[0], Math.min(windows[1], windows[2]));
            assertTrue(least <= 256, type + ": bytes allocated by each window of 200 rounds of every kernel: " + Arrays.toString(windows));
        }
    }

    /** The tolerance is not vacuous: rounding towards zero instead of to nearest (an error up to 2^−23) leaves it. */
    @Test
    void theToleranceCatchesRoundingTowardsZero() {
        Random rnd = new Random(9);
        double[][] x = floats(rnd, 40, 50, 4);
        double[][] ref = ReferenceMlp.sigmoid(x);
        double[][] truncated = new double[40][50];
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 50; j++) {
                float f = (float) ref[i][j];
                truncated[i][j] = Math.abs(f) > Math.abs(ref[i][j]) ? Math.nextDown(f) : f;
            }
        }
        AssertionError e = assertThrows(AssertionError.class, () -> assertWithinOneRounding("truncated", truncated, ref, null));
        assertTrue(e.getMessage().contains("beyond one float rounding"), e.getMessage());
        double[][] nearest = new double[40][];
        for (int i = 0; i < 40; i++) {
            nearest[i] = new double[50];
            for (int j = 0; j < 50; j++) {
                nearest[i][j] = (float) ref[i][j];
            }
        }
        assertWithinOneRounding("rounded to nearest", nearest, ref, null);
    }
}
