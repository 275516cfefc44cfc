#pragma once
// offset10-model's training pass on the CPU, forward and backward written out (one autograd node),
// from the projections of every sample on its first layer (see Encoder::forwardGemm in
// CebraEncoder.h, which computes the same function through LibTorch's autograd).

#include <torch/torch.h>

#include <array>

#include "linalg/SparseRows.h"

namespace neurolens::cebra {

struct Offset10Weights {
    torch::Tensor firstBias;                  // (H)
    std::array<torch::Tensor, 3> skipWeight;  // (H, H, 3)
    std::array<torch::Tensor, 3> skipBias;    // (H)
    torch::Tensor lastWeight, lastBias;       // (O, H, 3), (O)
};

// The L2-normalised embeddings (windows x O) of the windows whose 10 samples are rows[10 w .. 10 w
// + 9] (int64, CPU), given `projection` (samples x 2H, float, CPU): each sample's product with the
// first layer's two taps. Differentiable in `projection` and the weights. `passes` splits the
// windows into that many equal groups (the training step's reference, positive and negative batches
// together: one backward writes one gradient of the projection), run side by side on the cores with
// OpenBLAS held to one thread when LibTorch runs on one thread, one after another otherwise; the
// gradients of the passes are added in pass order either way.
torch::Tensor offset10Embed(const torch::Tensor& projection, const torch::Tensor& rows,
                            const Offset10Weights& w, int passes);

// X W for a sparse X (samples x D; `Xt` its transpose in row blocks, for the gradient) and W (D x
// K, float, CPU), differentiable in W. X and Xt must outlive the backward pass.
torch::Tensor sparseProjection(const SparseRows& X, const SparseTransposedBlocks& Xt,
                               const torch::Tensor& W);

}  // namespace neurolens::cebra
