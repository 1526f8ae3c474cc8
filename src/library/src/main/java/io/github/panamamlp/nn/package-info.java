/**
 * The model: {@link io.github.panamamlp.nn.Model}, a sequential network of dense layers with a softmax
 * output, built with {@code Model.builder(inputs).dense(units, activation)…build()}. A model predicts
 * ({@code predict}, {@code predictClasses}), evaluates itself on labelled data
 * ({@link io.github.panamamlp.nn.Model#evaluate}, giving an {@link io.github.panamamlp.nn.Evaluation}),
 * and saves and loads itself ({@link io.github.panamamlp.nn.Model#save},
 * {@link io.github.panamamlp.nn.Model#load(java.nio.file.Path)}). It may carry the standardization of its
 * input and the names of its classes, and then takes raw rows everywhere.
 *
 * <p>Also here: the activations ({@link io.github.panamamlp.nn.Activation}), weight initializations
 * ({@link io.github.panamamlp.nn.Init}), and the layers a model is made of ({@link io.github.panamamlp.nn.Dense},
 * {@link io.github.panamamlp.nn.ReLU}, {@link io.github.panamamlp.nn.Sigmoid} and the output head
 * {@link io.github.panamamlp.nn.SoftmaxCrossEntropy}). Training is in {@link io.github.panamamlp.train}.
 */
package io.github.panamamlp.nn;
