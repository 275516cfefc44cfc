#pragma once
// t-SNE (van der Maaten & Hinton 2008) in 2D or 3D, as scikit-learn and openTSNE compute it:
//  - affinities: for each point a Gaussian over its 3 x perplexity nearest neighbours (squared
//  euclidean
//    distances), its precision found by binary search so its entropy is log(perplexity); then
//    P = (P + P^T) / sum. Neighbours are exact (BLAS) up to `exactNeighboursUpTo` points,
//    approximate beyond (an HNSW graph, hnswlib, built single-threaded so the result is
//    reproducible);
//  - initialisation: the first principal components scaled so the first has standard deviation
//  1e-4,
//    or Gaussian noise of that scale;
//  - optimisation: gradient descent with momentum (0.5, then 0.8) and per-coordinate gains, early
//    exaggeration (12 for the first 250 iterations), learning rate max(N / exaggeration / 4, 50),
//    the gradient 4 (sum_j p_ij w_ij (y_i - y_j) - sum_j w_ij^2 (y_i - y_j) / Z), w_ij = 1 / (1 +
//    |y_i - y_j|^2);
//  - repulsion: FFT-accelerated interpolation (FIt-SNE, Linderman et al. 2019) in 2D from 2 000
//  points,
//    Barnes-Hut (quad/octree, angle 0.5) in 3D and below that; either can be chosen explicitly.
// Deterministic for a seed, whatever the thread count. The KL divergence is that of the final
// layout (Z from the same approximation the gradient uses).

#include "neurolens/data/Recording.h"
#include "neurolens/data/Responses.h"
#include "neurolens/jobs/Progress.h"

#include <Eigen/Core>
#include <Eigen/SparseCore>

#include <cstdint>
#include <functional>
#include <string>

namespace neurolens {

struct TsneOptions {
    int dims = 2;  // 2 or 3
    double perplexity = 30;
    int iterations = 1000;  // including the exaggeration phase
    int exaggerationIterations = 250;
    double exaggeration = 12;
    double learningRate = 0;  // <= 0: max(N / exaggeration / 4, 50)
    enum class Init { Pca, Random };
    Init init = Init::Pca;
    // When not empty (samples x dims), the starting layout instead of `init` (rescaled, as the
    // others, so that its first axis has deviation 1e-4): to continue from a stored layout, or to
    // start two implementations from the identical points.
    RowMatrixXf initial;
    enum class Repulsion {
        Auto,
        Fft,
        BarnesHut
    };  // Auto: FFT in 2D from 2 000 points, else Barnes-Hut
    Repulsion repulsion = Repulsion::Auto;
    double theta = 0.5;  // Barnes-Hut opening angle
    int exactNeighboursUpTo = 20000;
    std::uint64_t seed = 1;
    int threads = 0;       // 0: all cores
    int reportEvery = 10;  // iterations between `onLayout` calls (0: never)
};

struct TsneResult {
    RowMatrixXf layout;  // samples x dims
    double klDivergence = 0;
    int iterations = 0;
    double seconds = 0;     // the optimisation and the affinities, not the input
    std::string repulsion;  // "fft" or "barnes-hut": the one used
};

// Receives the current layout and iteration every TsneOptions::reportEvery iterations, on the
// calling thread of runTsne. Returning false stops the optimisation there (the result then holds
// that layout).
using TsneLayoutCallback = std::function<bool(const RowMatrixXf& layout, int iteration)>;

// Throws UsageError for bad options (fewer than 4 points, perplexity too large for the points,
// ...), CancelledError when `progress` is cancelled.
TsneResult runTsne(const Eigen::Ref<const RowMatrixXf>& rows, const TsneOptions& options,
                   Progress& progress = Progress::null(), const TsneLayoutCallback& onLayout = {});

// The symmetrised, normalised affinity matrix (N x N, sum 1) that runTsne optimises for, for tests
// and inspection. `neighbours` <= 0: min(N - 1, 3 * perplexity + 1) as scikit-learn.
Eigen::SparseMatrix<double, Eigen::RowMajor> tsneAffinities(
    const Eigen::Ref<const RowMatrixXf>& rows, double perplexity, int neighbours = 0,
    int exactUpTo = 20000, int threads = 0);

// The rows an embedding method starts from: "raw" (the analysed responses), "pca:K" (their first K
// principal components, fitted on all samples) or the name of a stored result. Throws UsageError.
RowMatrixXf embeddingInput(const Recording& recording, const std::string& input,
                           Progress& progress = Progress::null());

}  // namespace neurolens
