#include "TestSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/decode/KnnDecoder.h"
#include "neurolens/decode/Lasso.h"
#include "neurolens/decode/LogisticRegression.h"
#include "neurolens/decode/Ridge.h"
#include "neurolens/preprocess/Preprocess.h"
#include "neurolens/sim/Simulator.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace neurolens;

namespace {

struct Reference {
    nlohmann::json json;
    RowMatrixXf train, test;
    Eigen::VectorXd yTrain, yTest;
};

Reference loadReference()
{
    Reference r;
    std::ifstream in(test::sourceDir() + "/tests/core/decode/decode_reference.json");
    r.json = nlohmann::json::parse(in);
    const auto& X = r.json["X"];
    const auto& y = r.json["y"];
    const int n = int(X.size()), d = int(X[0].size()), split = r.json["train_rows"];
    r.train.resize(split, d);
    r.test.resize(n - split, d);
    r.yTrain.resize(split);
    r.yTest.resize(n - split);
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < d; ++j)
            (i < split ? r.train(i, j) : r.test(i - split, j)) = X[i][j].get<float>();
        (i < split ? r.yTrain[i] : r.yTest[i - split]) = y[i].get<double>();
    }
    return r;
}

double r2(const Eigen::VectorXd& y, const Eigen::VectorXd& p)
{
    return 1.0 - (y - p).squaredNorm() / (y.array() - y.mean()).square().sum();
}

}  // namespace

TEST(Lasso, MatchesScikitLearn)
{
    const Reference ref = loadReference();
    for (const auto& c : ref.json["lasso"]) {
        Lasso lasso({c["alpha"].get<double>(), 100000, 1e-10});
        lasso.fit(ref.train, ref.yTrain);
        EXPECT_TRUE(lasso.converged());
        const auto& coef = c["coef"];
        for (std::size_t j = 0; j < coef.size(); ++j)
            EXPECT_NEAR(lasso.coefficients()[Eigen::Index(j)], coef[j].get<double>(), 1e-4)
                << "alpha " << c["alpha"];
        EXPECT_NEAR(lasso.intercept(), c["intercept"].get<double>(), 1e-4);
        EXPECT_NEAR(r2(ref.yTrain, lasso.predict(ref.train)), c["train_r2"].get<double>(), 1e-4);
        EXPECT_NEAR(r2(ref.yTest, lasso.predict(ref.test)), c["test_r2"].get<double>(), 1e-4);
    }
}

// On counts (mostly zeros) the covariance comes from the nonzeros in float, exact for small counts:
// the same fit as the dense double syrk of the centred copy, which MatchesScikitLearn checks.
TEST(Lasso, NonzerosGiveTheDenseCovariancesFit)
{
    const Reference ref = loadReference();
    const auto& Xs = ref.json["X_sparse"];
    const int split = ref.json["train_rows"];
    RowMatrixXf train(split, ref.train.cols());
    for (int i = 0; i < split; ++i)
        for (int j = 0; j < int(train.cols()); ++j) train(i, j) = Xs[i][j].get<float>();
    for (double alpha : {0.01, 0.08, 0.3}) {
        LassoOptions o{alpha, 100000, 1e-10};
        o.sparseBelow = 0.0;
        Lasso dense(o);
        dense.fit(train, ref.yTrain);
        o.sparseBelow = 0.25;
        Lasso sparse(o);
        sparse.fit(train, ref.yTrain);
        EXPECT_TRUE(sparse.converged());
        EXPECT_GT((dense.coefficients().array() != 0).count(), 0) << alpha;
        EXPECT_LT((sparse.coefficients() - dense.coefficients()).cwiseAbs().maxCoeff(), 1e-9)
            << alpha;
        EXPECT_NEAR(sparse.intercept(), dense.intercept(), 1e-9) << alpha;
        EXPECT_EQ(sparse.iterations(), dense.iterations()) << alpha;
    }
}

TEST(Lasso, OrthogonalDesignIsSoftThresholding)
{
    // Centred orthogonal columns with ||x_j||^2 = n: w_j = S(x_j.y / n, alpha).
    RowMatrixXf X(4, 2);
    X << 1, 1, -1, 1, 1, -1, -1, -1;
    Eigen::VectorXd y(4);
    y << 3, -1, 1, -3;  // x1.y/n = 2, x2.y/n = 1
    Lasso lasso({0.5, 1000, 1e-12});
    lasso.fit(X, y);
    EXPECT_NEAR(lasso.coefficients()[0], 1.5, 1e-9);
    EXPECT_NEAR(lasso.coefficients()[1], 0.5, 1e-9);
    EXPECT_NEAR(lasso.intercept(), 0.0, 1e-12);
    lasso.setAlpha(3.0);  // above every correlation: everything is zero, the intercept is the mean
    lasso.fit(X, y);
    EXPECT_EQ(lasso.coefficients().cwiseAbs().sum(), 0.0);
}

TEST(Lasso, WarmStartsAlongAPathConvergeFaster)
{
    const Reference ref = loadReference();
    Lasso cold({0.08, 100000, 1e-8});
    cold.fit(ref.train, ref.yTrain);
    Lasso warm({0.1, 100000, 1e-8});
    warm.fit(ref.train, ref.yTrain);
    warm.setAlpha(0.08);
    warm.fit(ref.train, ref.yTrain);
    EXPECT_LT(warm.iterations(), cold.iterations());
    EXPECT_LT((warm.coefficients() - cold.coefficients()).cwiseAbs().maxCoeff(), 1e-3);
    EXPECT_THROW(warm.fit(ref.train, Eigen::VectorXd::Zero(3)), UsageError);
}

TEST(KnnDecoder, MatchesScikitLearnExactly)
{
    const Reference ref = loadReference();
    std::vector<int> labels;
    for (Eigen::Index i = 0; i < ref.yTrain.size(); ++i) labels.push_back(int(ref.yTrain[i]));
    for (auto metric : {KnnOptions::Metric::Cosine, KnnOptions::Metric::Euclidean})
        for (auto vote : {KnnOptions::Vote::Majority, KnnOptions::Vote::Distance}) {
            KnnDecoder knn({5, metric, vote});
            knn.fit(ref.train, labels);
            const std::string key =
                std::string("knn_") +
                (metric == KnnOptions::Metric::Cosine ? "cosine" : "euclidean") +
                (vote == KnnOptions::Vote::Majority ? "_uniform" : "_distance");
            EXPECT_EQ(knn.predict(ref.test), ref.json[key].get<std::vector<int>>()) << key;
        }
}

// Probabilities within 1e-3 and the same predictions as scikit-learn's, on dense features and on
// count-like features that are 89 % zeros (fitted from their nonzeros, the standardisation moved
// onto the weights).
TEST(LogisticRegression, MatchesScikitLearn)
{
    const Reference ref = loadReference();
    std::vector<int> labels;
    for (Eigen::Index i = 0; i < ref.yTrain.size(); ++i) labels.push_back(int(ref.yTrain[i]));
    const auto& Xs = ref.json["X_sparse"];
    const int split = ref.json["train_rows"];
    RowMatrixXf sparseTrain(split, ref.train.cols()),
        sparseTest(int(Xs.size()) - split, ref.train.cols());
    for (int i = 0; i < int(Xs.size()); ++i)
        for (int j = 0; j < int(ref.train.cols()); ++j)
            (i < split ? sparseTrain(i, j) : sparseTest(i - split, j)) = Xs[i][j].get<float>();
    ASSERT_LT(ref.json["X_sparse_density"].get<double>(), 0.25);
    for (const char* key : {"logistic", "logistic_sparse"}) {
        const bool sparse = std::string(key) == "logistic_sparse";
        for (const auto& c : ref.json[key]) {
            LogisticOptions lo;
            lo.C = c["C"].get<double>();
            lo.maxIterations = 5000;
            lo.tolerance = 1e-9;
            lo.ftol = 0;
            LogisticRegression lr(lo);
            lr.fit(sparse ? sparseTrain : ref.train, labels);
            const RowMatrixXf& test = sparse ? sparseTest : ref.test;
            const RowMatrixXf p = lr.probabilities(test);
            const auto& expected = c["test_probabilities"];
            double worst = 0;
            for (std::size_t i = 0; i < expected.size(); ++i)
                for (std::size_t k = 0; k < expected[i].size(); ++k)
                    worst = std::max(worst, std::abs(double(p(Eigen::Index(i), Eigen::Index(k))) -
                                                     expected[i][k].get<double>()));
            EXPECT_LT(worst, 1e-3) << key << " C " << c["C"];
            EXPECT_EQ(lr.predict(test), c["test_predictions"].get<std::vector<int>>())
                << key << " C " << c["C"];
        }
    }
}

// The fit from the nonzeros and the fit through dense GEMMs, standardised or not, on counts and on
// counts times 0.37 (no longer whole numbers). The nonzeros' path rounds each search direction (to
// 8 bits per class for counts, to half precision otherwise; the solver then moves along exactly
// that direction), so the two paths part by up to ~1e-3 in the probabilities within a few
// iterations, and meet again at the optimum: stopped early, before the optimum hides a wrong term
// of the gradient, they are close; run to float precision, the losses agree to 1e-7 (measured
// 2-3e-8) and the probabilities to 5e-4 (measured 0.4-1.6e-4).
TEST(LogisticRegression, NonzerosAndDenseGemmsReachTheSameOptimum)
{
    const Reference ref = loadReference();
    const auto& Xs = ref.json["X_sparse"];
    const int split = ref.json["train_rows"];
    RowMatrixXf counts(split, ref.train.cols());
    std::vector<int> labels;
    for (int i = 0; i < split; ++i) {
        for (int j = 0; j < int(counts.cols()); ++j) counts(i, j) = Xs[i][j].get<float>();
        labels.push_back(int(ref.yTrain[i]));
    }
    for (float unit : {1.0f, 0.37f})
        for (bool standardise : {true, false}) {
            const RowMatrixXf train = counts * unit;
            for (bool converge : {false, true}) {
                LogisticOptions lo;
                lo.maxIterations = converge ? 1000 : 4;
                lo.ftol = converge ? 1e-12 : lo.ftol;
                lo.standardise = standardise;
                lo.sparseBelow = 0.0;
                LogisticRegression dense(lo);
                dense.fit(train, labels);
                lo.sparseBelow = 0.25;
                LogisticRegression sparse(lo);
                sparse.fit(train, labels);
                const float apart = (sparse.probabilities(train) - dense.probabilities(train))
                                        .cwiseAbs()
                                        .maxCoeff();
                if (converge) {
                    EXPECT_NEAR(sparse.loss(), dense.loss(), 1e-7 * dense.loss())
                        << standardise << " " << unit;
                    EXPECT_LT(apart, 5e-4f) << standardise << " " << unit;
                } else {
                    EXPECT_EQ(sparse.iterations(), 4);
                    // 8-bit directions (counts): 1.1e-4 apart after four iterations; half: 3e-6.
                    const double early = unit == 1.0f ? 3e-4 : 1e-4;
                    EXPECT_NEAR(sparse.loss(), dense.loss(), early * dense.loss())
                        << standardise << " " << unit;
                    EXPECT_LT(apart, 5e-3f) << standardise << " " << unit;
                }
            }
        }
}

// On a simulated session's spike counts (one sample per frame, 9 repeats: the decoder's training
// set), the diagonal preconditioner brings L-BFGS closer to the optimum in the same iterations, by
// the sparse products and by the dense ones alike (each computes the curvature its own way):
// measured, 35 iterations leave 1.1e-4 and 1.0e-4 of the objective to go, against 8.2e-4 without.
TEST(LogisticRegression, TheDiagonalPreconditionerConvergesFaster)
{
    SimulationOptions so;
    so.units = 300;
    so.frames = 200;
    so.rateScale = 2.0;
    const PreprocessResult pre = preprocess(simulateSession(so), {});
    const Responses& r = pre.recording.responses;
    const RowMatrixXf all = r.sampleMatrix();
    const Eigen::Index rows = Eigen::Index(r.bins()) * (r.repeats() - 1);
    const RowMatrixXf train = all.topRows(rows);
    std::vector<int> labels;
    for (Eigen::Index i = 0; i < rows; ++i)
        labels.push_back(pre.recording.stimulus.frame[std::size_t(i % r.bins())]);
    LogisticOptions lo;
    lo.ftol = 0;
    lo.preconditionAfter = 0;
    lo.maxIterations = 200;
    LogisticRegression converged(lo);
    converged.fit(train, labels);
    const double optimum = converged.loss();
    lo.maxIterations = 35;
    LogisticRegression plain(lo);
    plain.fit(train, labels);
    for (double sparseBelow : {0.25, 0.0}) {
        lo.preconditionAfter = 20;
        lo.sparseBelow = sparseBelow;
        LogisticRegression preconditioned(lo);
        preconditioned.fit(train, labels);
        EXPECT_LT(preconditioned.loss() - optimum, (plain.loss() - optimum) / 3) << sparseBelow;
    }
}

TEST(Ridge, MatchesScikitLearnWithManyOutputs)
{
    const Reference ref = loadReference();
    const auto& r = ref.json["ridge"];
    const int split = ref.json["train_rows"];
    const auto& Yall = r["Y"];
    RowMatrixXf Ytr(split, 4), Yte(int(Yall.size()) - split, 4);
    for (int i = 0; i < int(Yall.size()); ++i)
        for (int j = 0; j < 4; ++j)
            (i < split ? Ytr(i, j) : Yte(i - split, j)) = Yall[i][j].get<float>();
    Ridge ridge(r["alpha"].get<double>());
    ridge.fit(ref.train, Ytr);
    for (int j = 0; j < 4; ++j) {
        EXPECT_NEAR(ridge.intercept()[j], r["intercept"][j].get<double>(), 1e-4);
        for (int f = 0; f < ridge.coefficients().rows(); ++f)
            EXPECT_NEAR(ridge.coefficients()(f, j), r["coef"][j][f].get<double>(), 1e-4);
    }
    const Eigen::VectorXd r2 = r2PerOutput(Yte, ridge.predict(ref.test));
    for (int j = 0; j < 4; ++j) EXPECT_NEAR(r2[j], r["test_r2"][j].get<double>(), 1e-4);
}

TEST(Ridge, WithoutPenaltyRecoversAnExactLinearMap)
{
    RowMatrixXf X(6, 2), Y(6, 1);
    X << 0, 1, 1, 0, 2, 1, 3, 5, 4, 2, 5, 3;
    for (int i = 0; i < 6; ++i) Y(i, 0) = 2.0f * X(i, 0) - 3.0f * X(i, 1) + 7.0f;
    Ridge ridge(0.0);
    ridge.fit(X, Y);
    EXPECT_NEAR(ridge.coefficients()(0, 0), 2.0, 1e-5);
    EXPECT_NEAR(ridge.coefficients()(1, 0), -3.0, 1e-5);
    EXPECT_NEAR(ridge.intercept()[0], 7.0, 1e-4);
    EXPECT_NEAR(r2PerOutput(Y, ridge.predict(X))[0], 1.0, 1e-9);
}
