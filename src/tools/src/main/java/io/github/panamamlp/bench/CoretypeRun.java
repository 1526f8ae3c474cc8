package io.github.panamamlp.bench;

import io.github.panamamlp.internal.Json;
import io.github.panamamlp.internal.Untrusted;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training epochs again, in a child JVM whose OpenBLAS was told to use another kernel with
 * {@code OPENBLAS_CORETYPE} (e.g. {@code SkylakeX}). OpenBLAS reads the variable once, when it is loaded,
 * so it cannot be changed inside a running JVM; and it must never be set for tests or users by default.
 *
 * <p>The child is this same benchmark run through the command line ({@code panama-mlp bench} with the epochs
 * only, see {@link Request#mainAndArgs}) on the same JDK, class path and JVM options as this one; it writes its
 * {@link BenchReport} as JSON to a temporary file, whose epochs are read back. A child that cannot run (the CPU
 * lacks the kernel's instructions, it crashes, OpenBLAS ignores the variable) gives a result with an error
 * instead of failing the whole benchmark.
 */
public final class CoretypeRun {
    /** How long the child may run unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private CoretypeRun() {
    }

    /**
     * A child run to make.
     *
     * @param coretype    the value of {@code OPENBLAS_CORETYPE}
     * @param mainAndArgs the child's main class and arguments: a {@code panama-mlp bench} command line that runs
     *                    the epochs only; {@code --json FILE} is added, and the child must write its report there
     * @param timeout     how long the child may run
     */
    public record Request(String coretype, List<String> mainAndArgs, Duration timeout) {
        /** Checks the core type (it goes into the child's environment) and copies the arguments. */
        public Request {
            if (!coretype.matches("[A-Za-z0-9_]{1,40}")) {
                throw new IllegalArgumentException("not an OpenBLAS core type: " + Untrusted.quote(coretype) + " (e.g. SkylakeX, Haswell)");
            }
            mainAndArgs = List.copyOf(mainAndArgs);
            if (mainAndArgs.isEmpty()) {
                throw new IllegalArgumentException("the child needs a main class");
            }
        }
    }

    /**
     * What the child measured.
     *
     * @param coretype       the value of {@code OPENBLAS_CORETYPE}
     * @param openBlasConfig the child's {@code openblas_get_config()}, which names the kernel in use ("" on error)
     * @param results        one per setup (empty on error)
     * @param error          why there are no results, or null
     */
    public record Result(String coretype, String openBlasConfig, List<SetupResult> results, String error) {
        /** Copies the list. */
        public Result {
            results = List.copyOf(results);
        }

        /** True when the child ran and reported results. */
        public boolean ok() {
            return error == null;
        }

        /** The result of {@code setup} in {@code dtype}, or null. */
        public SetupResult result(TrainingSetup setup, io.github.panamamlp.tensor.DType dtype) {
            return BenchReport.result(results, setup, dtype);
        }

        static Result failed(String coretype, String why) {
            return new Result(coretype, "", List.of(), why);
        }
    }

    /**
     * Runs the child of {@code request} with {@code OPENBLAS_CORETYPE} set.
     *
     * @param setups   the setups the child runs, to match its results with
     * @param progress where the child's progress lines go, prefixed with the core type, or null
     */
    public static Result run(Request request, List<TrainingSetup> setups, PrintStream progress) throws InterruptedException {
        String coretype = request.coretype();
        String missing = missingCpuFeature(coretype, cpuFlags());
        if (missing != null) {
            return Result.failed(coretype, "this CPU lacks " + missing + ", which the " + coretype + " kernel needs");
        }
        Path report = null;
        try {
            report = Files.createTempFile("panama-mlp-bench-" + coretype, ".json");
            List<String> cmd = command(request.mainAndArgs());
            cmd.addAll(List.of("--json", report.toString()));
            // The child's table goes to its standard output, not needed here; its progress is forwarded as it comes.
            Subprocess.Finished f = Subprocess.run("the child JVM", cmd, Map.of("OPENBLAS_CORETYPE", coretype), request.timeout(),
                    progress == null ? null : line -> {
                        progress.println("[" + coretype + "] " + line);
                        progress.flush();
                    });
            if (f.exitCode() != 0) {
                List<String> last = f.err().subList(Math.max(0, f.err().size() - 5), f.err().size());
                return Result.failed(coretype, "the child JVM exited with status " + f.exitCode()
                        + (last.isEmpty() ? "" : ": " + Untrusted.printable(String.join(" | ", last))));
            }
            String json;
            try {
                json = Files.readString(report);
            } catch (IOException e) {
                return Result.failed(coretype, "the child JVM's report " + report + " could not be read: " + e);
            }
            return parse(coretype, json, setups);
        } catch (IOException e) {
            return Result.failed(coretype, e.getMessage());
        } finally {
            if (report != null) {
                try {
                    Files.deleteIfExists(report);
                } catch (IOException e) {
                    // a temporary file left behind is not worth failing the benchmark for
                }
            }
        }
    }

    /**
     * Reads the epochs of the child's report ({@link BenchReport#toJson()}); an error result when it is malformed
     * or OpenBLAS ignored the core type.
     */
    static Result parse(String coretype, String json, List<TrainingSetup> setups) {
        try {
            Map<String, Object> root = Json.object(Json.parse(json, "the child JVM's report"), "the child JVM's report");
            String config = Json.string(Json.object(root.get("machine"), "field \"machine\""), "openblas_config");
            if (!config.toLowerCase(Locale.ROOT).contains(coretype.toLowerCase(Locale.ROOT))) {
                return new Result(coretype, config, List.of(), "OpenBLAS did not switch to " + coretype
                        + " (its configuration says: " + Untrusted.printable(config) + "); the figures would be mislabelled");
            }
            Map<String, Object> epochs = Json.object(root.get("epochs"), "field \"epochs\"");
            if (!(epochs.get("results") instanceof List<?> items)) {
                throw new IllegalArgumentException("field \"results\" must be an array");
            }
            List<SetupResult> results = new ArrayList<>();
            for (Object o : items) {
                Map<String, Object> m = Json.object(o, "an item of \"results\"");
                String name = Json.string(m, "setup");
                TrainingSetup setup = setups.stream().filter(s -> s.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("a result for the unknown setup " + Untrusted.quote(name)));
                results.add(SetupResult.fromJsonTree(m, setup));
            }
            return new Result(coretype, config, results, null);
        } catch (IllegalArgumentException | Json.SyntaxException e) {
            return Result.failed(coretype, "the child JVM's report is not the expected JSON: " + e.getMessage());
        }
    }

    /** java, this JVM's options (without debug agents) and class path, then {@code mainAndArgs}. */
    static List<String> command(List<String> mainAndArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib") && !arg.startsWith("-javaagent") && !arg.startsWith("-Xrunjdwp")) {
                cmd.add(arg);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(mainAndArgs);
        return cmd;
    }

    /**
     * The instruction-set flag (as /proc/cpuinfo names it) that a kernel needs and the CPU lacks, or null when
     * nothing is missing or it cannot be told (no /proc/cpuinfo, or a core type this method does not know).
     */
    static String missingCpuFeature(String coretype, List<String> flags) {
        if (flags.isEmpty()) {
            return null;
        }
        String needed = switch (coretype.toLowerCase(Locale.ROOT)) {
            case "skylakex", "cooperlake", "sapphirerapids" -> "avx512f";
            case "haswell", "zen", "skylake" -> "avx2";
            case "sandybridge" -> "avx";
            default -> null;
        };
        return needed == null || flags.contains(needed) ? null : needed;
    }

    /** The instruction-set flags of the first processor in /proc/cpuinfo; empty where there is none. */
    static List<String> cpuFlags() {
        String flags = MachineInfo.cpuinfo("flags");
        return flags == null ? List.of() : List.of(flags.split("\\s+"));
    }
}
