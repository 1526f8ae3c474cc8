package io.github.panamamlp.api;

import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.data.IdxImages;
import io.github.panamamlp.data.IdxLabels;
import io.github.panamamlp.data.LabeledImages;
import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.tensor.Matrix;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Trainer;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The child JVM of {@link LeakTest}, started with {@code -XX:NativeMemoryTracking=summary}: runs
 * create–train–predict–close cycles of the tutorial network and reports, from the JVM's Native Memory
 * Tracking, the off-heap memory still allocated after a warm-up and after the measured cycles.
 *
 * <p>FFM arenas allocate with {@code Unsafe.allocateMemory}, which NMT counts under "Other" (bytes and
 * number of live blocks), so every arena a close() forgets stays visible there.
 *
 * <p>Arguments: warm-up cycles, measured cycles. Prints one line
 * {@code nmt-other warmup=W cycles=C before=BYTES/BLOCKS after=BYTES/BLOCKS}, or stops early with exit code 3
 * once the growth passes {@value #ABORT_BYTES} bytes, so a leak cannot take the machine's memory.
 */
public final class LeakCycles {
    static final long ABORT_BYTES = 64L << 20;
    private static final Pattern OTHER = Pattern.compile("-\\s+Other \\([^\\n]*\\n\\s+\\(malloc=(\\d+)[^#\\n]*#(\\d+)");

    private LeakCycles() {
    }

    /** Bytes and live blocks NMT counts as "Other" malloc; (0, 0) when NMT omits the category for being empty. */
    static long[] otherMalloc() throws Exception {
        String report = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                new Object[]{new String[]{"summary", "scale=B"}}, new String[]{String[].class.getName()});
        if (!report.contains("Native Memory Tracking")) {
            throw new IllegalStateException("Native Memory Tracking is off (start with -XX:NativeMemoryTracking=summary): " + report);
        }
        Matcher m = OTHER.matcher(report);
        if (m.find()) {
            return new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        }
        if (report.contains("Other (")) {
            // A report this parser does not understand must fail the test, never read as "no memory".
            throw new IllegalStateException("cannot read the Other category of this NMT report:\n" + report);
        }
        return new long[]{0, 0};
    }

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(args[0]);
        int cycles = Integer.parseInt(args[1]);
        // Memory is measured here, not speed: one BLAS thread keeps the run short on a busy machine, where
        // OpenBLAS's waiting threads would compete with everything else for the cores.
        OpenBlas.setThreads(1);
        Random rnd = new Random(5);
        // MNIST-like data: 96 random 28×28 images in 10 classes (the content does not matter here).
        byte[] pixels = new byte[96 * 784];
        rnd.nextBytes(pixels);
        byte[] labels = new byte[96];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) rnd.nextInt(10);
        }
        LabeledImages all = new LabeledImages(IdxImages.of(96, 28, 28, pixels), IdxLabels.of(10, labels));
        LabeledImages train = all.head(64);
        double[] oneImage = all.images().imageAsDoubles(70);
        int[] order = new int[64];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }

        for (int c = 0; c < warmup; c++) {
            cycle(c, train, all, order, oneImage);
        }
        long[] before = otherMalloc();
        for (int c = 0; c < cycles; c++) {
            cycle(warmup + c, train, all, order, oneImage);
            if (c % 50 == 49) {
                long[] now = otherMalloc();
                if (now[0] - before[0] > ABORT_BYTES) {
                    System.out.printf(Locale.ROOT, "nmt-other aborted after %d cycles: grew from %d to %d bytes%n", c + 1, before[0], now[0]);
                    System.exit(3);
                }
            }
        }
        long[] after = otherMalloc();
        System.out.printf(Locale.ROOT, "nmt-other warmup=%d cycles=%d before=%d/%d after=%d/%d%n",
                warmup, cycles, before[0], before[1], after[0], after[1]);
    }

    /** One life of a model: build, a few steps, a short fit with evaluation, predictions, close everything. */
    private static void cycle(int c, LabeledImages train, LabeledImages test, int[] order, double[] oneImage) {
        int[] y = new int[32];
        try (Model model = Model.builder(784).dense(50, Activation.SIGMOID).dense(10, Activation.SOFTMAX).seed(c).build();
             Trainer trainer = new Trainer(model, new Adam(1e-3));
             Matrix x = Matrix.allocate(32, 784)) {
            train.fillBatch(order, 0, 32, x, y);
            for (int s = 0; s < 3; s++) {
                trainer.step(x, y, 0);
            }
            trainer.fit(train, test, 1, 32, c, null);
            trainer.evaluate(test);
            try (Matrix p = model.predict(x.rowView(0, 4))) {
                p.get(0, 0);
            }
            model.predict(oneImage);
            model.predictClass(oneImage);
        }
    }
}
