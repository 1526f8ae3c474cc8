package io.github.panamamlp.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.github.panamamlp.api.ChildProcess.tool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module descriptor the build ships: the API exported, the bindings and the plumbing present but hidden
 * (a user's module cannot even name them), every exported package documented, no tool inside.
 */
class ModuleTest {
    private static final String MODULE = "io.github.panamamlp";
    private static final String ROOT = "io.github.panamamlp.";

    private static ModuleDescriptor descriptor() {
        return ModuleFinder.of(ChildProcess.libraryClasses()).find(MODULE).orElseThrow().descriptor();
    }

    @Test
    void exportsTheApiPackagesOnlyAndRequiresOnlyTheJdk() {
        ModuleDescriptor d = descriptor();
        Set<String> exported = d.exports().stream()
                .peek(e -> assertTrue(!e.isQualified(), "unqualified export " + e))
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of(ROOT + "blas", ROOT + "data", ROOT + "io", ROOT + "nn", ROOT + "tensor", ROOT + "train"), exported);
        assertTrue(d.packages().contains(ROOT + "bindings.openblas"), "the bindings are in the module: " + d.packages());
        // The tools and the oracle are built into jars of their own: no class of theirs ships in the library.
        for (String tool : List.of("cli", "bench", "reference")) {
            assertTrue(d.packages().stream().noneMatch(p -> p.startsWith(ROOT + tool)), tool + " in the library: " + d.packages());
        }
        assertTrue(d.opens().isEmpty(), "opens nothing: " + d.opens());
        // No CLI library (picocli, XChart, progressbar) reaches a library user through the descriptor.
        Set<String> required = d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertEquals(Set.of("java.base", "java.desktop"), required);
    }

    /** The plumbing the issue lists, and the bindings: in the jar, but not to be named from a user's module. */
    static final List<String> HIDDEN = List.of("bindings.openblas.cblas_h", "internal.Json", "internal.Permutation",
            "internal.npz.Npz", "internal.npz.NpyArray", "internal.npz.NpzContents", "internal.ops.Ops", "internal.access.ModelAccess",
            "internal.access.CheckedBatches");

    /** Plumbing that stays in an exported package, as a class that is not public: the IDX parser. */
    static final List<String> NOT_PUBLIC = List.of("data.IdxReader");

    @Test
    void everyExportedPackageIsDocumented() {
        for (String pkg : descriptor().exports().stream().map(ModuleDescriptor.Exports::source).toList()) {
            Path info = ChildProcess.projectDir().resolve("src/library/src/main/java/" + pkg.replace('.', '/') + "/package-info.java");
            assertTrue(Files.isRegularFile(info), "no package-info.java for the exported package " + pkg);
        }
    }

    /**
     * The model's insides are not API either: its forward and backward passes, its raw parameter and gradient
     * memory, and the trainer's gradient-only step compile inside the library only.
     */
    @Test
    void theModelsInsidesCannotBeCalledFromOutside(@TempDir Path tmp) throws Exception {
        String library = ChildProcess.libraryClasses().toString();
        Path src = tmp.resolve("src/user/CallsInsides.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package user;

                import io.github.panamamlp.nn.Model;
                import io.github.panamamlp.tensor.Matrix;
                import io.github.panamamlp.train.Trainer;

                class CallsInsides {
                    void all(Model m, Trainer t, Matrix x, Matrix[] acts, int[] y) {
                        m.forward(x, acts, y, 0);
                        m.forward(x, acts);
                        m.backward(acts, acts, x, y, 0);
                        m.parameters();
                        m.gradients();
                        t.computeGradients(x, y, 0);
                    }
                }
                """);
        ChildProcess.Result r = ChildProcess.run(List.of(tool("javac").toString(), "--release", "22", "-Xmaxerrs", "100",
                "--module-path", library, "--add-modules", MODULE, "-d", tmp.resolve("out").toString(), src.toString()), 120, tmp);
        assertNotEquals(0, r.exitCode(), "the model's insides must not compile from outside the library");
        for (String method : List.of("forward(Matrix,Matrix[],int[],int)", "forward(Matrix,Matrix[])",
                "backward(Matrix[],Matrix[],Matrix,int[],int)", "parameters()", "gradients()")) {
            assertTrue(r.err().contains(method + " is not public in Model"), method + " in:\n" + r.err());
        }
        assertTrue(r.err().contains("computeGradients(Matrix,int[],int) is not public in Trainer"), r.err());
    }

    @Test
    void plumbingCannotBeUsedFromOutsideTheModule(@TempDir Path tmp) throws Exception {
        String library = ChildProcess.libraryClasses().toString();
        List<String> hidden = HIDDEN;
        StringBuilder code = new StringBuilder("package user;\nclass UsesHidden {\n");
        for (int i = 0; i < hidden.size(); i++) {
            code.append("    Class<?> c").append(i).append(" = ").append(ROOT).append(hidden.get(i)).append(".class;\n");
        }
        for (int i = 0; i < NOT_PUBLIC.size(); i++) {
            code.append("    Class<?> p").append(i).append(" = ").append(ROOT).append(NOT_PUBLIC.get(i)).append(".class;\n");
        }
        Path src = tmp.resolve("hidden/user/UsesHidden.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, code.append("}\n"));
        ChildProcess.Result r = ChildProcess.run(List.of(tool("javac").toString(), "--release", "22", "-Xmaxerrs", "100",
                "--module-path", library, "--add-modules", MODULE, "-d", tmp.resolve("hidden/out").toString(),
                src.toString()), 120, tmp);
        assertNotEquals(0, r.exitCode(), "the hidden packages must not compile from outside the module");
        for (String h : hidden) {
            String pkg = ROOT + h.substring(0, h.lastIndexOf('.'));
            assertTrue(r.err().contains("package " + pkg + " is not visible"), pkg + " in:\n" + r.err());
            assertTrue(descriptor().packages().contains(pkg), pkg + " is in the module");
        }
        for (String p : NOT_PUBLIC) {
            String simple = p.substring(p.lastIndexOf('.') + 1);
            assertTrue(r.err().contains(simple + " is not public in " + ROOT + p.substring(0, p.lastIndexOf('.'))), p + " in:\n" + r.err());
        }
        assertTrue(r.err().contains("does not export it"), r.err());
        // The control: an exported class compiles the same way, so the failures above are about exports.
        Path ok = tmp.resolve("exported/user/UsesApi.java");
        Files.createDirectories(ok.getParent());
        Files.writeString(ok, "package user;\nclass UsesApi {\n    Class<?> c = " + ROOT + "nn.Model.class;\n}\n");
        ChildProcess.run(List.of(tool("javac").toString(), "--release", "22", "--module-path", library,
                "--add-modules", MODULE, "-d", tmp.resolve("exported/out").toString(), ok.toString()), 120, tmp)
                .assertSuccess("javac of a class using the exported API");
    }
}
