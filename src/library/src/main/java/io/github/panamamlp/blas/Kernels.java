package io.github.panamamlp.blas;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which OpenBLAS CPU kernel is in use, which one this CPU and operating system could run, and why.
 *
 * <p>OpenBLAS built with {@code DYNAMIC_ARCH} picks a kernel when it loads, from the CPU's family and model;
 * versions before 0.3.25 do not know recent CPUs and fall back to an older kernel (Haswell on AMD Zen 5,
 * Prescott on some new Intel Xeons), although the CPU runs the AVX2 or AVX-512 one. {@code OPENBLAS_CORETYPE}
 * overrides the choice, but OpenBLAS reads it only while it loads, and it does not check that the CPU can
 * run the kernel named: a wrong value ends in an illegal-instruction crash. So a kernel is only ever named
 * when its instructions are usable, as glibc reports them.
 *
 * <p>The library itself never changes the environment (see the README's OpenBLAS section for why): the
 * {@code panama-mlp} launcher sets the variable before the JVM starts, and {@link OpenBlas#info()} says what
 * a library user can set.
 */
final class Kernels {
    /** Environment variable (and, lower-cased with dots, system property) that turns the choice off. */
    static final String OPT_OUT_ENV = "PANAMA_MLP_CORETYPE";
    /** System property that turns the choice off with the value {@code off}. */
    static final String OPT_OUT_PROPERTY = "panamamlp.coretype";
    /** Set by the launcher as {@code chosen:openblasOwn} when it set {@code OPENBLAS_CORETYPE} itself. */
    static final String LAUNCHER_MARK_ENV = "PANAMA_MLP_CORETYPE_SET";

    /** The kernel to name for each instruction-set level (index = level), or null for none. */
    private static final String[] KERNEL_FOR_LEVEL = {null, null, null, "Haswell", "SkylakeX"};
    private static final String[] LEVEL_NAMES = {"unknown", "SSE", "AVX", "AVX2 (x86-64-v3)", "AVX-512 (x86-64-v4)"};

    private Kernels() {
    }

    /**
     * The instruction-set level an OpenBLAS x86-64 kernel needs: 4 AVX-512, 3 AVX2 and FMA, 2 AVX, 1 SSE;
     * -1 for a name this table does not know (another architecture or a newer OpenBLAS), which is never
     * treated as older than anything.
     */
    static int levelOf(String kernel) {
        if (kernel == null) {
            return -1;
        }
        return switch (kernel.toLowerCase(Locale.ROOT)) {
            case "skylakex", "cooperlake", "sapphirerapids" -> 4;
            case "haswell", "zen" -> 3;
            case "sandybridge", "bulldozer", "piledriver", "steamroller", "excavator" -> 2;
            case "katmai", "coppermine", "northwood", "prescott", "banias", "atom", "core2", "penryn", "dunnington",
                 "nehalem", "athlon", "opteron", "opteron_sse3", "barcelona", "nano", "bobcat" -> 1;
            default -> -1;
        };
    }

    /** The best kernel for a CPU of {@code level}, or null where naming one would not help (below AVX2). */
    static String kernelFor(int level) {
        return level >= 0 && level < KERNEL_FOR_LEVEL.length ? KERNEL_FOR_LEVEL[level] : null;
    }

    static String levelName(int level) {
        return level >= 0 && level < LEVEL_NAMES.length ? LEVEL_NAMES[level] : LEVEL_NAMES[0];
    }

    /**
     * What the CPU and operating system can run.
     *
     * @param level  4 AVX-512 F/CD/BW/DQ/VL, 3 AVX2 and FMA, 2 AVX, 1 less, 0 unknown
     * @param source how it was found out, for the report
     */
    record Cpu(int level, String source) {
    }

    private static Cpu cpu;

    /** This machine's level, found once. */
    static synchronized Cpu cpu() {
        if (cpu == null) {
            cpu = detect();
        }
        return cpu;
    }

    private static Cpu detect() {
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return new Cpu(0, "not an x86-64 CPU");
        }
        Optional<Cpu> glibc = fromGlibc();
        if (glibc.isPresent()) {
            return glibc.get();
        }
        List<String> flags = cpuinfoFlags(Path.of("/proc/cpuinfo"));
        if (!flags.isEmpty()) {
            return new Cpu(levelFromFlags(Set.copyOf(flags)), "/proc/cpuinfo");
        }
        return new Cpu(0, "neither glibc nor /proc/cpuinfo told");
    }

    /**
     * glibc (2.33 and later) says which CPU features are <em>active</em>: reported by CPUID and, for the
     * AVX and AVX-512 registers, enabled by the operating system in XCR0 (read with {@code xgetbv}). That is
     * its public {@code CPU_FEATURE_ACTIVE} macro of {@code <sys/platform/x86.h>}, which reads
     * {@code __x86_get_cpuid_feature_leaf(index)->active_array[register]}; the same test decides which
     * {@code glibc-hwcaps} level (x86-64-v3, x86-64-v4) the dynamic loader reports as supported, which the
     * launcher reads.
     */
    private static Optional<Cpu> fromGlibc() {
        try {
            Linker linker = Linker.nativeLinker();
            Optional<MemorySegment> fn = linker.defaultLookup().find("__x86_get_cpuid_feature_leaf");
            if (fn.isEmpty()) {
                return Optional.empty();
            }
            MethodHandle leaf = linker.downcallHandle(fn.get(), FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            // struct cpuid_feature { unsigned int cpuid_array[4]; unsigned int active_array[4]; }: eax, ebx, ecx, edx.
            MemorySegment leaf1 = ((MemorySegment) leaf.invokeExact(0)).reinterpret(32); // CPUID_INDEX_1
            MemorySegment leaf7 = ((MemorySegment) leaf.invokeExact(1)).reinterpret(32); // CPUID_INDEX_7
            int ecx1 = leaf1.get(ValueLayout.JAVA_INT, 16 + 8);
            int ebx7 = leaf7.get(ValueLayout.JAVA_INT, 16 + 4);
            boolean avx = bit(ecx1, 28);
            boolean fma = bit(ecx1, 12);
            boolean avx2 = bit(ebx7, 5);
            boolean avx512 = bit(ebx7, 16) && bit(ebx7, 17) && bit(ebx7, 28) && bit(ebx7, 30) && bit(ebx7, 31);
            int level = avx512 && avx2 && fma ? 4 : avx2 && fma && avx ? 3 : avx ? 2 : 1;
            return Optional.of(new Cpu(level, "glibc's CPU_FEATURE_ACTIVE (CPUID and XCR0)"));
        } catch (Throwable e) {
            // No native access, an unexpected layout: fall back to /proc/cpuinfo.
            return Optional.empty();
        }
    }

    private static boolean bit(int word, int bit) {
        return (word >>> bit & 1) != 0;
    }

    /** The level from /proc/cpuinfo's flags (Linux lists a feature there only if the kernel supports it). */
    static int levelFromFlags(Set<String> f) {
        boolean avx = f.contains("avx");
        boolean v3 = avx && f.contains("avx2") && f.contains("fma");
        boolean v4 = v3 && f.containsAll(List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"));
        return v4 ? 4 : v3 ? 3 : avx ? 2 : 1;
    }

    /** The first "flags" line of a cpuinfo file, split; empty where there is none. */
    static List<String> cpuinfoFlags(Path cpuinfo) {
        try {
            if (Files.isReadable(cpuinfo)) {
                try (var lines = Files.lines(cpuinfo)) {
                    return lines.filter(l -> l.startsWith("flags") && l.indexOf(':') > 0).findFirst()
                            .map(l -> List.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+")))
                            .orElse(List.of());
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: unknown
        }
        return List.of();
    }

    /** True when the user turned the automatic kernel choice off (property or environment variable). */
    static boolean optedOut(String property, String env) {
        return "off".equalsIgnoreCase(property == null ? null : property.trim())
                || "off".equalsIgnoreCase(env == null ? null : env.trim());
    }

    /**
     * Why {@code kernel} is in use, in one phrase, and what to do if a better one would run.
     *
     * @param kernel    what OpenBLAS reports ({@code openblas_get_corename})
     * @param coretype  the {@code OPENBLAS_CORETYPE} the process started with, or null
     * @param mark      the launcher's {@value #LAUNCHER_MARK_ENV}, or null
     * @param cpu       this machine's level
     * @param optedOut  whether the automatic choice is turned off
     */
    static String explain(String kernel, String coretype, String mark, Cpu cpu, boolean optedOut) {
        int have = levelOf(kernel);
        String best = kernelFor(cpu.level());
        String cpuSays = "this CPU runs " + levelName(cpu.level()) + " (" + cpu.source() + ")";
        if (coretype != null && !coretype.isBlank()) {
            String asked = coretype.trim();
            String got = asked.equalsIgnoreCase(kernel) ? "" : "; OpenBLAS gave " + kernel;
            if (mark != null && mark.startsWith(asked + ":")) {
                String own = mark.substring(asked.length() + 1);
                return "OPENBLAS_CORETYPE=" + asked + " set by the panama-mlp launcher: OpenBLAS alone picks "
                        + (own.isBlank() ? "an older kernel" : own) + ", " + cpuSays + got
                        + " (" + OPT_OUT_ENV + "=off keeps OpenBLAS's choice)";
            }
            return "OPENBLAS_CORETYPE=" + asked + " from the environment" + got;
        }
        if (cpu.level() == 0 || have < 0) {
            return "OpenBLAS's own choice";
        }
        if (best != null && have < levelOf(best)) {
            String how = "start the JVM with OPENBLAS_CORETYPE=" + best + " for faster products"
                    + " (the panama-mlp launcher does it itself)";
            return "OpenBLAS's own choice, older than " + cpuSays + (optedOut
                    ? "; the automatic choice is off (" + OPT_OUT_ENV + "=off or -D" + OPT_OUT_PROPERTY + "=off)"
                    : ": " + how);
        }
        return "OpenBLAS's own choice; " + cpuSays + ", nothing newer to pick";
    }

    /**
     * Refuses to go on when the launcher named a kernel the CPU cannot run: a last check before OpenBLAS
     * loads, where the alternative is an illegal-instruction crash in the first product.
     *
     * @return null when loading may go on, else the reason it may not
     */
    static String checkLauncherChoice(String coretype, String mark, Cpu cpu) {
        if (coretype == null || mark == null || !mark.startsWith(coretype.trim() + ":") || cpu.level() == 0) {
            return null;
        }
        int needs = levelOf(coretype.trim());
        if (needs > cpu.level()) {
            return "the launcher set OPENBLAS_CORETYPE=" + coretype.trim() + ", which needs " + levelName(needs)
                    + ", but " + "this CPU runs " + levelName(cpu.level()) + " (" + cpu.source() + "); run with "
                    + OPT_OUT_ENV + "=off";
        }
        return null;
    }
}
