package io.github.panamamlp.bench;

import io.github.panamamlp.internal.Json;
import io.github.panamamlp.tensor.DType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The epochs of one training setup in one element type: native epochs at each thread count, and the reference's
 * epochs.
 *
 * @param setup            the configuration
 * @param dtype            the element type of the model's matrices (the reference is float64 whatever this is)
 * @param trainImages      images per epoch
 * @param batchesPerEpoch  mini-batches per epoch
 * @param epochs           the timed native epochs, in the order they ran
 * @param referenceEpochs  the seconds of each timed epoch of the pure-Java reference (empty when it was not run); the
 *                         setup's results of both types hold the same reference epochs, timed once per round
 */
public record SetupResult(TrainingSetup setup, DType dtype, int trainImages, int batchesPerEpoch, List<EpochSample> epochs,
                          List<Double> referenceEpochs) {
    /** Copies the lists. */
    public SetupResult {
        java.util.Objects.requireNonNull(dtype, "dtype");
        epochs = List.copyOf(epochs);
        referenceEpochs = List.copyOf(referenceEpochs);
    }

    /** A float64 result, the default type. */
    public SetupResult(TrainingSetup setup, int trainImages, int batchesPerEpoch, List<EpochSample> epochs, List<Double> referenceEpochs) {
        this(setup, DType.FLOAT64, trainImages, batchesPerEpoch, epochs, referenceEpochs);
    }

    /** {@return e.g. "default float32": the setup's name and the type, for messages and target names} */
    public String label() {
        return setup.name() + " " + dtype;
    }

    /** The epochs run at {@code threads} OpenBLAS threads. */
    public List<EpochSample> epochs(int threads) {
        return epochs.stream().filter(e -> e.threads() == threads).toList();
    }

    /** The thread counts that were run, in first-run order. */
    public List<Integer> threadCounts() {
        return epochs.stream().map(EpochSample::threads).distinct().toList();
    }

    /** The median of {@code field} over the epochs at {@code threads}; NaN if there are none. */
    public double median(int threads, ToDoubleFunction<EpochSample> field) {
        return Stats.median(values(threads, field));
    }

    /** (Q3 − Q1) / median of the epoch times at {@code threads}: how noisy they were. */
    public double relativeSpread(int threads) {
        return Stats.relativeSpread(values(threads, EpochSample::seconds));
    }

    private List<Double> values(int threads, ToDoubleFunction<EpochSample> field) {
        return epochs(threads).stream().map(e -> field.applyAsDouble(e)).toList();
    }

    /** The reference's median epoch; NaN when it was not run. */
    public double referenceEpochSeconds() {
        return Stats.median(referenceEpochs);
    }

    /** The fields as a JSON-ready map. */
    Map<String, Object> toJsonTree() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("setup", setup.name());
        m.put("dtype", dtype.label());
        m.put("description", setup.describe(784, 10));
        m.put("train_images", trainImages);
        m.put("batches_per_epoch", batchesPerEpoch);
        List<Object> e = new ArrayList<>();
        for (EpochSample s : epochs) {
            e.add(s.toJsonTree());
        }
        m.put("epochs", e);
        Map<String, Object> medians = new LinkedHashMap<>();
        for (int t : threadCounts()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("epoch_s", median(t, EpochSample::seconds));
            x.put("relative_iqr", BenchReport.finiteOrNull(relativeSpread(t)));
            x.put("gemm_s", median(t, EpochSample::gemm));
            x.put("elementwise_s", median(t, EpochSample::elementwise));
            x.put("update_s", median(t, EpochSample::update));
            x.put("assembly_s", median(t, EpochSample::assembly));
            x.put("rest_s", median(t, EpochSample::rest));
            x.put("gemm_share", BenchReport.finiteOrNull(median(t, EpochSample::gemmShare)));
            medians.put(t == BenchSettings.AUTO ? "auto" : t + "_threads", x);
        }
        m.put("medians", medians);
        m.put("reference_epochs_s", referenceEpochs);
        m.put("reference_epoch_s", BenchReport.finiteOrNull(referenceEpochSeconds()));
        return m;
    }

    /** Reads what {@link #toJsonTree()} wrote, for {@code setup}. */
    @SuppressWarnings("unchecked")
    static SetupResult fromJsonTree(Map<String, Object> m, TrainingSetup setup) {
        if (!setup.name().equals(Json.string(m, "setup"))) {
            throw new IllegalArgumentException("result for setup \"" + Json.string(m, "setup") + "\", expected " + setup.name());
        }
        Object list = m.get("epochs");
        if (!(list instanceof List<?> items)) {
            throw new IllegalArgumentException("field \"epochs\" must be an array");
        }
        List<EpochSample> epochs = new ArrayList<>();
        for (Object o : items) {
            if (!(o instanceof Map<?, ?> e)) {
                throw new IllegalArgumentException("field \"epochs\" must hold objects");
            }
            epochs.add(EpochSample.fromJsonTree((Map<String, Object>) e));
        }
        return new SetupResult(setup, DType.parse(Json.string(m, "dtype")), (int) Json.integer(m, "train_images", 1, Integer.MAX_VALUE),
                (int) Json.integer(m, "batches_per_epoch", 1, Integer.MAX_VALUE), epochs, Json.numbers(m, "reference_epochs_s"));
    }
}
