#include "neurolens/decode/LogisticRegression.h"

#include "linalg/Blas.h"
#include "neurolens/data/Error.h"

#include <LBFGS.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace neurolens {
namespace {

// Z (n x K, row-major) = X (n x d, row-major) W^T (W: K x d row-major) + b, through BLAS: in column-
// major terms Z^T (K x n) = W (as d x K)^T * X (as d x n).
void gemmLogits(const float* X, int n, int d, const float* W, const float* b, int K, float* Z)
{
    const float one = 1.0f, zero = 0.0f;
    sgemm_("T", "N", &K, &n, &d, &one, W, &d, X, &d, &zero, Z, &K, 1, 1);
    for (int i = 0; i < n; ++i)
        for (int k = 0; k < K; ++k) Z[std::size_t(i) * K + k] += b[k];
}

// The penalised negative log-likelihood and its gradient, for LBFGS++.
class Objective {
public:
    Objective(const RowMatrixXf& X, const std::vector<int>& y, int classes, double C, Progress& progress)
        : X_(X), y_(y), K_(classes), C_(C), progress_(progress), Z_(X.rows(), classes), W_(classes, X.cols()),
          b_(classes), G_(classes, X.cols())
    {
    }

    double operator()(const Eigen::VectorXd& x, Eigen::VectorXd& grad)
    {
        progress_.checkCancelled();
        const int n = int(X_.rows()), d = int(X_.cols());
        W_ = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(x.data(), K_, d).cast<float>();
        b_ = x.tail(K_).cast<float>().transpose();
        gemmLogits(X_.data(), n, d, W_.data(), b_.data(), K_, Z_.data());
        double nll = 0;
        Eigen::RowVectorXd gb = Eigen::RowVectorXd::Zero(K_);
        for (int i = 0; i < n; ++i) {
            float* z = Z_.data() + std::size_t(i) * K_;
            const float m = *std::max_element(z, z + K_);
            double sum = 0;
            for (int k = 0; k < K_; ++k) sum += (z[k] = std::exp(z[k] - m));
            nll += std::log(sum) + m - (std::log(double(z[y_[i]])) + m);
            const float inv = float(1.0 / sum);
            for (int k = 0; k < K_; ++k) z[k] *= inv;  // now probabilities
            z[y_[i]] -= 1.0f;                           // now P - Y
            for (int k = 0; k < K_; ++k) gb[k] += z[k];
        }
        // G (K x d) = (P - Y)^T X: column-major G^T (d x K) = X^T (d x n) * (P - Y) (n x K).
        const float one = 1.0f, zero = 0.0f;
        sgemm_("N", "T", &d, &K_, &n, &one, X_.data(), &d, Z_.data(), &K_, &zero, G_.data(), &d, 1, 1);
        grad.resize(x.size());
        Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> gW(grad.data(), K_, d);
        const auto w = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(x.data(), K_, d);
        gW = C_ * G_.cast<double>() + w;
        grad.tail(K_) = C_ * gb.transpose();
        ++evaluations_;
        progress_.report(std::min(evaluations_, 100), 100, "logistic regression (L-BFGS)");
        return C_ * nll + 0.5 * w.squaredNorm();
    }

private:
    const RowMatrixXf& X_;
    const std::vector<int>& y_;
    int K_;
    double C_;
    Progress& progress_;
    RowMatrixXf Z_, W_;
    Eigen::RowVectorXf b_;
    RowMatrixXf G_;
    int evaluations_ = 0;
};

}  // namespace

void LogisticRegression::fit(const Eigen::Ref<const RowMatrixXf>& rows, const std::vector<int>& labels, Progress& progress)
{
    if (rows.rows() != Eigen::Index(labels.size()))
        throw UsageError("logistic regression: " + std::to_string(rows.rows()) + " rows but " + std::to_string(labels.size()) + " labels");
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
    const RowMatrixXf X = options_.standardise ? standardiser_.apply(rows) : RowMatrixXf(rows);

    const int K = int(classes_.size()), d = int(X.cols());
    Objective objective(X, y, K, options_.C, progress);
    LBFGSpp::LBFGSParam<double> param;
    param.m = 10;
    param.epsilon = options_.tolerance;
    param.max_iterations = options_.maxIterations;
    LBFGSpp::LBFGSSolver<double> solver(param);
    Eigen::VectorXd x = Eigen::VectorXd::Zero(Eigen::Index(K) * d + K);
    double fx = 0;
    try {
        iterations_ = solver.minimize(objective, x, fx);
    } catch (const std::runtime_error&) {
        // LBFGS++ gives up when the line search cannot improve further: x holds the best point found.
        iterations_ = options_.maxIterations;
    }
    loss_ = fx;
    W_ = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(x.data(), K, d).cast<float>();
    b_ = x.tail(K).cast<float>().transpose();
}

RowMatrixXf LogisticRegression::logits(const Eigen::Ref<const RowMatrixXf>& rows) const
{
    if (rows.cols() != W_.cols())
        throw UsageError("logistic regression: " + std::to_string(rows.cols()) + " features but the model has " +
                         std::to_string(W_.cols()));
    const RowMatrixXf X = options_.standardise ? standardiser_.apply(rows) : RowMatrixXf(rows);
    RowMatrixXf Z(X.rows(), W_.rows());
    gemmLogits(X.data(), int(X.rows()), int(X.cols()), W_.data(), b_.data(), int(W_.rows()), Z.data());
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
