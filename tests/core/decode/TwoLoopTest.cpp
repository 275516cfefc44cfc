// The logistic solver's L-BFGS recursion, run on coefficients over pairs kept in half precision,
// against the textbook two-loop recursion (Nocedal & Wright, algorithm 7.4) over the same rounded
// pairs in double: L-BFGS with inexact line searches on a convex quadratic, with fewer pair slots
// than iterations (so slots are reused), one pair of negative curvature that both must skip, and a
// reset.
#include "decode/TwoLoop.h"
#include "linalg/SparseHalf.h"
#include "neurolens/sim/Random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <utility>

using namespace neurolens;

namespace {

struct Textbook {
    int memory;
    std::deque<std::pair<Eigen::VectorXd, Eigen::VectorXd>> pairs;  // oldest first

    void add(const Eigen::VectorXd& s, const Eigen::VectorXd& y)
    {
        if (!(s.dot(y) > 1e-12 * y.squaredNorm())) return;
        pairs.emplace_back(s, y);
        if (int(pairs.size()) > memory) pairs.pop_front();
    }

    Eigen::VectorXd direction(const Eigen::VectorXd& g) const
    {
        Eigen::VectorXd q = g;
        std::vector<double> alpha(pairs.size());
        for (int i = int(pairs.size()) - 1; i >= 0; --i) {
            const auto& [s, y] = pairs[std::size_t(i)];
            alpha[std::size_t(i)] = s.dot(q) / s.dot(y);
            q -= alpha[std::size_t(i)] * y;
        }
        if (!pairs.empty())
            q *= pairs.back().first.dot(pairs.back().second) / pairs.back().second.squaredNorm();
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            const auto& [s, y] = pairs[i];
            const double beta = y.dot(q) / s.dot(y);
            q += (alpha[i] - beta) * s;
        }
        return -q;
    }
};

// Pairs as TwoLoop stores them (half precision, scaled by the power of two that brings the largest
// entry to [2^14, 2^15)), so that the comparison sees only the recursion.
Eigen::VectorXd inHalf(const Eigen::VectorXd& v)
{
    int exponent = 0;
    std::frexp(v.cwiseAbs().maxCoeff(), &exponent);
    const double scale = std::ldexp(1.0, exponent - 15);
    Eigen::VectorXd out(v.size());
    for (Eigen::Index i = 0; i < v.size(); ++i)
        out[i] = double(fromHalf(toHalf(float(v[i] / scale)))) * scale;
    return out;
}

}  // namespace

TEST(TwoLoop, MatchesTheTextbookRecursion)
{
    const int n = 203, memory = 4;
    Random rng(5);
    Eigen::MatrixXd M(n, n);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) M(i, j) = rng.normal();
    const Eigen::MatrixXd A =
        M * M.transpose() / n + 0.05 * Eigen::MatrixXd::Identity(n, n);  // spread spectrum
    Eigen::VectorXd b(n), x = Eigen::VectorXd::Zero(n);
    for (int i = 0; i < n; ++i) b[i] = rng.normal();

    TwoLoop lbfgs(n, memory);
    Textbook reference{memory, {}};
    Eigen::VectorXd g = A * x - b, D(n);
    for (int k = 0; k < 12; ++k) {
        lbfgs.apply(g, D);
        const Eigen::VectorXd expected = reference.direction(g);
        ASSERT_LT((D - expected).norm(), 1e-5 * expected.norm()) << "iteration " << k;
        // Inexact line searches (exact ones make the directions conjugate, and most of the inner
        // products between pairs vanish).
        const double t = (0.4 + 0.9 * rng.uniform()) * -g.dot(D) / D.dot(A * D);
        ASSERT_GT(t, 0) << "iteration " << k;
        x += t * D;
        const Eigen::VectorXd gNext = A * x - b;
        lbfgs.add(t, D, gNext, g);
        reference.add(inHalf(t * D), inHalf(gNext - g));
        g = gNext;
    }
    EXPECT_EQ(lbfgs.pairs(), memory);

    // A pair of negative curvature is skipped by both; the next direction still agrees.
    lbfgs.apply(g, D);
    const Eigen::VectorXd bad = g + Eigen::VectorXd::Constant(n, D.sum() > 0 ? 0.5 : -0.5);
    lbfgs.add(-1.0, D, bad, g);  // s = -D, y = +-0.5 ones: s^T y < 0
    reference.add(inHalf(-D), inHalf(bad - g));
    ASSERT_LT((-D).dot(bad - g), 0);
    EXPECT_EQ(lbfgs.pairs(), memory);
    lbfgs.apply(g, D);  // g again: this apply's previous gradient is g as well
    const Eigen::VectorXd expected = reference.direction(g);
    EXPECT_LT((D - expected).norm(), 1e-5 * expected.norm());

    // After a reset there are no pairs: steepest descent.
    lbfgs.reset();
    lbfgs.apply(g, D);
    EXPECT_LT((D + g).norm(), 1e-12 * g.norm());
}
