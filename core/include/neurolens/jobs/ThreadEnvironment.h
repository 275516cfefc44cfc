#pragma once
// The OpenMP runtime (LibTorch's intra-op threads, libgomp) spins while it waits, and so do
// OpenBLAS's threads: on a 2-core machine they spin against each other and against our own workers
// (measured: CEBRA training with two threads 4.0 iterations/s spinning, 5.1-5.7 with passive
// waiting; t-SNE and the logistic solver no slower). libgomp reads OMP_WAIT_POLICY once, when it is
// loaded, before main() runs (Qt loads it, through libb2), so a program about to train calls this
// first thing: when the variable is unset it sets PASSIVE and re-executes the program with the same
// arguments (once; a user's own setting is left alone). The window does; the CLI only for commands
// that may train.

namespace neurolens {

void settleThreadEnvironment(char** argv);

}  // namespace neurolens
