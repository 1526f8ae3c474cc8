package io.github.panamamlp.train;

import java.util.Locale;

/**
 * A model's loss, accuracy and confusion matrix on a set of examples.
 *
 * @param loss      mean cross-entropy
 * @param accuracy  fraction of examples whose predicted class (the most probable one) is the label
 * @param count     the number of examples
 * @param confusion confusion[true][predicted] counts
 */
public record Evaluation(double loss, double accuracy, int count, long[][] confusion) {

    /** {@return the confusion matrix as an aligned table, rows = true class, columns = predicted class} */
    public String confusionTable() {
        StringBuilder sb = new StringBuilder("true\\pred");
        for (int j = 0; j < confusion.length; j++) {
            sb.append(String.format(Locale.ROOT, "%6d", j));
        }
        sb.append('\n');
        for (int i = 0; i < confusion.length; i++) {
            sb.append(String.format(Locale.ROOT, "%9d", i));
            for (int j = 0; j < confusion.length; j++) {
                sb.append(String.format(Locale.ROOT, "%6d", confusion[i][j]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
