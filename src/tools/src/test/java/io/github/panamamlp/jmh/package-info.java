/**
 * JMH benchmarks of the training kernels (element-wise ops, softmax, batch copy, optimizer updates, one whole
 * step) and of one step of the pure-Java reference. Run with {@code make jmh}; options go in {@code JMH_ARGS}, e.g.
 * {@code make jmh JMH_ARGS='-f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc UpdateBenchmark'}.
 */
package io.github.panamamlp.jmh;
