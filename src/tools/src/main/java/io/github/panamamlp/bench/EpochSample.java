package io.github.panamamlp.bench;

import io.github.panamamlp.internal.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one training epoch of the native path spent its time, in seconds.
 *
 * @param threads         the OpenBLAS thread count forced during the epoch, or {@link BenchSettings#AUTO} for the
 *                        thread policy
 * @param seconds         the whole epoch, from before its shuffle to after its last update
 * @param gemm            inside {@code Blas.gemm} (argument checks, the FFM downcall and OpenBLAS), from {@link TimingBlas}
 * @param gemmCalls       the products computed
 * @param forwardBackward forward pass, loss and backward pass, GEMM included ({@code Trainer.timings()})
 * @param update          the optimizer's update of all parameters
 * @param assembly        copying the batches' images into the input matrix (pixel/255)
 */
public record EpochSample(int threads, double seconds, double gemm, long gemmCalls, double forwardBackward,
                          double update, double assembly) {

    /** Checks the values are finite and non-negative. */
    public EpochSample {
        for (double v : new double[]{seconds, gemm, forwardBackward, update, assembly}) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("epoch times must be finite and non-negative, got " + v);
            }
        }
        if (threads < BenchSettings.AUTO || gemmCalls < 0) {
            throw new IllegalArgumentException("threads must be ≥ 0 (0: the policy) and GEMM calls ≥ 0, got " + threads + " and " + gemmCalls);
        }
    }

    /**
     * The non-GEMM part of forward and backward: bias broadcast, activations and their gradients, softmax,
     * loss, accuracy count, column sums (bias gradients), and the layers' own bookkeeping.
     */
    public double elementwise() {
        return forwardBackward - gemm;
    }

    /** Everything outside the steps and batch assembly: the shuffle, the batch loop and its clock reads. */
    public double rest() {
        return seconds - forwardBackward - update - assembly;
    }

    /** GEMM's share of the epoch, 0…1. */
    public double gemmShare() {
        return seconds > 0 ? gemm / seconds : Double.NaN;
    }

    /** The fields as a JSON-ready map. */
    Map<String, Object> toJsonTree() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threads", threads);
        m.put("seconds", seconds);
        m.put("gemm_s", gemm);
        m.put("gemm_calls", gemmCalls);
        m.put("forward_backward_s", forwardBackward);
        m.put("elementwise_s", elementwise());
        m.put("update_s", update);
        m.put("assembly_s", assembly);
        m.put("rest_s", rest());
        m.put("gemm_share", BenchReport.finiteOrNull(gemmShare()));
        return m;
    }

    /** Reads what {@link #toJsonTree()} wrote (the derived fields are recomputed, not read). */
    static EpochSample fromJsonTree(Map<String, Object> m) {
        return new EpochSample((int) Json.integer(m, "threads", BenchSettings.AUTO, 1024), Json.number(m, "seconds"), Json.number(m, "gemm_s"),
                Json.integer(m, "gemm_calls", 0, Long.MAX_VALUE / 2), Json.number(m, "forward_backward_s"),
                Json.number(m, "update_s"), Json.number(m, "assembly_s"));
    }
}
