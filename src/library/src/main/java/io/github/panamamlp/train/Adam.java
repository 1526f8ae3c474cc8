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

    /** Parameters per chunk of the update: a chunk's four heap arrays take 2 KB each. */
    static final int CHUNK = 256;

    /**
     * Up to this many parameters (32 MB of moments), m and v live on the Java heap; above it, in the arena,
     * so a large model's optimizer state cannot exhaust a small heap.
     */
    static final long HEAP_STATE_LIMIT = 1L << 21;

    /**
     * {@inheritDoc}
     *
     * <p>The moments m and v live on the Java heap, in chunks, for up to {@value #HEAP_STATE_LIMIT} parameters
     * (they are then garbage once the updater is unreachable), and in {@code arena} above that.
     */
    @Override
    public Updater newUpdater(Arena arena, long parameterCount, DType dtype) {
        return newUpdater(arena, parameterCount, dtype, HEAP_STATE_LIMIT);
    }

    /** As {@link #newUpdater(Arena, long, DType)}, with the moments on the heap up to {@code heapStateLimit} parameters. */
    Updater newUpdater(Arena arena, long parameterCount, DType dtype, long heapStateLimit) {
        return parameterCount <= heapStateLimit ? new HeapStateUpdater(parameterCount, dtype)
                : new NativeStateUpdater(arena, parameterCount, dtype);
    }

    /*
     * Why chunks of heap arrays: C2 (JDK 25) vectorises loops over double[] but not over native segments (measured:
     * not even a loop over a single segment), and Adam's square root and division are slow enough that copying the
     * parameters and gradients chunk by chunk into heap arrays, and running the arithmetic there as SIMD, pays for
     * the copies. Each chunk's moments are an array of their own, indexed like the chunk, which C2 needs to prove
     * that no two arrays of the loop overlap at a different index. UpdateBenchmark (39,760 parameters, 2-core Xeon,
     * JDK 25): the plain loop over segments takes about 3.8 ns a parameter, moments staged from native memory
     * 2.9 ns, moments on the heap 2.2 ns.
     */

    /** Shared by both layouts of the moments: the step count and the per-step constants. */
    private abstract class ChunkedUpdater implements Updater {
        final long count;
        final DType dtype;
        final double[] pBuf = new double[CHUNK];
        final double[] gBuf = new double[CHUNK];
        /** Scratch for float32 chunks on their way in and out. */
        final float[] fBuf = new float[CHUNK];
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
                int len = (int) Math.min(CHUNK, count - start);
                Blocks.load(params, dtype, start, pBuf, fBuf, len);
                Blocks.load(grads, dtype, start, gBuf, fBuf, len);
                updateChunk(chunk, start * Double.BYTES, len, lrT);
                Blocks.store(pBuf, params, dtype, start, fBuf, len);
            }
        }

        /** Updates pBuf[0..len) from gBuf and chunk {@code chunk}'s moments (at byte {@code offset} of the state). */
        abstract void updateChunk(int chunk, long offset, int len, double lrT);

        final void step(double[] m, double[] v, int len, double lrT) {
            Adam.step(pBuf, gBuf, m, v, len, beta1, beta2, 1 - beta1, 1 - beta2, lrT, epsilon);
        }

        @Override
        public final long steps() {
            return t;
        }
    }

    /** m and v as heap arrays of {@link #CHUNK} values each: nothing to copy but the parameters and gradients. */
    private final class HeapStateUpdater extends ChunkedUpdater {
        private final double[][] m;
        private final double[][] v;

        HeapStateUpdater(long count, DType dtype) {
            super(count, dtype);
            int chunks = (int) ((count + CHUNK - 1) / CHUNK);
            m = new double[chunks][CHUNK];
            v = new double[chunks][CHUNK];
        }

        @Override
        void updateChunk(int chunk, long offset, int len, double lrT) {
            step(m[chunk], v[chunk], len, lrT);
        }
    }

    /** m and v in the arena, copied through heap arrays chunk by chunk. */
    private final class NativeStateUpdater extends ChunkedUpdater {
        private final MemorySegment m;
        private final MemorySegment v;
        private final double[] mBuf = new double[CHUNK];
        private final double[] vBuf = new double[CHUNK];

        NativeStateUpdater(Arena arena, long count, DType dtype) {
            super(count, dtype);
            m = arena.allocate(count * Double.BYTES, 64);
            v = arena.allocate(count * Double.BYTES, 64);
        }

        @Override
        void updateChunk(int chunk, long offset, int len, double lrT) {
            MemorySegment.copy(m, D, offset, mBuf, 0, len);
            MemorySegment.copy(v, D, offset, vBuf, 0, len);
            step(mBuf, vBuf, len, lrT);
            MemorySegment.copy(mBuf, 0, m, D, offset, len);
            MemorySegment.copy(vBuf, 0, v, D, offset, len);
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
}
