#include "TestSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/embed/EmbeddingMethod.h"
#include "neurolens/embed/Pca.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <set>

using namespace neurolens;

namespace {
nlohmann::json reference()
{
    std::ifstream in(test::sourceDir() + "/tests/core/embed/fa_reference.json");
    return nlohmann::json::parse(in);
}

RowMatrixXf matrix(const nlohmann::json& rows)
{
    RowMatrixXf m(Eigen::Index(rows.size()), Eigen::Index(rows[0].size()));
    for (Eigen::Index i = 0; i < m.rows(); ++i)
        for (Eigen::Index j = 0; j < m.cols(); ++j)
            m(i, j) = rows[std::size_t(i)][std::size_t(j)].get<float>();
    return m;
}
}  // namespace

TEST(EmbeddingMethods, FactorAnalysisMatchesScikitLearn)
{
    const nlohmann::json ref = reference();
    const RowMatrixXf X = matrix(ref["X"]), expected = matrix(ref["transform"]);
    EmbeddingRequest request;
    request.dims = ref["factors"].get<int>();
    request.parameters.numbers["tol"] = 1e-10;
    request.parameters.numbers["max-iter"] = 100000;
    const EmbeddingRun run = runEmbedding("fa", X, request);
    ASSERT_EQ(run.layout.rows(), X.rows());
    ASSERT_EQ(run.layout.cols(), request.dims);
    // Factors are defined up to sign: compare each column with the reference's, flipped to agree.
    for (Eigen::Index c = 0; c < expected.cols(); ++c) {
        const float sign = run.layout.col(c).dot(expected.col(c)) < 0 ? -1.0f : 1.0f;
        EXPECT_LT((sign * run.layout.col(c) - expected.col(c)).norm(),
                  1e-3 * expected.col(c).norm())
            << c;
    }
    EXPECT_NEAR(run.numbers.at("log_likelihood"), ref["log_likelihood"].get<double>(),
                1e-4 * std::abs(ref["log_likelihood"].get<double>()));
    double meanNoise = 0;
    for (const auto& v : ref["noise_variance"])
        meanNoise += v.get<double>() / double(ref["noise_variance"].size());
    EXPECT_NEAR(run.numbers.at("mean_noise_variance"), meanNoise, 1e-4 * meanNoise);
    EXPECT_NE(run.summary.find("3 factors"), std::string::npos) << run.summary;
}

TEST(EmbeddingMethods, EveryMethodRunsAtItsDefaultsAndRequestsAreChecked)
{
    const RowMatrixXf X = matrix(reference()["X"]);
    std::set<std::string> names;
    for (const EmbeddingSpec& m : embeddingMethods()) {
        EXPECT_TRUE(names.insert(m.name).second) << m.name;
        EmbeddingRequest request;
        request.dims = std::max(2, m.minDims);
        if (findParameter(m.parameters, "iterations"))
            request.parameters.numbers["iterations"] = 60;
        const EmbeddingRun run = runEmbedding(m.name, X, request);
        EXPECT_EQ(run.layout.rows(), X.rows()) << m.name;
        EXPECT_EQ(run.layout.cols(), request.dims) << m.name;
        EXPECT_TRUE(run.layout.allFinite()) << m.name;
        EXPECT_FALSE(run.summary.empty()) << m.name;
        request.dims = m.maxDims + 1;
        EXPECT_THROW(runEmbedding(m.name, X, request), UsageError) << m.name;
    }
    EXPECT_EQ(names, (std::set<std::string>{"pca", "tsne", "fa"}));
    EXPECT_THROW(embeddingMethod("umap"), UsageError);
    EmbeddingRequest bad;
    bad.parameters.numbers["perplexity"] = 5;  // not PCA's
    EXPECT_THROW(runEmbedding("pca", X, bad), UsageError);
    RowMatrixXf withNan = X;
    withNan(3, 2) = std::nanf("");
    EXPECT_THROW(runEmbedding("pca", withNan, {}), UsageError);
    // PCA through the registry is the projection on the leading axes.
    EmbeddingRequest three;
    three.dims = 3;
    const RowMatrixXf direct = fitPca(X, 3).transform(X, 3);
    EXPECT_LT((runEmbedding("pca", X, three).layout - direct).norm(), 1e-5 * direct.norm());
}

TEST(EmbeddingMethods, AStreamingMethodShowsItsLayoutAndStopsWhenAsked)
{
    const RowMatrixXf X = matrix(reference()["X"]);
    EmbeddingRequest request;
    request.parameters.numbers["iterations"] = 100;
    int calls = 0, lastTotal = 0;
    const EmbeddingRun run = runEmbedding("tsne", X, request, Progress::null(),
                                          [&](const RowMatrixXf& layout, int iteration, int total) {
                                              ++calls;
                                              lastTotal = total;
                                              EXPECT_EQ(layout.rows(), X.rows());
                                              return iteration < 20;
                                          });
    EXPECT_EQ(calls, 21);  // 20 steps, then the final layout once more
    EXPECT_EQ(lastTotal, 100);
    EXPECT_EQ(run.numbers.at("iterations"), 20);
}
