package io.github.panamamlp.cli;

import io.github.panamamlp.tensor.DType;

import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Sgd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory a run needs is estimated before its data is read, and a run that cannot fit is refused in
 * a second with one line. The cgroup and /proc files are faked through the system properties that
 * {@link MemoryCheck} reads them by.
 */
class MemoryCheckTest {
    private static final long MB = 1024 * 1024;

    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        System.clearProperty(MemoryCheck.CGROUP_ROOT_PROPERTY);
        System.clearProperty(MemoryCheck.PROC_CGROUP_PROPERTY);
        System.clearProperty(MemoryCheck.MEMINFO_PROPERTY);
    }

    /** A cgroup v2 container: this process in the root of a cgroup file system with the given limit. */
    private void fakeV2(String max, long current, long memAvailableKb) throws Exception {
        Path root = Files.createDirectories(dir.resolve("cgroup"));
        Files.writeString(root.resolve("memory.max"), max + "\n");
        Files.writeString(root.resolve("memory.current"), current + "\n");
        Files.writeString(dir.resolve("self-cgroup"), "0::/\n");
        Files.writeString(dir.resolve("meminfo"), "MemTotal:       99999999 kB\nMemFree:        1 kB\nMemAvailable:   "
                + memAvailableKb + " kB\n");
        System.setProperty(MemoryCheck.CGROUP_ROOT_PROPERTY, root.toString());
        System.setProperty(MemoryCheck.PROC_CGROUP_PROPERTY, dir.resolve("self-cgroup").toString());
        System.setProperty(MemoryCheck.MEMINFO_PROPERTY, dir.resolve("meminfo").toString());
    }

    @Test
    void aRunThatCannotFitIsRefusedInASecondBeforeItsDataIsRead() throws Exception {
        fakeV2(String.valueOf(512 * MB), 100 * MB, 20_000_000);
        Path out = dir.resolve("out");
        long start = System.nanoTime();
        // 784 → 28,000 → 10 with Adam: 22.3 million parameters, 1.2 GB with gradients, moments and a 1000-row evaluation chunk.
        CliTest.Run r = TrainOutputsTest.train(out, "--hidden", "28000", "--epochs", "1");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(1, r.code(), r.out() + r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        String line = lines.getFirst();
        assertTrue(line.startsWith("panama-mlp: not enough memory for this run: it needs about "), line);
        assertTrue(line.contains("but only 412.00 MB is available"), line);
        assertTrue(line.contains("cgroup limit 512.00 MB in " + dir.resolve("cgroup").resolve("memory.max") + ", 100.00 MB in use"), line);
        assertTrue(line.contains("parameters and gradients 339.66 MB, optimizer state 339.66 MB"), "Adam's two moments: " + line);
        assertFalse(r.out().contains("Data:"), "the data was not loaded: " + r.out());
        assertFalse(Files.exists(out), "--out is not even created");
        assertTrue(millis < 3000, "refused in " + millis + " ms");

        // The same limits let the default network run.
        CliTest.Run small = TrainOutputsTest.train(out, "--epochs", "1");
        assertEquals(0, small.code(), small.err());
    }

    @Test
    void memAvailableLimitsToo() throws Exception {
        fakeV2("max", 100 * MB, 100_000);
        MemoryCheck.Available a = MemoryCheck.available().orElseThrow();
        assertEquals(100_000L * 1024, a.bytes());
        assertEquals("MemAvailable 97.66 MB", a.describe(), "an unlimited cgroup is no limit");
    }

    @Test
    void cgroupV1AndTheLimitsOfAncestorsAreRead() throws Exception {
        Path root = dir.resolve("cgroup");
        Path leaf = Files.createDirectories(root.resolve("memory/a/b"));
        Files.writeString(leaf.resolve("memory.limit_in_bytes"), String.valueOf(300 * MB));
        Files.writeString(leaf.resolve("memory.usage_in_bytes"), String.valueOf(50 * MB));
        Files.writeString(leaf.getParent().resolve("memory.limit_in_bytes"), String.valueOf(200 * MB));
        Files.writeString(leaf.getParent().resolve("memory.usage_in_bytes"), String.valueOf(40 * MB));
        Files.writeString(root.resolve("memory/memory.limit_in_bytes"), "9223372036854771712"); // v1's "unlimited"
        Files.writeString(dir.resolve("self-cgroup"), "5:cpu,cpuacct:/\n4:memory:/a/b\n0::/\n");
        System.setProperty(MemoryCheck.CGROUP_ROOT_PROPERTY, root.toString());
        System.setProperty(MemoryCheck.PROC_CGROUP_PROPERTY, dir.resolve("self-cgroup").toString());
        System.setProperty(MemoryCheck.MEMINFO_PROPERTY, dir.resolve("absent").toString());
        MemoryCheck.Available a = MemoryCheck.available().orElseThrow();
        assertEquals(160 * MB, a.bytes(), a.describe());
        assertTrue(a.describe().contains("cgroup limit 300.00 MB") && a.describe().contains("cgroup limit 200.00 MB"), a.describe());
    }

    @Test
    void theEstimateCountsParametersGradientsOptimizerScratchAndData() {
        List<Model.LayerSpec> layers = List.of(new Model.LayerSpec(50, Activation.SIGMOID), new Model.LayerSpec(10, Activation.SOFTMAX));
        assertEquals(39_760, Model.parameterCount(784, layers));
        MemoryCheck.Estimate adam = MemoryCheck.estimate(784, layers, new Adam(1e-3), DType.FLOAT64, 32, 60_000, 10_000, 1000);
        MemoryCheck.Estimate sgd = MemoryCheck.estimate(784, layers, new Sgd(0.1), DType.FLOAT64, 32, 60_000, 10_000, 1000);
        assertEquals(2 * 39_760 * 8, adam.parameters());
        assertEquals(2 * 39_760 * 8, adam.optimizer());
        assertEquals(0, sgd.optimizer());
        // Two workspaces of 32 rows (acts and grads of 50 + 50 + 10, probabilities 10), the batch, a 1000-row chunk.
        assertEquals((2 * 32 * (2 * 110 + 10) + 32 * 784 + 1000 * (784 + 110 + 10)) * 8L, adam.scratch());
        assertEquals(1000, adam.data());
    }

    @Test
    void aNetworkTooLargeForAModelFileIsAUsageError() {
        long start = System.nanoTime();
        CliTest.Run r = TrainOutputsTest.train(dir.resolve("out"), "--hidden", "300000");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("panama-mlp: this network has 238,500,010 parameters, more than a model file holds (50,000,000)"), r.err());
        assertFalse(Files.exists(dir.resolve("out")));
        assertTrue(System.nanoTime() - start < 3_000_000_000L);
    }
}
