package io.github.panamamlp.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.panamamlp.api.ChildProcess.tool;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1,000 create–train–close cycles of Model, Trainer and matrices do not grow native memory, measured by
 * the JVM's own Native Memory Tracking in a child JVM ({@link LeakCycles}).
 *
 * <p>One cycle allocates about 1.3 MB off-heap (parameters, gradients, Adam's moments, scratch, a batch
 * and a 1000-row evaluation chunk). A close() that forgets its arena leaks at least one block per cycle
 * (1,000 blocks over the run) and, for a model or trainer, over 600 KB per cycle; the bounds below allow
 * neither. Checked by breaking Model.close, Trainer.close and Matrix.close in turn: each makes this test fail.
 */
class LeakTest {
    private static final int WARMUP = 50;
    private static final int CYCLES = 1000;

    @Test
    void thousandCreateTrainCloseCyclesDoNotGrowNativeMemory(@TempDir Path tmp) throws Exception {
        String classpath = ChildProcess.libraryClasses() + File.pathSeparator + ChildProcess.codeSource(LeakCycles.class);
        ChildProcess.Result r = ChildProcess.run(List.of(tool("java").toString(), "-XX:NativeMemoryTracking=summary",
                "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-cp", classpath, LeakCycles.class.getName(),
                String.valueOf(WARMUP), String.valueOf(CYCLES)), 300, tmp);
        Matcher m = Pattern.compile("nmt-other warmup=\\d+ cycles=(\\d+) before=(\\d+)/(\\d+) after=(\\d+)/(\\d+)").matcher(r.out());
        assertTrue(r.exitCode() == 0 && m.find(), "the child ran all cycles (exit " + r.exitCode() + "):\n" + r.out() + r.err());
        long bytesBefore = Long.parseLong(m.group(2));
        long blocksBefore = Long.parseLong(m.group(3));
        long bytesAfter = Long.parseLong(m.group(4));
        long blocksAfter = Long.parseLong(m.group(5));
        String report = "native memory (NMT Other) after " + WARMUP + " warm-up cycles: " + bytesBefore + " B in "
                + blocksBefore + " blocks; after " + CYCLES + " more: " + bytesAfter + " B in " + blocksAfter + " blocks";
        // Allowance for the JDK's own use of the category, far below one leaked block per cycle.
        assertTrue(blocksAfter - blocksBefore < CYCLES / 10, report);
        assertTrue(bytesAfter - bytesBefore < 256 * 1024, report);
    }
}
