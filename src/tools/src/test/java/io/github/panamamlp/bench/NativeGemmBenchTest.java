package io.github.panamamlp.bench;

import io.github.panamamlp.internal.Json;
import io.github.panamamlp.reference.ReferenceGemm;
import io.github.panamamlp.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The C program's runner and output parser, and the C program itself built with {@code make native}. */
class NativeGemmBenchTest {
    static final String INFO = "{\"type\":\"info\",\"program\":\"gemm_bench\",\"openblas_config\":\"OpenBLAS 0.3.21 DYNAMIC_ARCH\","
            + "\"library\":\"/lib/x86_64-linux-gnu/libopenblas.so.0\",\"threads\":2,\"dtype\":\"float64\",\"routine\":\"cblas_dgemm\",\"seed\":42,\"reps\":3,\"warmup_ms\":100,"
            + "\"min_rep_ms\":20,\"fixed_calls\":0}";
    static final String GEMM = "{\"type\":\"gemm\",\"dtype\":\"float64\",\"routine\":\"cblas_dgemm\",\"m\":784,\"n\":50,\"k\":100,\"trans_a\":true,\"trans_b\":false,\"threads\":2,"
            + "\"flops\":7840000,\"reps\":3,\"calls_per_rep\":39,\"warmup_calls\":198,\"median_s\":6.097507179e-04,"
            + "\"min_s\":5.807651282e-04,\"gflops_median\":12.857713,\"gflops_max\":13.499433,\"ns_per_call_median\":609750.718,"
            + "\"checksum\":395.28756843236152,\"checksum_abs\":619440.64355489158,"
            + "\"samples_s\":[6.150113077e-04,5.807651282e-04,6.097507179e-04]}";
    static final String TINY = "{\"type\":\"gemm\",\"dtype\":\"float64\",\"routine\":\"cblas_dgemm\",\"m\":1,\"n\":1,\"k\":1,\"trans_a\":false,\"trans_b\":false,\"threads\":2,"
            + "\"flops\":2,\"reps\":2,\"calls_per_rep\":262264,\"warmup_calls\":402449,\"median_s\":8.8e-08,\"min_s\":8.7e-08,"
            + "\"gflops_median\":0.022,\"gflops_max\":0.023,\"ns_per_call_median\":88.0,\"checksum\":-0.3286,\"checksum_abs\":0.3286,"
            + "\"samples_s\":[8.9e-08,8.7e-08]}";

    @Test
    void parsesTheProgramsLines() throws IOException {
        NativeGemmBench.Result r = NativeGemmBench.parse(List.of(INFO, "", GEMM, TINY), "sample");
        assertEquals(new NativeGemmBench.Info("OpenBLAS 0.3.21 DYNAMIC_ARCH", "/lib/x86_64-linux-gnu/libopenblas.so.0", 2, DType.FLOAT64), r.info());
        assertEquals(2, r.measurements().size());

        Measurement m = r.measurements().getFirst();
        assertTrue(m.shape().sameProduct(GemmShape.parse("784,50,100,T,N")), m.shape().toString());
        assertEquals(Measurement.C, m.side());
        assertEquals(DType.FLOAT64, m.dtype());
        assertEquals(2, m.threads());
        assertEquals(39, m.callsPerRep());
        assertEquals(List.of(6.150113077e-04, 5.807651282e-04, 6.097507179e-04), m.secondsPerCall());
        assertEquals(6.097507179e-04, m.medianSeconds(), "median recomputed from the samples");
        assertEquals(5.807651282e-04, m.minSeconds());
        assertEquals(7840000 / 6.097507179e-04 / 1e9, m.gflopsMedian(), 1e-9);
        assertEquals(395.28756843236152, m.checksum());
        assertEquals(619440.64355489158, m.checksumAbs());

        Measurement tiny = r.measurements().get(1);
        assertEquals(8.8e-08, tiny.medianSeconds(), 1e-20, "even count: mean of the middle two");
        assertEquals(2, tiny.shape().flops());
    }

    /** The float32 lines: the type and routine are read, and must agree with each other and with the info line. */
    @Test
    void parsesFloat32LinesAndChecksTheirType() throws IOException {
        String info32 = float32(INFO);
        NativeGemmBench.Result r = NativeGemmBench.parse(List.of(info32, float32(GEMM)), "sample");
        assertEquals(DType.FLOAT32, r.info().dtype());
        assertEquals(DType.FLOAT32, r.measurements().getFirst().dtype());
        assertEquals(List.of(6.150113077e-04, 5.807651282e-04, 6.097507179e-04), r.measurements().getFirst().secondsPerCall());

        assertParseError(List.of(info32, GEMM), "line 2", "a float64 result after a float32 info line");
        assertParseError(List.of(INFO, float32(GEMM)), "line 2", "a float32 result after a float64 info line");
        assertParseError(List.of(INFO, GEMM.replace("cblas_dgemm", "cblas_sgemm")), "line 2", "\"routine\" is \"cblas_sgemm\" for float64");
        assertParseError(List.of(info32.replace("cblas_sgemm", "cblas_dgemm")), "line 1", "expected \"cblas_sgemm\"");
        assertParseError(List.of(INFO, GEMM.replace("\"float64\"", "\"float16\"")), "line 2", "\"dtype\" must be");
        assertParseError(List.of(INFO.replace("\"dtype\":\"float64\",", "")), "line 1", "\"dtype\"");
        assertParseError(List.of(INFO, GEMM.replace("\"routine\":\"cblas_dgemm\",", "")), "line 2", "\"routine\"");
    }

    /** {@code line} as the program prints it with --dtype float32. */
    static String float32(String line) {
        return line.replace("\"dtype\":\"float64\"", "\"dtype\":\"float32\"").replace("cblas_dgemm", "cblas_sgemm");
    }

    @Test
    void badOutputIsAnErrorNamingTheLine() {
        assertParseError(List.of(GEMM), "line 1", "before the info line");
        assertParseError(List.of(), "no info line", "");
        assertParseError(List.of(INFO, INFO), "line 2", "second info line");
        assertParseError(List.of(INFO, "{\"type\":\"other\"}"), "line 2", "unknown line type");
        assertParseError(List.of(INFO, "Segmentation fault"), "line 2", "invalid JSON");
        assertParseError(List.of(INFO, GEMM.replace("\"reps\":3", "\"reps\":4")), "line 2", "4 repetitions but 3 samples");
        assertParseError(List.of(INFO, GEMM.replace("\"m\":784", "\"m\":0")), "line 2", "\"m\"");
        assertParseError(List.of(INFO, GEMM.replace("\"m\":784", "\"m\":78.4")), "line 2", "\"m\"");
        assertParseError(List.of(INFO, GEMM.replace("\"trans_a\":true", "\"trans_a\":1")), "line 2", "\"trans_a\"");
        assertParseError(List.of(INFO, GEMM.replace("6.150113077e-04,", "-1,")), "line 2", "positive");
        assertParseError(List.of(INFO, GEMM.replace(",\"checksum\":395.28756843236152", "")), "line 2", "\"checksum\"");
    }

    private static void assertParseError(List<String> lines, String where, String what) {
        IOException e = assertThrows(IOException.class, () -> NativeGemmBench.parse(lines, "prog"));
        assertTrue(e.getMessage().startsWith("prog"), e.getMessage());
        assertTrue(e.getMessage().contains(where), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void aMissingProgramSaysToRunMakeNative(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NativeGemmBench.locate(dir));
        assertTrue(e.getMessage().contains("make native"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("native/gemm_bench").toString()), e.getMessage());
    }

    @Test
    void aFailingProgramReportsItsExitCodeAndErrorOutput(@TempDir Path dir) throws Exception {
        Path fails = script(dir, "fails", "echo 'gemm_bench: cannot allocate 8 bytes' >&2; exit 3");
        IOException e = assertThrows(IOException.class, () ->
                new NativeGemmBench(fails, Duration.ofSeconds(30)).run(List.of(GemmShape.parse("1,1,1,N,N")), 1, GemmBenchmarkTest.QUICK));
        assertTrue(e.getMessage().contains("exit code 3") && e.getMessage().contains("cannot allocate"), e.getMessage());

        // A program that answers for another shape than was asked.
        Path wrong = script(dir, "wrong", "echo '" + INFO + "'; echo '" + TINY + "'");
        e = assertThrows(IOException.class, () ->
                new NativeGemmBench(wrong, Duration.ofSeconds(30)).run(List.of(GemmShape.parse("2,1,1,N,N")), 1, GemmBenchmarkTest.QUICK));
        assertTrue(e.getMessage().contains("2,1,1,N,N") && e.getMessage().contains("1,1,1,N,N"), e.getMessage());

        // A program that timed another type than was asked.
        Path float64 = script(dir, "float64", "echo '" + INFO + "'; echo '" + TINY + "'");
        e = assertThrows(IOException.class, () -> new NativeGemmBench(float64, Duration.ofSeconds(30))
                .run(List.of(GemmShape.parse("1,1,1,N,N")), 1, DType.FLOAT32, GemmBenchmarkTest.QUICK));
        assertTrue(e.getMessage().contains("timed float64 but float32 was asked for"), e.getMessage());

        // A program built before --dtype existed: the message says how to get the current one.
        Path old = script(dir, "old", "echo 'gemm_bench: unknown option --dtype' >&2; exit 2");
        e = assertThrows(IOException.class, () -> new NativeGemmBench(old, Duration.ofSeconds(30))
                .run(List.of(GemmShape.parse("1,1,1,N,N")), 1, DType.FLOAT32, GemmBenchmarkTest.QUICK));
        assertTrue(e.getMessage().contains("exit code 2") && e.getMessage().contains("predates --dtype: rebuild it with 'make native'"),
                e.getMessage());

        Path hangs = script(dir, "hangs", "exec sleep 30");
        e = assertThrows(IOException.class, () ->
                new NativeGemmBench(hangs, Duration.ofMillis(300)).run(List.of(GemmShape.parse("1,1,1,N,N")), 1, GemmBenchmarkTest.QUICK));
        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
    }

    private static Path script(Path dir, String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void theCommandLineCarriesTheSettings(@TempDir Path dir) throws IOException {
        Path p = script(dir, "p", "true");
        NativeGemmBench b = new NativeGemmBench(p, Duration.ofSeconds(1));
        List<String> cmd = b.command(List.of(GemmShape.parse("784,50,100,T,N"), GemmShape.parse("1,2,3,N,T")), 2, DType.FLOAT32,
                new BenchSettings(7, 50, 10, 0, 9));
        assertEquals(List.of(p.toAbsolutePath().toString(), "--threads", "2", "--dtype", "float32", "--reps", "7", "--warmup-ms", "50",
                "--min-rep-ms", "10", "--seed", "9", "784,50,100,T,N", "1,2,3,N,T"), cmd);
        List<String> f64 = b.command(List.of(GemmShape.parse("1,1,1,N,N")), 1, DType.FLOAT64, new BenchSettings(1, 0, 0, 5, 0));
        assertTrue(f64.containsAll(List.of("--calls", "5")));
        assertEquals("float64", f64.get(f64.indexOf("--dtype") + 1));
    }

    /** {@code make native} builds the program, and it computes the same product as Java on the same operands. */
    @Test
    void theCProgramBuildsRunsAndAgreesWithJava() throws Exception {
        NativeGemmBench c = new NativeGemmBench(NativeBuild.program(), Duration.ofMinutes(2));
        List<GemmShape> shapes = List.of(GemmShape.parse("5,4,3,T,N"), GemmShape.parse("7,6,9,N,T"));
        NativeGemmBench.Result r = c.run(shapes, 1, GemmBenchmarkTest.QUICK);

        assertTrue(r.info().openBlasConfig().contains("OpenBLAS"), r.info().openBlasConfig());
        assertFalse(r.info().library().isEmpty());
        assertEquals(1, r.info().threads());
        assertEquals(2, r.measurements().size());
        for (int i = 0; i < shapes.size(); i++) {
            GemmShape shape = shapes.get(i);
            Measurement m = r.measurements().get(i);
            assertEquals(shape, m.shape(), "the caller's shape is carried into the result");
            assertEquals(2, m.callsPerRep());
            assertEquals(3, m.secondsPerCall().size());
            assertTrue(m.gflopsMedian() > 0 && Double.isFinite(m.gflopsMedian()));

            double[][][] ab = BenchOperands.arrays(shape, GemmBenchmarkTest.QUICK.seed());
            double[] expected = BenchOperands.checksum(ReferenceGemm.gemm(1.0, ab[0], shape.transA(), ab[1], shape.transB(), 0.0, null));
            assertEquals(expected[0], m.checksum(), 1e-12 * expected[1], "C's result is the textbook product of the same operands");
            assertTrue(Measurement.checksumsAgree(m, GemmBenchmark.measure(shape, GemmBenchmarkTest.QUICK)), "C and FFM agree");
        }
    }

    /**
     * With --dtype float32 the program runs cblas_sgemm on the operands rounded to float: its result is the exact product
     * of those rounded operands to within float32 rounding, it is not the float64 result, and FFM's float32 product agrees.
     */
    @Test
    void theCProgramRunsSgemmOnFloat32OperandsAndAgreesWithJava() throws Exception {
        NativeGemmBench c = new NativeGemmBench(NativeBuild.program(), Duration.ofMinutes(2));
        List<GemmShape> shapes = List.of(GemmShape.parse("5,4,3,T,N"), GemmShape.parse("7,6,9,N,T"), GemmShape.parse("33,17,65,T,N"));
        NativeGemmBench.Result r = c.run(shapes, 1, DType.FLOAT32, GemmBenchmarkTest.QUICK);
        NativeGemmBench.Result r64 = c.run(shapes, 1, DType.FLOAT64, GemmBenchmarkTest.QUICK);
        assertEquals(DType.FLOAT32, r.info().dtype());
        assertEquals(r64.info().library(), r.info().library(), "both routines come from the same library");
        for (int i = 0; i < shapes.size(); i++) {
            GemmShape shape = shapes.get(i);
            Measurement m = r.measurements().get(i);
            assertEquals(DType.FLOAT32, m.dtype());
            assertEquals(shape, m.shape());
            assertEquals(3, m.secondsPerCall().size());

            // The exact (double) product of the float-rounded operands: float32 arithmetic is within its rounding of it.
            double[][][] ab = BenchOperands.arrays(shape, DType.FLOAT32, GemmBenchmarkTest.QUICK.seed());
            double[] exact = BenchOperands.checksum(ReferenceGemm.gemm(1.0, ab[0], shape.transA(), ab[1], shape.transB(), 0.0, null));
            assertEquals(exact[0], m.checksum(), Measurement.checksumTolerance(DType.FLOAT32) * exact[1],
                    "C's float32 result is the product of the rounded operands");
            // ... and it is float32 work: the float64 run of the same seed (unrounded operands, double sums) differs by more
            // than float64's tolerance.
            Measurement d = r64.measurements().get(i);
            assertTrue(Math.abs(d.checksum() - m.checksum()) > Measurement.checksumTolerance(DType.FLOAT64) * d.checksumAbs(),
                    shape.spec() + ": float32 " + m.checksum() + " vs float64 " + d.checksum());
            assertFalse(Measurement.checksumsAgree(m, d), "results of different types never agree");
            assertTrue(Measurement.checksumsAgree(m, GemmBenchmark.measure(shape, DType.FLOAT32, GemmBenchmarkTest.QUICK)), "C and FFM agree");
        }
    }

    /** The program's own median, min and GFLOPS agree with the ones recomputed from its samples. */
    @Test
    void theProgramsStatisticsMatchTheParsersAndBadArgumentsFail() throws Exception {
        Path program = NativeBuild.program();
        for (DType dtype : DType.values()) {
            Process p = new ProcessBuilder(program.toString(), "--reps", "4", "--calls", "3", "--warmup-ms", "0", "--dtype", dtype.label(),
                    "--tiny").start();
            List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
            assertEquals(0, p.waitFor());
            assertEquals(3, lines.size(), "info line and the two tiny shapes: " + lines);
            NativeGemmBench.Result r = NativeGemmBench.parse(lines, program.toString());
            assertEquals(dtype, r.info().dtype());
            for (int i = 0; i < 2; i++) {
                Map<String, Object> raw = Json.object(Json.parse(lines.get(i + 1), "line"), "line");
                Measurement m = r.measurements().get(i);
                assertEquals(dtype, m.dtype());
                assertEquals(Json.number(raw, "median_s"), m.medianSeconds(), 1e-8 * m.medianSeconds());
                assertEquals(Json.number(raw, "min_s"), m.minSeconds(), 1e-8 * m.minSeconds());
                assertEquals(Json.number(raw, "gflops_median"), m.gflopsMedian(), 1e-5 * m.gflopsMedian() + 1e-6);
                assertEquals(m.shape().flops(), Json.number(raw, "flops"));
            }
            assertTrue(r.measurements().get(0).shape().sameProduct(GemmShape.parse("1,1,1,N,N")));
            assertTrue(r.measurements().get(1).shape().sameProduct(GemmShape.parse("4,4,4,N,N")));
        }

        for (List<String> bad : List.<List<String>>of(List.of(), List.of("1,2,3"), List.of("1,1,1,N,X"), List.of("--reps", "0", "1,1,1,N,N"),
                List.of("--dtype", "float16", "1,1,1,N,N"), List.of("--dtype"),
                List.of("--bogus", "1", "1,1,1,N,N"), List.of("100000,100000,100000,N,N"))) {
            List<String> cmd = new java.util.ArrayList<>(List.of(program.toString()));
            cmd.addAll(bad);
            Process q = new ProcessBuilder(cmd).start();
            String err = new String(q.getErrorStream().readAllBytes());
            assertEquals(2, q.waitFor(), "exit status for " + bad);
            assertTrue(err.startsWith("gemm_bench: "), "message for " + bad + ": " + err);
        }
    }
}
