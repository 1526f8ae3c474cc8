package io.github.panamamlp.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * The element type of a {@link Matrix}, fixed when it is allocated: IEEE 754 binary64 ({@code double}) or
 * binary32 ({@code float}). Float64 is the default everywhere; float32 halves the bytes per value and runs
 * the matrix products through {@code cblas_sgemm}, which does about twice the work per second.
 *
 * <p>Whatever the storage type, the library's element-wise kernels compute in {@code double} and round once
 * when they store a float32 result: a float32 op's value is the float64 op's value rounded to the nearest
 * float, so the two types differ only by the rounding of what is stored and by the products' own float32
 * arithmetic.
 */
public enum DType {
    /** 32-bit IEEE 754 floats ({@code <f4} in numpy's notation). */
    FLOAT32(Float.BYTES, "float32", "<f4"),
    /** 64-bit IEEE 754 doubles ({@code <f8}): the default. */
    FLOAT64(Double.BYTES, "float64", "<f8");

    private final int bytes;
    private final String label;
    private final String numpyDescr;

    DType(int bytes, String label, String numpyDescr) {
        this.bytes = bytes;
        this.label = label;
        this.numpyDescr = numpyDescr;
    }

    /** {@return the bytes per element: 4 or 8} */
    public int bytes() {
        return bytes;
    }

    /** {@return the name users write and files record: "float32" or "float64" (numpy's names)} */
    public String label() {
        return label;
    }

    /** {@return numpy's little-endian type string: "&lt;f4" or "&lt;f8"} */
    public String numpyDescr() {
        return numpyDescr;
    }

    /** {@return the native-order memory layout of one element} */
    public ValueLayout layout() {
        return this == FLOAT32 ? ValueLayout.JAVA_FLOAT : ValueLayout.JAVA_DOUBLE;
    }

    /**
     * Element {@code index} of a segment holding elements of this type, widened to double (exact for float32).
     *
     * @param s     the memory
     * @param index the element's index, counted in elements of this type
     * @return its value
     */
    public double get(MemorySegment s, long index) {
        return this == FLOAT32 ? s.getAtIndex(ValueLayout.JAVA_FLOAT, index) : s.getAtIndex(ValueLayout.JAVA_DOUBLE, index);
    }

    /**
     * Writes {@code v} as element {@code index} of a segment holding elements of this type, rounded to the
     * nearest float for float32.
     *
     * @param s     the memory
     * @param index the element's index, counted in elements of this type
     * @param v     the value
     */
    public void set(MemorySegment s, long index, double v) {
        if (this == FLOAT32) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, index, (float) v);
        } else {
            s.setAtIndex(ValueLayout.JAVA_DOUBLE, index, v);
        }
    }

    /**
     * The type named {@code name}: "float32" or "float64" (also "f32"/"f64", any case).
     *
     * @param name the name
     * @return the type
     * @throws IllegalArgumentException if the name is neither
     */
    public static DType parse(String name) {
        if (name != null) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "float32", "f32", "single" -> {
                    return FLOAT32;
                }
                case "float64", "f64", "double" -> {
                    return FLOAT64;
                }
                default -> {
                }
            }
        }
        throw new IllegalArgumentException("unknown element type '" + name + "': expected float32 or float64");
    }

    @Override
    public String toString() {
        return label;
    }
}
