// Alignment (latents -> responses): a planted linear map is recovered, unrelated latents explain
// nothing, the penalty is chosen on the validation repeats, and bad input is refused. The MLP part
// (LibTorch) is in AlignmentMlpTest.cpp.
#include "neurolens/data/Error.h"
#include "neurolens/models/Alignment.h"
#include "neurolens/sim/Random.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace neurolens;

namespace {

// Responses = f(latent) + noise, 10 repeats of `bins` samples; the latent depends on the bin only.
Recording planted(const RowMatrixXf& latentPerBin, int units, double noise, bool nonlinear,
                  std::uint64_t seed, RowMatrixXf* latents)
{
    Random rng(seed);
    const int bins = int(latentPerBin.rows()), dims = int(latentPerBin.cols()), repeats = 10;
    Eigen::MatrixXf A(dims, units);
    for (int i = 0; i < A.size(); ++i) A.data()[i] = float(rng.normal());
    Recording rec;
    rec.stimulus.frame.resize(std::size_t(bins));
    for (int b = 0; b < bins; ++b) rec.stimulus.frame[std::size_t(b)] = b;
    rec.stimulus.block.assign(repeats, 0);
    rec.responses = Responses(repeats, bins, units, 1, 30.0);
    latents->resize(repeats * bins, dims);
    for (int r = 0; r < repeats; ++r)
        for (int b = 0; b < bins; ++b) {
            latents->row(r * bins + b) = latentPerBin.row(b);
            const Eigen::RowVectorXf drive = latentPerBin.row(b) * A;
            for (int u = 0; u < units; ++u)
                rec.responses.at(r, b, u) = float(
                    (nonlinear ? std::tanh(2.0 * drive[u]) : drive[u]) + noise * rng.normal());
        }
    for (int u = 0; u < units; ++u) {
        rec.units.id.push_back(u);
        rec.units.area.push_back("VISp");
    }
    return rec;
}

RowMatrixXf randomLatents(int rows, int dims, std::uint64_t seed)
{
    Random rng(seed);
    RowMatrixXf z(rows, dims);
    for (int i = 0; i < z.size(); ++i) z.data()[i] = float(rng.normal());
    return z;
}

}  // namespace

TEST(Alignment, RidgeRecoversAPlantedMapAndNothingFromNoise)
{
    RowMatrixXf latents;
    const Recording rec = planted(randomLatents(80, 4, 1), 30, 0.5, false, 2, &latents);
    const AlignmentResult a = alignLatents(rec, latents, {});
    ASSERT_EQ(a.r2PerUnit.size(), 30);
    EXPECT_GT(a.r2, 0.8);
    EXPECT_NEAR(a.r2, a.r2PerUnit.mean(), 1e-12);
    EXPECT_EQ(a.test, (std::vector<int>{9}));
    EXPECT_EQ(a.validation, (std::vector<int>{7, 8}));
    // Latents unrelated to the responses explain nothing on the held-out repeat.
    const AlignmentResult none = alignLatents(rec, randomLatents(800, 4, 3), {});
    EXPECT_LT(none.r2, 0.02);
    EXPECT_GE(none.alpha, 100.0);  // the validation repeats ask for a strong penalty
}

TEST(Alignment, RefusesBadInput)
{
    RowMatrixXf latents;
    const Recording rec = planted(randomLatents(20, 2, 1), 5, 0.5, false, 2, &latents);
    EXPECT_THROW(alignLatents(rec, latents.topRows(10), {}), UsageError);
    RowMatrixXf bad = latents;
    bad(3, 1) = std::nanf("");
    EXPECT_THROW(alignLatents(rec, bad, {}), UsageError);
    AlignmentOptions o;
    o.alphas.clear();
    EXPECT_THROW(alignLatents(rec, latents, o), UsageError);
}

TEST(Alignment, ConsistencyIsOneForLinearMapsAndLowForUnrelatedEmbeddings)
{
    const RowMatrixXf a = randomLatents(500, 3, 11);
    Eigen::Matrix3f M;
    M << 1, 2, 0, 0, 1, -1, 3, 0, 1;
    const RowMatrixXf b =
        (a * M).rowwise() + Eigen::RowVector3f(1, -2, 0.5f);  // an invertible linear map of a
    const RowMatrixXf c = randomLatents(500, 3, 12);
    double mean = 0;
    const Eigen::MatrixXd r2 = embeddingConsistency({a, b, c}, &mean);
    EXPECT_TRUE(std::isnan(r2(0, 0)));
    EXPECT_NEAR(r2(0, 1), 1.0, 1e-4);
    EXPECT_NEAR(r2(1, 0), 1.0, 1e-4);
    EXPECT_LT(r2(0, 2), 0.05);
    EXPECT_LT(r2(2, 1), 0.05);
    EXPECT_GT(mean, 0.3);  // two of the six ordered pairs are exact
    EXPECT_LT(mean, 0.4);
    EXPECT_THROW(embeddingConsistency({a}), UsageError);
}
