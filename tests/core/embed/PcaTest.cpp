#include "TestSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/embed/Pca.h"

#include <gtest/gtest.h>
#include <Eigen/Eigenvalues>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace neurolens;

TEST(Pca, PointsOnALineClosedForm)
{
    RowMatrixXf X(5, 2);
    for (int i = 0; i < 5; ++i) X.row(i) << 0.6f * (i - 2) + 1.0f, 0.8f * (i - 2) - 3.0f;
    const PcaResult p = fitPca(X);
    ASSERT_EQ(p.explainedVariance.size(), 2);
    EXPECT_NEAR(p.explainedVariance[0], 2.5, 1e-6);  // var of -2..2 with n - 1
    EXPECT_NEAR(p.explainedVariance[1], 0.0, 1e-6);
    EXPECT_NEAR(p.explainedVarianceRatio[0], 1.0, 1e-6);
    EXPECT_NEAR(p.components(0, 0), 0.6, 1e-6);
    EXPECT_NEAR(p.components(1, 0), 0.8, 1e-6);
    EXPECT_NEAR(p.mean[0], 1.0, 1e-6);
    const RowMatrixXf y = p.transform(X, 1);
    for (int i = 0; i < 5; ++i) EXPECT_NEAR(y(i, 0), i - 2, 1e-5);
    EXPECT_EQ(p.componentsFor(0.9), 1);
}

TEST(Pca, FewerSamplesThanFeatures)
{
    RowMatrixXf X(3, 5);
    X << 1, 2, 3, 4, 5, 2, 0, 1, 3, 3, 0, 1, 1, 1, 9;
    const PcaResult p = fitPca(X, 2);
    EXPECT_EQ(p.explainedVariance.size(), 3);
    EXPECT_EQ(p.components.cols(), 2);
    EXPECT_NEAR(p.explainedVarianceRatio.sum(), 1.0, 1e-6);
    EXPECT_NEAR(p.explainedVariance[2], 0.0,
                1e-5 * p.explainedVariance[0]);  // 3 centred points span 2 dims
    EXPECT_THROW(fitPca(X.topRows(1)), UsageError);
    EXPECT_THROW(p.transform(X, 3), UsageError);
}

TEST(Pca, MatchesScikitLearn)
{
    std::ifstream in(test::sourceDir() + "/tests/core/embed/pca_reference.json");
    ASSERT_TRUE(in.good());
    const nlohmann::json ref = nlohmann::json::parse(in);
    const auto& rows = ref["X"];
    RowMatrixXf X(rows.size(), rows[0].size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (std::size_t j = 0; j < rows[i].size(); ++j) X(i, j) = rows[i][j].get<float>();
    const PcaResult p = fitPca(X);
    const auto& ev = ref["explained_variance"];
    const auto& evr = ref["explained_variance_ratio"];
    ASSERT_EQ(p.explainedVariance.size(), Eigen::Index(ev.size()));
    // Float precision: the covariance is accumulated from float blocks.
    for (std::size_t i = 0; i < ev.size(); ++i) {
        EXPECT_NEAR(p.explainedVariance[i], ev[i].get<double>(), 2e-6 * ev[0].get<double>());
        EXPECT_NEAR(p.explainedVarianceRatio[i], evr[i].get<double>(), 2e-6);
    }
    for (std::size_t j = 0; j < ref["mean"].size(); ++j)
        EXPECT_NEAR(p.mean[j], ref["mean"][j].get<double>(), 1e-5);
    // Components agree up to sign (scikit-learn fixes signs from the scores, neurolens from the
    // loadings).
    const RowMatrixXf y = p.transform(X, 3);
    for (int c = 0; c < 3; ++c) {
        const auto& comp = ref["components"][c];
        const double sign = (p.components(0, c) * comp[0].get<double>()) < 0 ? -1.0 : 1.0;
        for (std::size_t j = 0; j < comp.size(); ++j)
            EXPECT_NEAR(sign * p.components(j, c), comp[j].get<double>(), 1e-5)
                << "component " << c;
        for (int i = 0; i < X.rows(); ++i)
            EXPECT_NEAR(sign * y(i, c), ref["transform3"][i][c].get<double>(), 1e-4)
                << "sample " << i;
    }
}

// Sparse spike-count-like data with many units: the few-axes path (tridiagonalisation + MRRR) and
// the all-axes path (divide and conquer) agree with an independent double-precision reference.
TEST(Pca, LeadingAxesAgreeWithAReferenceEigensolver)
{
    const int n = 3000, d = 120;
    RowMatrixXf X(n, d);
    unsigned state = 12345;
    auto next = [&] { return (state = state * 1103515245u + 12345u) >> 16; };
    for (int i = 0; i < n; ++i) {
        const float drive = float(i % 50) / 50.0f;
        for (int j = 0; j < d; ++j) {
            const unsigned r = next() % 100;
            const float rate = j < 10 ? 30 * drive * float(j + 1) / 10 : 12;
            X(i, j) = r < rate ? float(1 + (r % 3)) * 0.25f : 0.0f;
        }
    }
    const Eigen::RowVectorXd mean = X.cast<double>().colwise().mean();
    const Eigen::MatrixXd centred = X.cast<double>().rowwise() - mean;
    const Eigen::MatrixXd cov = centred.transpose() * centred / double(n - 1);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> reference(cov);
    const PcaResult few = fitPca(X, 3), all = fitPca(X);
    ASSERT_EQ(few.components.cols(), 3);
    ASSERT_EQ(all.components.cols(), d);
    const double top = reference.eigenvalues()[d - 1];
    for (int i = 0; i < d; ++i) {
        EXPECT_NEAR(few.explainedVariance[i], reference.eigenvalues()[d - 1 - i], 1e-5 * top);
        EXPECT_NEAR(all.explainedVariance[i], few.explainedVariance[i], 1e-9 * top);
    }
    for (int c = 0; c < 3; ++c) {
        const Eigen::VectorXd ref = reference.eigenvectors().col(d - 1 - c);
        EXPECT_NEAR(std::abs(few.components.col(c).dot(ref)), 1.0, 1e-5) << "axis " << c;
        EXPECT_NEAR(std::abs(all.components.col(c).dot(ref)), 1.0, 1e-5) << "axis " << c;
        EXPECT_NEAR(few.components.col(c).norm(), 1.0, 1e-9);
    }
    EXPECT_TRUE(few.mean.isApprox(mean, 1e-9));
}

TEST(Pca, LargeOffsetsDoNotCancel)
{
    // Columns around 1e4 with unit-scale variation: a naive uncentred float Gram would lose it all.
    RowMatrixXf X(200, 2);
    for (int i = 0; i < 200; ++i) X.row(i) << 10000.0f + float(i % 7), 20000.0f - float(i % 7);
    const PcaResult p = fitPca(X);
    double var = 0, mean = 0;
    for (int i = 0; i < 200; ++i) mean += i % 7;
    mean /= 200;
    for (int i = 0; i < 200; ++i) var += (i % 7 - mean) * (i % 7 - mean);
    var /= 199;
    EXPECT_NEAR(p.explainedVariance[0], 2 * var, 1e-4 * var);
    EXPECT_NEAR(p.explainedVarianceRatio[0], 1.0, 1e-6);
}

TEST(Pca, CancelIsHonoured)
{
    RowMatrixXf X = RowMatrixXf::Random(100, 4);
    Progress progress;
    progress.cancel();
    EXPECT_THROW(fitPca(X, -1, progress), CancelledError);
}
