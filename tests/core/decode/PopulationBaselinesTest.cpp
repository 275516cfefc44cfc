// The paper's population baselines: Poisson naive Bayes against its closed form, windows of
// responses, the bootstrap interval against the binomial's, and both decoders on planted Poisson
// counts.
#include "neurolens/decode/FrameDecoding.h"
#include "neurolens/decode/PoissonNaiveBayes.h"
#include "neurolens/decode/PopulationBaselines.h"
#include "neurolens/sim/Random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

using namespace neurolens;

TEST(PoissonNaiveBayes, RatesAndScoresFollowTheClosedForm)
{
    // Two classes, two features. Class 0 rows: (1, 0), (3, 2); class 1 rows: (0, 4).
    RowMatrixXf X(3, 2);
    X << 1, 0, 3, 2, 0, 4;
    PoissonNaiveBayes nb;
    nb.fit(X, {0, 0, 1}, 2);
    // Overall means m = (4/3, 2); rates (sum_c + m) / (n_c + 1).
    const double l00 = (4 + 4.0 / 3) / 3, l01 = (2 + 2.0) / 3, l10 = (0 + 4.0 / 3) / 2,
                 l11 = (4 + 2.0) / 2;
    RowMatrixXf q(1, 2);
    q << 2, 1;
    const Eigen::MatrixXf s = nb.scores(q);
    EXPECT_NEAR(s(0, 0), 2 * std::log(l00) + std::log(l01) - l00 - l01, 1e-5);
    EXPECT_NEAR(s(0, 1), 2 * std::log(l10) + std::log(l11) - l10 - l11, 1e-5);
    EXPECT_EQ(nb.predict(q)[0], s(0, 0) > s(0, 1) ? 0 : 1);
}

TEST(PopulationBaselines, WindowsClampAtTheRepeatEdges)
{
    RowMatrixXf x(6, 1);  // two repeats of three bins
    x << 0, 1, 2, 10, 11, 12;
    const RowMatrixXf w = windowedSamples(x, 2, 3, 1, 2);  // bins b-1, b, b+1
    RowMatrixXf expected(6, 3);
    expected << 0, 0, 1, 0, 1, 2, 1, 2, 2, 10, 10, 11, 10, 11, 12, 11, 12, 12;
    EXPECT_EQ(w, expected);
}

TEST(PopulationBaselines, BootstrapIntervalMatchesTheBinomial)
{
    // 900 test frames, 60 % decoded within the window: the 95 % interval is about +-1.96
    // sqrt(p(1-p)/n).
    std::vector<int> truth(900), predicted(900);
    for (int i = 0; i < 900; ++i) {
        truth[std::size_t(i)] = i;
        predicted[std::size_t(i)] = i % 5 < 3 ? i : i + 100;
    }
    const Interval ci = bootstrapWithin(predicted, truth, 30, 2000, 7);
    const double half = 1.96 * std::sqrt(0.6 * 0.4 / 900);
    EXPECT_NEAR(ci.low, 0.6 - half, 0.01);
    EXPECT_NEAR(ci.high, 0.6 + half, 0.01);
    EXPECT_EQ(bootstrapWithin(predicted, truth, 30, 2000, 7).low, ci.low);  // seeded
}

TEST(PopulationBaselines, DecodePlantedCountsAndLongerWindowsHelp)
{
    // Poisson counts whose rates follow a smooth per-frame tuning: 10 repeats, 200 frames.
    const int R = 10, F = 200, U = 30;
    Random rng(11);
    Eigen::MatrixXd pref(U, 1);
    for (int u = 0; u < U; ++u) pref(u, 0) = rng.uniform() * F;
    Recording rec;
    rec.stimulus.frame.resize(F);
    std::iota(rec.stimulus.frame.begin(), rec.stimulus.frame.end(), 0);
    rec.stimulus.block.assign(R, 0);
    rec.responses = Responses(R, F, U, 1, 30.0);
    for (int r = 0; r < R; ++r)
        for (int f = 0; f < F; ++f)
            for (int u = 0; u < U; ++u) {
                const double d = std::min(std::abs(f - pref(u, 0)), F - std::abs(f - pref(u, 0)));
                const double rate = 0.2 + 1.5 * std::exp(-d * d / (2 * 15.0 * 15.0));
                rec.responses.at(r, f, u) = float(rng.poisson(rate));
            }
    const RepeatSplit split = RepeatSplit::standard(R);
    const std::vector<BaselineDecoding> b = populationBaselines(rec, split, 1);
    ASSERT_EQ(b.size(), 4u);
    EXPECT_EQ(b[0].name(), "knn_1frame");
    EXPECT_EQ(b[3].name(), "bayes_10frame");
    for (const BaselineDecoding& x : b) {
        EXPECT_GT(x.within, x.chanceWithin + 0.1) << x.name();
        EXPECT_LE(x.withinLow, x.within);
        EXPECT_GE(x.withinHigh, x.within);
    }
    EXPECT_GT(b[3].within, b[1].within);  // Bayes: 330 ms of counts beat 33 ms
    EXPECT_GT(b[0].k, 0);
}
