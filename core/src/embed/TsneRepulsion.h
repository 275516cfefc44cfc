#pragma once
// The repulsive half of the t-SNE gradient, for a layout Y (N x D, row-major float, D = 2 or 3):
//     rep_i = sum_j w_ij^2 (y_i - y_j),    Z = sum_{i != j} w_ij,    w_ij = 1 / (1 + |y_i -
//     y_j|^2),
// so that the gradient is 4 (attraction_i - rep_i / Z). Two approximations behind one interface:
// FFT-accelerated interpolation onto an equispaced grid (FIt-SNE; 2D) and Barnes-Hut (2D and 3D).
// Both are deterministic: per-point outputs, sums in a fixed order.

#include <memory>
#include <vector>

namespace neurolens::tsne {

class Repulsion {
public:
    virtual ~Repulsion() = default;
    // Fills rep (N x D) and returns Z.
    virtual double compute(const float* Y, int n, float* rep) = 0;
    // Whether a coarser approximation will do (early exaggeration, where the attraction is many
    // times stronger and a few points flung far away would otherwise make the FFT grid huge).
    virtual void allowCoarse(bool) {}
};

// Lagrange interpolation with `nodes` (2 to 8) points per box and per axis; boxes of width 1 once
// the layout spans more than `minBoxes` units (openTSNE's and FIt-SNE's defaults: 3 nodes, at least
// 50 boxes), at most 128 boxes per axis while coarse is allowed and 512 otherwise (wider boxes
// beyond).
std::unique_ptr<Repulsion> makeFftRepulsion2D(int threads, int nodes = 3, int minBoxes = 50);
// Cells are summarised when their width / distance < theta.
std::unique_ptr<Repulsion> makeBarnesHut(int dims, double theta, int threads);

}  // namespace neurolens::tsne
