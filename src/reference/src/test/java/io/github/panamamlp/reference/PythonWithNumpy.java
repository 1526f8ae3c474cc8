package io.github.panamamlp.reference;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Python the numpy cross-checks run: {@code -Dpanamamlp.python=…} if given, else the first of
 * {@code python3} (on PATH, e.g. a pyenv shim) and {@code /usr/bin/python3} (where Debian's
 * {@code python3-numpy}, which {@code make test} installs, puts numpy) that can import numpy, else
 * {@code python3}, whose failure the tests then report.
 */
public final class PythonWithNumpy {
    private static String found;

    private PythonWithNumpy() {
    }

    /** {@return the command that starts that Python} */
    public static synchronized String command() {
        if (found == null) {
            List<String> candidates = new ArrayList<>();
            String given = System.getProperty("panamamlp.python");
            if (given != null && !given.isBlank()) {
                candidates.add(given);
            }
            candidates.addAll(List.of("python3", "/usr/bin/python3"));
            found = candidates.stream().filter(PythonWithNumpy::importsNumpy).findFirst().orElse(candidates.getFirst());
        }
        return found;
    }

    private static boolean importsNumpy(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import numpy").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
