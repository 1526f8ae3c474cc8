package io.github.panamamlp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's kernel choice (lib/openblas-kernel.sh): the decision for each combination of OpenBLAS's
 * own kernel and the glibc-hwcaps level, and that a user's OPENBLAS_CORETYPE and the opt-outs are left
 * alone. The environment variables are set only in the child shells started here.
 */
class OpenBlasKernelScriptTest {
    @TempDir
    static Path dir;

    private static Path script() throws IOException {
        Path p = dir.resolve("openblas-kernel.sh");
        if (!Files.exists(p)) {
            try (InputStream in = LauncherWriter.class.getResourceAsStream("openblas-kernel.sh")) {
                Files.write(p, in.readAllBytes());
            }
        }
        return p;
    }

    /** Runs {@code code} in sh after sourcing the script, with {@code env} added; returns its output. */
    private static String sh(String code, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", ". \"$0\"; " + code, script().toString());
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("PANAMA_MLP_CORETYPE");
        pb.environment().remove("PANAMA_MLP_CORETYPE_SET");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void picksTheKernelOfTheHwcapsLevelOnlyWhenOpenBlasWouldPickAnOlderOne() throws Exception {
        String v4 = "  x86-64-v4 (supported, searched)\n  x86-64-v3 (supported, searched)";
        String v3 = "  x86-64-v4\n  x86-64-v3 (supported, searched)";
        String v2 = "  x86-64-v4\n  x86-64-v3\n  x86-64-v2 (supported, searched)";
        record Case(String own, String hwcaps, String expected) {
        }
        for (Case c : List.of(new Case("Haswell", v4, "SkylakeX"), new Case("Zen", v4, "SkylakeX"),
                new Case("Prescott", v4, "SkylakeX"), new Case("Prescott", v3, "Haswell"),
                new Case("Sandybridge", v3, "Haswell"), new Case("SkylakeX", v4, ""), new Case("Cooperlake", v4, ""),
                new Case("Haswell", v3, ""), new Case("Prescott", v2, ""), new Case("NeoverseN1", v4, ""),
                new Case("", v4, ""))) {
            assertEquals(c.expected(), sh("panama_mlp_pick '" + c.own() + "' '" + c.hwcaps() + "'", Map.of()), c.toString());
        }
    }

    @Test
    void leavesTheUsersChoiceAndTheOptOutsAlone() throws Exception {
        String show = "panama_mlp_choose_kernel; echo \"[${OPENBLAS_CORETYPE-unset}] [${PANAMA_MLP_CORETYPE_SET-unset}]\"";
        assertEquals("[Prescott] [unset]", sh(show, Map.of("OPENBLAS_CORETYPE", "Prescott")));
        assertEquals("[] [unset]", sh(show, Map.of("OPENBLAS_CORETYPE", "")), "set but empty is the user's too");
        assertEquals("[unset] [unset]", sh(show, Map.of("PANAMA_MLP_CORETYPE", "off")));
        assertEquals("[unset] [unset]", sh(show, Map.of("PANAMA_MLP_OPTS", "-Xmx1g -Dpanamamlp.coretype=off")));
        assertEquals("[unset] [unset]", sh(show, Map.of("PANAMA_MLP_OPENBLAS", "/path with space/libopenblas.so")));
    }

    /** On this machine: either OpenBLAS's own kernel is kept, or a newer one is named together with the mark. */
    @Test
    void onThisMachineTheChoiceIsConsistent() throws Exception {
        String out = sh("panama_mlp_choose_kernel; echo \"${OPENBLAS_CORETYPE-unset} ${PANAMA_MLP_CORETYPE_SET-unset}\"", Map.of());
        String[] f = out.split(" ");
        assertEquals(2, f.length, out);
        if (!f[0].equals("unset")) {
            assertTrue(f[1].startsWith(f[0] + ":"), out);
            assertTrue(List.of("SkylakeX", "Haswell").contains(f[0]), out);
        } else {
            assertEquals("unset", f[1], out);
        }
    }
}
