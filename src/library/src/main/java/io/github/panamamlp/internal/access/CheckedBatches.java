package io.github.panamamlp.internal.access;

import io.github.panamamlp.data.ArrayDataset;
import io.github.panamamlp.data.BatchSource;
import io.github.panamamlp.data.LabeledImages;
import io.github.panamamlp.data.Standardization;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.MemorySegment;

/**
 * Batches as a model sees them: filled by the data source, checked, and standardized when the model
 * standardizes its input. Training and evaluation take every batch through one of these, so that
 * <ul>
 *   <li>a label outside the model's classes is reported with the example's index in the data set (not its
 *       row in the batch);</li>
 *   <li>a NaN or infinite feature is reported the same way, before it reaches the model. The library's own
 *       sources ({@link ArrayDataset}, {@link LabeledImages}) hold finite values by construction and are not
 *       scanned again; any other source is, row by row;</li>
 *   <li>the model's standardization is applied in place, in the same pass (the batch matrix belongs to the
 *       trainer or evaluator, never to the user).</li>
 * </ul>
 * Allocates nothing per batch.
 */
public final class CheckedBatches implements BatchSource {

    private final BatchSource source;
    private final int classes;
    private final boolean scan;
    private final double[] mean;
    private final double[] std;

    private CheckedBatches(BatchSource source, int classes, Standardization standardization) {
        this.source = source;
        this.classes = classes;
        this.scan = !(source instanceof ArrayDataset || source instanceof LabeledImages);
        this.mean = standardization == null ? null : standardization.mean();
        this.std = standardization == null ? null : standardization.std();
    }

    /**
     * {@code source}'s batches checked against a model of {@code classes} outputs, standardized with
     * {@code standardization}.
     *
     * @param source          the data
     * @param classes         the model's classes: labels must be in {@code 0 … classes-1}
     * @param standardization the model's, or null
     * @return the checking source
     */
    public static CheckedBatches of(BatchSource source, int classes, Standardization standardization) {
        return new CheckedBatches(source, classes, standardization);
    }

    @Override
    public int count() {
        return source.count();
    }

    @Override
    public int features() {
        return source.features();
    }

    @Override
    public int classes() {
        return source.classes();
    }

    /**
     * Fills the batch from the source, then checks each row's label and (for sources not known to be finite)
     * its values, and standardizes it.
     *
     * @throws IllegalArgumentException naming the example's index in the data set ({@code order[from + k]})
     *                                  if its label is not a class of the model or a value is not finite
     */
    @Override
    public void fillBatch(int[] order, int from, int to, Matrix x, int[] y) {
        source.fillBatch(order, from, to, x, y);
        int n = to - from;
        int k = x.cols();
        MemorySegment s = x.segment();
        DType t = x.dtype();
        for (int r = 0; r < n; r++) {
            if (y[r] < 0 || y[r] >= classes) {
                throw new IllegalArgumentException("example " + order[from + r] + " has label " + y[r]
                        + ", outside the model's classes 0.." + (classes - 1));
            }
            long row = (long) r * x.stride();
            if (scan) {
                for (int j = 0; j < k; j++) {
                    double v = t.get(s, row + j);
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException("example " + order[from + r] + " has " + v + " in feature " + j
                                + ": every input value must be finite");
                    }
                }
            }
        }
        if (mean != null) {
            standardize(x, x, mean, std);
        }
    }

    /**
     * Checks every value of a batch the caller made (not filled from a source) and names the first that is
     * not finite by its row.
     *
     * @param x    the batch
     * @param what how the message names a row, e.g. "row" or "example"
     * @throws IllegalArgumentException if a value is NaN or infinite
     */
    public static void requireFinite(Matrix x, String what) {
        MemorySegment s = x.segment();
        DType t = x.dtype();
        for (int r = 0; r < x.rows(); r++) {
            long row = (long) r * x.stride();
            for (int j = 0; j < x.cols(); j++) {
                double v = t.get(s, row + j);
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(what + " " + r + " has " + v + " in feature " + j
                            + ": every input value must be finite");
                }
            }
        }
    }

    /**
     * out = (x − mean) / std, row by row (out may be x), computed in double whatever the element types
     * (a float32 result is rounded once). Allocates nothing.
     *
     * @param out  the standardized rows
     * @param x    the raw rows, of the same shape
     * @param mean the mean of each column
     * @param std  the standard deviation of each column
     */
    public static void standardize(Matrix out, Matrix x, double[] mean, double[] std) {
        MemorySegment o = out.segment();
        MemorySegment s = x.segment();
        DType in = x.dtype(), to = out.dtype();
        for (int r = 0; r < x.rows(); r++) {
            long ro = (long) r * out.stride();
            long rx = (long) r * x.stride();
            for (int j = 0; j < x.cols(); j++) {
                to.set(o, ro + j, (in.get(s, rx + j) - mean[j]) / std[j]);
            }
        }
    }
}
