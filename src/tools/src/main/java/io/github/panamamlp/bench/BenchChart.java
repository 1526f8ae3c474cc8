package io.github.panamamlp.bench;

import io.github.panamamlp.internal.AtomicFile;
import io.github.panamamlp.tensor.DType;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link BenchReport} as a PNG, drawn headless with XChart, in two rows:
 * <ul>
 *   <li>the GEMM comparison, when it ran: one bar chart per thread count, GFLOPS at the median per shape (the tiny
 *       ones left out: they time the call, not the product), one bar per side and element type (C and FFM, float64
 *       and float32);</li>
 *   <li>the epochs, when they ran: one bar chart per setup (each with its own scale), the median epoch time per thread
 *       setting — the thread policy ("auto", the run as a user starts it) beside the forced counts — with one bar per
 *       element type and OpenBLAS kernel (the default one, and {@code OPENBLAS_CORETYPE}'s when it ran).</li>
 * </ul>
 */
public final class BenchChart {
    /** The size of one epoch chart. */
    static final int EPOCH_WIDTH = 480;
    static final int HEIGHT = 440;
    /** What a legend of one series per line adds to an epoch chart's height. */
    static final int VERTICAL_LEGEND = 100;
    /** The least width of one GEMM chart (its shape labels need room). */
    static final int GEMM_MIN_WIDTH = 720;

    private BenchChart() {
    }

    /** The chart's file beside the JSON file: {@code bench.json} → {@code bench.png}. */
    public static Path besideJson(Path json) {
        String name = json.getFileName().toString();
        String base = name.toLowerCase(Locale.ROOT).endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return json.resolveSibling(base + ".png");
    }

    /**
     * Writes the chart, if the report has a GEMM comparison or epochs.
     *
     * @param kernel the default run's kernel, for the legend
     * @return true when a chart was written
     */
    public static boolean writePng(BenchReport report, String kernel, Path file) throws IOException {
        List<List<CategoryChart>> rows = charts(report, kernel);
        if (rows.isEmpty()) {
            return false;
        }
        BufferedImage image = compose(rows);
        AtomicFile.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in this JDK");
            }
        });
        return true;
    }

    /** The charts, row by row: the GEMM row (when it ran), then the epoch row (when they ran); empty when neither. */
    static List<List<CategoryChart>> charts(BenchReport report, String kernel) {
        System.setProperty("java.awt.headless", "true");
        List<List<CategoryChart>> rows = new ArrayList<>();
        List<String> setups = report.epochs().stream().map(r -> r.setup().name()).distinct().toList();
        int epochRowWidth = setups.size() * EPOCH_WIDTH;
        if (report.gemm() != null) {
            List<CategoryChart> gemm = gemmCharts(report.gemm(), epochRowWidth);
            if (!gemm.isEmpty()) {
                rows.add(gemm);
            }
        }
        if (!setups.isEmpty()) {
            List<CategoryChart> epochs = new ArrayList<>();
            for (String setup : setups) {
                epochs.add(epochChart(report, setup, kernel));
            }
            rows.add(epochs);
        }
        return rows;
    }

    private static List<CategoryChart> gemmCharts(GemmComparison.Result gemm, int rowWidth) {
        GemmComparison.Options o = gemm.options();
        List<GemmShape> shapes = o.shapes().stream().filter(s -> !s.name().startsWith("tiny")).toList();
        if (shapes.isEmpty()) {
            return List.of();
        }
        int width = Math.max(GEMM_MIN_WIDTH, rowWidth / o.threadCounts().size());
        List<CategoryChart> charts = new ArrayList<>();
        for (int th : o.threadCounts()) {
            CategoryChart c = new CategoryChartBuilder().width(width).height(HEIGHT)
                    .title(fmt("GEMM, %d OpenBLAS thread%s: C vs FFM, float64 (dgemm) vs float32 (sgemm)", th, th == 1 ? "" : "s"))
                    .xAxisTitle("product").yAxisTitle("GFLOPS (median)").build();
            style(c);
            c.getStyler().setXAxisLabelRotation(30);
            c.getStyler().setYAxisDecimalPattern("0");
            Font font = c.getStyler().getAxisTickLabelsFont();
            List<String> labels = shapes.stream().map(s -> label(s.name(), font)).toList();
            for (DType dtype : o.dtypes()) {
                for (boolean cSide : new boolean[]{true, false}) {
                    List<Double> values = new ArrayList<>();
                    for (GemmShape s : shapes) {
                        ComparisonRow r = gemm.row(s, dtype, th);
                        values.add(r == null ? 0.0 : cSide ? r.cGflops() : r.ffmGflops());
                    }
                    c.addSeries((cSide ? "C " : "FFM ") + dtype, labels, values).setFillColor(color(dtype, cSide));
                }
            }
            charts.add(c);
        }
        return charts;
    }

    /**
     * Blues for float64, oranges for float32; the darker one is C's (GEMM) or the default kernel's (epochs), the
     * lighter one FFM's or {@code OPENBLAS_CORETYPE}'s.
     */
    private static Color color(DType dtype, boolean dark) {
        if (dtype == DType.FLOAT64) {
            return dark ? new Color(0x1F4E9A) : new Color(0x6FA8DC);
        }
        return dark ? new Color(0xB45309) : new Color(0xF6B26B);
    }

    private static CategoryChart epochChart(BenchReport report, String setup, String kernel) {
        List<SetupResult> results = report.epochs().stream().filter(r -> r.setup().name().equals(setup)).toList();
        SetupResult first = results.getFirst();
        List<Integer> settings = results.stream().flatMap(r -> r.threadCounts().stream()).distinct().toList();
        List<String> labels = settings.stream().map(t -> t == BenchSettings.AUTO ? "auto (policy)" : t + (t == 1 ? " thread" : " threads")).toList();
        CoretypeRun.Result core = report.coretype();
        List<SetupResult> others = core == null || !core.ok() ? List.of()
                : results.stream().map(r -> core.result(r.setup(), r.dtype())).filter(java.util.Objects::nonNull).toList();
        // More than two long names do not fit side by side under a 480-pixel chart: one per line, on a taller chart.
        boolean vertical = results.size() + others.size() > 2;
        CategoryChart c = new CategoryChartBuilder().width(EPOCH_WIDTH).height(vertical ? HEIGHT + VERTICAL_LEGEND : HEIGHT)
                .title(first.setup().name() + fmt(" (%,d images)", first.trainImages()))
                .xAxisTitle("OpenBLAS threads").yAxisTitle("s per epoch (median)").build();
        style(c);
        c.getStyler().setYAxisDecimalPattern("0.00");
        for (SetupResult r : results) {
            c.addSeries("kernel " + kernel + " " + r.dtype(), labels, medians(r, settings)).setFillColor(color(r.dtype(), true));
        }
        for (SetupResult other : others) {
            c.addSeries("OPENBLAS_CORETYPE=" + core.coretype() + " " + other.dtype(), labels, medians(other, settings))
                    .setFillColor(color(other.dtype(), false));
        }
        if (vertical) {
            c.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        }
        return c;
    }

    /** The median epoch of {@code r} at each of {@code settings}, 0 where it did not run. */
    private static List<Double> medians(SetupResult r, List<Integer> settings) {
        return settings.stream().map(t -> r.threadCounts().contains(t) ? r.median(t, EpochSample::seconds) : 0.0).toList();
    }

    private static void style(CategoryChart c) {
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setYAxisMin(0.0);
    }

    /** {@code name} as {@code font} can draw it: "ᵀ" becomes "^T" where the font lacks the glyph. */
    static String label(String name, Font font) {
        return font.canDisplayUpTo(name) < 0 ? name : name.replace("ᵀ", "^T");
    }

    /** The rows one under the other, each row's charts side by side, on white. */
    static BufferedImage compose(List<List<CategoryChart>> rows) {
        int width = 0;
        int height = 0;
        for (List<CategoryChart> row : rows) {
            width = Math.max(width, row.stream().mapToInt(CategoryChart::getWidth).sum());
            height += row.stream().mapToInt(CategoryChart::getHeight).max().orElse(0);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int y = 0;
            for (List<CategoryChart> row : rows) {
                int x = 0;
                for (CategoryChart c : row) {
                    g.drawImage(BitmapEncoder.getBufferedImage(c), x, y, null);
                    x += c.getWidth();
                }
                y += row.stream().mapToInt(CategoryChart::getHeight).max().orElse(0);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
