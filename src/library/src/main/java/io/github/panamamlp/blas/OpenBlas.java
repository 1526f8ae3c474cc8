package io.github.panamamlp.blas;

import io.github.panamamlp.tensor.DType;

import io.github.panamamlp.bindings.openblas.cblas_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Finds and loads the OpenBLAS shared library once, and reports what was loaded.
 *
 * <p>Search order: an explicit path from the system property {@value #PATH_PROPERTY} or the environment
 * variable {@value #PATH_ENV} (when set, it is the only candidate: a user who names a file gets that file
 * or an error, never a different library); otherwise {@code libopenblas.so.0} and {@code libopenblas.so}
 * in {@code LD_LIBRARY_PATH}, {@code java.library.path} and the system library directories on Linux, and
 * {@code libopenblas.dylib} and {@code libopenblas.0.dylib} in {@code DYLD_LIBRARY_PATH},
 * {@code DYLD_FALLBACK_LIBRARY_PATH}, {@code java.library.path}, {@code $HOMEBREW_PREFIX/opt/openblas/lib},
 * {@code /opt/homebrew/opt/openblas/lib} and {@code /usr/local/opt/openblas/lib} on macOS; last, the bare
 * name, for the system's own loader to search (dyld, ld.so).
 *
 * <p>Loading a library is a restricted method: a JVM run with {@code --illegal-native-access=deny} and
 * without {@code --enable-native-access} for this library gets an {@link OpenBlasUnavailableException}
 * naming the exact flag to add.
 *
 * <p>If nothing loads, every use throws {@link OpenBlasUnavailableException} with the full list of
 * candidates and the install command; the failure is remembered, not retried. A library that loads but
 * lacks OpenBLAS's symbols is not used: an explicitly named one fails with
 * {@code not OpenBLAS: symbol cblas_dgemm not found in …}.
 */
public final class OpenBlas {
    /** System property naming the OpenBLAS library file to load. */
    public static final String PATH_PROPERTY = "panamamlp.openblas.path";
    /** Environment variable naming the OpenBLAS library file to load (the property wins over it). */
    public static final String PATH_ENV = "PANAMA_MLP_OPENBLAS";

    private static volatile Path loadedPath;
    private static String failure;
    /** The most threads a product gets from the policy: OpenBLAS's own count at load, at most the JVM's processors. */
    private static volatile int maxThreads = 1;
    /** The count {@link #setThreads} forced, or 0 while the policy decides. */
    private static volatile int forced;
    private static final ThreadGate GATE = new ThreadGate(cblas_h::openblas_set_num_threads);

    private OpenBlas() {
    }

    /**
     * What was loaded.
     *
     * @param path          the library file
     * @param config        OpenBLAS's build configuration ({@code openblas_get_config()}): version, options and
     *                      the CPU kernel it chose, e.g. {@code OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64}
     * @param threads       the most threads a product gets: the count {@link #setThreads} forced, or the
     *                      policy's ceiling ({@link #maxThreads()})
     * @param threadsForced whether {@link #setThreads} forced the count (false: the policy decides per product)
     * @param kernel        the CPU kernel in use ({@code openblas_get_corename()}), e.g. {@code Haswell}
     * @param kernelReason  why that kernel, and what would be faster if this CPU runs a newer one
     */
    public record Info(Path path, String config, int threads, boolean threadsForced, String kernel, String kernelReason) {
        /** One line: the library, the kernel and why. */
        @Override
        public String toString() {
            return (config.startsWith("OpenBLAS") ? "" : "OpenBLAS ") + config + " from " + path + "; kernel " + kernel + ": " + kernelReason;
        }

        /** {@return how many threads products get, in words, e.g. "1 or 2, by product size"} */
        public String threadsDescription() {
            if (threadsForced) {
                return threads + " for every product";
            }
            return threads == 1 ? "1 (the policy's ceiling on this machine)"
                    : String.format(java.util.Locale.ROOT, "1 to %d by product size (one per %.1f million multiply-adds)",
                    threads, ThreadPolicy.WORK_PER_THREAD / 1e6);
        }
    }

    /**
     * Loads OpenBLAS if it is not loaded yet.
     *
     * @return the path of the loaded library
     * @throws OpenBlasUnavailableException if no candidate loads
     */
    public static Path load() {
        Path p = loadedPath;
        return p != null ? p : loadOnce();
    }

    private static synchronized Path loadOnce() {
        if (loadedPath != null) {
            return loadedPath;
        }
        if (failure != null) {
            throw new OpenBlasUnavailableException(failure);
        }
        String refused = Kernels.checkLauncherChoice(System.getenv("OPENBLAS_CORETYPE"),
                System.getenv(Kernels.LAUNCHER_MARK_ENV), Kernels.cpu());
        if (refused != null) {
            failure = "OpenBLAS was not loaded: " + refused;
            throw new OpenBlasUnavailableException(failure);
        }
        String explicit = System.getProperty(PATH_PROPERTY);
        String explicitSource = "system property " + PATH_PROPERTY;
        if (explicit == null || explicit.isBlank()) {
            explicit = System.getenv(PATH_ENV);
            explicitSource = "environment variable " + PATH_ENV;
        }
        try {
            Path p = loadFirst(candidates(explicit, explicitSource), explicit != null && !explicit.isBlank() ? explicitSource : null);
            // OpenBLAS's count before anyone sets it: OPENBLAS_NUM_THREADS (or OMP_NUM_THREADS) if set, else its
            // processors. The JVM's count also knows a container's CPU quota, which OpenBLAS 0.3.21 does not.
            maxThreads = Math.max(1, Math.min(cblas_h.openblas_get_num_threads(), Runtime.getRuntime().availableProcessors()));
            loadedPath = p;
            return loadedPath;
        } catch (IllegalCallerException e) {
            // Loading a library is a restricted method: under --illegal-native-access=deny it throws this,
            // with no hint of the flag that allows it.
            failure = nativeAccessDenied(OpenBlas.class.getModule(), e);
            throw new OpenBlasUnavailableException(failure);
        } catch (OpenBlasUnavailableException e) {
            failure = e.getMessage();
            throw e;
        }
    }

    /** {@return true once OpenBLAS has been loaded in this JVM} */
    public static boolean isLoaded() {
        return loadedPath != null;
    }

    /**
     * Loads OpenBLAS if needed and reports what was loaded, which CPU kernel it runs and why, and how many
     * threads products get. When this CPU could run a newer kernel than the one OpenBLAS picked, the reason
     * says which {@code OPENBLAS_CORETYPE} to start the JVM with.
     *
     * @return the library file, its configuration string, the threads, and the kernel with its reason
     * @throws OpenBlasUnavailableException if OpenBLAS cannot be loaded
     */
    public static Info info() {
        Path path = load();
        MemorySegment config = cblas_h.openblas_get_config();
        String text = config.equals(MemorySegment.NULL) ? "(no config)" : config.reinterpret(4096).getString(0);
        MemorySegment core = cblas_h.openblas_get_corename();
        String kernel = core.equals(MemorySegment.NULL) ? "unknown" : core.reinterpret(256).getString(0).trim();
        String reason = Kernels.explain(kernel, System.getenv("OPENBLAS_CORETYPE"), System.getenv(Kernels.LAUNCHER_MARK_ENV),
                Kernels.cpu(), Kernels.optedOut(System.getProperty(Kernels.OPT_OUT_PROPERTY), System.getenv(Kernels.OPT_OUT_ENV)));
        int f = forced;
        return new Info(path, text.trim(), f > 0 ? f : maxThreads, f > 0, kernel, reason);
    }

    /**
     * The number of threads OpenBLAS has now ({@code openblas_get_num_threads}). While the thread policy
     * decides, that is the count of the last product; see {@link #threadsFor} for what a product gets.
     *
     * @return the thread count, at least 1
     * @throws OpenBlasUnavailableException if OpenBLAS cannot be loaded
     */
    public static int threads() {
        load();
        return cblas_h.openblas_get_num_threads();
    }

    /**
     * The most threads the policy gives a product: OpenBLAS's own count when it loaded (the environment
     * variable {@code OPENBLAS_NUM_THREADS}, or {@code OMP_NUM_THREADS}, if set, else its processors), and no
     * more than the JVM's {@link Runtime#availableProcessors()} (which knows a container's CPU quota).
     *
     * @return at least 1
     * @throws OpenBlasUnavailableException if OpenBLAS cannot be loaded
     */
    public static int maxThreads() {
        load();
        return maxThreads;
    }

    /**
     * Forces the number of threads OpenBLAS uses for every product, for the whole process: every model and
     * every Java thread shares it, and the thread policy is off until {@link #setThreadsAuto()}. OpenBLAS
     * may use fewer than asked (a build for at most 64 threads caps the count, a single-threaded build
     * always uses 1), so the count it really uses is returned. Waits for products running with another count
     * to finish first.
     *
     * <p>The thread count is part of what makes results reproducible: for some matrix shapes OpenBLAS
     * splits a product differently with another thread count, which changes the last bits of some
     * elements (see the README's section on reproducibility).
     *
     * @param n the requested thread count, at least 1
     * @return the thread count OpenBLAS uses from now on, as {@link #threads()} reports it
     * @throws IllegalArgumentException     if {@code n < 1}
     * @throws OpenBlasUnavailableException if OpenBLAS cannot be loaded
     */
    public static int setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("OpenBLAS thread count must be at least 1, got " + n);
        }
        load();
        synchronized (OpenBlas.class) {
            GATE.enter(n);
            int effective;
            try {
                effective = cblas_h.openblas_get_num_threads();
            } finally {
                GATE.exit();
            }
            forced = effective;
            return effective;
        }
    }

    /**
     * Hands the thread count back to the thread policy, the default: each product gets one thread per
     * 1.5 million multiply-adds (m·n·k), at least 1 and at most {@link #maxThreads()}. On a given machine a
     * product of a given shape always gets the same count, so results stay reproducible.
     *
     * @throws OpenBlasUnavailableException if OpenBLAS cannot be loaded
     */
    public static void setThreadsAuto() {
        load();
        forced = 0;
    }

    /** {@return the count {@link #setThreads} forced, or empty while the thread policy decides} */
    public static OptionalInt forcedThreads() {
        int f = forced;
        return f > 0 ? OptionalInt.of(f) : OptionalInt.empty();
    }

    /**
     * The OpenBLAS threads a product C (m×n) = op(A) (m×k) · op(B) (k×n) gets now: the forced count, or the
     * policy's choice.
     *
     * @param m rows of C
     * @param n columns of C
     * @param k the inner dimension
     * @return at least 1
     * @throws OpenBlasUnavailableException if OpenBLAS cannot be loaded
     */
    public static int threadsFor(int m, int n, int k) {
        return threadsFor(m, n, k, DType.FLOAT64);
    }

    /**
     * The OpenBLAS threads a product of {@code dtype} gets now: as {@link #threadsFor(int, int, int)}, where a
     * float32 product needs twice the multiply-adds per thread (see the README's Threads section).
     *
     * @param m     rows of C
     * @param n     columns of C
     * @param k     the inner dimension
     * @param dtype the element type: float64 for dgemm, float32 for sgemm
     * @return at least 1
     * @throws OpenBlasUnavailableException if OpenBLAS cannot be loaded
     */
    public static int threadsFor(int m, int n, int k, DType dtype) {
        load();
        int f = forced;
        return f > 0 ? f : ThreadPolicy.threadsFor(m, n, k, maxThreads, dtype == DType.FLOAT32);
    }

    /** Before a product: waits until OpenBLAS runs the product's count (see {@link ThreadGate}). OpenBLAS is loaded. */
    static void enter(int m, int n, int k, boolean single) {
        int f = forced;
        GATE.enter(f > 0 ? f : ThreadPolicy.threadsFor(m, n, k, maxThreads, single));
    }

    /** After the product {@link #enter} admitted. */
    static void exit() {
        GATE.exit();
    }

    /**
     * The files to try, in order. With an explicit path that is the only candidate.
     *
     * @param explicit a user-given library file, or null
     * @param source   where the explicit path came from, for the message
     */
    static List<Path> candidates(String explicit, String source) {
        return candidates(explicit, System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
                System::getenv, System.getProperty("java.library.path"));
    }

    /**
     * The files to try on the given system, in order: the same as {@link #candidates(String, String)} with
     * the operating system, the environment and {@code java.library.path} given (so a test can ask for
     * another system's list). A relative path is a bare library name for the system's own loader to search
     * (dyld on macOS, ld.so on Linux), tried last.
     *
     * @param explicit        a user-given library file, or null
     * @param osName          the value of {@code os.name}
     * @param arch            the value of {@code os.arch}
     * @param env             the environment variables
     * @param javaLibraryPath the value of {@code java.library.path}, or null
     */
    static List<Path> candidates(String explicit, String osName, String arch, UnaryOperator<String> env, String javaLibraryPath) {
        if (explicit != null && !explicit.isBlank()) {
            return List.of(Path.of(explicit).toAbsolutePath()); // a file, never a name for the system to search
        }
        Set<Path> out = new LinkedHashSet<>();
        List<String> dirs = new ArrayList<>();
        if (isMac(osName)) {
            addPathList(dirs, env.apply("DYLD_LIBRARY_PATH"));
            addPathList(dirs, env.apply("DYLD_FALLBACK_LIBRARY_PATH"));
            addPathList(dirs, javaLibraryPath);
            String brew = env.apply("HOMEBREW_PREFIX");
            if (brew != null && !brew.isBlank()) {
                dirs.add(Path.of(brew, "opt", "openblas", "lib").toString());
            }
            dirs.addAll(List.of("/opt/homebrew/opt/openblas/lib", "/usr/local/opt/openblas/lib"));
            for (String dir : dirs) {
                out.add(Path.of(dir, "libopenblas.dylib"));
                out.add(Path.of(dir, "libopenblas.0.dylib"));
            }
            out.add(Path.of("libopenblas.dylib"));
            return new ArrayList<>(out);
        }
        addPathList(dirs, env.apply("LD_LIBRARY_PATH"));
        addPathList(dirs, javaLibraryPath);
        String multiarch = multiarch(arch);
        if (multiarch != null) {
            dirs.add("/usr/lib/" + multiarch);
            dirs.add("/lib/" + multiarch);
        }
        dirs.addAll(List.of("/usr/lib64", "/usr/lib", "/usr/local/lib", "/lib64", "/lib"));
        for (String name : List.of("libopenblas.so.0", "libopenblas.so")) {
            for (String dir : dirs) {
                out.add(Path.of(dir, name));
            }
        }
        out.add(Path.of("libopenblas.so.0"));
        return new ArrayList<>(out);
    }

    /**
     * Loads the first candidate that exists and loads.
     *
     * @param explicitSource non-null when the user named the file explicitly
     */
    static Path loadFirst(List<Path> candidates, String explicitSource) {
        List<String> tried = new ArrayList<>();
        for (Path p : candidates) {
            if (!p.isAbsolute()) { // a bare name: the system's loader searches for it
                Path found = LibraryByName.load(p.toString(), tried);
                if (found != null) {
                    return found;
                }
                continue;
            }
            if (!Files.exists(p)) {
                tried.add(p + " (not found)");
                continue;
            }
            try {
                // A library that loads but lacks OpenBLAS's symbols (libz, the reference BLAS, …) would only
                // fail at the first call, deep inside the bindings: check its symbols before using it.
                String missing = missingSymbol(p);
                if (missing != null) {
                    String notOpenBlas = "not OpenBLAS: symbol " + missing + " not found in " + p;
                    if (explicitSource != null) {
                        throw new OpenBlasUnavailableException(notOpenBlas + " (named by the " + explicitSource
                                + "; name a libopenblas file there, or unset it to search the standard places)");
                    }
                    tried.add(p + " (" + notOpenBlas + ")");
                    continue;
                }
                System.load(p.toAbsolutePath().toString());
                return p.toAbsolutePath();
            } catch (UnsatisfiedLinkError | IllegalArgumentException | SecurityException e) {
                tried.add(p + " (" + e.getMessage() + ")");
            }
        }
        throw new OpenBlasUnavailableException(diagnostic(tried, explicitSource));
    }

    /**
     * The message for a JVM that refuses this library native access: the exact flag to add, for the module
     * path or the class path, whichever the library was loaded from.
     */
    static String nativeAccessDenied(Module module, IllegalCallerException e) {
        String flag = "--enable-native-access=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
        return "OpenBLAS cannot be loaded: this JVM denies native access to " + (module.isNamed() ? "the module "
                + module.getName() : "code on the class path") + " (" + e.getMessage() + "). Run java with " + flag
                + (module.isNamed() ? " (the library is on the module path)" : " (the library is on the class path)") + ".";
    }

    /** The symbols this library calls, checked in this order when a library is loaded. */
    static final List<String> REQUIRED_SYMBOLS = List.of("cblas_dgemm", "openblas_set_num_threads",
            "openblas_get_num_threads", "openblas_get_config");

    /**
     * The first of {@link #REQUIRED_SYMBOLS} that library {@code p} lacks, or null if it has them all.
     *
     * @throws IllegalArgumentException if the file cannot be loaded as a library
     */
    static String missingSymbol(Path p) {
        SymbolLookup lookup = SymbolLookup.libraryLookup(p.toAbsolutePath(), Arena.global());
        for (String symbol : REQUIRED_SYMBOLS) {
            if (lookup.find(symbol).isEmpty()) {
                return symbol;
            }
        }
        return null;
    }

    static String diagnostic(List<String> tried, String explicitSource) {
        StringBuilder sb = new StringBuilder("OpenBLAS could not be loaded on ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append(".\n");
        if (explicitSource != null) {
            sb.append("The library file was named by the ").append(explicitSource).append(".\n");
        }
        sb.append("Tried:\n");
        for (String t : tried) {
            sb.append("  ").append(t).append('\n');
        }
        sb.append(installHint()).append('\n')
                .append("Or name the library file with -D").append(PATH_PROPERTY).append("=/path/to/libopenblas")
                .append(" or the environment variable ").append(PATH_ENV).append('.');
        return sb.toString();
    }

    /** {@return the command that installs OpenBLAS on this operating system} */
    public static String installHint() {
        if (isMac(System.getProperty("os.name", ""))) {
            return "Install it with: brew install openblas";
        }
        return "Install it with: sudo apt-get install libopenblas0 (Debian/Ubuntu), "
                + "sudo dnf install openblas (Fedora), or your distribution's OpenBLAS package.";
    }

    private static boolean isMac(String osName) {
        return osName.toLowerCase(Locale.ROOT).contains("mac");
    }

    private static String multiarch(String arch) {
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            default -> null;
        };
    }

    private static void addPathList(List<String> dirs, String list) {
        if (list == null) {
            return;
        }
        for (String d : list.split(java.io.File.pathSeparator)) {
            if (!d.isBlank()) {
                dirs.add(d);
            }
        }
    }
}
