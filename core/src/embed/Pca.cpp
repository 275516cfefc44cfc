#include "neurolens/embed/Pca.h"

#include "neurolens/data/Error.h"

#include <algorithm>
#include <vector>

extern "C" {
// Fortran BLAS/LAPACK (OpenBLAS through Debian's libblas.so.3 / liblapack.so.3 alternatives). The
// trailing size_t arguments are the hidden lengths gfortran passes for character arguments.
void dsyrk_(const char* uplo, const char* trans, const int* n, const int* k, const double* alpha,
            const double* a, const int* lda, const double* beta, double* c, const int* ldc, std::size_t,
            std::size_t);
void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w,
             double* work, const int* lwork, int* iwork, const int* liwork, int* info, std::size_t,
             std::size_t);
}

namespace neurolens {

int PcaResult::componentsFor(double fraction) const
{
    double sum = 0;
    for (Eigen::Index i = 0; i < explainedVarianceRatio.size(); ++i) {
        sum += explainedVarianceRatio[i];
        if (sum >= fraction - 1e-12) return int(i + 1);
    }
    return int(explainedVarianceRatio.size());
}

RowMatrixXf PcaResult::transform(const Eigen::Ref<const RowMatrixXf>& rows, int k) const
{
    if (k < 0 || k > components.cols())
        throw UsageError("cannot project onto " + std::to_string(k) + " components: " +
                         std::to_string(components.cols()) + " were kept");
    const RowMatrixXd centred = rows.cast<double>().rowwise() - mean;
    return (centred * components.leftCols(k)).cast<float>();
}

PcaResult fitPca(const Eigen::Ref<const RowMatrixXf>& rows, int keep, Progress& progress)
{
    const Eigen::Index n = rows.rows();
    const int d = int(rows.cols());
    if (n < 2) throw UsageError("PCA needs at least 2 samples (got " + std::to_string(n) + ")");
    if (d < 1) throw UsageError("PCA needs at least 1 feature");
    PcaResult result;
    progress.report(0, 3, "centring");
    result.mean = rows.cast<double>().colwise().sum() / double(n);

    // Covariance, accumulated over row blocks so a cancel is seen every few hundred milliseconds.
    // Lower triangle of the column-major d x d matrix = upper of the row-major block products.
    Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(d, d);
    const Eigen::Index block = 4096;
    for (Eigen::Index start = 0; start < n; start += block) {
        progress.checkCancelled();
        const Eigen::Index m = std::min(block, n - start);
        // Column-major m x d block of centred rows: syrk with trans = 'T' gives its d x d Gram matrix.
        const Eigen::MatrixXd centred = rows.middleRows(start, m).cast<double>().rowwise() - result.mean;
        const int mi = int(m), ld = int(m), ldc = d;
        const double alpha = 1.0 / double(n - 1), beta = 1.0;
        dsyrk_("L", "T", &d, &mi, &alpha, centred.data(), &ld, &beta, cov.data(), &ldc, 1, 1);
        progress.report(1.0 + double(start + m) / n, 3, "covariance");
    }
    progress.checkCancelled();

    // Eigen-decomposition; dsyevd returns ascending eigenvalues and the eigenvectors in place.
    Eigen::VectorXd values(d);
    int info = 0, lwork = -1, liwork = -1, iworkQuery = 0;
    double workQuery = 0;
    dsyevd_("V", "L", &d, cov.data(), &d, values.data(), &workQuery, &lwork, &iworkQuery, &liwork, &info, 1, 1);
    lwork = int(workQuery);
    liwork = iworkQuery;
    std::vector<double> work(std::max(1, lwork));
    std::vector<int> iwork(std::max(1, liwork));
    dsyevd_("V", "L", &d, cov.data(), &d, values.data(), work.data(), &lwork, iwork.data(), &liwork, &info, 1,
            1);
    if (info != 0)
        throw Error({}, {}, "the eigensolver did not converge (LAPACK dsyevd info " + std::to_string(info) + ")");

    const int rank = int(std::min<Eigen::Index>(n, d));
    result.explainedVariance.resize(rank);
    for (int i = 0; i < rank; ++i) result.explainedVariance[i] = std::max(0.0, values[d - 1 - i]);
    const double total = std::max(0.0, values.sum());
    result.explainedVarianceRatio =
        total > 0 ? Eigen::VectorXd(result.explainedVariance / total) : Eigen::VectorXd::Zero(rank);

    const int k = (keep < 0 || keep > rank) ? rank : keep;
    result.components.resize(d, k);
    for (int i = 0; i < k; ++i) {
        Eigen::VectorXd axis = cov.col(d - 1 - i);
        Eigen::Index arg = 0;
        axis.cwiseAbs().maxCoeff(&arg);
        if (axis[arg] < 0) axis = -axis;
        result.components.col(i) = axis;
    }
    progress.report(3, 3, "PCA done");
    return result;
}

}  // namespace neurolens
