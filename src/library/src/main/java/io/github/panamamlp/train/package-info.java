/**
 * Training: a {@link io.github.panamamlp.train.Trainer} runs mini-batch gradient descent on a
 * {@link io.github.panamamlp.nn.Model} with an {@link io.github.panamamlp.train.Optimizer}
 * ({@link io.github.panamamlp.train.Sgd}, {@link io.github.panamamlp.train.Momentum} or
 * {@link io.github.panamamlp.train.Adam}), over any {@link io.github.panamamlp.data.BatchSource}, and
 * records each epoch's loss and accuracy in a {@link io.github.panamamlp.train.History}.
 * {@snippet :
 * try (Trainer trainer = new Trainer(model, new Adam(0.001))) {
 *     History history = trainer.fit(split.train(), split.test(), 10, 32, 1);  // epochs, batch, shuffle seed
 * }
 * }
 * Once warmed up, a step allocates nothing. Bad data (an empty set, a label outside the model's classes, a
 * NaN or infinite value) is refused naming the example, and a diverging run says so.
 */
package io.github.panamamlp.train;
