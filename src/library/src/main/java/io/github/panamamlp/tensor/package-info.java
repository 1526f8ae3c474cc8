/**
 * {@link io.github.panamamlp.tensor.Matrix}: a row-major matrix of {@code double}s or {@code float}s (its
 * {@link io.github.panamamlp.tensor.DType}, fixed at allocation) in 64-byte-aligned off-heap memory, owned by itself or by an {@link java.lang.foreign.Arena} of yours, with row views for
 * mini-batches. It is what a {@link io.github.panamamlp.data.BatchSource} fills and what
 * {@code Model.predict(Matrix)} takes; most users never need one, as the model's array methods copy rows in
 * and out for them.
 */
package io.github.panamamlp.tensor;
