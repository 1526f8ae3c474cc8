package io.github.panamamlp.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a program of the benchmark (the C baseline, the core-type child JVM) to its end, with both output pipes
 * read concurrently so that neither can fill up and block it.
 */
final class Subprocess {
    private Subprocess() {
    }

    /**
     * How the program ended.
     *
     * @param exitCode its exit status
     * @param out      the lines of its standard output
     * @param err      the lines of its standard error
     */
    record Finished(int exitCode, List<String> out, List<String> err) {
        /** Copies the lists. */
        Finished {
            out = List.copyOf(out);
            err = List.copyOf(err);
        }
    }

    /**
     * Runs {@code command} with its standard input closed.
     *
     * @param what    names the program in messages, e.g. "the C benchmark"
     * @param env     variables added to this process's environment
     * @param timeout how long it may run before it is killed
     * @param errLine told each line of standard error as it arrives, or null
     * @throws IOException if it cannot start, its output cannot be read, or it does not finish in time
     */
    static Finished run(String what, List<String> command, Map<String, String> env, Duration timeout, Consumer<String> errLine)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("could not start " + what + ": " + e.getMessage(), e);
        }
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            p.getOutputStream().close();
            Future<List<String>> out = readers.submit(() -> lines(p.getInputStream(), null));
            Future<List<String>> err = readers.submit(() -> lines(p.getErrorStream(), errLine));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(what + " did not finish within " + timeout + ": " + String.join(" ", command));
            }
            return new Finished(p.exitValue(), out.get(), err.get());
        } catch (ExecutionException e) {
            p.destroyForcibly();
            throw new IOException("reading the output of " + what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | IOException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private static List<String> lines(InputStream in, Consumer<String> each) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (each != null) {
                    each.accept(line);
                }
                lines.add(line);
            }
        }
        return lines;
    }
}
