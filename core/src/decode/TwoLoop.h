#pragma once
// L-BFGS's two-loop recursion (Nocedal & Wright, algorithm 7.4) over the last `memory` correction pairs,
// with the initial Hessian gamma I, gamma = s^T y / y^T y of the newest pair, run on coefficients: every
// vector the recursion forms is a combination of g and the pairs, and every inner product it needs is
// one of g's with a pair (s_i^T g, y_i^T g) or one between pairs (s_i^T y_j for i older than j, y_i^T y_j).
// So an application reads the pairs twice (once for g's inner products, once to form the direction)
// instead of the textbook's four passes over pairs and the work vector, which bound it: the logistic
// regression's vectors have K d entries (689 000 on a 30 Hz session) and the pairs are kept in float
// (measured there: 6.4 ms an iteration; 9-17 ms with the textbook loops on the threads, 11 ms
// single-threaded in double with LBFGS++'s BFGSMat). The inner products between a new pair and the older
// ones come from g's with them at this and the previous application (y = g - g_prev), so adding a pair
// reads no older pair. Passes are split among the threads over fixed chunks: the same result whatever
// the threads.

#include <Eigen/Core>

#include <vector>

namespace neurolens {

class TwoLoop {
public:
    static constexpr int kMaxMemory = 64;

    TwoLoop(Eigen::Index size, int memory);

    void reset();
    int pairs() const { return count_; }

    // Adds the pair s = t D, y = g - gPrevious when s^T y > 1e-12 y^T y (else the curvature is not
    // positive enough to keep). gPrevious must be the gradient of the last apply.
    void add(double t, const Eigen::VectorXd& D, const Eigen::VectorXd& g, const Eigen::VectorXd& gPrevious);

    // D = -H g; D = -g without pairs.
    void apply(const Eigen::VectorXd& g, Eigen::VectorXd& D);

private:
    // The slot of the k-th newest pair.
    int slot(int k) const { return (next_ - 1 - k + 2 * memory_) % memory_; }
    // s_i^T g and y_i^T g for every pair, and the pending pair's inner products with the older ones.
    void innerProducts(const Eigen::VectorXd& g);

    Eigen::Index size_;
    int memory_, count_ = 0, next_ = 0, pending_ = -1;
    double gamma_ = 1;
    std::vector<Eigen::VectorXf> s_, y_;
    std::vector<double> rho_;
    Eigen::MatrixXd sy_, yy_;  // s_i^T y_j (i older than j, and i = j), y_i^T y_j, by slot
    Eigen::VectorXd sg_, yg_, sgPrev_, ygPrev_;  // s_i^T g, y_i^T g at this and the previous apply
};

}  // namespace neurolens
