package io.github.panamamlp.bench;

import io.github.panamamlp.blas.OpenBlas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a benchmark ran: enough to tell two reports' machines and libraries apart.
 *
 * @param openBlasPath   the OpenBLAS file the JVM loaded
 * @param openBlasConfig its {@code openblas_get_config()} string (version, build options, kernel chosen)
 * @param cLibrary       the file the C program's dynamic loader bound {@code cblas_dgemm} to ("" if unknown)
 * @param cOpenBlasConfig the C program's {@code openblas_get_config()} string ("" if it did not run)
 * @param sameLibrary    whether the two are the same file, or null when that could not be decided
 * @param os             operating system name, version and architecture
 * @param cpu            the CPU model from {@code /proc/cpuinfo}, or the architecture when unreadable
 * @param processors     processors available to the JVM
 * @param jdk            the JDK's version, VM and vendor
 * @param environment    the OpenBLAS and OpenMP variables that change what is measured, when set
 */
public record MachineInfo(String openBlasPath, String openBlasConfig, String cLibrary, String cOpenBlasConfig,
                          Boolean sameLibrary, String os, String cpu, int processors, String jdk,
                          Map<String, String> environment) {
    /** Variables that select OpenBLAS's kernel or thread count, reported when set. */
    public static final List<String> RELEVANT_ENV = List.of(
            "OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OPENBLAS_VERBOSE", "OMP_NUM_THREADS", "GOTO_NUM_THREADS");

    /** Copies the map. */
    public MachineInfo {
        environment = Map.copyOf(environment);
    }

    /**
     * Collects the facts of this machine; loads OpenBLAS.
     *
     * @param c what the C program reported, or null if it was not run
     */
    public static MachineInfo collect(NativeGemmBench.Info c) {
        OpenBlas.Info info = OpenBlas.info();
        String cLibrary = c == null ? "" : c.library();
        Boolean same = null;
        if (!cLibrary.isEmpty()) {
            try {
                same = Files.isSameFile(info.path(), Path.of(cLibrary));
            } catch (IOException | RuntimeException e) {
                same = null; // one of the files is unreadable: say "unknown", not "different"
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : RELEVANT_ENV) {
            String v = System.getenv(name);
            if (v != null) {
                env.put(name, v);
            }
        }
        return new MachineInfo(info.path().toString(), info.config(), cLibrary, c == null ? "" : c.openBlasConfig(), same,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                cpuModel(), Runtime.getRuntime().availableProcessors(),
                Runtime.version() + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")",
                env);
    }

    /** The first "model name" of /proc/cpuinfo, or the architecture where there is none. */
    static String cpuModel() {
        String model = cpuinfo("model name");
        return model != null ? model : System.getProperty("os.arch");
    }

    /** The value of the first line of /proc/cpuinfo that starts with {@code key} (e.g. "flags"), or null where there is none. */
    static String cpuinfo(String key) {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(cpuinfo)) {
                for (String line : Files.readAllLines(cpuinfo)) {
                    if (line.startsWith(key) && line.indexOf(':') > 0) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: unknown
        }
        return null;
    }

    /** The fields as a JSON-ready map. */
    Map<String, Object> toJsonTree() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("openblas_path", openBlasPath);
        m.put("openblas_config", openBlasConfig);
        m.put("c_library", cLibrary);
        m.put("c_openblas_config", cOpenBlasConfig);
        m.put("same_library", sameLibrary);
        m.put("os", os);
        m.put("cpu", cpu);
        m.put("processors", processors);
        m.put("jdk", jdk);
        m.put("environment", new LinkedHashMap<>(environment));
        return m;
    }
}
