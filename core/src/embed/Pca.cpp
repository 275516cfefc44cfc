#include "neurolens/embed/Pca.h"

#include "linalg/Blas.h"
#include "neurolens/data/Error.h"

#include <algorithm>
#include <vector>

namespace neurolens {
namespace {

constexpr Eigen::Index kBlockRows =
    8192;  // rows per syrk block (about 30 ms) and between cancel checks

void checkInfo(int info, const char* routine)
{
    if (info != 0)
        throw Error({}, {},
                    std::string("the eigensolver failed (LAPACK ") + routine + " info " +
                        std::to_string(info) + ")");
}

// The column means and the upper triangle (column-major) of the covariance, n - 1 normalisation, in
// one pass. Rows are shifted by the mean of the first block (so the sums below do not cancel) and
// the Gram matrix of each block is computed by float syrk: a row-major m x d block is the
// column-major d x m matrix A, and syrk('U', 'N') gives A A^T = X^T X without a transpose. Blocks
// accumulate in double, and the column sums s of the shifted rows (as rounded) make the result
// exact for any shift: C = (G - s s^T / n) / (n - 1). The mean is summed from the rows themselves,
// in double.
Eigen::MatrixXd covariance(const Eigen::Ref<const RowMatrixXf>& rows, Eigen::RowVectorXd& mean,
                           Progress& progress)
{
    const Eigen::Index n = rows.rows();
    const int d = int(rows.cols());
    const Eigen::Index first = std::min(kBlockRows, n);
    Eigen::RowVectorXd shiftd = Eigen::RowVectorXd::Zero(d);
    for (Eigen::Index i = 0; i < first; ++i) shiftd += rows.row(i).cast<double>();
    const Eigen::RowVectorXf shift = (shiftd / double(first)).cast<float>();

    Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(d, d);
    Eigen::MatrixXf partial(d, d);
    Eigen::RowVectorXd sums = Eigen::RowVectorXd::Zero(d), totals = Eigen::RowVectorXd::Zero(d);
    RowMatrixXf shifted(first, d);
    for (Eigen::Index start = 0; start < n; start += kBlockRows) {
        progress.checkCancelled();
        const Eigen::Index m = std::min(kBlockRows, n - start);
        for (Eigen::Index i = 0; i < m; ++i) {
            const float* src = rows.data() + (start + i) * rows.outerStride();
            float* dst = shifted.data() + i * d;
            double* sum = sums.data();
            double* total = totals.data();
            for (int j = 0; j < d; ++j) {
                dst[j] = src[j] - shift[j];
                sum[j] += dst[j];
                total[j] += src[j];
            }
        }
        const int mi = int(m);
        const float alpha = 1.0f, beta = 0.0f;
        ssyrk_("U", "N", &d, &mi, &alpha, shifted.data(), &d, &beta, partial.data(), &d, 1, 1);
        for (int a = 0; a < d; ++a)
            for (int b = 0; b <= a; ++b) gram(b, a) += double(partial(b, a));
        progress.report(double(start + m) / n, 2, "covariance");
    }
    for (int a = 0; a < d; ++a)
        for (int b = 0; b <= a; ++b)
            gram(b, a) = (gram(b, a) - sums[a] * sums[b] / double(n)) / double(n - 1);
    mean = totals / double(n);
    return gram;
}

// All eigenvalues (ascending) of the symmetric matrix whose upper triangle is in `a`, and the
// eigenvectors of the `k` largest (columns, largest first). Few vectors: one tridiagonalisation,
// then all eigenvalues by dsterf and k vectors by MRRR (dstemr) back-transformed by dormtr; many:
// dsyevd.
void eigen(Eigen::MatrixXd& a, int k, Eigen::VectorXd& values, Eigen::MatrixXd& vectors)
{
    const int d = int(a.rows());
    values.resize(d);
    int info = 0;
    if (k > d / 4) {
        int lwork = -1, liwork = -1, iworkQuery = 0;
        double workQuery = 0;
        dsyevd_("V", "U", &d, a.data(), &d, values.data(), &workQuery, &lwork, &iworkQuery, &liwork,
                &info, 1, 1);
        lwork = int(workQuery);
        liwork = iworkQuery;
        std::vector<double> work(std::max(1, lwork));
        std::vector<int> iwork(std::max(1, liwork));
        dsyevd_("V", "U", &d, a.data(), &d, values.data(), work.data(), &lwork, iwork.data(),
                &liwork, &info, 1, 1);
        checkInfo(info, "dsyevd");
        vectors = a.rightCols(k).rowwise().reverse();
        return;
    }
    Eigen::VectorXd diag(d), off(std::max(1, d - 1)), tau(std::max(1, d - 1));
    int lwork = -1;
    double workQuery = 0;
    dsytrd_("U", &d, a.data(), &d, diag.data(), off.data(), tau.data(), &workQuery, &lwork, &info,
            1);
    lwork = std::max(1, int(workQuery));
    std::vector<double> work(lwork);
    dsytrd_("U", &d, a.data(), &d, diag.data(), off.data(), tau.data(), work.data(), &lwork, &info,
            1);
    checkInfo(info, "dsytrd");
    values = diag;
    Eigen::VectorXd e = off;
    dsterf_(&d, values.data(), e.data(), &info);
    checkInfo(info, "dsterf");
    vectors.resize(d, k);
    if (k == 0) return;

    Eigen::VectorXd dd = diag, ee(d);
    ee.head(d - 1) = off;
    ee[d - 1] = 0;
    const int il = d - k + 1, iu = d;
    const double vl = 0, vu = 0;
    int found = 0, tryrac = 1, liwork = -1, iworkQuery = 0;
    Eigen::VectorXd w(d);
    Eigen::MatrixXd z(d, k);
    std::vector<int> isuppz(2 * std::size_t(k));
    lwork = -1;
    dstemr_("V", "I", &d, dd.data(), ee.data(), &vl, &vu, &il, &iu, &found, w.data(), z.data(), &d,
            &k, isuppz.data(), &tryrac, &workQuery, &lwork, &iworkQuery, &liwork, &info, 1, 1);
    lwork = int(workQuery);
    liwork = iworkQuery;
    std::vector<double> work2(std::max(1, lwork));
    std::vector<int> iwork(std::max(1, liwork));
    dstemr_("V", "I", &d, dd.data(), ee.data(), &vl, &vu, &il, &iu, &found, w.data(), z.data(), &d,
            &k, isuppz.data(), &tryrac, work2.data(), &lwork, iwork.data(), &liwork, &info, 1, 1);
    checkInfo(info, "dstemr");
    if (found != k) checkInfo(-1000 - found, "dstemr");
    lwork = -1;
    dormtr_("L", "U", "N", &d, &k, a.data(), &d, tau.data(), z.data(), &d, &workQuery, &lwork,
            &info, 1, 1, 1);
    lwork = std::max(1, int(workQuery));
    std::vector<double> work3(lwork);
    dormtr_("L", "U", "N", &d, &k, a.data(), &d, tau.data(), z.data(), &d, work3.data(), &lwork,
            &info, 1, 1, 1);
    checkInfo(info, "dormtr");
    vectors = z.rowwise().reverse();  // dstemr returns ascending eigenvalues
}

}  // namespace

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
        throw UsageError("cannot project onto " + std::to_string(k) +
                         " components: " + std::to_string(components.cols()) + " were kept");
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
    Eigen::MatrixXd cov = covariance(rows, result.mean, progress);
    progress.checkCancelled();
    progress.report(1, 2, "eigendecomposition");

    const int rank = int(std::min<Eigen::Index>(n, d));
    const int k = (keep < 0 || keep > rank) ? rank : keep;
    Eigen::VectorXd values;
    Eigen::MatrixXd vectors;
    eigen(cov, k, values, vectors);

    result.explainedVariance.resize(rank);
    for (int i = 0; i < rank; ++i) result.explainedVariance[i] = std::max(0.0, values[d - 1 - i]);
    // Rounding can leave the smallest eigenvalues slightly negative: they count as zero everywhere.
    const double total = values.cwiseMax(0.0).sum();
    result.explainedVarianceRatio =
        total > 0 ? Eigen::VectorXd(result.explainedVariance / total) : Eigen::VectorXd::Zero(rank);
    result.components = vectors;
    for (int i = 0; i < k; ++i) {
        Eigen::Index arg = 0;
        result.components.col(i).cwiseAbs().maxCoeff(&arg);
        if (result.components(arg, i) < 0) result.components.col(i) *= -1.0;
    }
    progress.report(2, 2, "PCA done");
    return result;
}

}  // namespace neurolens
