package io.github.panamamlp.blas;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Loads a library by its bare name, letting the system's loader search for it (dyld on macOS, with its
 * {@code DYLD_*} variables and default directories; ld.so on Linux, with its cache): the last resort after
 * every directory {@link OpenBlas} knows.
 *
 * <p>The jextract bindings find symbols among the libraries loaded with {@link System#load}, which needs a
 * file. So the library is opened by name first, {@code dladdr} tells which file the system picked for one of
 * its symbols, and that file is loaded.
 */
final class LibraryByName {
    private LibraryByName() {
    }

    /**
     * Opens {@code name} through the system's search and loads the file it found.
     *
     * @param name  a library name such as {@code libopenblas.dylib}
     * @param tried receives what went wrong, if anything
     * @return the loaded file, or null if the name did not lead to an OpenBLAS
     */
    static Path load(String name, List<String> tried) {
        String what = name + " (by name, searched by the system's loader";
        SymbolLookup library;
        try {
            library = SymbolLookup.libraryLookup(name, Arena.global());
        } catch (IllegalArgumentException e) {
            tried.add(what + ": not found)");
            return null;
        }
        for (String symbol : OpenBlas.REQUIRED_SYMBOLS) {
            if (library.find(symbol).isEmpty()) {
                tried.add(what + ": found, but not OpenBLAS: symbol " + symbol + " not found)");
                return null;
            }
        }
        Optional<MemorySegment> gemm = library.find(OpenBlas.REQUIRED_SYMBOLS.getFirst());
        Path file = fileOf(gemm.get());
        if (file == null) {
            tried.add(what + ": found, but dladdr cannot tell its file)");
            return null;
        }
        try {
            System.load(file.toString());
            return file;
        } catch (UnsatisfiedLinkError e) {
            tried.add(what + ": found as " + file + ", which does not load: " + e.getMessage() + ")");
            return null;
        }
    }

    /** The file of the loaded library that holds {@code symbol} ({@code dladdr}), or null if unknown. */
    static Path fileOf(MemorySegment symbol) {
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> dladdr = linker.defaultLookup().find("dladdr");
        if (dladdr.isEmpty()) {
            return null;
        }
        MethodHandle call = linker.downcallHandle(dladdr.get(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            // Dl_info { const char *dli_fname; void *dli_fbase; const char *dli_sname; void *dli_saddr; }
            MemorySegment info = arena.allocate(ValueLayout.ADDRESS.byteSize() * 4, ValueLayout.ADDRESS.byteAlignment());
            int found = (int) call.invokeExact(symbol, info);
            MemorySegment name = info.get(ValueLayout.ADDRESS, 0);
            if (found == 0 || name.equals(MemorySegment.NULL)) {
                return null;
            }
            Path file = Path.of(name.reinterpret(4096).getString(0));
            return file.isAbsolute() ? file : null;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("dladdr failed", t);
        }
    }
}
