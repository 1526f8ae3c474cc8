package io.github.panamamlp.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One GEMM to time: {@code C (m×n) = op(A) (m×k) · op(B) (k×n)}, row-major, α = 1, β = 0.
 *
 * <p>Stored operands: A is m×k, or k×m when {@code transA}; B is k×n, or n×k when {@code transB}.
 * Every dimension is at least 1 and no operand holds more than 2³¹−1 elements (cblas takes {@code int}
 * leading dimensions; the C program enforces the same limits).
 *
 * @param name   a short label for tables, e.g. {@code "dW1=Xᵀ·dH b100"}
 * @param m      rows of C
 * @param n      columns of C
 * @param k      the inner dimension
 * @param transA whether A is used transposed
 * @param transB whether B is used transposed
 */
public record GemmShape(String name, int m, int n, int k, boolean transA, boolean transB) {
    /** Largest dimension accepted, as in the C program. */
    public static final int MAX_DIM = 1_000_000;

    /** Checks the dimensions. */
    public GemmShape {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a GEMM shape needs a name");
        }
        if (m < 1 || n < 1 || k < 1 || m > MAX_DIM || n > MAX_DIM || k > MAX_DIM) {
            throw new IllegalArgumentException("GEMM dimensions must be in [1, " + MAX_DIM + "], got m=" + m + ", n=" + n + ", k=" + k);
        }
        if ((long) m * k > Integer.MAX_VALUE || (long) k * n > Integer.MAX_VALUE || (long) m * n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("GEMM " + m + "×" + n + "×" + k + ": an operand would hold more than 2^31-1 elements");
        }
    }

    /** {@return the floating-point operations of one call: one multiply and one add per (i, j, p), 2·m·n·k} */
    public long flops() {
        return 2L * m * n * k;
    }

    /** {@return the C program's command-line form {@code M,N,K,TA,TB}, e.g. {@code 784,50,100,T,N}} */
    public String spec() {
        return m + "," + n + "," + k + "," + (transA ? "T" : "N") + "," + (transB ? "T" : "N");
    }

    /** {@return "m×n×k" followed by the operation, e.g. {@code 784×50×100 Aᵀ·B}, for tables} */
    public String dims() {
        return m + "×" + n + "×" + k + " " + (transA ? "Aᵀ" : "A") + "·" + (transB ? "Bᵀ" : "B");
    }

    /** {@return stored rows of A} */
    public int aRows() {
        return transA ? k : m;
    }

    /** {@return stored columns of A} */
    public int aCols() {
        return transA ? m : k;
    }

    /** {@return stored rows of B} */
    public int bRows() {
        return transB ? n : k;
    }

    /** {@return stored columns of B} */
    public int bCols() {
        return transB ? k : n;
    }

    /** True when this and {@code other} describe the same product (the names may differ). */
    public boolean sameProduct(GemmShape other) {
        return m == other.m && n == other.n && k == other.k && transA == other.transA && transB == other.transB;
    }

    /**
     * Parses {@code M,N,K,TA,TB} (TA and TB are {@code N} or {@code T}); the spec itself becomes the name.
     *
     * @throws IllegalArgumentException naming the spec and what is wrong with it
     */
    public static GemmShape parse(String spec) {
        String[] f = spec.split(",", -1);
        if (f.length != 5) {
            throw new IllegalArgumentException("GEMM shape '" + spec + "' must have 5 fields M,N,K,TA,TB, e.g. 784,50,100,T,N");
        }
        try {
            return new GemmShape(spec, dim(f[0], "M", spec), dim(f[1], "N", spec), dim(f[2], "K", spec),
                    trans(f[3], spec), trans(f[4], spec));
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("GEMM shape '")) {
                throw e;
            }
            throw new IllegalArgumentException("GEMM shape '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static int dim(String text, String what, String spec) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GEMM shape '" + spec + "': " + what + " is not an integer: '" + text + "'");
        }
    }

    private static boolean trans(String text, String spec) {
        return switch (text.trim()) {
            case "N", "n" -> false;
            case "T", "t" -> true;
            default -> throw new IllegalArgumentException("GEMM shape '" + spec + "': a transpose flag must be N or T, got '" + text + "'");
        };
    }

    /**
     * {@return 1×1×1 and 4×4×4 (2 and 128 flops): what they time is the call itself (from C, 17 ns and 21 ns a call;
     * through FFM, 40 ns and 47 ns: {@code make bench}, 1 thread, AMD EPYC 2-vCPU VM, 2026-11-30)}
     */
    public static List<GemmShape> tiny() {
        return List.of(new GemmShape("tiny 1×1×1", 1, 1, 1, false, false),
                new GemmShape("tiny 4×4×4", 4, 4, 4, false, false));
    }

    /**
     * The products of training the 784 → 50 → 10 network, for mini-batches of 100 and 32: the forward
     * pass, the weight gradients (dW1 also in the transposed layout dW1ᵀ = dHᵀ·X, to see which is faster)
     * and the back-propagated gradient.
     */
    public static List<GemmShape> network() {
        List<GemmShape> s = new ArrayList<>();
        s.add(new GemmShape("fwd X·W1 b100", 100, 50, 784, false, false));
        s.add(new GemmShape("fwd X·W1 b32", 32, 50, 784, false, false));
        s.add(new GemmShape("dW1=Xᵀ·dH b100", 784, 50, 100, true, false));
        s.add(new GemmShape("dW1=Xᵀ·dH b32", 784, 50, 32, true, false));
        s.add(new GemmShape("dW1ᵀ=dHᵀ·X b100", 50, 784, 100, true, false));
        s.add(new GemmShape("dW1ᵀ=dHᵀ·X b32", 50, 784, 32, true, false));
        s.add(new GemmShape("fwd H·W2 b100", 100, 10, 50, false, false));
        s.add(new GemmShape("dW2=Hᵀ·dY b100", 50, 10, 100, true, false));
        s.add(new GemmShape("dH=dY·W2ᵀ b100", 100, 50, 10, false, true));
        return List.copyOf(s);
    }

    /** {@return one large square product: 2·1024³ flops a call, the most work per call of the list} */
    public static GemmShape square1024() {
        return new GemmShape("square 1024", 1024, 1024, 1024, false, false);
    }

    /** {@return the benchmark's default list: {@link #tiny()}, {@link #network()}, {@link #square1024()}} */
    public static List<GemmShape> defaults() {
        List<GemmShape> s = new ArrayList<>(tiny());
        s.addAll(network());
        s.add(square1024());
        return List.copyOf(s);
    }
}
