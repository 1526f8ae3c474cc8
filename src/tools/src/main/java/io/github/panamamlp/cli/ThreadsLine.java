package io.github.panamamlp.cli;

import io.github.panamamlp.tensor.DType;

import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.nn.Model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the thread policy gives the products of one network, for {@code train}'s threads line. */
final class ThreadsLine {
    private ThreadsLine() {
    }

    /**
     * E.g. "784→50→10 at batch 32: 1 thread for each of its 5 products" or "2 threads for 4 of its 8
     * products (the largest 256×1024×1024), 1 for the others".
     */
    static String forNetwork(int inputs, List<Model.LayerSpec> layers, int batch) {
        return forNetwork(inputs, layers, batch, DType.FLOAT64);
    }

    /** As {@link #forNetwork(int, List, int)}, for products of {@code dtype}. */
    static String forNetwork(int inputs, List<Model.LayerSpec> layers, int batch, DType dtype) {
        List<int[]> shapes = new ArrayList<>();
        StringBuilder name = new StringBuilder().append(inputs);
        int in = inputs;
        for (int i = 0; i < layers.size(); i++) {
            int out = layers.get(i).units();
            name.append('→').append(out);
            shapes.add(new int[]{batch, out, in});          // forward: X·W
            shapes.add(new int[]{in, out, batch});          // dW = Xᵀ·dY
            if (i > 0) {
                shapes.add(new int[]{batch, in, out});      // dX = dY·Wᵀ (not for the first layer)
            }
            in = out;
        }
        int most = 1;
        int[] largest = shapes.getFirst();
        int withMost = 0;
        for (int[] s : shapes) {
            int t = OpenBlas.threadsFor(s[0], s[1], s[2], dtype);
            if (t > most) {
                most = t;
                withMost = 0;
                largest = s;
            }
            if (t == most) {
                withMost++;
                if ((double) s[0] * s[1] * s[2] > (double) largest[0] * largest[1] * largest[2]) {
                    largest = s;
                }
            }
        }
        String head = name + (dtype == DType.FLOAT64 ? "" : " in " + dtype) + " at batch " + batch + ": ";
        if (most == 1) {
            return head + "1 thread for each of its " + shapes.size() + " products";
        }
        return String.format(Locale.ROOT, "%s%d threads for %d of its %d products (the largest %d×%d×%d)%s", head, most,
                withMost, shapes.size(), largest[0], largest[1], largest[2],
                withMost == shapes.size() ? "" : ", fewer for the others");
    }
}
