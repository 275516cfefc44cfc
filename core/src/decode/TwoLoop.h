#pragma once
// L-BFGS's two-loop recursion (Nocedal & Wright, algorithm 7.4) over the last `memory` correction
// pairs, with the initial Hessian gamma I, gamma = s^T y / y^T y of the newest pair, run on
// coefficients: every vector the recursion forms is a combination of g and the pairs, and every
// inner product it needs is one of g's with a pair (s_i^T g, y_i^T g) or one between pairs (s_i^T
// y_j for i older than j, y_i^T y_j). So an application reads the pairs twice (once for g's inner
// products, once to form the direction) instead of the textbook's four passes over pairs and the
// work vector, which bound it: the logistic regression's vectors have K d entries (689 000 on a 30
// Hz session).
//
// The pairs are kept in half precision, each scaled by a power of two (11 significant bits an
// entry), which halves what an application reads: the recursion is then exactly L-BFGS's over the
// rounded pairs (every inner product, rho and gamma included, is taken from the rounded vectors), a
// slightly different curvature model, not an inconsistent one. Measured on a 30 Hz session: the
// same 41 iterations to the same objective (to 2e-7) as with float pairs. The inner products of a
// new pair with the older ones are taken in the next application's pass over the pairs. Passes are
// split among the threads over fixed chunks: the same result whatever the threads.

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace neurolens {

class TwoLoop {
public:
    static constexpr int kMaxMemory = 64;

    TwoLoop(Eigen::Index size, int memory);

    void reset();
    int pairs() const { return count_; }

    // Adds the pair s = t D, y = g - gPrevious, rounded, when s^T y > 1e-12 y^T y for the rounded
    // pair (else the curvature is not positive enough to keep). Call apply between two adds: the
    // new pair's inner products with the older ones are taken there.
    void add(double t, const Eigen::VectorXd& D, const Eigen::VectorXd& g,
             const Eigen::VectorXd& gPrevious);

    // D = -H g; D = -g without pairs.
    void apply(const Eigen::VectorXd& g, Eigen::VectorXd& D);

private:
    // A pair vector: value_i = scale * half_i.
    struct Half {
        std::vector<std::uint16_t> half;
        double scale = 1;
    };

    // The slot of the k-th newest pair.
    int slot(int k) const { return (next_ - 1 - k + 2 * memory_) % memory_; }
    // s_i^T g and y_i^T g for every pair, and the pending pair's inner products with the older
    // ones.
    void innerProducts(const Eigen::VectorXd& g);

    Eigen::Index size_;
    int memory_, count_ = 0, next_ = 0, pending_ = -1;
    double gamma_ = 1;
    std::vector<Half> s_, y_;
    Half spareS_, spareY_;  // a new pair is rounded here first, and kept only if its curvature is
    std::vector<double> rho_;
    Eigen::MatrixXd sy_, yy_;  // s_i^T y_j (i older than j, and i = j), y_i^T y_j, by slot
    Eigen::VectorXd sg_, yg_;  // s_i^T g, y_i^T g at this apply
};

}  // namespace neurolens
