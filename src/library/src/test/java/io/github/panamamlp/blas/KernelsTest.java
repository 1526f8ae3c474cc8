package io.github.panamamlp.blas;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which kernel a CPU could run, and what info() says about the one in use. */
class KernelsTest {
    private static final Kernels.Cpu AVX512 = new Kernels.Cpu(4, "test");
    private static final Kernels.Cpu AVX2 = new Kernels.Cpu(3, "test");
    private static final Kernels.Cpu UNKNOWN = new Kernels.Cpu(0, "test");

    @Test
    void levelsOfOpenBlasKernels() {
        assertEquals(4, Kernels.levelOf("SkylakeX"));
        assertEquals(4, Kernels.levelOf("Cooperlake"));
        assertEquals(3, Kernels.levelOf("Haswell"));
        assertEquals(3, Kernels.levelOf("ZEN"));
        assertEquals(2, Kernels.levelOf("Sandybridge"));
        assertEquals(1, Kernels.levelOf("Prescott"));
        assertEquals(-1, Kernels.levelOf("NeoverseN1"), "a name it does not know is never 'older'");
        assertEquals("SkylakeX", Kernels.kernelFor(4));
        assertEquals("Haswell", Kernels.kernelFor(3));
        assertNull(Kernels.kernelFor(2), "below AVX2 OpenBLAS 0.3 knows every CPU: nothing to name");
    }

    @Test
    void levelFromCpuinfoFlags(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cpuinfo");
        Files.writeString(f, "processor\t: 0\nflags\t\t: fpu sse2 avx fma avx2 avx512f avx512cd avx512bw avx512dq avx512vl\n");
        assertEquals(4, Kernels.levelFromFlags(Set.copyOf(Kernels.cpuinfoFlags(f))));
        assertEquals(3, Kernels.levelFromFlags(Set.of("avx", "avx2", "fma", "avx512f")), "AVX-512 F alone is not enough");
        assertEquals(2, Kernels.levelFromFlags(Set.of("avx", "avx2")), "AVX2 without FMA");
        assertEquals(1, Kernels.levelFromFlags(Set.of("sse2")));
        assertTrue(Kernels.cpuinfoFlags(dir.resolve("missing")).isEmpty());
    }

    @Test
    void explainsEachCase() {
        String own = Kernels.explain("Cooperlake", null, null, AVX512, false);
        assertTrue(own.startsWith("OpenBLAS's own choice; this CPU runs AVX-512"), own);

        String older = Kernels.explain("Haswell", null, null, AVX512, false);
        assertTrue(older.contains("older than this CPU runs AVX-512") && older.contains("OPENBLAS_CORETYPE=SkylakeX"), older);
        String prescott = Kernels.explain("Prescott", null, null, AVX2, false);
        assertTrue(prescott.contains("OPENBLAS_CORETYPE=Haswell"), prescott);
        String off = Kernels.explain("Haswell", null, null, AVX512, true);
        assertTrue(off.contains("automatic choice is off") && !off.contains("start the JVM"), off);

        String user = Kernels.explain("Haswell", "Haswell", null, AVX512, false);
        assertEquals("OPENBLAS_CORETYPE=Haswell from the environment", user);
        String ignored = Kernels.explain("Haswell", "SkylakeX", null, AVX512, false);
        assertTrue(ignored.endsWith("; OpenBLAS gave Haswell"), ignored);

        String launcher = Kernels.explain("SkylakeX", "SkylakeX", "SkylakeX:Haswell", AVX512, false);
        assertTrue(launcher.startsWith("OPENBLAS_CORETYPE=SkylakeX set by the panama-mlp launcher: OpenBLAS alone picks Haswell"), launcher);
        // A child process that set another value itself while inheriting the mark: the user's value, not the launcher's.
        String child = Kernels.explain("Haswell", "Haswell", "SkylakeX:Haswell", AVX512, false);
        assertEquals("OPENBLAS_CORETYPE=Haswell from the environment", child);

        assertEquals("OpenBLAS's own choice", Kernels.explain("NeoverseN1", null, null, UNKNOWN, false));
    }

    @Test
    void aLauncherChoiceTheCpuCannotRunIsRefused() {
        assertNull(Kernels.checkLauncherChoice("SkylakeX", "SkylakeX:Haswell", AVX512));
        assertNotNull(Kernels.checkLauncherChoice("SkylakeX", "SkylakeX:Haswell", AVX2));
        assertNull(Kernels.checkLauncherChoice("SkylakeX", null, AVX2), "the user's own value is the user's business");
        assertNull(Kernels.checkLauncherChoice("SkylakeX", "SkylakeX:Haswell", UNKNOWN));
    }

    @Test
    void optOut() {
        assertTrue(Kernels.optedOut("off", null));
        assertTrue(Kernels.optedOut(null, "OFF"));
        assertTrue(!Kernels.optedOut(null, null) && !Kernels.optedOut("auto", ""));
    }

    @Test
    void thisMachineIsDescribed() {
        OpenBlas.Info info = OpenBlas.info();
        assertTrue(!info.kernel().isBlank() && !info.kernel().equals("unknown"), info.toString());
        assertTrue(info.config().contains(info.kernel()), "the config names the same kernel: " + info);
        assertTrue(info.toString().contains("kernel " + info.kernel() + ": "), info.toString());
        if (System.getProperty("os.arch").equals("amd64") && System.getProperty("os.name").equals("Linux")) {
            Kernels.Cpu cpu = Kernels.cpu();
            assertTrue(cpu.level() >= 1, cpu.toString());
            // glibc's answer agrees with /proc/cpuinfo where both exist.
            var flags = Kernels.cpuinfoFlags(Path.of("/proc/cpuinfo"));
            if (!flags.isEmpty()) {
                assertEquals(Kernels.levelFromFlags(Set.copyOf(flags)), cpu.level(), cpu.source());
            }
        }
    }
}
