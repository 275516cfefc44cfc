#include "neurolens/decode/LogisticRegression.h"

#include "Softmax.h"
#include "TwoLoop.h"
#include "linalg/Blas.h"
#include "linalg/SparseHalf.h"
#include "linalg/SparseRows.h"
#include "neurolens/data/Error.h"
#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <utility>

namespace neurolens {
namespace {

using RowMatrixXd = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// C (m x n, row-major) = A (m x k, row-major) * B (k x n, row-major) + beta C, through BLAS: in
// column-major terms C^T (n x m) = B^T (n x k) * A^T (k x m).
void gemmAB(const float* A, int m, int k, const float* B, int n, float beta, float* C)
{
    const float one = 1.0f;
    sgemm_("N", "N", &n, &m, &k, &one, B, &n, A, &k, &beta, C, &n, 1, 1);
}

// The nonzeros of a row-major matrix (copied first only when its rows are not contiguous).
SparseRows nonzerosOf(const Eigen::Ref<const RowMatrixXf>& rows)
{
    if (rows.outerStride() == rows.cols())
        return SparseRows::fromDense(rows.data(), int(rows.rows()), int(rows.cols()));
    const RowMatrixXf dense(rows);
    return SparseRows::fromDense(dense.data(), int(dense.rows()), int(dense.cols()));
}

// Features standardised as X_s = (X - 1 shift^T) diag(scale): the training mean and the inverse
// deviation, or none. Their product with D (d x K) from the raw rows' nonzeros X, the
// standardisation moved onto D:
//     X_s D + 1 b^T = X (diag(scale) D) + 1 (b - D^T (scale . shift))^T.
struct Standardisation {
    Eigen::RowVectorXd shift, scale, unscale;  // unscale = 1 / scale

    Standardisation(const Standardiser* standardiser, Eigen::Index d)
        : shift(standardiser ? standardiser->mean : Eigen::RowVectorXd::Zero(d)),
          scale(standardiser ? Eigen::RowVectorXd(standardiser->scale.cwiseInverse())
                             : Eigen::RowVectorXd::Ones(d)),
          unscale(scale.cwiseInverse())
    {
    }

    // diag(scale) D in float, on the threads.
    void scaleRows(const Eigen::Ref<const RowMatrixXd>& D, RowMatrixXf& B) const
    {
        B.resize(D.rows(), D.cols());
        parallelFor(int(D.rows()), [&](int j) { B.row(j) = (scale[j] * D.row(j)).cast<float>(); });
    }

    // b - D^T (scale . shift): the product's offset, added to every row.
    Eigen::RowVectorXf offset(const Eigen::Ref<const RowMatrixXd>& D,
                              const Eigen::Ref<const Eigen::RowVectorXd>& b) const
    {
        return (b - scale.cwiseProduct(shift) * D).cast<float>();
    }
};

// out (n x K) = X_s D + 1 b^T for D (d x K), from X's nonzeros (the offset is the sums' first
// term).
void standardisedTimes(const SparseRows& X, const Standardisation& st,
                       const Eigen::Ref<const RowMatrixXd>& D,
                       const Eigen::Ref<const Eigen::RowVectorXd>& b, RowMatrixXf& out)
{
    RowMatrixXf B;
    st.scaleRows(D, B);
    const Eigen::RowVectorXf offset = st.offset(D, b);
    parallelSparseTimesDense(X, B.data(), int(B.cols()), out.data(), 0, offset.data());
}

// The standardised training features X_s = (X - 1 mu^T) diag(s) and the solver's two products with
// them. When most raw entries are zero (spike counts in short bins: 87 % of a 30 Hz session's), the
// products come from the raw matrix's nonzeros with the standardisation moved onto the other
// operand:
//     X_s D = X (diag(s) D) - 1 (D^T (s . mu))^T,      X_s^T R = diag(s) (X^T R - mu 1^T R),
// at a seventh of a dense GEMM's arithmetic; otherwise X_s is formed and the products are BLAS
// GEMMs. Weights are held transposed (features x classes), so that both products' other operands
// are laid out as the parameters are.
class Features {
public:
    Features(const Eigen::Ref<const RowMatrixXf>& rows, const Standardiser* standardiser,
             double sparseBelow)
        : n_(int(rows.rows())), d_(int(rows.cols())), st_(standardiser, rows.cols())
    {
        SparseRows nonzeros = nonzerosOf(rows);
        if (nonzeros.density() < sparseBelow) {
            transposed_ = SparseTransposedBlocks::of(nonzeros);
            sparse_.emplace(std::move(nonzeros));
        } else {
            dense_ = standardiser ? standardiser->apply(rows) : RowMatrixXf(rows);
        }
    }

    // out (n x K) = X_s D + 1 b^T for a search direction D (d x K, row-major) and b (K), both
    // double. From the nonzeros, diag(s) D is rounded to half precision first (SparseHalf.h) and D
    // with it, in place: the solver then moves along exactly the direction whose logits these are.
    void alongDirection(double* D, const double* b, int K, RowMatrixXf& out)
    {
        Eigen::Map<RowMatrixXd> Dm(D, d_, K);
        const Eigen::Map<const Eigen::RowVectorXd> bm(b, K);
        if (!sparse_) {
            out.rowwise() = bm.cast<float>();
            const RowMatrixXf Df = Dm.cast<float>();
            gemmAB(dense_.data(), n_, d_, Df.data(), K, 1.0f, out.data());
            return;
        }
        st_.scaleRows(Dm, scaled_);
        rounded_.assign(scaled_.data(), d_, K);
        parallelFor(d_, [&](int j) {
            const double u = st_.unscale[j];
            const float* v = rounded_.value.data() + std::size_t(j) * std::size_t(K);
            for (int k = 0; k < K; ++k)
                Dm(j, k) = double(v[k]) * u;  // scale * this rounds back to v[k]
        });
        const Eigen::RowVectorXf offset = st_.offset(Dm, bm);
        parallelSparseTimesHalf(*sparse_, rounded_, out.data(), offset.data());
    }

    // g = factor X_s^T R + x (all d x K, row-major, double) for R (n x K) with column sums `sums`.
    void transposedTimes(const RowMatrixXf& R, const Eigen::RowVectorXd& sums, double factor,
                         const double* x, double* g)
    {
        const int K = int(R.cols());
        const std::size_t k = std::size_t(K);
        RowMatrixXf& G =
            product_;  // kept from call to call: a fresh 2.75 MB each time cost page faults
        G.resize(d_, K);
        if (!sparse_) {
            // Column-major G^T (K x d) = factor R^T (K x n) * X_s (n x d).
            const float zero = 0.0f, f = float(factor);
            sgemm_("N", "T", &K, &d_, &n_, &f, R.data(), &K, dense_.data(), &d_, &zero, G.data(),
                   &K, 1, 1);
            parallelFor(d_, [&](int j) {
                for (std::size_t c = 0; c < k; ++c)
                    g[std::size_t(j) * k + c] =
                        double(G(j, Eigen::Index(c))) + x[std::size_t(j) * k + c];
            });
            return;
        }
        parallelSparseTransposedTimesDense(*transposed_, R.data(), K, G.data());
        parallelFor(d_, [&](int j) {
            const double s = factor * st_.scale[j], mu = st_.shift[j];
            for (std::size_t c = 0; c < k; ++c)
                g[std::size_t(j) * k + c] =
                    s * (double(G(j, Eigen::Index(c))) - mu * sums[Eigen::Index(c)]) +
                    x[std::size_t(j) * k + c];
        });
    }

private:
    int n_, d_;
    Standardisation st_;
    std::optional<SparseProduct> sparse_;
    std::optional<SparseTransposedBlocks> transposed_;
    RowMatrixXf dense_;
    RowMatrixXf scaled_;   // diag(s) D of the last direction
    RowMatrixXf product_;  // X_s^T R of the last gradient
    HalfRounded rounded_;  // and rounded
};

// L-BFGS on the parameters x = [W^T (d x K, row-major); b (K)]. The model is linear in them, so
// along a search direction D the logits are Z + t Z_D with Z_D = X D_W + 1 D_b^T: one product per
// direction, after which every line-search trial is a softmax pass instead of a GEMM, and the
// accepted point's logits come for free. An iteration therefore costs two products (Z_D, and the
// gradient X^T (P - Y)) however many trials its line search takes. A trial only reads the logits
// (the loss and its slope); the accepted step moves them and writes the residuals in one more pass.
// The line search stops at c2 = 0.5: measured on the 30 Hz session, 41 iterations and 60 trials
// where c2 = 0.1 took 41 and 128 (same objective), and 0.9 took 43 and 57.
//
// (Whitening the weights by the features' Gram matrix was tried as a preconditioner: on
// standardised features it slowed L-BFGS down, 45 iterations to the objective this reaches in 30.)
class Solver {
public:
    static constexpr int kMemory =
        10;  // correction pairs (more did not cut iterations here; TwoLoop holds up to 64)

    Solver(Features& X, int samples, int features, const std::vector<int>& y, int classes, double C,
           Progress& progress)
        : X_(X),
          y_(y),
          n_(samples),
          d_(features),
          K_(classes),
          C_(C),
          progress_(progress),
          Z_(RowMatrixXf::Zero(n_, K_)),
          Zd_(n_, K_),
          rowNll_(n_),
          rowSlope_(n_)
    {
    }

    // Minimises from W = 0, b = 0; returns the iterations taken.
    int run(Eigen::VectorXd& x, double& fx, const LogisticOptions& o)
    {
        const Eigen::Index size = Eigen::Index(K_) * d_ + K_;
        x = Eigen::VectorXd::Zero(size);
        Eigen::VectorXd grad(size), gradPrev(size), direction(size);
        fx = C_ * move(0.0, false);  // Z = 0: the residuals there
        gradient(x, grad);
        TwoLoop bfgs(size, kMemory);
        std::vector<double> history{fx};
        int k = 0;
        while (k < o.maxIterations && largest(grad) > o.tolerance) {
            progress_.checkCancelled();
            bfgs.apply(grad, direction);
            double slope0 = prepareDirection(
                x, direction, grad);  // may round the direction: the slope is taken after
            if (!(slope0 <
                  0)) {  // not a descent direction (round-off): restart from steepest descent
                bfgs.reset();
                direction = -grad;
                slope0 = prepareDirection(x, direction, grad);
                if (!(slope0 < 0)) break;  // no descent left at this precision: converged
            }
            const double t = lineSearch(fx, slope0);
            if (!(t > 0)) break;  // no decrease left at float precision: converged
            parallelForChunks(size, kVectorChunks, [&](int, Eigen::Index a, Eigen::Index b) {
                x.segment(a, b - a) += t * direction.segment(a, b - a);
            });
            // The logits, loss and residuals at the step (the trial's loss, recomputed from the
            // moved logits).
            fx = C_ * move(t, true) + penalty_ + t * cross_ + 0.5 * t * t * quad_;
            std::swap(gradPrev, grad);
            gradient(x, grad);
            bfgs.add(t, direction, grad, gradPrev);
            ++k;
            progress_.report(k, o.maxIterations, "logistic regression (L-BFGS)");
            history.push_back(fx);
            const std::size_t past = 5;
            if (history.size() > past) {
                const double old = history[history.size() - 1 - past];
                if (old - fx <= o.ftol * std::max({std::abs(fx), std::abs(old), 1.0})) break;
            }
        }
        return k;
    }

private:
    struct Line {
        double nll = 0;    // sum of the rows' negative log-likelihoods
        double slope = 0;  // d nll / dt along the prepared direction
    };

    // The negative log-likelihood at logits Z + t Z_D and its derivative in t, writing nothing.
    Line trial(double t)
    {
        const float tf = float(t);
        parallelFor(n_, [&](int i) {
            const std::size_t off = std::size_t(i) * std::size_t(K_);
            const softmax::RowStats row =
                softmax::along(Z_.data() + off, Zd_.data() + off, tf, K_, y_[std::size_t(i)]);
            rowNll_[i] = row.nll;
            rowSlope_[i] = row.slope;
        });
        return {rowNll_.sum(), rowSlope_.sum()};
    }

    // Moves the logits to Z + t Z_D (when `along`) and writes the residuals P - Y there over Z_D
    // (each row is read before it is written: the direction's logits are not needed after the step,
    // and one buffer of n x K floats fewer is 29 MB on a 30 Hz session) and their column sums into
    // sums_ (in double, over fixed row chunks: the same sums whatever the threads); returns the
    // negative log-likelihood.
    double move(double t, bool along)
    {
        const float tf = float(t);
        std::vector<Eigen::RowVectorXd> part(kSumChunks, Eigen::RowVectorXd::Zero(K_));
        parallelForChunks(n_, kSumChunks, [&](int c, Eigen::Index r0, Eigen::Index r1) {
            Eigen::RowVectorXd& sum = part[std::size_t(c)];
            for (Eigen::Index i = r0; i < r1; ++i) {
                const std::size_t off = std::size_t(i) * std::size_t(K_);
                rowNll_[i] = softmax::step(Z_.data() + off, along ? Zd_.data() + off : nullptr, tf,
                                           K_, y_[std::size_t(i)], Zd_.data() + off, sum.data());
            }
        });
        sums_.setZero(K_);
        for (const auto& p : part) sums_ += p;
        return rowNll_.sum();
    }

    // Z_D (the intercept's part included) and the penalty's terms along a new direction, which the
    // product may round (Features::alongDirection); returns the slope grad^T direction. The inner
    // products in one pass on the threads, over fixed chunks (the same sums whatever the threads).
    double prepareDirection(const Eigen::VectorXd& x, Eigen::VectorXd& direction,
                            const Eigen::VectorXd& grad)
    {
        const Eigen::Index w = Eigen::Index(K_) * d_;
        X_.alongDirection(direction.data(), direction.data() + w, K_, Zd_);
        std::array<std::array<double, 4>, kVectorChunks> part{};
        parallelForChunks(x.size(), kVectorChunks, [&](int c, Eigen::Index a, Eigen::Index b) {
            std::array<double, 4>& p = part[std::size_t(c)];
            const Eigen::Index e = std::min(b, w);  // the weights' part: [a, e)
            if (e > a) {
                p[0] = x.segment(a, e - a).squaredNorm();
                p[1] = x.segment(a, e - a).dot(direction.segment(a, e - a));
                p[2] = direction.segment(a, e - a).squaredNorm();
            }
            p[3] = grad.segment(a, b - a).dot(direction.segment(a, b - a));
        });
        std::array<double, 4> sum{};
        for (const auto& p : part)
            for (std::size_t i = 0; i < 4; ++i) sum[i] += p[i];
        penalty_ = 0.5 * sum[0];
        cross_ = sum[1];
        quad_ = sum[2];
        return sum[3];
    }

    // The largest |g_i|, on the threads.
    static double largest(const Eigen::VectorXd& g)
    {
        std::array<double, kVectorChunks> part{};
        parallelForChunks(g.size(), kVectorChunks, [&](int c, Eigen::Index a, Eigen::Index b) {
            if (b > a) part[std::size_t(c)] = g.segment(a, b - a).lpNorm<Eigen::Infinity>();
        });
        return *std::max_element(part.begin(), part.end());
    }

    // phi(t) = f(x + t D) and phi'(t).
    std::pair<double, double> phi(double t)
    {
        const Line line = trial(t);
        return {C_ * line.nll + penalty_ + t * cross_ + 0.5 * t * t * quad_,
                C_ * line.slope + cross_ + t * quad_};
    }

    // A safeguarded line search on the convex phi: bracket the minimum by growing t from 1, then
    // cubic interpolation of phi (bisection when it strays), until the strong Wolfe conditions hold
    // with c2 = 0.5 or 30 trials pass. Returns the step, 0 when none decreased phi.
    double lineSearch(double f0, double slope0)
    {
        const double c1 = 1e-4, c2 = 0.5, inf = std::numeric_limits<double>::infinity();
        double lo = 0, loF = f0, loS = slope0, hi = inf, hiF = inf, hiS = inf;
        double best = 0, bestF = f0, t = 1.0;
        for (int trial = 0; trial < 30; ++trial) {
            const auto [f, s] = phi(t);
            const bool finite = std::isfinite(f) && std::isfinite(s);
            if (finite && f <= f0 + c1 * t * slope0 && std::abs(s) <= c2 * std::abs(slope0))
                return t;
            if (finite && f < bestF) {
                best = t;
                bestF = f;
            }
            if (!finite || s > 0 || f > f0 + c1 * t * slope0) {
                hi = t;
                hiF = finite ? f : inf;
                hiS = finite ? s : inf;
            } else {
                lo = t;
                loF = f;
                loS = s;
            }
            if (std::isinf(hi)) {
                t *= 4;
                continue;
            }
            if (hi - lo <= 1e-10 * hi) break;
            t = interpolate(lo, loF, loS, hi, hiF, hiS);
        }
        return best;
    }

    // The minimiser of the cubic through (a, fa, sa) and (b, fb, sb), kept within the middle 90 %
    // of [a, b]; the midpoint when the cubic is unusable.
    static double interpolate(double a, double fa, double sa, double b, double fb, double sb)
    {
        const double width = b - a, mid = 0.5 * (a + b);
        double t = mid;
        if (std::isfinite(fb) && std::isfinite(sb)) {
            const double d1 = sa + sb - 3 * (fa - fb) / (a - b);
            const double disc = d1 * d1 - sa * sb;
            if (disc >= 0) {
                const double d2 = std::sqrt(disc);
                const double c = b - width * (sb + d2 - d1) / (sb - sa + 2 * d2);
                if (std::isfinite(c)) t = c;
            }
        }
        return std::clamp(t, a + 0.05 * width, b - 0.05 * width);
    }

    // grad = [C X_s^T (P - Y) + W^T ;  C 1^T (P - Y)] from the residuals (in Zd_ after a move) and
    // their sums.
    void gradient(const Eigen::VectorXd& x, Eigen::VectorXd& grad)
    {
        X_.transposedTimes(Zd_, sums_, C_, x.data(), grad.data());
        grad.tail(K_) = C_ * sums_.transpose();
    }

    Features& X_;
    const std::vector<int>& y_;
    int n_, d_, K_;
    double C_;
    Progress& progress_;
    static constexpr int kSumChunks = 16, kVectorChunks = 16;
    RowMatrixXf Z_,
        Zd_;  // the logits, and their change along the direction (the residuals after a move)
    Eigen::RowVectorXd sums_;
    Eigen::VectorXd rowNll_, rowSlope_;
    double penalty_ = 0, cross_ = 0, quad_ = 0;
};

}  // namespace

void LogisticRegression::fit(const Eigen::Ref<const RowMatrixXf>& rows,
                             const std::vector<int>& labels, Progress& progress)
{
    if (rows.rows() != Eigen::Index(labels.size()))
        throw UsageError("logistic regression: " + std::to_string(rows.rows()) + " rows but " +
                         std::to_string(labels.size()) + " labels");
    if (!(options_.C > 0)) throw UsageError("logistic regression: C must be positive");
    std::map<int, int> index;
    for (int l : labels) index.emplace(l, 0);
    if (index.size() < 2) throw UsageError("logistic regression needs at least two classes");
    classes_.clear();
    for (auto& [label, i] : index) {
        i = int(classes_.size());
        classes_.push_back(label);
    }
    std::vector<int> y(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) y[i] = index.at(labels[i]);
    standardiser_ = options_.standardise ? Standardiser::fit(rows) : Standardiser{};
    Features X(rows, options_.standardise ? &standardiser_ : nullptr, options_.sparseBelow);
    const int K = int(classes_.size()), d = int(rows.cols());

    Solver solver(X, int(rows.rows()), d, y, K, options_.C, progress);
    Eigen::VectorXd x;
    double fx = 0;
    iterations_ = solver.run(x, fx, options_);
    loss_ = fx;
    Wt_ = Eigen::Map<const RowMatrixXd>(x.data(), d, K).cast<float>();
    b_ = x.tail(K).cast<float>().transpose();
}

RowMatrixXf LogisticRegression::logits(const Eigen::Ref<const RowMatrixXf>& rows) const
{
    if (rows.cols() != Wt_.rows())
        throw UsageError("logistic regression: " + std::to_string(rows.cols()) +
                         " features but the model has " + std::to_string(Wt_.rows()));
    RowMatrixXf Z(rows.rows(), Wt_.cols());
    if (options_.sparseBelow > 0 && rows.rows() > 0) {
        // From the raw rows' nonzeros, the standardisation moved onto the weights as in training.
        const SparseRows nonzeros = nonzerosOf(rows);
        if (nonzeros.density() < options_.sparseBelow) {
            const Standardisation st(options_.standardise ? &standardiser_ : nullptr, Wt_.rows());
            standardisedTimes(nonzeros, st, Wt_.cast<double>(), b_.cast<double>(), Z);
            return Z;
        }
    }
    const RowMatrixXf X = options_.standardise ? standardiser_.apply(rows) : RowMatrixXf(rows);
    Z.rowwise() = b_;
    gemmAB(X.data(), int(X.rows()), int(X.cols()), Wt_.data(), int(Wt_.cols()), 1.0f, Z.data());
    return Z;
}

std::vector<int> LogisticRegression::predict(const Eigen::Ref<const RowMatrixXf>& rows) const
{
    const RowMatrixXf Z = logits(rows);
    std::vector<int> out(std::size_t(Z.rows()));
    for (Eigen::Index i = 0; i < Z.rows(); ++i) {
        Eigen::Index arg = 0;
        Z.row(i).maxCoeff(&arg);
        out[std::size_t(i)] = classes_[std::size_t(arg)];
    }
    return out;
}

RowMatrixXf LogisticRegression::probabilities(const Eigen::Ref<const RowMatrixXf>& rows) const
{
    RowMatrixXf P = logits(rows);
    for (Eigen::Index i = 0; i < P.rows(); ++i) {
        P.row(i).array() -= P.row(i).maxCoeff();
        P.row(i) = P.row(i).array().exp().matrix();
        P.row(i) /= P.row(i).sum();
    }
    return P;
}

}  // namespace neurolens
