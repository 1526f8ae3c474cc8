package io.github.panamamlp.bench;

import io.github.panamamlp.internal.Json;
import io.github.panamamlp.preset.Preset;
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
        assertEquals(Map.of("GEMM share default 1T", true, "GEMM share default 2T", false,
                "GEMM share tutorial 1T", false, "GEMM share tutorial 2T", true), met);
        String table = report(null).table();
        assertTrue(table.contains("GEMM share default 2T        65.0%   ≥ 70%  no (5.0 points short)"), table);
        assertTrue(table.contains("default     1"), table);
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
        assertTrue(byName.get("policy vs best fixed wide").met(), "2.0 s against the best fixed 2.1 s");
        assertEquals(2.1 / 2.0, byName.get("policy vs best fixed wide").value(), 1e-12);
        assertFalse(byName.get("policy vs best fixed default").met(), "1.2 s against 1.0 s is 20% slower");
        assertFalse(byName.containsKey("GEMM share wide autoT"), "the issue sets no GEMM share for the wide network");
        String table = r.table();
        assertTrue(table.lines().anyMatch(l -> l.startsWith("wide") && l.contains("[auto,1,2]") && l.endsWith("1.05×")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("default +auto +1\\.200 s.*")), table);
        Path png = BenchChart.besideJson(dir.resolve("bench.json"));
        assertEquals(dir.resolve("bench.png"), png);
        assertTrue(BenchChart.writePng(r, "Cooperlake", png));
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertTrue(image.getWidth() >= 800 && image.getHeight() >= 300, "one chart per setup, side by side");
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
        assertEquals(tut, ok.result(TrainingSetup.of(Preset.TUTORIAL)));
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
