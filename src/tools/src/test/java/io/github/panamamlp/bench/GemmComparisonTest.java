package io.github.panamamlp.bench;

import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.internal.Json;
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
        var threadsBefore = OpenBlas.forcedThreads();
        GemmComparison.Result result = GemmComparison.run(options, null);
        assertEquals(threadsBefore, OpenBlas.forcedThreads(), "OpenBLAS's thread setting is restored");

        assertEquals(4, result.rows().size());
        int i = 0;
        for (int threads : List.of(1, 2)) {
            for (GemmShape shape : shapes) {
                ComparisonRow r = result.rows().get(i++);
                assertEquals(shape, r.shape());
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
        assertTrue(table.contains("FFM/C") && table.contains("C 2T/1T") && table.contains("one call (1×1×1, 1 thread)"), table);

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
