// Factor analysis: x = W z + mean + noise, z ~ N(0, I), noise ~ N(0, diag(psi)), fitted by maximum
// likelihood as scikit-learn's FactorAnalysis (svd_method "lapack", no rotation): each step takes
// the leading eigenpairs of the covariance scaled by the current noise, W from them, psi from what
// W leaves unexplained. The covariance is formed once, so a step costs an eigensolve of a features
// x features matrix, not an SVD of the data. The embedding is the posterior mean of z for each
// sample. Unlike PCA it lets every unit have its own private noise, which is how population
// activity is usually modelled.
#include "neurolens/data/Error.h"
#include "neurolens/embed/EmbeddingMethod.h"

#include <Spectra/MatOp/DenseSymMatProd.h>
#include <Spectra/SymEigsSolver.h>
#include <Eigen/Dense>

#include <cmath>
#include <limits>
#include <sstream>

namespace neurolens {
namespace {

constexpr double kSmall = 1e-12;  // scikit-learn's floor on the noise variances

// The k largest eigenvalues (descending) and their vectors (columns) of the symmetric matrix m.
void leadingEigen(const Eigen::MatrixXd& m, int k, Eigen::VectorXd& values,
                  Eigen::MatrixXd& vectors)
{
    const Eigen::Index p = m.rows();
    if (p <= 64 || 2 * k + 1 >= p) {
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(m);
        values = solver.eigenvalues().reverse().head(k);
        vectors = solver.eigenvectors().rowwise().reverse().leftCols(k);
        return;
    }
    Spectra::DenseSymMatProd<double> op(m);
    Spectra::SymEigsSolver<Spectra::DenseSymMatProd<double>> solver(
        op, k, int(std::min<Eigen::Index>(p, std::max(2 * k + 1, 20))));
    solver.init();
    solver.compute(Spectra::SortRule::LargestAlge, 1000, 1e-12);
    if (solver.info() != Spectra::CompInfo::Successful)
        throw Error({}, {}, "fa: the eigensolver did not converge");
    values = solver.eigenvalues();
    vectors = solver.eigenvectors();
}

EmbeddingRun fit(const RowMatrixXf& rows, const EmbeddingRequest& r, Progress& progress)
{
    const Eigen::Index n = rows.rows(), p = rows.cols();
    const int k = r.dims;
    if (k > p)
        throw UsageError("fa: " + std::to_string(k) + " factors of " + std::to_string(p) +
                         " features");
    const int maxIterations = r.parameters.integer("max-iter");
    const double tolerance = r.parameters.number("tol");

    const Eigen::RowVectorXd mean = rows.cast<double>().colwise().mean();
    const RowMatrixXf centred = rows.rowwise() - mean.cast<float>();
    Eigen::MatrixXd cov =
        (centred.transpose() * centred).cast<double>() / double(n);  // as numpy's var: / n
    const Eigen::VectorXd var = cov.diagonal();

    Eigen::VectorXd psi = Eigen::VectorXd::Ones(p), values;
    Eigen::MatrixXd W(k, p), vectors;
    const double llconst = double(p) * std::log(2.0 * M_PI) + k;
    double ll = -std::numeric_limits<double>::infinity(), previous = ll;
    int iteration = 0;
    for (; iteration < maxIterations; ++iteration) {
        progress.checkCancelled();
        const Eigen::VectorXd s = psi.cwiseSqrt().array() + kSmall;
        const Eigen::MatrixXd scaled =
            s.cwiseInverse().asDiagonal() * cov * s.cwiseInverse().asDiagonal();
        leadingEigen(scaled, k, values, vectors);
        const double unexplained = std::max(0.0, scaled.trace() - values.sum());
        W = (values.array() - 1.0).max(0.0).sqrt().matrix().asDiagonal() * vectors.transpose();
        W = W * s.asDiagonal();
        ll = -double(n) / 2 *
             (llconst + values.array().log().sum() + unexplained + psi.array().log().sum());
        if (ll - previous < tolerance) break;
        previous = ll;
        psi = (var - W.cwiseAbs2().colwise().sum().transpose()).cwiseMax(kSmall);
        progress.report(double(iteration + 1) / maxIterations, 1, "factor analysis");
    }
    // Reproducible signs: each factor's largest loading positive.
    for (int f = 0; f < k; ++f) {
        Eigen::Index at = 0;
        W.row(f).cwiseAbs().maxCoeff(&at);
        if (W(f, at) < 0) W.row(f) *= -1;
    }
    const Eigen::MatrixXd wpsi = W * psi.cwiseInverse().asDiagonal();  // k x p
    const Eigen::MatrixXd posterior =
        (Eigen::MatrixXd::Identity(k, k) + wpsi * W.transpose()).inverse();
    const Eigen::MatrixXf project = (wpsi.transpose() * posterior).cast<float>();  // p x k

    EmbeddingRun out;
    out.layout = centred * project;
    out.numbers["log_likelihood"] = ll;
    out.numbers["iterations"] = std::min(iteration + 1, maxIterations);
    out.numbers["mean_noise_variance"] = psi.mean();
    const double shared = W.cwiseAbs2().sum(), total = var.sum();
    out.numbers["shared_variance_ratio"] = total > 0 ? shared / total : 0.0;
    std::ostringstream text;
    text.precision(3);
    text << k << " factors share " << 100 * out.numbers["shared_variance_ratio"]
         << " % of the variance; log-likelihood " << ll << " after " << out.numbers["iterations"]
         << " iterations";
    out.summary = text.str();
    return out;
}

}  // namespace

EmbeddingSpec factorAnalysisEmbedding()
{
    EmbeddingSpec m;
    m.name = "fa";
    m.title = "Factor analysis";
    m.help =
        "factor analysis: shared latent factors, each unit with its own noise (scikit-learn's "
        "FactorAnalysis)";
    m.maxDims = 1000;
    m.parameters = {{"max-iter",
                     "Iterations",
                     "Iterations at most (default 1000, as scikit-learn)",
                     ParameterSpec::Kind::Integer,
                     1000,
                     1,
                     1000000,
                     false,
                     false,
                     {}},
                    {"tol",
                     "Tolerance",
                     "Stop when the log-likelihood gains less (default 0.01, as scikit-learn)",
                     ParameterSpec::Kind::Real,
                     0.01,
                     0,
                     1e6,
                     true,
                     true,
                     {}}};
    m.run = [](const RowMatrixXf& rows, const EmbeddingRequest& r, Progress& progress,
               const EmbeddingCallback&) { return fit(rows, r, progress); };
    return m;
}

}  // namespace neurolens
