// t-SNE: the affinities against a brute-force reference, both repulsions against the exact sums,
// the KL divergence against an exact evaluation, neighbourhoods of separated clusters preserved,
// determinism (seed and thread count), early stopping through the callback, cancellation and bad
// input.
#include "neurolens/data/Error.h"
#include "neurolens/embed/Pca.h"
#include "neurolens/embed/Tsne.h"
#include "neurolens/sim/Random.h"

#include "embed/TsneRepulsion.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

using namespace neurolens;

namespace {

// `clusters` Gaussian clusters of `per` points in `dims` dimensions, centres 10 apart, unit spread.
RowMatrixXf clusters(int clusters, int per, int dims, std::uint64_t seed,
                     std::vector<int>* labels = nullptr)
{
    Random rng(seed);
    RowMatrixXf X(clusters * per, dims);
    Eigen::MatrixXf centres(clusters, dims);
    for (int c = 0; c < clusters; ++c)
        for (int d = 0; d < dims; ++d) centres(c, d) = float(rng.normal(0, 10));
    for (int c = 0; c < clusters; ++c)
        for (int i = 0; i < per; ++i) {
            for (int d = 0; d < dims; ++d) X(c * per + i, d) = centres(c, d) + float(rng.normal());
            if (labels) labels->push_back(c);
        }
    return X;
}

// The brute-force affinities: all distances, the k nearest, the precision by bisection on log(beta)
// to machine precision (an independent root finder), then (P + P^T) / sum.
Eigen::MatrixXd bruteForceAffinities(const RowMatrixXf& X, double perplexity, int k)
{
    const int n = int(X.rows());
    Eigen::MatrixXd P = Eigen::MatrixXd::Zero(n, n);
    for (int i = 0; i < n; ++i) {
        // Plain loops: Eigen's row expressions unoptimised (the sanitizer build) take minutes here.
        std::vector<std::pair<double, int>> d;
        const float* xi = X.row(i).data();
        for (int j = 0; j < n; ++j) {
            if (j == i) continue;
            const float* xj = X.row(j).data();
            double sq = 0;
            for (Eigen::Index c = 0; c < X.cols(); ++c) {
                const double diff = double(xi[c]) - double(xj[c]);
                sq += diff * diff;
            }
            d.emplace_back(sq, j);
        }
        std::sort(d.begin(), d.end());
        d.resize(std::size_t(k));
        auto entropy = [&](double beta) {
            double sum = 0, dp = 0;
            for (const auto& [dist, j] : d) sum += std::exp(-dist * beta);
            for (const auto& [dist, j] : d) dp += dist * std::exp(-dist * beta) / sum;
            return std::log(sum) + beta * dp;
        };
        double lo = -30, hi = 30;  // log(beta); entropy falls as beta grows
        for (int step = 0; step < 200; ++step) {
            const double mid = 0.5 * (lo + hi);
            (entropy(std::exp(mid)) > std::log(perplexity) ? lo : hi) = mid;
        }
        const double beta = std::exp(0.5 * (lo + hi));
        double sum = 0;
        for (const auto& [dist, j] : d) sum += std::exp(-dist * beta);
        for (const auto& [dist, j] : d) P(i, j) = std::exp(-dist * beta) / sum;
    }
    const Eigen::MatrixXd S = P + P.transpose();
    return S / S.sum();
}

// KL(P || Q) with Q computed exactly from the layout.
double exactKl(const Eigen::SparseMatrix<double, Eigen::RowMajor>& P, const RowMatrixXf& Y)
{
    const int n = int(Y.rows());
    double z = 0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            if (i != j) z += 1.0 / (1.0 + (Y.row(i) - Y.row(j)).cast<double>().squaredNorm());
    double kl = 0;
    for (int i = 0; i < n; ++i)
        for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(P, i); it; ++it) {
            if (!(it.value() > 0)) continue;
            const double q =
                1.0 / (1.0 + (Y.row(i) - Y.row(int(it.col()))).cast<double>().squaredNorm()) / z;
            kl += it.value() * std::log(it.value() / q);
        }
    return kl;
}

// The fraction of each point's 10 nearest layout neighbours that share its cluster.
double neighbourPurity(const RowMatrixXf& Y, const std::vector<int>& labels)
{
    const int n = int(Y.rows());
    double same = 0;
    for (int i = 0; i < n; ++i) {
        std::vector<std::pair<float, int>> d;
        for (int j = 0; j < n; ++j)
            if (j != i) d.emplace_back((Y.row(i) - Y.row(j)).squaredNorm(), j);
        std::partial_sort(d.begin(), d.begin() + 10, d.end());
        for (int a = 0; a < 10; ++a)
            same += labels[std::size_t(d[std::size_t(a)].second)] == labels[std::size_t(i)];
    }
    return same / (10.0 * n);
}

}  // namespace

TEST(Tsne, AffinitiesMatchABruteForceReference)
{
    const RowMatrixXf X = clusters(3, 30, 6, 11);
    const double perplexity = 7;
    const int k = int(3 * perplexity + 1);
    const auto P = tsneAffinities(X, perplexity);
    const Eigen::MatrixXd reference = bruteForceAffinities(X, perplexity, k);
    const Eigen::MatrixXd dense = Eigen::MatrixXd(P);
    EXPECT_NEAR(dense.sum(), 1.0, 1e-6);
    EXPECT_LT((dense - dense.transpose()).cwiseAbs().maxCoeff(), 1e-9);
    // scikit-learn's search stops within 1e-5 nats of the target entropy: entries agree to ~1e-4
    // relative.
    EXPECT_LT((dense - reference).cwiseAbs().maxCoeff(), 2e-4 * reference.maxCoeff());
    EXPECT_EQ((dense.array() > 0).count(), (reference.array() > 0).count());

    // The approximate neighbour graph (HNSW) finds the same neighbours on a small, clustered set.
    const auto approx = tsneAffinities(X, perplexity, 0, /*exactUpTo=*/0);
    EXPECT_LT((Eigen::MatrixXd(approx) - dense).cwiseAbs().maxCoeff(), 1e-6);
}

// Mostly-zero rows (as spike counts are) take the neighbour search through their nonzeros: the same
// affinities as the brute-force reference, over more than one block of rows (2 048), so the blocks'
// transposed reads are checked too.
TEST(Tsne, SparseRowsFindTheSameNeighbours)
{
    Random rng(12);
    const int n = 2060, d = 60;
    RowMatrixXf X(n, d);
    for (int i = 0; i < X.size(); ++i)
        X.data()[i] = float(std::max(0.0, rng.normal() - 0.85) * (1.0 + rng.uniform()));
    ASSERT_LT((X.array() != 0).cast<double>().mean(), 0.25);
    const double perplexity = 7;
    const Eigen::MatrixXd dense = Eigen::MatrixXd(tsneAffinities(X, perplexity));
    const Eigen::MatrixXd reference = bruteForceAffinities(X, perplexity, int(3 * perplexity + 1));
    EXPECT_EQ((dense.array() > 0).count(), (reference.array() > 0).count());
    EXPECT_LT((dense - reference).cwiseAbs().maxCoeff(), 2e-4 * reference.maxCoeff());
}

// Spike counts (whole numbers over a common factor, here bins averaged by four) take the neighbour
// search through integer products (SparseCounts.h): the same affinities as the brute-force
// reference, over more than one block of rows, with exact products.
TEST(Tsne, CountsFindTheSameNeighbours)
{
    Random rng(13);
    const int n = 2060, d = 60;
    RowMatrixXf X(n, d);
    for (int i = 0; i < X.size(); ++i)
        X.data()[i] = float(std::floor(std::max(0.0, rng.normal() - 0.85) * 6.0)) / 4.0f;
    ASSERT_LT((X.array() != 0).cast<double>().mean(), 0.25);
    ASSERT_GT(X.maxCoeff(), 2.0f);
    const double perplexity = 7;
    const Eigen::MatrixXd counts = Eigen::MatrixXd(tsneAffinities(X, perplexity));
    const Eigen::MatrixXd reference = bruteForceAffinities(X, perplexity, int(3 * perplexity + 1));
    EXPECT_EQ((counts.array() > 0).count(), (reference.array() > 0).count());
    EXPECT_LT((counts - reference).cwiseAbs().maxCoeff(), 2e-4 * reference.maxCoeff());
}

// The repulsive forces and Z of both approximations against the exact O(N^2) sums, on layouts like
// those t-SNE goes through: a tiny core with a few points far out (early exaggeration; the FFT's
// far points), inside the minimum grid (boxes narrower than 1), and boxes of width 1 on grids up to
// 260 boxes wide (measured, FFT: 1.3 % RMS at 90 units, 2.5 % at 260; Barnes-Hut at angle 0.5: 2.3
// and 1.1 %).
TEST(Tsne, RepulsionsMatchTheExactSums)
{
    for (double span : {-1.0, 8.0, 30.0, 90.0, 260.0}) {
        const int n = 1500;
        Random rng(7);
        std::vector<float> Y(2 * n);
        for (int i = 0; i < n; ++i) {
            if (span < 0) {
                // Early exaggeration: a tiny core and a few points far out.
                const double r = i % 100 == 0 ? 100 : -span;
                Y[2 * i] = float(rng.normal(0, r));
                Y[2 * i + 1] = float(rng.normal(0, r));
                continue;
            }
            // Two clumps and a halo, as a layout has.
            const double cx = (i % 3 == 0 ? -0.25 : 0.25) * span,
                         r = i % 5 == 0 ? 0.25 * span : 0.05 * span;
            Y[2 * i] = float(cx + rng.normal(0, r));
            Y[2 * i + 1] = float(rng.normal(0, r));
        }
        std::vector<double> exact(2 * n, 0.0);
        double z = 0;
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) {
                if (i == j) continue;
                const double d0 = double(Y[2 * i]) - Y[2 * j],
                             d1 = double(Y[2 * i + 1]) - Y[2 * j + 1];
                const double w = 1.0 / (1.0 + d0 * d0 + d1 * d1);
                z += w;
                exact[2 * i] += w * w * d0;
                exact[2 * i + 1] += w * w * d1;
            }
        double scale = 0;
        for (double v : exact) scale = std::max(scale, std::abs(v));
        for (int which = 0; which < 2; ++which) {
            const auto repulsion =
                which == 0 ? tsne::makeFftRepulsion2D(2) : tsne::makeBarnesHut(2, 0.5, 2);
            std::vector<float> rep(2 * n);
            const double zApprox = repulsion->compute(Y.data(), n, rep.data());
            double worst = 0, sumSq = 0, errSq = 0;
            for (int e = 0; e < 2 * n; ++e) {
                worst = std::max(worst, std::abs(rep[std::size_t(e)] - exact[std::size_t(e)]));
                sumSq += exact[std::size_t(e)] * exact[std::size_t(e)];
                errSq += (rep[std::size_t(e)] - exact[std::size_t(e)]) *
                         (rep[std::size_t(e)] - exact[std::size_t(e)]);
            }
            SCOPED_TRACE(std::string(which == 0 ? "FFT" : "Barnes-Hut") + ", span " +
                         std::to_string(span));
            EXPECT_NEAR(zApprox / z, 1.0, 1e-2);
            EXPECT_LT(std::sqrt(errSq / sumSq), 0.03);
            EXPECT_LT(worst / scale, 0.05);
        }
    }
}

TEST(Tsne, SeparatedClustersStayTogetherInEveryMode)
{
    std::vector<int> labels;
    const RowMatrixXf X = clusters(5, 60, 20, 3, &labels);
    for (auto [dims, repulsion] : {std::pair{2, TsneOptions::Repulsion::Fft},
                                   std::pair{2, TsneOptions::Repulsion::BarnesHut},
                                   std::pair{3, TsneOptions::Repulsion::BarnesHut}}) {
        TsneOptions o;
        o.dims = dims;
        o.repulsion = repulsion;
        o.perplexity = 20;
        o.iterations = 500;
        const TsneResult r = runTsne(X, o);
        ASSERT_EQ(r.layout.rows(), 300);
        ASSERT_EQ(r.layout.cols(), dims);
        EXPECT_TRUE(r.layout.allFinite());
        EXPECT_GT(neighbourPurity(r.layout, labels), 0.97) << dims << "D";
        // The reported KL uses the approximate Z; the exact one agrees closely.
        const double exact = exactKl(tsneAffinities(X, o.perplexity), r.layout);
        EXPECT_NEAR(r.klDivergence, exact, 0.02 * exact) << dims << "D";
        EXPECT_GT(r.klDivergence, 0);
    }
}

TEST(Tsne, KlDivergenceFallsWithIterations)
{
    const RowMatrixXf X = clusters(4, 50, 10, 7);
    TsneOptions o;
    o.perplexity = 15;
    std::vector<double> kl;
    for (int iterations : {260, 400, 800}) {
        o.iterations = iterations;
        kl.push_back(runTsne(X, o).klDivergence);
    }
    EXPECT_GT(kl[0], kl[1]);
    EXPECT_GT(kl[1], kl[2]);
}

TEST(Tsne, DeterministicForASeedWhateverTheThreads)
{
    const RowMatrixXf X = clusters(3, 40, 8, 5);
    for (auto repulsion : {TsneOptions::Repulsion::Fft, TsneOptions::Repulsion::BarnesHut}) {
        TsneOptions o;
        o.perplexity = 10;
        o.iterations = 200;
        o.init = TsneOptions::Init::Random;
        o.repulsion = repulsion;
        o.seed = 9;
        o.threads = 1;
        const TsneResult a = runTsne(X, o);
        o.threads = 2;
        const TsneResult b = runTsne(X, o);
        EXPECT_EQ(a.layout, b.layout);
        EXPECT_EQ(a.klDivergence, b.klDivergence);
        o.seed = 10;
        EXPECT_NE(runTsne(X, o).layout, a.layout);
    }
}

// A given starting layout is used as given (after the common rescaling): the PCA projection handed
// in reproduces the PCA start; a layout of the wrong shape or with NaNs is refused.
TEST(Tsne, StartsFromAGivenLayout)
{
    const RowMatrixXf X = clusters(3, 40, 8, 5);
    TsneOptions o;
    o.perplexity = 10;
    o.iterations = 150;
    const TsneResult fromPca = runTsne(X, o);
    o.initial = fitPca(X, 2).transform(X, 2);
    const TsneResult given = runTsne(X, o);
    EXPECT_EQ(given.layout, fromPca.layout);
    EXPECT_EQ(given.klDivergence, fromPca.klDivergence);
    o.initial.col(0) *= -1.0f;  // a different start: a different layout
    EXPECT_NE(runTsne(X, o).layout, fromPca.layout);
    o.initial = RowMatrixXf::Ones(X.rows() - 1, 2);
    EXPECT_THROW(runTsne(X, o), UsageError);
    o.initial = RowMatrixXf::Ones(X.rows(), 2);
    o.initial(3, 1) = std::numeric_limits<float>::quiet_NaN();
    EXPECT_THROW(runTsne(X, o), UsageError);
}

TEST(Tsne, CallbackStreamsLayoutsAndCanStop)
{
    const RowMatrixXf X = clusters(2, 30, 5, 1);
    TsneOptions o;
    o.perplexity = 5;
    o.iterations = 300;
    o.reportEvery = 25;
    std::vector<int> seen;
    const TsneResult r =
        runTsne(X, o, Progress::null(), [&](const RowMatrixXf& layout, int iteration) {
            EXPECT_EQ(layout.rows(), 60);
            seen.push_back(iteration);
            return iteration < 100;
        });
    EXPECT_EQ(r.iterations, 100);
    EXPECT_EQ(seen,
              (std::vector<int>{25, 50, 75, 100, 100}));  // the last call hands out the result
}

TEST(Tsne, CancelsAndRejectsBadInput)
{
    const RowMatrixXf X = clusters(2, 30, 5, 1);
    struct Cancelling : Progress {
        std::atomic<int> reports{0};
        void report(double, double, const std::string&) override
        {
            if (++reports == 50) cancel();
        }
    } progress;
    TsneOptions o;
    o.perplexity = 5;
    EXPECT_THROW(runTsne(X, o, progress), CancelledError);

    EXPECT_THROW(runTsne(X.topRows(3), o), UsageError);
    o.perplexity = 30;  // needs 91 neighbours of 59
    EXPECT_THROW(runTsne(X, o), UsageError);
    o.perplexity = 5;
    o.dims = 4;
    EXPECT_THROW(runTsne(X, o), UsageError);
    o.dims = 3;
    o.repulsion = TsneOptions::Repulsion::Fft;
    EXPECT_THROW(runTsne(X, o), UsageError);
    RowMatrixXf bad = X;
    bad(3, 2) = std::nanf("");
    o.repulsion = TsneOptions::Repulsion::Auto;
    EXPECT_THROW(runTsne(bad, o), UsageError);
}
