#include "neurolens/decode/LogisticRegression.h"

#include "LogisticFeatures.h"
#include "Softmax.h"
#include "TwoLoop.h"
#include "neurolens/data/Error.h"
#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

namespace neurolens {
namespace {

using logistic::Features;
using logistic::gemmAB;
using logistic::nonzerosOf;
using logistic::RowMatrixXd;
using logistic::Standardisation;
using logistic::standardisedTimes;

// L-BFGS on the parameters x = [W^T (d x K, row-major); b (K)]. The model is linear in them, so
// along a search direction D the logits are Z + t Z_D with Z_D = X D_W + 1 D_b^T: one product per
// direction, after which every line-search trial is a softmax pass instead of a GEMM, and the
// accepted point's logits come for free. An iteration therefore costs two products (Z_D, and the
// gradient X^T (P - Y)) however many trials its line search takes. A trial only reads the logits
// (the loss and its slope); the accepted step moves them and writes the residuals in one more pass.
// The line search stops at c2 = 0.5 (fewest trials for the same iterations), except on a
// steepest-descent step (the first, and the first after a reset), where it stops at c2 = 1e-3: the
// looser test accepted the first step far past the minimum along -g, and the next iterations spent
// themselves recovering.
//
// After LogisticOptions::preconditionAfter iterations, L-BFGS goes on in a metric scaled by the
// diagonal of the objective's Hessian there (precondition()): once the logits have grown, the
// curvature of a class's weights differs widely between features, which the single gamma of the
// two-loop recursion cannot follow. Both cut the iterations to scikit-learn's objective by a third
// or more (docs/performance.md, "Fewer L-BFGS iterations").
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
        directionU_.resize(size);
        fx = C_ * move(0.0, false);  // Z = 0: the residuals there
        gradient(x, grad);
        TwoLoop bfgs(size, kMemory);
        std::vector<double> history{fx};
        int k = 0;
        while (k < o.maxIterations && largest(grad) > o.tolerance) {
            progress_.checkCancelled();
            bfgs.apply(scaled(grad, gradU_), directionU_);
            toMetric(directionU_, direction);
            double slope0 = prepareDirection(
                x, direction, grad);  // may round the direction: the slope is taken after
            if (!(slope0 <
                  0)) {  // not a descent direction (round-off): restart from steepest descent
                bfgs.reset();
                directionU_ = -scaled(grad, gradU_);
                toMetric(directionU_, direction);
                slope0 = prepareDirection(x, direction, grad);
                if (!(slope0 < 0)) break;  // no descent left at this precision: converged
            }
            const double t = lineSearch(fx, slope0, bfgs.pairs() == 0 ? kFirstC2 : kC2);
            if (!(t > 0)) break;  // no decrease left at float precision: converged
            parallelForChunks(size, kVectorChunks, [&](int, Eigen::Index a, Eigen::Index b) {
                x.segment(a, b - a) += t * direction.segment(a, b - a);
            });
            // The logits, loss and residuals at the step (the trial's loss, recomputed from the
            // moved logits).
            fx = C_ * move(t, true) + penalty_ + t * cross_ + 0.5 * t * t * quad_;
            std::swap(gradPrev, grad);
            gradient(x, grad);
            ++k;
            if (k == o.preconditionAfter) {
                // A new metric: the pairs gathered in the old one no longer apply.
                precondition();
                bfgs.reset();
            } else {
                toMetric(direction, directionU_, true);  // the direction as rounded
                const Eigen::VectorXd& gU = scaled(grad, gradU_);
                bfgs.add(t, directionU_, gU, scaled(gradPrev, gradPrevU_));
            }
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

    // L-BFGS runs in the variables u = h^(1/2) . x, h the diagonal of the objective's Hessian at
    // the iterate preconditionAfter reaches (its curvature is settled by then), held as root_ =
    // h^(-1/2): there the gradient is root_ . g, and a direction D_u is root_ . D_u in x. Before
    // that (and with no preconditioner) root_ is empty and vectors pass through unchanged.
    // out = root_ . v, or v / root_ when `divide`: a vector into the variables or out of them.
    void toMetric(const Eigen::VectorXd& v, Eigen::VectorXd& out, bool divide = false) const
    {
        if (root_.size() == 0) {
            out = v;
            return;
        }
        out.resize(v.size());
        parallelForChunks(v.size(), kVectorChunks, [&](int, Eigen::Index a, Eigen::Index b) {
            const auto r = root_.segment(a, b - a);
            if (divide)
                out.segment(a, b - a) = v.segment(a, b - a).cwiseQuotient(r);
            else
                out.segment(a, b - a) = v.segment(a, b - a).cwiseProduct(r);
        });
    }

    // A gradient in the variables: g itself (no copy) while there is no preconditioner.
    const Eigen::VectorXd& scaled(const Eigen::VectorXd& g, Eigen::VectorXd& out) const
    {
        if (root_.size() == 0) return g;
        toMetric(g, out);
        return out;
    }

    // The diagonal Hessian C X_s^T diag(p (1 - p)) X_s + I of each class's weights (and C sum_i
    // p (1 - p) of its intercept, which has no penalty: with a small floor) at the current logits,
    // from the residuals R = P - Y in Zd_, which become the curvatures p (1 - p) in place (the
    // gradient has been taken; the next direction overwrites them).
    void precondition()
    {
        std::vector<Eigen::RowVectorXd> part(kSumChunks, Eigen::RowVectorXd::Zero(K_));
        parallelForChunks(n_, kSumChunks, [&](int c, Eigen::Index r0, Eigen::Index r1) {
            Eigen::RowVectorXd& sum = part[std::size_t(c)];
            for (Eigen::Index i = r0; i < r1; ++i) {
                float* r = Zd_.data() + std::size_t(i) * std::size_t(K_);
                const int label = y_[std::size_t(i)];
                for (int k = 0; k < K_; ++k) {
                    const float p = r[k] + (k == label ? 1.0f : 0.0f);
                    r[k] = std::max(p * (1.0f - p), 0.0f);
                    sum[k] += double(r[k]);
                }
            }
        });
        Eigen::RowVectorXd sums = Eigen::RowVectorXd::Zero(K_);
        for (const auto& p : part) sums += p;
        const Eigen::Index w = Eigen::Index(K_) * d_;
        root_.resize(w + K_);
        X_.curvature(Zd_, sums, C_, root_.data());
        for (int k = 0; k < K_; ++k) root_[w + k] = C_ * sums[k] + 1e-3;
        parallelForChunks(root_.size(), kVectorChunks, [&](int, Eigen::Index a, Eigen::Index b) {
            root_.segment(a, b - a) = root_.segment(a, b - a).cwiseSqrt().cwiseInverse();
        });
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
    // with c2 or 30 trials pass. Returns the step, 0 when none decreased phi.
    double lineSearch(double f0, double slope0, double c2)
    {
        const double c1 = 1e-4, inf = std::numeric_limits<double>::infinity();
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
    static constexpr double kC2 = 0.5, kFirstC2 = 1e-3;
    Eigen::VectorXd root_;  // h^(-1/2); empty until preconditionAfter
    Eigen::VectorXd gradU_, gradPrevU_, directionU_;
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
    Features X(rows, options_.standardise ? &standardiser_ : nullptr, options_.sparseBelow,
               options_.countsSparseBelow);
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
