package io.github.panamamlp.bench;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.data.LabeledImages;
import io.github.panamamlp.internal.Permutation;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.preset.Preset;
import io.github.panamamlp.reference.ReferenceMlp;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.train.History;
import io.github.panamamlp.train.Trainer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Times whole training epochs of the native path (OpenBLAS through FFM) and, side by side in the same run,
 * whole epochs of the pure-Java {@link ReferenceMlp}.
 *
 * <p>For each setup one model per element type is trained (float64 and float32 models from the same seed): first
 * {@code warmupEpochs} untimed epochs of each type at every thread count (JIT compilation, OpenBLAS's thread
 * start-up, page faults), then {@code measuredEpochs} rounds. A round trains one epoch of each type at each thread
 * count (types outermost, in the listed order in even rounds and reversed in odd rounds, so neither a type nor a
 * count always goes first) and then one epoch of the reference network (float64), which started from the same
 * initial parameters and goes through the same batches in the same order as the round's first native epoch.
 * A native epoch is {@code Trainer.fit} over the whole training set without evaluation; its breakdown comes
 * from a {@link TimingBlas} around {@code Blas.openBlas()} and {@code Trainer.timings()}. A reference epoch is
 * the same loop in plain Java: each batch converted to {@code double[][]} (pixel/255), then one step.
 *
 * <p>Only whole epochs are timed here. The time of one step, of the native path and of the reference, with
 * JMH's warm-up and forks, is {@code TrainingStepBenchmark} and {@code ReferenceStepBenchmark} ({@code make jmh}).
 */
public final class EpochBenchmark {
    private EpochBenchmark() {
    }

    /**
     * What to run.
     *
     * @param setups         the training configurations, in table order
     * @param dtypes         the element types of the models, each run for every setup
     * @param threadCounts   OpenBLAS thread settings, {@link BenchSettings#AUTO} for the thread policy; every round
     *                       runs one epoch at each
     * @param warmupEpochs   untimed epochs per thread count (and of the reference) before the rounds
     * @param measuredEpochs rounds, i.e. timed epochs per thread count
     * @param reference      whether every round also times an epoch of the pure-Java reference
     * @param seed           seed of the initialization and of the epochs' orders
     */
    public record Options(List<TrainingSetup> setups, List<DType> dtypes, List<Integer> threadCounts, int warmupEpochs,
                          int measuredEpochs, boolean reference, long seed) {
        /** Checks and copies. */
        public Options {
            setups = List.copyOf(setups);
            dtypes = BenchSettings.dtypes(dtypes);
            threadCounts = BenchSettings.threadSettings(threadCounts);
            if (setups.isEmpty()) {
                throw new IllegalArgumentException("need at least one setup");
            }
            if (warmupEpochs < 0 || warmupEpochs > 100 || measuredEpochs < 1 || measuredEpochs > 1000) {
                throw new IllegalArgumentException("warm-up epochs must be in [0, 100] and measured epochs in [1, 1000], got "
                        + warmupEpochs + " and " + measuredEpochs);
            }
        }

        /** Float64 models only, as before float32 existed. */
        public Options(List<TrainingSetup> setups, List<Integer> threadCounts, int warmupEpochs, int measuredEpochs,
                       boolean reference, long seed) {
            this(setups, List.of(DType.FLOAT64), threadCounts, warmupEpochs, measuredEpochs, reference, seed);
        }

        /**
         * Every preset and the wide network; float64 and float32; the thread policy (the run as a user starts it), 1
         * and 2 threads; 1 warm-up epoch, 5 rounds, with the reference (where the setup allows it), seed 1.
         */
        public static Options defaults() {
            List<TrainingSetup> setups = new ArrayList<>(Arrays.stream(Preset.values()).map(TrainingSetup::of).toList());
            setups.add(TrainingSetup.wide());
            return new Options(setups, BenchSettings.BOTH_DTYPES, List.of(BenchSettings.AUTO, 1, 2), 1, 5, true, 1);
        }

        /** These options with another number of rounds. */
        public Options withMeasuredEpochs(int n) {
            return new Options(setups, dtypes, threadCounts, warmupEpochs, n, reference, seed);
        }

        /** These options with other thread counts. */
        public Options withThreadCounts(List<Integer> t) {
            return new Options(setups, dtypes, t, warmupEpochs, measuredEpochs, reference, seed);
        }

        /** These options with or without the reference. */
        public Options withReference(boolean r) {
            return new Options(setups, dtypes, threadCounts, warmupEpochs, measuredEpochs, r, seed);
        }

        /** These options with other setups. */
        public Options withSetups(List<TrainingSetup> s) {
            return new Options(s, dtypes, threadCounts, warmupEpochs, measuredEpochs, reference, seed);
        }

        /** These options with other element types. */
        public Options withDTypes(List<DType> d) {
            return new Options(setups, d, threadCounts, warmupEpochs, measuredEpochs, reference, seed);
        }
    }

    /**
     * Runs every setup on {@code train}. OpenBLAS's thread count is restored afterwards.
     *
     * @param progress where one line per timed epoch goes, or null
     * @return one result per setup and element type: the setups in order, each with its types in order
     */
    public static List<SetupResult> run(Options options, LabeledImages train, PrintStream progress) {
        java.util.OptionalInt before = OpenBlas.forcedThreads();
        try {
            List<SetupResult> out = new ArrayList<>();
            for (TrainingSetup setup : options.setups()) {
                LabeledImages data = setup.imageLimit() > 0 && setup.imageLimit() < train.count() ? train.head(setup.imageLimit()) : train;
                out.addAll(runSetup(options, setup, data, progress));
            }
            return out;
        } finally {
            before.ifPresentOrElse(OpenBlas::setThreads, OpenBlas::setThreadsAuto);
        }
    }

    /** One model of a setup in one element type, and what it measured. */
    private static final class Run implements AutoCloseable {
        final DType dtype;
        final Model model;
        final Trainer trainer;
        final List<EpochSample> epochs = new ArrayList<>();

        Run(TrainingSetup setup, DType dtype, LabeledImages train, long seed, TimingBlas blas) {
            this.dtype = dtype;
            this.model = setup.buildModel(train.features(), train.classes(), seed, blas, dtype);
            Trainer t = null;
            try {
                t = new Trainer(model, setup.optimizer());
            } finally {
                if (t == null) {
                    model.close();
                }
            }
            this.trainer = t;
        }

        @Override
        public void close() {
            try (model) {
                trainer.close();
            }
        }
    }

    private static List<SetupResult> runSetup(Options o, TrainingSetup setup, LabeledImages train, PrintStream progress) {
        TimingBlas blas = new TimingBlas(Blas.openBlas());
        int batches = (train.count() + setup.batchSize() - 1) / setup.batchSize();
        List<Double> reference = new ArrayList<>();
        List<Run> runs = new ArrayList<>();
        try {
            for (DType dtype : o.dtypes()) {
                runs.add(new Run(setup, dtype, train, o.seed(), blas));
            }
            // The reference starts from the first model's initial parameters (float64's, unless only float32 runs).
            ReferenceMlp ref = o.reference() && setup.reference() ? TrainingSetup.referenceOf(runs.getFirst().model) : null;
            long epochSeed = o.seed();
            for (int w = 0; w < o.warmupEpochs(); w++) {
                if (ref != null) {
                    referenceEpoch(ref, setup, train, epochSeed);
                }
                for (Run run : runs) {
                    for (int t : o.threadCounts()) {
                        threads(t);
                        epoch(run.trainer, blas, train, setup, t, epochSeed++);
                    }
                }
            }
            for (int round = 0; round < o.measuredEpochs(); round++) {
                long roundSeed = epochSeed;
                List<Run> runOrder = new ArrayList<>(runs);
                List<Integer> order = new ArrayList<>(o.threadCounts());
                if (round % 2 == 1) {
                    Collections.reverse(runOrder);
                    Collections.reverse(order);
                }
                for (Run run : runOrder) {
                    for (int t : order) {
                        threads(t);
                        EpochSample s = epoch(run.trainer, blas, train, setup, t, epochSeed++);
                        run.epochs.add(s);
                        if (progress != null) {
                            progress.printf(Locale.ROOT, "%-9s %s epoch %d/%d, %s thr: %.3f s, GEMM %.1f%%, update %.3f s%n",
                                    setup.name(), run.dtype, round + 1, o.measuredEpochs(), BenchSettings.label(t), s.seconds(),
                                    100 * s.gemmShare(), s.update());
                        }
                    }
                }
                if (ref != null) {
                    double seconds = referenceEpoch(ref, setup, train, roundSeed);
                    reference.add(seconds);
                    if (progress != null) {
                        progress.printf(Locale.ROOT, "%-9s reference epoch %d/%d: %.3f s%n", setup.name(), round + 1,
                                o.measuredEpochs(), seconds);
                    }
                }
            }
            List<SetupResult> out = new ArrayList<>();
            for (Run run : runs) {
                out.add(new SetupResult(setup, run.dtype, train.count(), batches, run.epochs, reference));
            }
            return out;
        } finally {
            for (Run run : runs) {
                run.close();
            }
        }
    }

    /** Forces {@code t} threads, or hands the count to the thread policy for {@link BenchSettings#AUTO}. */
    private static void threads(int t) {
        if (t == BenchSettings.AUTO) {
            OpenBlas.setThreadsAuto();
        } else {
            OpenBlas.setThreads(t);
        }
    }

    /** One timed epoch of {@code trainer} over {@code train}. */
    static EpochSample epoch(Trainer trainer, TimingBlas blas, LabeledImages train, TrainingSetup setup, int threads, long seed) {
        Trainer.Timings t0 = trainer.timings();
        long g0 = blas.nanos();
        long c0 = blas.calls();
        History h = trainer.fit(train, null, 1, setup.batchSize(), seed, null);
        Trainer.Timings t1 = trainer.timings();
        return new EpochSample(threads, h.last().seconds(), (blas.nanos() - g0) * 1e-9, blas.calls() - c0,
                (t1.forwardBackward() - t0.forwardBackward()) * 1e-9, (t1.update() - t0.update()) * 1e-9,
                (t1.batchAssembly() - t0.batchAssembly()) * 1e-9);
    }

    /**
     * One epoch of the reference over {@code train}, in seconds: the batches of the native epoch with the same
     * seed, in the same order, each converted to {@code double[][]} (pixel/255) and given to one step.
     *
     * @throws ArithmeticException if the reference's loss is no longer finite
     */
    static double referenceEpoch(ReferenceMlp ref, TrainingSetup setup, LabeledImages train, long seed) {
        long start = System.nanoTime();
        // Trainer.fit numbers its epochs from 1: a one-epoch fit with this seed shuffles with epoch 1.
        int[] order = Permutation.forEpoch(train.count(), seed, 1);
        int full = Math.min(setup.batchSize(), order.length);
        double lossSum = 0;
        for (int from = 0; from < order.length; from += full) {
            int n = Math.min(full, order.length - from);
            double[][] x = new double[n][];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                x[i] = train.images().imageAsDoubles(order[from + i]);
                y[i] = train.labels().label(order[from + i]);
            }
            lossSum += setup.referenceStep(ref, x, y);
        }
        long nanos = System.nanoTime() - start;
        if (!Double.isFinite(lossSum)) {
            throw new ArithmeticException("the reference network diverged: loss " + lossSum);
        }
        return nanos * 1e-9;
    }
}
