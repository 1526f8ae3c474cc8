package io.github.panamamlp.train;

import io.github.panamamlp.tensor.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Chunks of a model's flat parameter or gradient block staged through heap arrays of {@code double}, for the
 * updaters: float32 values are widened on the way in and rounded once on the way out, so an update computes
 * in double whatever the model's type, and a float32 parameter after a step is the double result rounded to
 * the nearest float. The optimizers' own state (velocities, moments) stays in double for both types: it is
 * small next to the data, and keeping it exact means the two types differ only by the rounding of what the
 * network itself reads.
 */
final class Blocks {
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    private Blocks() {
    }

    /** dst[0..len) = elements [start, start+len) of s, widened; tmp (≥ len) is scratch for float32. */
    static void load(MemorySegment s, DType type, long start, double[] dst, float[] tmp, int len) {
        if (type == DType.FLOAT64) {
            MemorySegment.copy(s, D, start * Double.BYTES, dst, 0, len);
        } else {
            MemorySegment.copy(s, F, start * Float.BYTES, tmp, 0, len);
            for (int i = 0; i < len; i++) {
                dst[i] = tmp[i];
            }
        }
    }

    /** Elements [start, start+len) of s = src[0..len), rounded to float for float32; tmp (≥ len) is scratch. */
    static void store(double[] src, MemorySegment s, DType type, long start, float[] tmp, int len) {
        if (type == DType.FLOAT64) {
            MemorySegment.copy(src, 0, s, D, start * Double.BYTES, len);
        } else {
            for (int i = 0; i < len; i++) {
                tmp[i] = (float) src[i];
            }
            MemorySegment.copy(tmp, 0, s, F, start * Float.BYTES, len);
        }
    }
}
