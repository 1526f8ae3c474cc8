package io.github.panamamlp.train;

import io.github.panamamlp.tensor.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Adam with Keras's bias correction: at step t,
 * m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; lr_t = lr·√(1−β2^t)/(1−β1^t); p −= lr_t·m/(√v + ε).
 * ε is added to √v unscaled, as Keras does (not to the bias-corrected √v̂ as in the paper).
 *
 * @param learningRate lr, positive and finite
 * @param beta1        the decay of the first moment m, in [0, 1)
 * @param beta2        the decay of the second moment v, in [0, 1)
 * @param epsilon      added to √v, positive and finite
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon) implements Optimizer {
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    /** Keras's defaults: lr 1e-3, β1 0.9, β2 0.999, ε 1e-7. */
    public Adam() {
        this(1e-3, 0.9, 0.999, 1e-7);
    }

    /**
     * Keras's defaults with another learning rate.
     *
     * @param learningRate lr, positive and finite
     */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-7);
    }

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a value is outside its range
     */
    public Adam {
        checkRate(learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam's β1 and β2 must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("Adam's ε must be positive, got " + epsilon);
        }
    }

    static void checkRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + lr);
        }
    }

    @Override
    public String describe() {
        return "adam(lr=" + learningRate + ", β1=" + beta1 + ", β2=" + beta2 + ", ε=" + epsilon + ")";
    }

    /**
     * Parameters per chunk of the update: a chunk's four heap arrays take 8 KB each in float64, 4 KB in float32.
     * UpdateBenchmark (39,760 parameters, AMD EPYC 2-vCPU, JDK 25): float32 updates took 27.8 µs with chunks of
     * 256, 20.9 µs with 1,024 and 20.0 µs with 4,096 (fewer copies, each with its fixed checks); float64 ones
     * 53–57 µs whatever the size, bound by the square roots and divisions.
     */
    static final int CHUNK = 1024;

    /**
     * Up to this many parameters (32 MB of float64 moments), m and v live on the Java heap; above it, in the
     * arena, so a large model's optimizer state cannot exhaust a small heap.
     */
    static final long HEAP_STATE_LIMIT = 1L << 21;

    /**
     * {@inheritDoc}
     *
     * <p>The moments m and v have the parameters' type. They live on the Java heap, in chunks, for up to
     * {@value #HEAP_STATE_LIMIT} parameters (they are then garbage once the updater is unreachable), and in
     * {@code arena} above that.
     */
    @Override
    public Updater newUpdater(Arena arena, long parameterCount, DType dtype) {
        return newUpdater(arena, parameterCount, dtype, HEAP_STATE_LIMIT);
    }

    /** As {@link #newUpdater(Arena, long, DType)}, with the moments on the heap up to {@code heapStateLimit} parameters. */
    Updater newUpdater(Arena arena, long parameterCount, DType dtype, long heapStateLimit) {
        boolean onHeap = parameterCount <= heapStateLimit;
        return dtype == DType.FLOAT64 ? new Updater64(arena, parameterCount, onHeap) : new Updater32(arena, parameterCount, onHeap);
    }

    /*
     * Why chunks of heap arrays: C2 (JDK 25) vectorises loops over double[] but not over native segments (measured:
     * not even a loop over a single segment), and Adam's square root and division are slow enough that copying the
     * parameters and gradients chunk by chunk into heap arrays, and running the arithmetic there as SIMD, pays for
     * the copies. Each chunk's moments are an array of their own, indexed like the chunk, which C2 needs to prove
     * that no two arrays of the loop overlap at a different index. UpdateBenchmark (39,760 parameters, 2-core Xeon,
     * JDK 25): the plain loop over segments takes about 3.8 ns a parameter, moments staged from native memory
     * 2.9 ns, moments on the heap 2.2 ns.
     *
     * Why float32 moments and float32 arithmetic for a float32 model (as Keras and PyTorch do): the square root
     * and the division are what an update costs, and a SIMD register holds twice as many floats; the update
     * term lr_t·m/(√v + ε) is about 10^-3 of a parameter, so its own float rounding (6·10^-8 of it) is far below
     * the rounding of the float32 parameter it is added to.
     */

    /** Shared by both types: the step count and the per-step constants, chunk by chunk. */
    private abstract class ChunkedUpdater implements Updater {
        final long count;
        final DType dtype;
        long t;

        ChunkedUpdater(long count, DType dtype) {
            this.count = count;
            this.dtype = dtype;
        }

        @Override
        public final void update(MemorySegment params, MemorySegment grads) {
            Optimizer.checkBlock("parameters", params, count, dtype);
            Optimizer.checkBlock("gradients", grads, count, dtype);
            t++;
            double lrT = learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
            int chunk = 0;
            for (long start = 0; start < count; start += CHUNK, chunk++) {
                updateChunk(params, grads, chunk, start, (int) Math.min(CHUNK, count - start), lrT);
            }
        }

        /** Updates parameters [start, start+len) from their gradients and chunk {@code chunk}'s moments. */
        abstract void updateChunk(MemorySegment params, MemorySegment grads, int chunk, long start, int len, double lrT);

        @Override
        public final long steps() {
            return t;
        }
    }

    /** Float64 parameters and moments; the moments as heap arrays of {@link #CHUNK} values each, or in the arena. */
    private final class Updater64 extends ChunkedUpdater {
        private final double[][] m;
        private final double[][] v;
        private final MemorySegment mNative;
        private final MemorySegment vNative;
        private final double[] pBuf = new double[CHUNK];
        private final double[] gBuf = new double[CHUNK];
        private final double[] mBuf;
        private final double[] vBuf;

        Updater64(Arena arena, long count, boolean onHeap) {
            super(count, DType.FLOAT64);
            int chunks = (int) ((count + CHUNK - 1) / CHUNK);
            m = onHeap ? new double[chunks][CHUNK] : null;
            v = onHeap ? new double[chunks][CHUNK] : null;
            mNative = onHeap ? null : arena.allocate(count * Double.BYTES, 64);
            vNative = onHeap ? null : arena.allocate(count * Double.BYTES, 64);
            mBuf = onHeap ? null : new double[CHUNK];
            vBuf = onHeap ? null : new double[CHUNK];
        }

        @Override
        void updateChunk(MemorySegment params, MemorySegment grads, int chunk, long start, int len, double lrT) {
            long offset = start * Double.BYTES;
            MemorySegment.copy(params, D, offset, pBuf, 0, len);
            MemorySegment.copy(grads, D, offset, gBuf, 0, len);
            if (m != null) {
                step(pBuf, gBuf, m[chunk], v[chunk], len, beta1, beta2, 1 - beta1, 1 - beta2, lrT, epsilon);
            } else {
                MemorySegment.copy(mNative, D, offset, mBuf, 0, len);
                MemorySegment.copy(vNative, D, offset, vBuf, 0, len);
                step(pBuf, gBuf, mBuf, vBuf, len, beta1, beta2, 1 - beta1, 1 - beta2, lrT, epsilon);
                MemorySegment.copy(mBuf, 0, mNative, D, offset, len);
                MemorySegment.copy(vBuf, 0, vNative, D, offset, len);
            }
            MemorySegment.copy(pBuf, 0, params, D, offset, len);
        }
    }

    /** Float32 parameters and moments, laid out as in {@link Updater64}. */
    private final class Updater32 extends ChunkedUpdater {
        private final float[][] m;
        private final float[][] v;
        private final MemorySegment mNative;
        private final MemorySegment vNative;
        private final float[] pBuf = new float[CHUNK];
        private final float[] gBuf = new float[CHUNK];
        private final float[] mBuf;
        private final float[] vBuf;

        Updater32(Arena arena, long count, boolean onHeap) {
            super(count, DType.FLOAT32);
            int chunks = (int) ((count + CHUNK - 1) / CHUNK);
            m = onHeap ? new float[chunks][CHUNK] : null;
            v = onHeap ? new float[chunks][CHUNK] : null;
            mNative = onHeap ? null : arena.allocate(count * Float.BYTES, 64);
            vNative = onHeap ? null : arena.allocate(count * Float.BYTES, 64);
            mBuf = onHeap ? null : new float[CHUNK];
            vBuf = onHeap ? null : new float[CHUNK];
        }

        @Override
        void updateChunk(MemorySegment params, MemorySegment grads, int chunk, long start, int len, double lrT) {
            long offset = start * Float.BYTES;
            MemorySegment.copy(params, F, offset, pBuf, 0, len);
            MemorySegment.copy(grads, F, offset, gBuf, 0, len);
            float b1 = (float) beta1, b2 = (float) beta2, c1 = (float) (1 - beta1), c2 = (float) (1 - beta2);
            if (m != null) {
                step(pBuf, gBuf, m[chunk], v[chunk], len, b1, b2, c1, c2, (float) lrT, (float) epsilon);
            } else {
                MemorySegment.copy(mNative, F, offset, mBuf, 0, len);
                MemorySegment.copy(vNative, F, offset, vBuf, 0, len);
                step(pBuf, gBuf, mBuf, vBuf, len, b1, b2, c1, c2, (float) lrT, (float) epsilon);
                MemorySegment.copy(mBuf, 0, mNative, F, offset, len);
                MemorySegment.copy(vBuf, 0, vNative, F, offset, len);
            }
            MemorySegment.copy(pBuf, 0, params, F, offset, len);
        }
    }

    /**
     * Adam on one chunk of heap arrays (a loop C2 vectorises): m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
     * p −= lr_t·m/(√v + ε). Java does not reorder or fuse floating-point operations, vectorised or not, so
     * the results are bit-identical to the same loop over the segments. The four arrays must be distinct.
     */
    static void step(double[] p, double[] g, double[] m, double[] v, int len,
                     double b1, double b2, double c1, double c2, double lrT, double eps) {
        for (int i = 0; i < len; i++) {
            double gi = g[i];
            double mi = b1 * m[i] + c1 * gi;
            double vi = b2 * v[i] + c2 * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            p[i] = p[i] - lrT * mi / (Math.sqrt(vi) + eps);
        }
    }

    /** The same in float: (float) Math.sqrt of a float is exactly the float square root, which C2 compiles as one. */
    static void step(float[] p, float[] g, float[] m, float[] v, int len,
                     float b1, float b2, float c1, float c2, float lrT, float eps) {
        for (int i = 0; i < len; i++) {
            float gi = g[i];
            float mi = b1 * m[i] + c1 * gi;
            float vi = b2 * v[i] + c2 * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            p[i] = p[i] - lrT * mi / ((float) Math.sqrt(vi) + eps);
        }
    }
}
