package io.github.panamamlp.bench;

import io.github.panamamlp.tensor.DType;

import java.util.ArrayList;
import java.util.List;

/**
 * The timings of one GEMM shape on one side (the C program, or Java through FFM), in one element type, at one
 * thread count.
 *
 * @param shape          the product timed
 * @param side           {@value #C} for the C program, {@value #FFM} for {@code Blas.openBlas()} from Java
 * @param dtype          the element type of the operands: float64 runs {@code cblas_dgemm}, float32 {@code cblas_sgemm}
 * @param threads        the OpenBLAS thread count the side reported while timing
 * @param callsPerRep    calls in each timed repetition
 * @param secondsPerCall one sample per repetition: its time divided by its calls
 * @param checksum       Σ C[i][j]·((7i + 3j) mod 11 + 1) of the result, to check both sides computed the same
 * @param checksumAbs    the same sum over |C[i][j]|, the scale for comparing checksums
 */
public record Measurement(GemmShape shape, String side, DType dtype, int threads, long callsPerRep, List<Double> secondsPerCall,
                          double checksum, double checksumAbs) {
    /** The side name of the C program. */
    public static final String C = "c";
    /** The side name of {@code Blas.openBlas()} measured from Java. */
    public static final String FFM = "ffm";

    /** Checks that there is at least one sample and every sample is a positive, finite time. */
    public Measurement {
        java.util.Objects.requireNonNull(dtype, "dtype");
        secondsPerCall = List.copyOf(secondsPerCall);
        if (secondsPerCall.isEmpty()) {
            throw new IllegalArgumentException("a measurement of " + shape.spec() + " needs at least one sample");
        }
        for (double s : secondsPerCall) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("a time per call must be positive and finite, got " + s + " for " + shape.spec());
            }
        }
        if (callsPerRep < 1) {
            throw new IllegalArgumentException("calls per repetition must be at least 1, got " + callsPerRep);
        }
    }

    /** A float64 measurement ({@code cblas_dgemm}), the default type. */
    public Measurement(GemmShape shape, String side, int threads, long callsPerRep, List<Double> secondsPerCall,
                       double checksum, double checksumAbs) {
        this(shape, side, DType.FLOAT64, threads, callsPerRep, secondsPerCall, checksum, checksumAbs);
    }

    /** {@return the OpenBLAS routine of an element type: {@code cblas_dgemm} for float64, {@code cblas_sgemm} for float32} */
    public static String routine(DType dtype) {
        return dtype == DType.FLOAT32 ? "cblas_sgemm" : "cblas_dgemm";
    }

    /** {@return the median sample, in seconds per call (the mean of the middle two for an even count)} */
    public double medianSeconds() {
        return Stats.median(secondsPerCall);
    }

    /**
     * How noisy the samples are: their interquartile range divided by their median (0 when all agree).
     * A difference between two sides smaller than this is not a difference the run can show.
     */
    public double relativeSpread() {
        return Stats.relativeSpread(secondsPerCall);
    }

    /** {@return the fastest sample, in seconds per call} */
    public double minSeconds() {
        return secondsPerCall.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    /** {@return 10⁹ floating-point operations per second at the median time: {@code 2·m·n·k / median / 1e9}} */
    public double gflopsMedian() {
        return shape.flops() / medianSeconds() / 1e9;
    }

    /** {@return 10⁹ floating-point operations per second at the fastest time} */
    public double gflopsMax() {
        return shape.flops() / minSeconds() / 1e9;
    }

    /** {@return the median time of one call in nanoseconds} */
    public double nsPerCallMedian() {
        return medianSeconds() * 1e9;
    }

    /**
     * One measurement holding the samples of all of {@code parts}, e.g. the rounds of an interleaved run.
     *
     * @throws IllegalArgumentException if the parts differ in product, side, thread count, calls per
     *                                  repetition, or result (checksums that disagree mean different work)
     */
    public static Measurement pool(List<Measurement> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to pool");
        }
        Measurement first = parts.getFirst();
        List<Double> all = new ArrayList<>();
        for (Measurement p : parts) {
            if (!p.shape.sameProduct(first.shape) || !p.side.equals(first.side) || p.dtype != first.dtype
                    || p.threads != first.threads || p.callsPerRep != first.callsPerRep) {
                throw new IllegalArgumentException("cannot pool " + p.describe() + " with " + first.describe());
            }
            if (!checksumsAgree(p, first)) {
                throw new IllegalArgumentException("cannot pool " + p.describe() + ": its checksum " + p.checksum
                        + " differs from " + first.checksum + ", so the runs did not compute the same product");
            }
            all.addAll(p.secondsPerCall);
        }
        return new Measurement(first.shape, first.side, first.dtype, first.threads, first.callsPerRep, all, first.checksum, first.checksumAbs);
    }

    /**
     * True when two results of the same element type agree to within {@link #checksumTolerance} of their scale.
     * Results of different types never agree: they are different work.
     */
    public static boolean checksumsAgree(Measurement x, Measurement y) {
        if (x.dtype != y.dtype) {
            return false;
        }
        double scale = Math.max(Math.max(x.checksumAbs, y.checksumAbs), Double.MIN_NORMAL);
        return Math.abs(x.checksum - y.checksum) <= checksumTolerance(x.dtype) * scale;
    }

    /**
     * How far, as a fraction of the checksum's scale Σ|C[i][j]|·w(i,j), two computations of the same product on the
     * same operands may differ: they differ at most by summation order (another blocking, another thread split).
     *
     * <p>float64: 10⁻⁹; an element computed in another order moves by about √k·2⁻⁵³·|C[i][j]| (rounding errors of
     * random sign), far below that. float32: 10⁻⁶. Its unit roundoff is 2⁻²⁴ ≈ 6·10⁻⁸, so an element moves by about
     * √k·6·10⁻⁸·|C[i][j]| (2·10⁻⁶ for k = 1024, the largest inner dimension the benchmark runs), and those moves,
     * of random sign over m·n elements, move the weighted sum by about √(k/(m·n))·6·10⁻⁸ of its scale: under 10⁻⁸
     * for every benchmark shape, under 10⁻⁷ even for one element. Different work (another seed, a transposed or
     * shifted operand) moves the checksum by about 1/√(m·n) of its scale, ≥ 10⁻³ for every benchmark shape, so
     * 10⁻⁶ still tells the two apart.
     */
    static double checksumTolerance(DType dtype) {
        return dtype == DType.FLOAT32 ? 1e-6 : 1e-9;
    }

    /** {@return "side type shape at N threads, C calls per repetition", for messages} */
    public String describe() {
        return side + " " + dtype + " " + shape.spec() + " at " + threads + " thread" + (threads == 1 ? "" : "s") + ", " + callsPerRep + " calls/rep";
    }
}
