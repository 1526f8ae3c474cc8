package io.github.panamamlp.cli;

import io.github.panamamlp.internal.AtomicFile;
import io.github.panamamlp.train.History;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Draws train/test accuracy and loss per epoch side by side into a PNG, headless, with XChart. */
final class HistoryChart {
    private HistoryChart() {
    }

    static void writePng(History history, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<History.Epoch> e = history.epochs();
        double[] x = e.stream().mapToDouble(History.Epoch::epoch).toArray();
        XYChart acc = chart(title + " — accuracy", "accuracy");
        // Accuracy rises to the top right: keep the legend out of its way.
        acc.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        acc.addSeries("train", x, e.stream().mapToDouble(History.Epoch::trainAccuracy).toArray()).setMarker(SeriesMarkers.CIRCLE);
        acc.addSeries("test", x, e.stream().mapToDouble(History.Epoch::testAccuracy).toArray()).setMarker(SeriesMarkers.DIAMOND);
        XYChart loss = chart(title + " — loss", "cross-entropy");
        loss.addSeries("train", x, e.stream().mapToDouble(History.Epoch::trainLoss).toArray()).setMarker(SeriesMarkers.CIRCLE);
        loss.addSeries("test", x, e.stream().mapToDouble(History.Epoch::testLoss).toArray()).setMarker(SeriesMarkers.DIAMOND);
        AtomicFile.write(file, out -> BitmapEncoder.saveBitmap(List.of(acc, loss), 1, 2, out, BitmapEncoder.BitmapFormat.PNG));
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        return c;
    }
}
