package io.github.panamamlp.bench;

import io.github.panamamlp.internal.Json;
import io.github.panamamlp.internal.Untrusted;
import io.github.panamamlp.tensor.DType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the C baseline {@code native/gemm_bench} (built by {@code make native}) as a subprocess and reads
 * its JSON lines: {@code cblas_dgemm} ({@code --dtype float64}) or {@code cblas_sgemm} ({@code --dtype float32}) timed
 * from C on the same operands and with the same scheme as {@link GemmBenchmark}.
 */
public final class NativeGemmBench {
    /** Where {@code make native} puts the program, relative to the project directory. */
    public static final Path DEFAULT_PATH = Path.of("native", "gemm_bench");
    /** How long one run may take before it is stopped. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private final Path executable;
    private final Duration timeout;

    /**
     * A runner for the program at {@code executable}.
     *
     * @throws IllegalStateException if the file is missing or not executable; the message says to run {@code make native}
     */
    public NativeGemmBench(Path executable, Duration timeout) {
        if (!Files.isRegularFile(executable)) {
            throw new IllegalStateException("the C benchmark program " + executable.toAbsolutePath()
                    + " does not exist: build it with 'make native' in the project directory (needs gcc and the OpenBLAS headers)");
        }
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("the C benchmark program " + executable.toAbsolutePath()
                    + " is not executable: rebuild it with 'make native'");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        this.executable = executable;
        this.timeout = timeout;
    }

    /** A runner for {@code native/gemm_bench} under {@code projectDir}, with the default timeout. */
    public static NativeGemmBench locate(Path projectDir) {
        return new NativeGemmBench(projectDir.resolve(DEFAULT_PATH), DEFAULT_TIMEOUT);
    }

    /**
     * The C program's "info" line: what OpenBLAS it loaded and how it was asked to measure.
     *
     * @param openBlasConfig {@code openblas_get_config()}
     * @param library        the file the dynamic loader bound the routine to
     * @param threads        OpenBLAS's thread count
     * @param dtype          the element type it timed
     */
    public record Info(String openBlasConfig, String library, int threads, DType dtype) {
    }

    /** One run: the info line, then one measurement per requested shape, in order. */
    public record Result(Info info, List<Measurement> measurements) {
        /** Copies the list. */
        public Result {
            measurements = List.copyOf(measurements);
        }
    }

    /** The command line for {@code shapes} at {@code threads} OpenBLAS threads, in element type {@code dtype}. */
    public List<String> command(List<GemmShape> shapes, int threads, DType dtype, BenchSettings s) {
        List<String> cmd = new ArrayList<>(List.of(executable.toAbsolutePath().toString(),
                "--threads", Integer.toString(threads),
                "--dtype", dtype.label(),
                "--reps", Integer.toString(s.repetitions()),
                "--warmup-ms", Long.toString(s.warmupMillis()),
                "--min-rep-ms", Long.toString(s.minRepMillis()),
                "--seed", Long.toString(s.seed())));
        if (s.fixedCalls() > 0) {
            cmd.add("--calls");
            cmd.add(Long.toString(s.fixedCalls()));
        }
        for (GemmShape shape : shapes) {
            cmd.add(shape.spec());
        }
        return cmd;
    }

    /** Runs the program on {@code shapes} in float64 ({@code cblas_dgemm}); see {@link #run(List, int, DType, BenchSettings)}. */
    public Result run(List<GemmShape> shapes, int threads, BenchSettings settings) throws IOException, InterruptedException {
        return run(shapes, threads, DType.FLOAT64, settings);
    }

    /**
     * Runs the program on {@code shapes} in element type {@code dtype} and parses its output.
     *
     * @throws IOException if it cannot start, exits with an error (its stderr is in the message), times out,
     *                     or prints something that is not the expected JSON lines, or results of another type
     */
    public Result run(List<GemmShape> shapes, int threads, DType dtype, BenchSettings settings) throws IOException, InterruptedException {
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException("no shape to run");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        }
        List<String> cmd = command(shapes, threads, dtype, settings);
        Subprocess.Finished f = Subprocess.run("the C benchmark", cmd, Map.of(), timeout, null);
        if (f.exitCode() != 0) {
            String err = String.join("\n", f.err()).strip();
            // A program built before it had --dtype: say how to get the current one.
            String hint = err.contains("unknown option --dtype") ? "\n" + executable + " predates --dtype: rebuild it with 'make native'" : "";
            throw new IOException("the C benchmark failed with exit code " + f.exitCode() + ": " + String.join(" ", cmd)
                    + (err.isEmpty() ? "" : "\n" + err) + hint);
        }
        Result r = parse(f.out(), executable.toString());
        if (r.info().dtype() != dtype) {
            throw new IOException(executable + " timed " + r.info().dtype() + " but " + dtype + " was asked for");
        }
        if (r.measurements().size() != shapes.size()) {
            throw new IOException(executable + " printed " + r.measurements().size() + " results for " + shapes.size() + " shapes");
        }
        List<Measurement> named = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            Measurement m = r.measurements().get(i);
            GemmShape want = shapes.get(i);
            if (!m.shape().sameProduct(want) || m.dtype() != dtype) {
                throw new IOException(executable + " result " + (i + 1) + " is for " + m.shape().spec() + " in " + m.dtype() + " but "
                        + want.spec() + " in " + dtype + " was asked for");
            }
            // Carry the caller's name for the shape into the result.
            named.add(new Measurement(want, m.side(), m.dtype(), m.threads(), m.callsPerRep(), m.secondsPerCall(), m.checksum(), m.checksumAbs()));
        }
        return new Result(r.info(), named);
    }

    /**
     * Parses the program's output: one "info" line, then "gemm" lines. Blank lines are ignored.
     *
     * @param source names the output in messages (the program path)
     * @throws IOException naming the source and line number when a line is not what the program prints
     */
    public static Result parse(List<String> lines, String source) throws IOException {
        Info info = null;
        List<Measurement> out = new ArrayList<>();
        int number = 0;
        for (String line : lines) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String where = source + " output line " + number;
            try {
                Map<String, Object> obj = Json.object(Json.parse(line, where), "the line");
                String type = Json.string(obj, "type");
                switch (type) {
                    case "info" -> {
                        if (info != null) {
                            throw new IllegalArgumentException("a second info line");
                        }
                        info = new Info(Json.string(obj, "openblas_config"), Json.string(obj, "library"),
                                (int) Json.integer(obj, "threads", 1, Integer.MAX_VALUE), dtype(obj));
                    }
                    case "gemm" -> {
                        if (info == null) {
                            throw new IllegalArgumentException("a result before the info line");
                        }
                        Measurement m = parseMeasurement(obj);
                        if (m.dtype() != info.dtype()) {
                            throw new IllegalArgumentException("a " + m.dtype() + " result after a " + info.dtype() + " info line");
                        }
                        out.add(m);
                    }
                    default -> throw new IllegalArgumentException("unknown line type \"" + type + "\"");
                }
            } catch (Json.SyntaxException e) {
                throw new IOException(e.getMessage() + ": " + Untrusted.printable(line), e);
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": " + e.getMessage() + ": " + Untrusted.printable(line), e);
            }
        }
        if (info == null) {
            throw new IOException(source + " printed no info line (" + lines.size() + " lines of output)");
        }
        return new Result(info, out);
    }

    /**
     * The "dtype" of a line, with its "routine" checked against it: a line that names no type, an unknown one, or
     * a routine of the other type is not the program's.
     */
    static DType dtype(Map<String, Object> obj) {
        DType dtype = switch (Json.string(obj, "dtype")) {
            case "float64" -> DType.FLOAT64;
            case "float32" -> DType.FLOAT32;
            default -> throw new IllegalArgumentException("field \"dtype\" must be \"float64\" or \"float32\"");
        };
        String routine = Json.string(obj, "routine");
        if (!routine.equals(Measurement.routine(dtype))) {
            throw new IllegalArgumentException("field \"routine\" is \"" + Untrusted.printable(routine) + "\" for " + dtype
                    + ", expected \"" + Measurement.routine(dtype) + "\"");
        }
        return dtype;
    }

    /** One "gemm" line. The statistics are recomputed from the samples, not taken from the line. */
    static Measurement parseMeasurement(Map<String, Object> obj) {
        int m = (int) Json.integer(obj, "m", 1, GemmShape.MAX_DIM);
        int n = (int) Json.integer(obj, "n", 1, GemmShape.MAX_DIM);
        int k = (int) Json.integer(obj, "k", 1, GemmShape.MAX_DIM);
        boolean ta = Json.bool(obj, "trans_a");
        boolean tb = Json.bool(obj, "trans_b");
        GemmShape shape = new GemmShape(m + "," + n + "," + k + "," + (ta ? "T" : "N") + "," + (tb ? "T" : "N"), m, n, k, ta, tb);
        int threads = (int) Json.integer(obj, "threads", 1, Integer.MAX_VALUE);
        long calls = Json.integer(obj, "calls_per_rep", 1, BenchSettings.MAX_CALLS);
        List<Double> samples = Json.numbers(obj, "samples_s");
        long reps = Json.integer(obj, "reps", 1, BenchSettings.MAX_REPETITIONS);
        if (samples.size() != reps) {
            throw new IllegalArgumentException(reps + " repetitions but " + samples.size() + " samples");
        }
        return new Measurement(shape, Measurement.C, dtype(obj), threads, calls, samples,
                Json.number(obj, "checksum"), Json.number(obj, "checksum_abs"));
    }
}
