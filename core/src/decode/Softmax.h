#pragma once
// The per-sample softmax of multinomial logistic regression at logits z + t d (d: the logits'
// change along a search direction), vectorised with AVX2 where the CPU has it (chosen at run time;
// portable loops otherwise, which may differ in the last bits). One row of K classes at a time.

namespace neurolens::softmax {

struct RowStats {
    double nll = 0;    // -log softmax(z + t d)[label]
    double slope = 0;  // its derivative in t
};

// The row's loss and slope at z + t d, writing nothing (a line-search trial).
RowStats along(const float* z, const float* d, float t, int K, int label);

// Moves the row to z += t d (d may be null: z stays), then writes the residuals r = softmax(z) -
// e_label, adds them to sums (K doubles; may be null) and returns -log softmax(z)[label]. r may be
// d: d is read before r is written.
double step(float* z, const float* d, float t, int K, int label, float* r, double* sums = nullptr);

}  // namespace neurolens::softmax
