package io.github.panamamlp.bench;

import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.internal.Json;
import io.github.panamamlp.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The side-by-side run: form of the rows, and their part of the report's table and JSON. Never asserts speed. */
class GemmComparisonTest {

    @Test
    void runsBothSidesAndReportsWellFormedRows(@TempDir Path dir) throws Exception {
        List<GemmShape> shapes = List.of(GemmShape.tiny().getFirst(), new GemmShape("small Aᵀ·B", 5, 4, 3, true, false));
        // Calibrated (fixedCalls 0) with a 1 ms floor: exercises "C calibrates in round 1, both sides then use its count".
        GemmComparison.Options options = new GemmComparison.Options(shapes, List.of(1, 2), 3, new BenchSettings(2, 0, 1, 0, 42),
                NativeBuild.program(), Duration.ofMinutes(2));
        assertEquals(List.of(DType.FLOAT64), options.dtypes(), "without types: float64, as before float32 existed");
        var threadsBefore = OpenBlas.forcedThreads();
        GemmComparison.Result result = GemmComparison.run(options, null);
        assertEquals(threadsBefore, OpenBlas.forcedThreads(), "OpenBLAS's thread setting is restored");

        assertEquals(4, result.rows().size());
        int i = 0;
        for (int threads : List.of(1, 2)) {
            for (GemmShape shape : shapes) {
                ComparisonRow r = result.rows().get(i++);
                assertEquals(shape, r.shape());
                assertEquals(DType.FLOAT64, r.dtype());
                assertEquals(threads, r.threads());
                assertTrue(r.threadsAsAsked(), "both sides ran at " + threads + " threads");
                assertEquals(Measurement.C, r.c().side());
                assertEquals(Measurement.FFM, r.ffm().side());
                assertEquals(3 * 2, r.c().secondsPerCall().size(), "rounds × repetitions samples");
                assertEquals(3 * 2, r.ffm().secondsPerCall().size());
                assertEquals(r.c().callsPerRep(), r.ffm().callsPerRep(), "both sides run the same number of calls");
                assertTrue(r.cGflops() > 0 && Double.isFinite(r.cGflops()));
                assertTrue(r.ffmGflops() > 0 && Double.isFinite(r.ffmGflops()));
                assertEquals(shape.flops() / r.c().medianSeconds() / 1e9, r.cGflops(), 1e-12 * r.cGflops());
                assertEquals(r.ffmGflops() / r.cGflops(), r.ratio(), 1e-15);
                assertTrue(Measurement.checksumsAgree(r.c(), r.ffm()));
            }
        }
        BenchReport report = new BenchReport(Instant.now(), Duration.ofSeconds(1), MachineInfo.collect(result.c()), "", "",
                result, null, List.of(), null);
        assertTrue(report.machine().openBlasConfig().contains("OpenBLAS"));
        assertEquals(report.machine().openBlasConfig(), report.machine().cOpenBlasConfig(), "both sides report the same OpenBLAS build");
        assertEquals(Boolean.TRUE, report.machine().sameLibrary(), report.machine().cLibrary() + " vs " + report.machine().openBlasPath());

        String table = report.table();
        for (GemmShape s : shapes) {
            assertTrue(table.contains(s.name()) && table.contains(s.dims()), table);
        }
        assertTrue(table.contains("FFM/C") && table.contains("C 2T/1T") && table.contains("one call (1×1×1, float64, 1 thread)"), table);
        assertTrue(table.contains("[1] GEMM: cblas_dgemm (float64) from C"), table);
        assertFalse(table.contains("float32"), "a float64-only run shows no float32 rows:\n" + table);

        Path json = dir.resolve("reports/gemm.json");
        report.writeJson(json);
        report.writeJson(json); // replaces the previous report
        try (Stream<Path> files = Files.list(json.getParent())) {
            assertEquals(List.of(json), files.toList(), "no temporary file is left behind");
        }
        Map<String, Object> root = Json.object(Json.parse(Files.readString(json), "report"), "report");
        Map<String, Object> gemm = Json.object(root.get("gemm"), "gemm");
        List<?> rows = (List<?>) gemm.get("rows");
        assertEquals(4, rows.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> row = (Map<String, Object>) rows.get(1);
        assertEquals(5L, row.get("m"));
        assertEquals("float64", row.get("dtype"));
        assertEquals("cblas_dgemm", row.get("routine"));
        assertEquals(true, row.get("trans_a"));
        assertEquals(120L, row.get("flops"));
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) row.get("c");
        assertEquals(result.rows().get(1).cGflops(), Json.number(c, "gflops_median"), 1e-12 * result.rows().get(1).cGflops());
        assertEquals(6, Json.numbers(c, "samples_s").size());
        assertEquals(result.rows().get(1).c().relativeSpread(), Json.number(c, "relative_iqr"), 1e-12);
        assertEquals(result.rows().get(1).ratio(), Json.number(row, "ratio_ffm_over_c"), 1e-12);
        @SuppressWarnings("unchecked")
        Map<String, Object> machine = (Map<String, Object>) root.get("machine");
        for (String key : List.of("openblas_config", "openblas_path", "c_library", "os", "cpu", "jdk", "processors")) {
            assertTrue(machine.containsKey(key), key);
        }
    }

    /**
     * Both element types in one run: each shape runs in float64 then float32 at each thread count, every row's two
     * sides ran the same routine, and the table, the float32-beside-float64 table and the JSON show the type.
     */
    @Test
    void runsFloat32BesideFloat64(@TempDir Path dir) throws Exception {
        List<GemmShape> shapes = List.of(GemmShape.tiny().getFirst(), new GemmShape("mid A·Bᵀ", 40, 30, 20, false, true));
        GemmComparison.Options options = GemmComparison.Options.defaults().withShapes(shapes).withThreadCounts(List.of(1, 2))
                .withRounds(2).withNativeProgram(NativeBuild.program());
        options = new GemmComparison.Options(options.shapes(), options.dtypes(), options.threadCounts(), options.rounds(),
                new BenchSettings(2, 0, 1, 0, 42), options.nativeProgram(), Duration.ofMinutes(2));
        assertEquals(List.of(DType.FLOAT64, DType.FLOAT32), options.dtypes(), "the default runs both types");
        GemmComparison.Result result = GemmComparison.run(options, null);

        assertEquals(8, result.rows().size());
        int i = 0;
        for (int threads : List.of(1, 2)) {
            for (GemmShape shape : shapes) {
                for (DType dtype : List.of(DType.FLOAT64, DType.FLOAT32)) {
                    ComparisonRow r = result.rows().get(i++);
                    assertEquals(shape, r.shape());
                    assertEquals(dtype, r.dtype());
                    assertEquals(dtype, r.c().dtype());
                    assertEquals(dtype, r.ffm().dtype());
                    assertEquals(threads, r.threads());
                    assertEquals(r.c().callsPerRep(), r.ffm().callsPerRep());
                    assertEquals(2 * 2, r.ffm().secondsPerCall().size());
                    assertTrue(Measurement.checksumsAgree(r.c(), r.ffm()));
                    assertTrue(r.ratio() > 0 && Double.isFinite(r.ratio()));
                    assertEquals(r, result.row(shape, dtype, threads));
                }
                // Same operands drawn from the same seed, rounded to float in float32: close results, not the same bits.
                ComparisonRow d = result.row(shape, DType.FLOAT64, threads);
                ComparisonRow f = result.row(shape, DType.FLOAT32, threads);
                assertEquals(d.c().checksum(), f.c().checksum(), 1e-5 * d.c().checksumAbs());
                assertFalse(Measurement.checksumsAgree(d.c(), f.c()));
            }
        }
        assertEquals(4, result.rows(DType.FLOAT32).size());
        assertEquals(2, result.float32Speedups(true).size(), "one per thread count: the tiny shape is left out");
        assertEquals(result.row(shapes.get(1), DType.FLOAT32, 2).cGflops() / result.row(shapes.get(1), DType.FLOAT64, 2).cGflops(),
                result.float32Speedups(true).get(1), 1e-12);
        assertEquals(Math.exp((Math.log(result.rows().get(1).ratio()) + Math.log(result.rows().get(3).ratio())
                        + Math.log(result.rows().get(5).ratio()) + Math.log(result.rows().get(7).ratio())) / 4),
                result.geometricMeanRatio(DType.FLOAT32), 1e-12);

        BenchReport report = new BenchReport(Instant.now(), Duration.ofSeconds(1), MachineInfo.collect(result.c()), "", "",
                result, null, List.of(), null);
        String table = report.table();
        assertTrue(table.contains("[1] GEMM: cblas_dgemm (float64) and cblas_sgemm (float32) from C"), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("mid A·Bᵀ +40×30×20 A·Bᵀ +float32 +2 .*")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("mid A·Bᵀ +40×30×20 A·Bᵀ +float64 +1 .*")), table);
        assertTrue(table.contains("float32 beside float64: GFLOPS (median) of cblas_sgemm and cblas_dgemm"), table);
        ComparisonRow d = result.row(shapes.get(1), DType.FLOAT64, 1);
        ComparisonRow f = result.row(shapes.get(1), DType.FLOAT32, 1);
        // The float32-beside-float64 table's row (its only 11-column one for this shape): both types' GFLOPS, their ratio, FFM/C.
        List<List<String>> beside = table.lines().map(l -> List.of(l.split(" {2,}"))).filter(c -> c.size() == 11 && c.getFirst().equals("mid A·Bᵀ"))
                .toList();
        assertEquals(2, beside.size(), table);
        assertEquals(List.of("mid A·Bᵀ", "40×30×20 A·Bᵀ", "1", fmt("%.3f", d.cGflops()), fmt("%.3f", f.cGflops()),
                fmt("%.2f×", f.cGflops() / d.cGflops()), fmt("%.3f", d.ffmGflops()), fmt("%.3f", f.ffmGflops()),
                fmt("%.2f×", f.ffmGflops() / d.ffmGflops()), fmt("%.3f", d.ratio()), fmt("%.3f", f.ratio())), beside.getFirst());
        assertTrue(table.contains("FFM/C geometric mean over 4 float32 rows (cblas_sgemm)"), table);
        assertEquals(Math.exp((Math.log(result.rows().get(3).ratio()) + Math.log(result.rows().get(7).ratio())) / 2),
                result.productGeometricMeanRatio(DType.FLOAT32), 1e-12, "the mid shape's rows only");
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "without the tiny shapes (2 rows): %.3f",
                result.productGeometricMeanRatio(DType.FLOAT32))), table);
        assertTrue(table.contains("FFM/C geometric mean over 4 float64 rows (cblas_dgemm)"), table);
        assertTrue(table.contains("one call (1×1×1, float32, 2 threads)"), table);
        assertTrue(report.targets().stream().anyMatch(t -> t.name().equals("FFM/C mid A·Bᵀ float32 1T")), report.targets().toString());

        Path json = dir.resolve("gemm.json");
        report.writeJson(json);
        Map<String, Object> root = Json.object(Json.parse(Files.readString(json), "report"), "report");
        Map<String, Object> gemm = Json.object(root.get("gemm"), "gemm");
        assertEquals(List.of("float64", "float32"), Json.object(gemm.get("settings"), "settings").get("dtypes"));
        List<?> rows = (List<?>) gemm.get("rows");
        assertEquals(8, rows.size());
        Map<String, Object> row = Json.object(rows.get(3), "row");
        assertEquals("mid A·Bᵀ", row.get("name"));
        assertEquals("float32", row.get("dtype"));
        assertEquals("cblas_sgemm", row.get("routine"));
        assertEquals("float32", Json.object(row.get("c"), "c").get("dtype"));
        assertEquals(result.rows().get(3).ratio(), Json.number(row, "ratio_ffm_over_c"), 1e-12);
        Map<String, Object> byType = Json.object(gemm.get("geometric_mean_ratio_ffm_over_c_by_dtype"), "by type");
        assertEquals(result.geometricMeanRatio(DType.FLOAT32), Json.number(byType, "float32"), 1e-12);
        assertEquals(result.geometricMeanRatio(DType.FLOAT64), Json.number(byType, "float64"), 1e-12);
        assertEquals(result.productGeometricMeanRatio(DType.FLOAT32),
                Json.number(Json.object(gemm.get("geometric_mean_ratio_ffm_over_c_by_dtype_without_tiny"), "without tiny"), "float32"), 1e-12);
        List<?> pairs = (List<?>) gemm.get("float32_vs_float64");
        assertEquals(4, pairs.size());
        Map<String, Object> pair = Json.object(pairs.get(3), "pair");
        assertEquals("mid A·Bᵀ", pair.get("name"));
        assertEquals(2L, pair.get("threads"));
        assertEquals(result.float32Speedups(false).get(1), Json.number(pair, "ffm_float32_over_float64"), 1e-12);
    }

    private static String fmt(String format, double value) {
        return String.format(java.util.Locale.ROOT, format, value);
    }

    @Test
    void sidesThatComputeDifferentResultsStopTheRun(@TempDir Path dir) throws Exception {
        // A stand-in "C program" that answers 1×1×1 with a checksum Java's product of the seed-42 operands does not have.
        Path fake = dir.resolve("fake");
        Files.writeString(fake, "#!/bin/sh\necho '" + NativeGemmBenchTest.INFO + "'\n"
                + "echo '" + NativeGemmBenchTest.TINY.replace("\"threads\":2", "\"threads\":1") + "'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        GemmComparison.Options options = new GemmComparison.Options(List.of(GemmShape.parse("1,1,1,N,N")), List.of(1), 1,
                new BenchSettings(2, 0, 0, 0, 42), fake, Duration.ofSeconds(30));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GemmComparison.run(options, null));
        assertTrue(e.getMessage().contains("different results") && e.getMessage().contains("1,1,1,N,N"), e.getMessage());
    }

    @Test
    void aMissingCProgramSaysToRunMakeNative(@TempDir Path dir) {
        GemmComparison.Options options = GemmComparison.Options.defaults().withNativeProgram(dir.resolve("gemm_bench"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GemmComparison.run(options, null));
        assertTrue(e.getMessage().contains("make native"), e.getMessage());
    }

    @Test
    void roundsAlternateWhichSideGoesFirst() {
        StringBuilder order = new StringBuilder();
        for (int round = 0; round < 8; round++) {
            order.append(GemmComparison.cFirst(round) ? "CF " : "FC ");
        }
        assertEquals("CF FC FC CF CF FC FC CF ", order.toString());
    }
}
