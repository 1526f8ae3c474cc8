package io.github.panamamlp.bench;

import io.github.panamamlp.data.Dataset;
import io.github.panamamlp.data.LabeledImages;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Runs everything {@code panama-mlp bench} reports, in order: GEMM comparison, epochs, epochs with another kernel. */
public final class FullBench {
    private FullBench() {
    }

    /**
     * What to run.
     *
     * @param gemm     the GEMM comparison, or null to skip it
     * @param epochs   the training epochs, or null to skip them (and the core-type run)
     * @param data     the MNIST directory
     * @param limit    train on the first {@code limit} images only (0: all 60,000; for quick checks)
     * @param coretype the epochs again in a child JVM with {@code OPENBLAS_CORETYPE} set, or null to skip it
     */
    public record Options(GemmComparison.Options gemm, EpochBenchmark.Options epochs, Path data, int limit,
                          CoretypeRun.Request coretype) {
        /** Checks the values. */
        public Options {
            if (gemm == null && epochs == null) {
                throw new IllegalArgumentException("nothing to run: both the GEMM comparison and the epochs are skipped");
            }
            if (limit < 0) {
                throw new IllegalArgumentException("limit must be ≥ 0, got " + limit);
            }
        }

        /** GEMM comparison with 3 rounds, the default epochs, MNIST in {@code data}, no core-type run. */
        public static Options defaults(Path data) {
            return new Options(GemmComparison.Options.defaults().withRounds(3), EpochBenchmark.Options.defaults(), data, 0, null);
        }
    }

    /**
     * Runs it all.
     *
     * @param progress where progress lines go, or null
     * @throws IllegalStateException if the C program is missing (see {@link GemmComparison#run})
     */
    public static BenchReport run(Options o, PrintStream progress) throws IOException, InterruptedException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        String loadBefore = loadAverage();
        LabeledImages train = null;
        if (o.epochs() != null) {
            // Load the data first: a missing data set should fail before the GEMM comparison runs, not after it.
            train = Dataset.load(o.data()).train();
            if (o.limit() > 0 && o.limit() < train.count()) {
                train = train.head(o.limit());
            }
        }
        GemmComparison.Result gemm = o.gemm() == null ? null : GemmComparison.run(o.gemm(), progress);
        List<SetupResult> epochs = List.of();
        CoretypeRun.Result coretype = null;
        if (o.epochs() != null) {
            epochs = EpochBenchmark.run(o.epochs(), train, progress);
            if (o.coretype() != null) {
                coretype = CoretypeRun.run(o.coretype(), o.epochs().setups(), progress);
            }
        }
        MachineInfo machine = MachineInfo.collect(gemm == null ? null : gemm.c());
        return new BenchReport(started, Duration.ofNanos(System.nanoTime() - t0), machine, loadBefore, loadAverage(),
                gemm, o.epochs(), epochs, coretype);
    }

    /** The first three fields of /proc/loadavg, or "" where there is none. */
    static String loadAverage() {
        try {
            Path p = Path.of("/proc/loadavg");
            if (Files.isReadable(p)) {
                String[] f = Files.readString(p).trim().split("\\s+");
                if (f.length >= 3) {
                    return f[0] + ", " + f[1] + ", " + f[2];
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return "";
    }
}
