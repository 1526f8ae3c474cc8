package io.github.panamamlp.bench;

import io.github.panamamlp.internal.AtomicFile;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The epochs of a {@link BenchReport} as a PNG: one bar chart per setup (each with its own scale), the median
 * epoch time per thread setting — the thread policy ("auto", the run as a user starts it) beside the forced
 * counts — with one bar per OpenBLAS kernel (the default one, and {@code OPENBLAS_CORETYPE}'s when it ran).
 * Drawn headless with XChart.
 */
public final class BenchChart {
    private BenchChart() {
    }

    /** The chart's file beside the JSON file: {@code bench.json} → {@code bench.png}. */
    public static Path besideJson(Path json) {
        String name = json.getFileName().toString();
        String base = name.toLowerCase(Locale.ROOT).endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return json.resolveSibling(base + ".png");
    }

    /**
     * Writes the chart, if the report has epochs.
     *
     * @param kernel the default run's kernel, for the legend
     * @return true when a chart was written
     */
    public static boolean writePng(BenchReport report, String kernel, Path file) throws IOException {
        if (report.epochs().isEmpty()) {
            return false;
        }
        System.setProperty("java.awt.headless", "true");
        List<CategoryChart> charts = new ArrayList<>();
        for (SetupResult r : report.epochs()) {
            List<Integer> settings = r.threadCounts();
            List<String> labels = settings.stream().map(t -> t == BenchSettings.AUTO ? "auto (policy)" : t + (t == 1 ? " thread" : " threads")).toList();
            CategoryChart c = new CategoryChartBuilder().width(480).height(440)
                    .title(r.setup().name() + fmt(" (%,d images)", r.trainImages()))
                    .xAxisTitle("OpenBLAS threads").yAxisTitle("s per epoch (median)").build();
            c.getStyler().setChartBackgroundColor(Color.WHITE);
            c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
            c.getStyler().setYAxisDecimalPattern("0.00");
            c.getStyler().setYAxisMin(0.0);
            c.addSeries("kernel " + kernel, labels, settings.stream().map(t -> r.median(t, EpochSample::seconds)).toList());
            CoretypeRun.Result core = report.coretype();
            SetupResult other = core == null || !core.ok() ? null : core.result(r.setup());
            if (other != null) {
                List<Double> values = settings.stream()
                        .map(t -> other.threadCounts().contains(t) ? other.median(t, EpochSample::seconds) : 0.0).toList();
                c.addSeries("OPENBLAS_CORETYPE=" + core.coretype(), labels, values);
            }
            charts.add(c);
        }
        AtomicFile.write(file, out -> BitmapEncoder.saveBitmap(new ArrayList<>(charts), 1, charts.size(), out,
                BitmapEncoder.BitmapFormat.PNG));
        return true;
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
