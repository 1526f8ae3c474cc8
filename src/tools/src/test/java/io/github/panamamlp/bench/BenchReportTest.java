package io.github.panamamlp.bench;

import io.github.panamamlp.internal.Json;
import io.github.panamamlp.preset.Preset;
import io.github.panamamlp.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The combined report: targets judged from the medians, the table and the JSON. */
class BenchReportTest {
    private static SetupResult result(TrainingSetup setup, double gemm1, double gemm2) {
        List<EpochSample> e = List.of(
                new EpochSample(1, 1.0, gemm1, 10, gemm1 + 0.05, 0.1, 0.05),
                new EpochSample(2, 1.0, gemm2, 10, gemm2 + 0.05, 0.1, 0.05));
        return new SetupResult(setup, 60000, 1875, e, List.of(1.875));
    }

    private static BenchReport report(CoretypeRun.Result coretype) {
        List<SetupResult> epochs = List.of(result(TrainingSetup.of(Preset.DEFAULT), 0.72, 0.65), result(TrainingSetup.of(Preset.TUTORIAL), 0.79, 0.81));
        return new BenchReport(Instant.parse("2025-01-01T00:00:00Z"), Duration.ofSeconds(3), MachineInfo.collect(null),
                "0.10, 0.20, 0.30", "0.40, 0.50, 0.60", null, EpochBenchmark.Options.defaults(), epochs, coretype);
    }

    @Test
    void judgesTheGemmShareTargets() {
        Map<String, Boolean> met = new java.util.LinkedHashMap<>();
        for (BenchReport.Target t : report(null).targets()) {
            met.put(t.name(), t.met());
        }
        assertEquals(Map.of("GEMM share default float64 1T", true, "GEMM share default float64 2T", false,
                "GEMM share tutorial float64 1T", false, "GEMM share tutorial float64 2T", true), met);
        String table = report(null).table();
        assertTrue(table.contains("GEMM share default float64 2T        65.0%   ≥ 70%  no (5.0 points short)"), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("default +float64 +1 +1\\.000 s .*")), table);
        assertTrue(table.contains("1.875 s     1.88×"), "reference epoch 1.875 s, native 1 s:\n" + table);
    }

    /** The policy's row against the best fixed count: met within 10%, and shown in [3] and as a target. */
    @Test
    void judgesThePolicyAgainstTheBestFixedCount(@TempDir Path dir) throws Exception {
        TrainingSetup wide = TrainingSetup.wide();
        SetupResult fast = new SetupResult(wide, 15000, 59, List.of(new EpochSample(BenchSettings.AUTO, 2.0, 1.5, 10, 1.7, 0.2, 0.05),
                new EpochSample(1, 3.0, 2.5, 10, 2.7, 0.2, 0.05), new EpochSample(2, 2.1, 1.6, 10, 1.8, 0.2, 0.05)), List.of());
        SetupResult slow = new SetupResult(TrainingSetup.of(Preset.DEFAULT), 60000, 1875, List.of(
                new EpochSample(BenchSettings.AUTO, 1.2, 0.7, 10, 0.8, 0.1, 0.05), new EpochSample(1, 1.0, 0.7, 10, 0.8, 0.1, 0.05)),
                List.of());
        BenchReport r = new BenchReport(Instant.parse("2025-01-01T00:00:00Z"), Duration.ofSeconds(3), MachineInfo.collect(null),
                "", "", null, EpochBenchmark.Options.defaults(), List.of(slow, fast), null);
        Map<String, BenchReport.Target> byName = new java.util.LinkedHashMap<>();
        for (BenchReport.Target t : r.targets()) {
            byName.put(t.name(), t);
        }
        assertTrue(byName.get("policy vs best fixed wide float64").met(), "2.0 s against the best fixed 2.1 s");
        assertEquals(2.1 / 2.0, byName.get("policy vs best fixed wide float64").value(), 1e-12);
        assertFalse(byName.get("policy vs best fixed default float64").met(), "1.2 s against 1.0 s is 20% slower");
        assertFalse(byName.containsKey("GEMM share wide float64 autoT"), "the issue sets no GEMM share for the wide network");
        String table = r.table();
        assertTrue(table.lines().anyMatch(l -> l.startsWith("wide") && l.contains("float64") && l.contains("[auto,1,2]") && l.endsWith("1.05×")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("default +float64 +auto +1\\.200 s.*")), table);
        Path png = BenchChart.besideJson(dir.resolve("bench.json"));
        assertEquals(dir.resolve("bench.png"), png);
        assertTrue(BenchChart.writePng(r, "Cooperlake", png));
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertTrue(image.getWidth() >= 800 && image.getHeight() >= 300, "one chart per setup, side by side");
    }

    private static SetupResult typed(TrainingSetup setup, DType dtype, double auto, double one, double gemmOne) {
        return new SetupResult(setup, dtype, 60000, 1875, List.of(new EpochSample(BenchSettings.AUTO, auto, gemmOne, 10, gemmOne + 0.05, 0.1, 0.05),
                new EpochSample(1, one, gemmOne, 10, gemmOne + 0.05, 0.1, 0.05)), List.of(2.0));
    }

    /** Epochs of both types: rows per type, float32 beside float64, the policy judged per type, GEMM share on float64 only. */
    @Test
    void reportsTheEpochsOfBothTypes(@TempDir Path dir) throws Exception {
        TrainingSetup def = TrainingSetup.of(Preset.DEFAULT);
        SetupResult d = typed(def, DType.FLOAT64, 0.50, 0.48, 0.30);
        SetupResult f = typed(def, DType.FLOAT32, 0.25, 0.40, 0.16);
        EpochBenchmark.Options options = EpochBenchmark.Options.defaults().withSetups(List.of(def));
        assertEquals(List.of(DType.FLOAT64, DType.FLOAT32), options.dtypes());
        BenchReport r = new BenchReport(Instant.parse("2025-01-01T00:00:00Z"), Duration.ofSeconds(3), MachineInfo.collect(null),
                "", "", null, options, List.of(d, f), null);
        Map<String, BenchReport.Target> byName = new java.util.LinkedHashMap<>();
        for (BenchReport.Target t : r.targets()) {
            byName.put(t.name(), t);
        }
        assertEquals(List.of("GEMM share default float64 autoT", "GEMM share default float64 1T", "policy vs best fixed default float64",
                "policy vs best fixed default float32"), List.copyOf(byName.keySet()), "GEMM share is issue 12's float64 target");
        assertTrue(byName.get("policy vs best fixed default float64").met(), "0.50 s against 0.48 s: within 10%");
        assertEquals(0.48 / 0.50, byName.get("policy vs best fixed default float64").value(), 1e-12);
        assertEquals(0.40 / 0.25, byName.get("policy vs best fixed default float32").value(), 1e-12);
        assertTrue(byName.get("policy vs best fixed default float32").met());

        String table = r.table();
        assertTrue(table.contains("types: float64, float32"), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("default +float32 +auto +0\\.250 s .* 2\\.000 s +8\\.00×")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("default +float64 +1 +0\\.480 s .*")), table);
        assertTrue(table.contains("float32 beside float64: median epoch and GEMM time"), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("default +auto +0\\.500 s +0\\.250 s +2\\.00× +0\\.300 s +0\\.160 s +1\\.88×")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("default +float32 +\\[auto,1\\] +0\\.250 / 0\\.400 s .* 1\\.60×")), table);
        assertEquals(1, table.lines().filter(l -> l.startsWith("  default: 784→50")).count(), "each setup described once:\n" + table);

        Map<String, Object> root = Json.object(Json.parse(r.toJson(), "json"), "json");
        Map<String, Object> epochs = Json.object(root.get("epochs"), "epochs");
        assertEquals(List.of("float64", "float32"), epochs.get("dtypes"));
        List<?> results = (List<?>) epochs.get("results");
        assertEquals("float32", Json.object(results.get(1), "result").get("dtype"));
        assertEquals(f, SetupResult.fromJsonTree(Json.object(results.get(1), "result"), def), "read back with its type");

        // The child's report of both types: each result is matched by setup and type.
        String child = childReport("OpenBLAS 0.3.21 DYNAMIC_ARCH SkylakeX MAX_THREADS=64", d, f);
        CoretypeRun.Result core = CoretypeRun.parse("SkylakeX", child, List.of(def));
        assertTrue(core.ok(), core.error());
        assertEquals(f, core.result(def, DType.FLOAT32));
        assertEquals(d, core.result(def, DType.FLOAT64));

        BenchReport withCore = new BenchReport(r.started(), r.elapsed(), r.machine(), "", "", null, options, List.of(d, f), core);
        assertTrue(withCore.table().lines().anyMatch(l -> l.matches("default +float32 +1 +0\\.400 s .* 1\\.00× +1\\.00×")), withCore.table());
        var rows = BenchChart.charts(withCore, "Cooperlake");
        assertEquals(1, rows.size(), "no GEMM comparison: the epochs' row only");
        assertEquals(List.of("kernel Cooperlake float64", "kernel Cooperlake float32", "OPENBLAS_CORETYPE=SkylakeX float64",
                        "OPENBLAS_CORETYPE=SkylakeX float32"),
                List.copyOf(rows.getFirst().getFirst().getSeriesMap().keySet()));
        Path png = dir.resolve("bench.png");
        assertTrue(BenchChart.writePng(withCore, "Cooperlake", png));
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(BenchChart.EPOCH_WIDTH, image.getWidth());
        assertEquals(BenchChart.HEIGHT + BenchChart.VERTICAL_LEGEND, image.getHeight(), "four series: a legend line each");
    }

    /** The GEMM comparison gets its own row of the chart: GFLOPS per shape for each side and type, one chart per thread count. */
    @Test
    void chartsTheGemmComparisonByType(@TempDir Path dir) throws Exception {
        List<GemmShape> shapes = List.of(GemmShape.tiny().getFirst(), new GemmShape("dW1ᵀ=dHᵀ·X b32", 50, 784, 32, true, false),
                GemmShape.square1024());
        List<ComparisonRow> rows = new java.util.ArrayList<>();
        for (int th : List.of(1, 2)) {
            for (GemmShape s : shapes) {
                for (DType t : List.of(DType.FLOAT64, DType.FLOAT32)) {
                    double seconds = s.flops() / 1e9 / (t == DType.FLOAT32 ? 20.0 * th : 10.0 * th);
                    rows.add(new ComparisonRow(s, th, new Measurement(s, Measurement.C, t, th, 1, List.of(seconds), 1, 1),
                            new Measurement(s, Measurement.FFM, t, th, 1, List.of(seconds * 1.25), 1, 1)));
                }
            }
        }
        GemmComparison.Options options = GemmComparison.Options.defaults().withShapes(shapes);
        GemmComparison.Result gemm = new GemmComparison.Result(options, rows, null);
        assertEquals(0.8, gemm.geometricMeanRatio(DType.FLOAT32), 1e-12);
        assertEquals(List.of(2.0, 2.0, 2.0, 2.0), gemm.float32Speedups(true).stream().map(x -> Math.round(x * 1e9) / 1e9).toList());
        BenchReport r = new BenchReport(Instant.parse("2025-01-01T00:00:00Z"), Duration.ofSeconds(3), MachineInfo.collect(null),
                "", "", gemm, null, List.of(), null);
        var charts = BenchChart.charts(r, "Cooperlake");
        assertEquals(1, charts.size(), "no epochs: the GEMM row only");
        assertEquals(2, charts.getFirst().size(), "one chart per thread count");
        var one = charts.getFirst().getFirst();
        assertEquals(List.of("C float64", "FFM float64", "C float32", "FFM float32"), List.copyOf(one.getSeriesMap().keySet()));
        assertTrue(one.getTitle().contains("float64 (dgemm) vs float32 (sgemm)"), one.getTitle());
        var c32 = one.getSeriesMap().get("C float32");
        assertEquals(2, ((java.util.Collection<?>) c32.getXData()).size(), "the tiny shapes are left out");
        assertEquals(List.of(20.0, 20.0), ((java.util.Collection<?>) c32.getYData()).stream().map(y -> Math.round(((Number) y).doubleValue() * 1e9) / 1e9).toList());
        Path png = dir.resolve("gemm.png");
        assertTrue(BenchChart.writePng(r, "Cooperlake", png));
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(2 * BenchChart.GEMM_MIN_WIDTH, image.getWidth());
        assertEquals(BenchChart.HEIGHT, image.getHeight());
        assertEquals("dW1^T=dH^T·X b32", BenchChart.label("dW1ᵀ=dHᵀ·X b32", new java.awt.Font("NoSuchFontHere", java.awt.Font.PLAIN, 1) {
            @Override
            public int canDisplayUpTo(String str) {
                return str.indexOf('ᵀ');
            }
        }), "a font without the glyph gets ^T");
        assertFalse(BenchChart.writePng(new BenchReport(r.started(), r.elapsed(), r.machine(), "", "", null, null, List.of(), null),
                "Cooperlake", dir.resolve("none.png")));
    }

    @Test
    void writesValidJsonAtomically(@TempDir Path dir) throws Exception {
        CoretypeRun.Result failed = new CoretypeRun.Result("SkylakeX", "", List.of(), "this CPU lacks avx512f");
        BenchReport r = report(failed);
        assertTrue(r.table().contains("not measured: this CPU lacks avx512f"));
        Path file = dir.resolve("sub").resolve("bench.json");
        r.writeJson(file);
        Map<String, Object> root = Json.object(Json.parse(Files.readString(file), "bench.json"), "bench.json");
        assertEquals("panama-mlp bench", root.get("benchmark"));
        assertNull(root.get("gemm"));
        Map<?, ?> epochs = (Map<?, ?>) root.get("epochs");
        assertEquals(2, ((List<?>) epochs.get("results")).size());
        assertEquals("this CPU lacks avx512f", ((Map<?, ?>) root.get("coretype")).get("error"));
        assertEquals(4, ((List<?>) root.get("targets")).size());
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    /** A report as the child JVM writes it: epochs only, from an OpenBLAS whose configuration is {@code config}. */
    static String childReport(String config, SetupResult... results) {
        MachineInfo here = MachineInfo.collect(null);
        MachineInfo child = new MachineInfo(here.openBlasPath(), config, "", "", null, here.os(), here.cpu(), here.processors(),
                here.jdk(), Map.of("OPENBLAS_CORETYPE", "SkylakeX"));
        return new BenchReport(Instant.parse("2025-01-01T00:00:00Z"), Duration.ofSeconds(3), child, "", "", null,
                EpochBenchmark.Options.defaults(), List.of(results), null).toJson();
    }

    @Test
    void coretypeResultsAreParsedAndChecked() {
        SetupResult tut = result(TrainingSetup.of(Preset.TUTORIAL), 0.5, 0.5);
        String json = childReport("OpenBLAS 0.3.21 DYNAMIC_ARCH SkylakeX MAX_THREADS=64", tut);
        CoretypeRun.Result ok = CoretypeRun.parse("SkylakeX", json, List.of(TrainingSetup.of(Preset.DEFAULT), TrainingSetup.of(Preset.TUTORIAL)));
        assertTrue(ok.ok(), ok.error());
        assertEquals(tut, ok.result(TrainingSetup.of(Preset.TUTORIAL), DType.FLOAT64));
        String other = childReport("OpenBLAS 0.3.21 DYNAMIC_ARCH Prescott MAX_THREADS=64", tut);
        CoretypeRun.Result ignored = CoretypeRun.parse("SkylakeX", other, List.of(TrainingSetup.of(Preset.TUTORIAL)));
        assertFalse(ignored.ok());
        assertTrue(ignored.error().contains("did not switch to SkylakeX"), ignored.error());
        CoretypeRun.Result unknown = CoretypeRun.parse("SkylakeX", json, List.of(TrainingSetup.of(Preset.DEFAULT)));
        assertTrue(unknown.error().contains("unknown setup 'tutorial'"), unknown.error());
        assertFalse(CoretypeRun.parse("SkylakeX", "{\"machine\": {\"openblas_config\": \"SkylakeX\"}}", List.of()).ok());
        assertFalse(CoretypeRun.parse("SkylakeX", "not json", List.of()).ok());
    }

    @Test
    void knowsWhichKernelsNeedWhichInstructions() {
        assertEquals("avx512f", CoretypeRun.missingCpuFeature("SkylakeX", List.of("sse2", "avx2")));
        assertNull(CoretypeRun.missingCpuFeature("SkylakeX", List.of("avx2", "avx512f")));
        assertEquals("avx2", CoretypeRun.missingCpuFeature("Haswell", List.of("sse2", "avx")));
        assertNull(CoretypeRun.missingCpuFeature("Prescott", List.of("sse2")));
        assertNull(CoretypeRun.missingCpuFeature("SkylakeX", List.of()), "unknown flags: do not guess");
    }

    @Test
    void rejectsNothingToRunAndOddCoreTypes() {
        assertThrows(IllegalArgumentException.class, () -> new FullBench.Options(null, null, Path.of("x"), 0, null));
        assertThrows(IllegalArgumentException.class, () -> new CoretypeRun.Request("Sky lake; rm -rf", List.of("Main"), Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new CoretypeRun.Request("SkylakeX", List.of(), Duration.ofMinutes(1)));
    }
}
