package io.github.panamamlp.bench;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.data.LabeledImages;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.reference.ReferenceMlp;
import io.github.panamamlp.train.History;
import io.github.panamamlp.train.Permutation;
import io.github.panamamlp.train.Trainer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Times whole training epochs of the native path (OpenBLAS through FFM) and, side by side in the same run,
 * training steps of the pure-Java {@link ReferenceMlp}.
 *
 * <p>For each setup one model is trained: first {@code warmupEpochs} untimed epochs at every thread count
 * (JIT compilation, OpenBLAS's thread start-up, page faults), then {@code measuredEpochs} rounds. A round
 * trains one epoch at each thread count (in the listed order in even rounds and reversed in odd rounds, so
 * neither count always goes first) and then times the reference network on {@code referenceImages} images
 * started from the same initial parameters. An epoch is {@code Trainer.fit} over the whole training set
 * without evaluation; its breakdown comes from a {@link TimingBlas} around {@code Blas.openBlas()} and
 * {@code Trainer.timings()}. The reference's epoch time is extrapolated from its median time per step
 * (steps only: its batches are converted to {@code double[][]} beforehand).
 */
public final class EpochBenchmark {
    private EpochBenchmark() {
    }

    /**
     * What to run.
     *
     * @param setups           the training configurations, in table order
     * @param threadCounts     OpenBLAS thread counts; every round runs one epoch at each
     * @param warmupEpochs     untimed epochs per thread count before the rounds
     * @param measuredEpochs   rounds, i.e. timed epochs per thread count
     * @param referenceImages  images the reference trains on per timed round, rounded up to whole steps (0: no reference)
     * @param seed             seed of the initialization and of the epochs' orders
     */
    public record Options(List<TrainingSetup> setups, List<Integer> threadCounts, int warmupEpochs, int measuredEpochs,
                          int referenceImages, long seed) {
        /** Checks and copies. */
        public Options {
            setups = List.copyOf(setups);
            threadCounts = List.copyOf(new LinkedHashSet<>(threadCounts));
            if (setups.isEmpty() || threadCounts.isEmpty()) {
                throw new IllegalArgumentException("need at least one setup and one thread count");
            }
            for (int t : threadCounts) {
                if (t < 1 || t > 1024) {
                    throw new IllegalArgumentException("thread counts must be in [1, 1024], got " + t);
                }
            }
            if (warmupEpochs < 0 || warmupEpochs > 100 || measuredEpochs < 1 || measuredEpochs > 1000) {
                throw new IllegalArgumentException("warm-up epochs must be in [0, 100] and measured epochs in [1, 1000], got "
                        + warmupEpochs + " and " + measuredEpochs);
            }
            if (referenceImages < 0 || referenceImages > 10_000_000) {
                throw new IllegalArgumentException("reference images must be in [0, 10000000], got " + referenceImages);
            }
        }

        /** Both presets, 1 and 2 threads, 1 warm-up epoch, 5 rounds, 3,200 reference images per round, seed 1. */
        public static Options defaults() {
            return new Options(List.of(TrainingSetup.defaults(), TrainingSetup.tutorial()), List.of(1, 2), 1, 5, 3200, 1);
        }

        /** Reference steps per round for {@code setup}: {@link #referenceImages} rounded up to whole batches. */
        public int referenceSteps(TrainingSetup setup) {
            return (int) ((referenceImages + (long) setup.batchSize() - 1) / setup.batchSize());
        }

        /** These options with another number of rounds. */
        public Options withMeasuredEpochs(int n) {
            return new Options(setups, threadCounts, warmupEpochs, n, referenceImages, seed);
        }

        /** These options with other thread counts. */
        public Options withThreadCounts(List<Integer> t) {
            return new Options(setups, t, warmupEpochs, measuredEpochs, referenceImages, seed);
        }

        /** These options with another number of reference images per round (0: no reference). */
        public Options withReferenceImages(int n) {
            return new Options(setups, threadCounts, warmupEpochs, measuredEpochs, n, seed);
        }

        /** These options with other setups. */
        public Options withSetups(List<TrainingSetup> s) {
            return new Options(s, threadCounts, warmupEpochs, measuredEpochs, referenceImages, seed);
        }

        /** These options with another number of warm-up epochs per thread count. */
        public Options withWarmupEpochs(int n) {
            return new Options(setups, threadCounts, n, measuredEpochs, referenceImages, seed);
        }
    }

    /**
     * Runs every setup on {@code train}. OpenBLAS's thread count is restored afterwards.
     *
     * @param progress where one line per timed epoch goes, or null
     */
    public static List<SetupResult> run(Options options, LabeledImages train, PrintStream progress) {
        java.util.OptionalInt before = OpenBlas.forcedThreads();
        try {
            List<SetupResult> out = new ArrayList<>();
            for (TrainingSetup setup : options.setups()) {
                out.add(runSetup(options, setup, train, progress));
            }
            return out;
        } finally {
            before.ifPresentOrElse(OpenBlas::setThreads, OpenBlas::setThreadsAuto);
        }
    }

    private static SetupResult runSetup(Options o, TrainingSetup setup, LabeledImages train, PrintStream progress) {
        TimingBlas blas = new TimingBlas(Blas.openBlas());
        int batches = (train.count() + setup.batchSize() - 1) / setup.batchSize();
        List<EpochSample> epochs = new ArrayList<>();
        List<Double> reference = new ArrayList<>();
        try (Model model = setup.buildModel(train.features(), train.classes(), o.seed(), blas);
             Trainer trainer = new Trainer(model, setup.optimizer())) {
            ReferenceMlp ref = TrainingSetup.referenceOf(model);
            int refSteps = o.referenceImages() == 0 ? 0 : o.referenceSteps(setup);
            ReferenceBatches refBatches = refSteps == 0 ? null
                    : ReferenceBatches.of(train, setup.batchSize(), Math.min(refSteps, 8), o.seed());
            long epochSeed = o.seed();
            for (int w = 0; w < o.warmupEpochs(); w++) {
                for (int t : o.threadCounts()) {
                    OpenBlas.setThreads(t);
                    epoch(trainer, blas, train, setup, t, epochSeed++);
                }
            }
            if (refBatches != null) {
                // Warm-up: the reference's loops must be compiled too before they are timed.
                refBatches.time(setup, ref, Math.max(10, refSteps));
            }
            for (int round = 0; round < o.measuredEpochs(); round++) {
                List<Integer> order = new ArrayList<>(o.threadCounts());
                if (round % 2 == 1) {
                    Collections.reverse(order);
                }
                for (int t : order) {
                    OpenBlas.setThreads(t);
                    EpochSample s = epoch(trainer, blas, train, setup, t, epochSeed++);
                    epochs.add(s);
                    if (progress != null) {
                        progress.printf(Locale.ROOT, "%-9s epoch %d/%d, %d thr: %.3f s, GEMM %.1f%%, update %.3f s%n",
                                setup.name(), round + 1, o.measuredEpochs(), t, s.seconds(), 100 * s.gemmShare(), s.update());
                    }
                }
                if (refBatches != null) {
                    double perStep = refBatches.time(setup, ref, refSteps) / refSteps;
                    reference.add(perStep);
                    if (progress != null) {
                        progress.printf(Locale.ROOT, "%-9s reference %d steps: %.2f ms/step, ≈ %.1f s/epoch%n",
                                setup.name(), refSteps, perStep * 1e3, perStep * batches);
                    }
                }
            }
        }
        return new SetupResult(setup, train.count(), batches, epochs, refSteps(o, setup), reference);
    }

    private static int refSteps(Options o, TrainingSetup setup) {
        return o.referenceImages() == 0 ? 0 : o.referenceSteps(setup);
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
     * Runs the epochs alone and prints the results as one JSON object on standard output (progress on standard
     * error): how {@link CoretypeRun} measures OpenBLAS with another kernel in a child JVM. Arguments:
     * {@code --data DIR} (required), {@code --setups default,tutorial}, {@code --threads 1,2}, {@code --warmup N},
     * {@code --epochs N}, {@code --reference-images N}, {@code --seed S}, {@code --limit N} (first N training images).
     * Exit status: 0 done, 1 failed, 2 bad arguments.
     */
    public static void main(String[] args) {
        Options o = Options.defaults().withReferenceImages(0);
        java.nio.file.Path data = null;
        int limit = 0;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--data" -> data = java.nio.file.Path.of(v);
                    case "--setups" -> {
                        List<TrainingSetup> s = new ArrayList<>();
                        for (String name : v.split(",")) {
                            s.add(TrainingSetup.named(name.trim()));
                        }
                        o = o.withSetups(s);
                    }
                    case "--threads" -> {
                        List<Integer> t = new ArrayList<>();
                        for (String part : v.split(",")) {
                            t.add(Integer.parseInt(part.trim()));
                        }
                        o = o.withThreadCounts(t);
                    }
                    case "--warmup" -> o = o.withWarmupEpochs(Integer.parseInt(v));
                    case "--epochs" -> o = o.withMeasuredEpochs(Integer.parseInt(v));
                    case "--reference-images" -> o = o.withReferenceImages(Integer.parseInt(v));
                    case "--seed" -> o = new Options(o.setups(), o.threadCounts(), o.warmupEpochs(), o.measuredEpochs(),
                            o.referenceImages(), Long.parseLong(v));
                    case "--limit" -> limit = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (data == null) {
                throw new IllegalArgumentException("--data DIR is required");
            }
        } catch (IllegalArgumentException e) { // NumberFormatException included
            System.err.println("epoch benchmark: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            LabeledImages train = io.github.panamamlp.data.Dataset.load(data).train();
            if (limit > 0 && limit < train.count()) {
                train = train.head(limit);
            }
            List<SetupResult> results = run(o, train, System.err);
            java.util.Map<String, Object> root = new java.util.LinkedHashMap<>();
            root.put("openblas_config", OpenBlas.info().config());
            root.put("machine", MachineInfo.collect(null).toJsonTree());
            List<Object> list = new ArrayList<>();
            for (SetupResult r : results) {
                list.add(r.toJsonTree());
            }
            root.put("results", list);
            System.out.print(Json.write(root));
            System.out.flush();
        } catch (RuntimeException e) {
            System.err.println("epoch benchmark failed: " + e);
            System.exit(1);
        }
    }

    /** A few batches as {@code double[][]} for the reference, cycled through while timing. */
    private record ReferenceBatches(double[][][] x, int[][] y) {
        static ReferenceBatches of(LabeledImages train, int batchSize, int count, long seed) {
            int[] order = Permutation.forEpoch(train.count(), seed, 0);
            int n = Math.min(batchSize, train.count());
            double[][][] x = new double[count][n][];
            int[][] y = new int[count][n];
            for (int b = 0; b < count; b++) {
                for (int i = 0; i < n; i++) {
                    int image = order[(b * n + i) % order.length];
                    x[b][i] = train.images().imageAsDoubles(image);
                    y[b][i] = train.labels().label(image);
                }
            }
            return new ReferenceBatches(x, y);
        }

        /** Seconds for {@code steps} reference steps. */
        double time(TrainingSetup setup, ReferenceMlp ref, int steps) {
            long start = System.nanoTime();
            double sink = 0;
            for (int s = 0; s < steps; s++) {
                sink += setup.referenceStep(ref, x[s % x.length], y[s % y.length]);
            }
            long nanos = System.nanoTime() - start;
            if (!Double.isFinite(sink)) {
                throw new ArithmeticException("the reference network diverged: loss " + sink);
            }
            return nanos * 1e-9;
        }
    }
}
