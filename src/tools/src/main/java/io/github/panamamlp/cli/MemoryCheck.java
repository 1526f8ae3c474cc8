package io.github.panamamlp.cli;

import io.github.panamamlp.tensor.DType;

import io.github.panamamlp.nn.Model;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Momentum;
import io.github.panamamlp.train.Optimizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Sizes a training run before any data is read, and says whether it fits in the memory the machine or
 * its container allows: a run that cannot fit is refused in a second, with one line, instead of being
 * killed by the kernel's OOM killer after minutes of work.
 *
 * <p>The estimate counts what the run holds: parameters and gradients (off-heap), the optimizer's state
 * (Adam's two moments, the momentum's velocity), the training scratch (activations and their gradients
 * for a full and a last batch, the batch itself, an evaluation chunk) and the data set (images and labels,
 * on the Java heap, with the copies {@code --limit} makes).
 *
 * <p>What is available is the smallest of {@code MemAvailable} in {@code /proc/meminfo} and, for the
 * cgroup this process runs in (v2: {@code memory.max} − {@code memory.current}; v1:
 * {@code memory.limit_in_bytes} − {@code memory.usage_in_bytes}), its limit less what it already uses, over
 * the cgroup and its ancestors. Tests point the readers elsewhere with the system properties
 * {@value #CGROUP_ROOT_PROPERTY} (the cgroup file system, default {@code /sys/fs/cgroup}),
 * {@value #PROC_CGROUP_PROPERTY} (default {@code /proc/self/cgroup}) and {@value #MEMINFO_PROPERTY}
 * (default {@code /proc/meminfo}). Where none of these files exist (macOS), nothing is refused.
 */
final class MemoryCheck {
    static final String CGROUP_ROOT_PROPERTY = "panamamlp.cgroup.root";
    static final String PROC_CGROUP_PROPERTY = "panamamlp.proc.cgroup";
    static final String MEMINFO_PROPERTY = "panamamlp.proc.meminfo";
    /** Rows the trainer evaluates at once (Trainer's evaluation chunk). */
    private static final int EVALUATION_CHUNK = 1000;
    /** cgroup v1 writes "no limit" as a number near 2^63. */
    private static final long UNLIMITED = 1L << 60;

    private MemoryCheck() {
    }

    /** What the run will hold, in bytes, by kind. */
    record Estimate(long parameters, long optimizer, long scratch, long data) {
        long total() {
            return parameters + optimizer + scratch + data;
        }

        String describe() {
            return String.format(Locale.ROOT, "%s (parameters and gradients %s, optimizer state %s, scratch %s, data %s)",
                    size(total()), size(parameters), size(optimizer), size(scratch), size(data));
        }
    }

    /**
     * The estimate for a network of {@code layers} on {@code inputs} features.
     *
     * @param inputs     features per example
     * @param layers     the dense layers
     * @param optimizer  the update rule
     * @param dtype      the element type of the parameters, gradients and activations (optimizer state is double)
     * @param batch      the batch size
     * @param trainCount the training examples used
     * @param testCount  the test examples evaluated after each epoch
     * @param dataBytes  the bytes the loaded data set takes on the heap, copies included
     */
    static Estimate estimate(int inputs, List<Model.LayerSpec> layers, Optimizer optimizer, DType dtype, int batch,
                             int trainCount, int testCount, long dataBytes) {
        long params = Model.parameterCount(inputs, layers);
        long optimizerDoubles = optimizer instanceof Adam ? 2 * params : optimizer instanceof Momentum ? params : 0;
        long widths = 0; // every layer's output: dense, then its activation (the last one's is the loss head's)
        for (int i = 0; i < layers.size(); i++) {
            widths += (i < layers.size() - 1 ? 2L : 1L) * layers.get(i).units();
        }
        int classes = layers.getLast().units();
        int full = Math.max(1, Math.min(batch, trainCount));
        long workspace = (long) full * (2 * widths + classes);          // activations, their gradients, probabilities
        long chunk = Math.max(1, Math.min(EVALUATION_CHUNK, testCount));
        long scratch = 2 * workspace + (long) full * inputs + chunk * (inputs + widths + classes);
        return new Estimate(2 * params * dtype.bytes(), optimizerDoubles * Double.BYTES, scratch * dtype.bytes(), dataBytes);
    }

    /**
     * What this process may still allocate.
     *
     * @param bytes    the smallest of the limits found, less what is in use there
     * @param describe where it comes from, for the message
     */
    record Available(long bytes, String describe) {
    }

    /** {@return what is available now, or empty if no limit could be read (not Linux)} */
    static java.util.Optional<Available> available() {
        List<String> parts = new ArrayList<>();
        long best = Long.MAX_VALUE;
        OptionalLong memAvailable = memAvailable(Path.of(System.getProperty(MEMINFO_PROPERTY, "/proc/meminfo")));
        if (memAvailable.isPresent()) {
            best = memAvailable.getAsLong();
            parts.add("MemAvailable " + size(best));
        }
        for (CgroupLimit c : cgroupLimits()) {
            long free = Math.max(0, c.limit() - c.usage());
            best = Math.min(best, free);
            parts.add("cgroup limit " + size(c.limit()) + " in " + c.file() + ", " + size(c.usage()) + " in use");
        }
        return parts.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(new Available(best, String.join("; ", parts)));
    }

    /**
     * Refuses the run, with one line, when the estimate exceeds what is available.
     *
     * @throws IllegalStateException saying both figures and where the limit comes from
     */
    static void require(Estimate need) {
        available().ifPresent(a -> {
            if (need.total() > a.bytes()) {
                throw new IllegalStateException("not enough memory for this run: it needs about " + need.describe()
                        + " but only " + size(a.bytes()) + " is available (" + a.describe() + "); use smaller --hidden"
                        + " layers or --batch-size, or run where more memory is allowed");
            }
        });
    }

    static OptionalLong memAvailable(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    String[] f = line.substring("MemAvailable:".length()).trim().split("\\s+");
                    long value = Long.parseLong(f[0]);
                    return OptionalLong.of(f.length > 1 && f[1].equalsIgnoreCase("kB") ? value * 1024 : value);
                }
            }
        } catch (IOException | RuntimeException e) {
            // No /proc (macOS) or an unexpected format: no figure.
        }
        return OptionalLong.empty();
    }

    /** A memory limit of a cgroup and what the cgroup uses. */
    record CgroupLimit(Path file, long limit, long usage) {
    }

    /** The limits of this process's memory cgroup and its ancestors (v2 and v1). */
    static List<CgroupLimit> cgroupLimits() {
        Path root = Path.of(System.getProperty(CGROUP_ROOT_PROPERTY, "/sys/fs/cgroup"));
        Path self = Path.of(System.getProperty(PROC_CGROUP_PROPERTY, "/proc/self/cgroup"));
        List<CgroupLimit> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(self);
        } catch (IOException e) {
            lines = List.of();
        }
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length != 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) { // v2: "0::/path"
                collect(root, f[2], "memory.max", "memory.current", out);
            } else if (List.of(f[1].split(",")).contains("memory")) { // v1: "N:memory:/path"
                collect(root.resolve("memory"), f[2], "memory.limit_in_bytes", "memory.usage_in_bytes", out);
            }
        }
        if (lines.isEmpty()) { // no /proc/self/cgroup to say where we are: the root's own files, if any
            collect(root, "/", "memory.max", "memory.current", out);
        }
        return out;
    }

    /**
     * Adds the limits of the cgroup at {@code path} under {@code root} and of its ancestors. Inside a
     * container the path of /proc/self/cgroup may not exist under the container's view of the file
     * system: then the root's own files are this cgroup's.
     */
    private static void collect(Path root, String path, String limitFile, String usageFile, List<CgroupLimit> out) {
        Path dir = root.resolve(path.replaceFirst("^/+", ""));
        if (!Files.isDirectory(dir)) {
            dir = root;
        }
        for (Path d = dir; d != null && d.startsWith(root); d = d.getParent()) {
            OptionalLong limit = number(d.resolve(limitFile));
            if (limit.isPresent() && limit.getAsLong() < UNLIMITED) {
                long usage = number(d.resolve(usageFile)).orElse(0);
                out.add(new CgroupLimit(d.resolve(limitFile), limit.getAsLong(), usage));
            }
        }
    }

    private static OptionalLong number(Path file) {
        try {
            String s = Files.readString(file).trim();
            return s.equals("max") ? OptionalLong.of(Long.MAX_VALUE) : OptionalLong.of(Long.parseLong(s));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Bytes in the largest unit that keeps them above 1, e.g. "1.91 GB" (powers of 1024). */
    static String size(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
