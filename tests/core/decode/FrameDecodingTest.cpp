#include "TestSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/decode/FrameDecoder.h"
#include "neurolens/decode/FrameDecoding.h"
#include "neurolens/sim/Random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

using namespace neurolens;

TEST(FrameScores, HandComputed)
{
    // Truth 0, 10, 20, 30; predictions 0, 12, 50, 29.6 (rounds to 30).
    const FrameScores s = scoreFrames({0, 12, 50, 29.6}, {0, 10, 20, 30}, 100, 30);
    EXPECT_DOUBLE_EQ(s.mae, (0 + 2 + 30 + 0.4) / 4);
    EXPECT_NEAR(s.rmse, std::sqrt((0 + 4 + 900 + 0.16) / 4), 1e-12);
    EXPECT_NEAR(s.r2, 1 - (904.16) / 500.0, 1e-12);
    EXPECT_DOUBLE_EQ(s.accuracy, 0.5);  // 0 and 30 exact
    EXPECT_DOUBLE_EQ(s.within, 0.75);   // |30| is not < 30
}

TEST(FrameScores, ChanceMatchesBruteForce)
{
    const int frames = 50, window = 7;
    std::vector<int> truth = {0, 3, 25, 49, 49, 10};
    const FrameScores c = chanceScores(truth, frames, window);
    double mae = 0, mse = 0, within = 0, mean = 0, sst = 0;
    for (int t : truth) mean += t / double(truth.size());
    for (int t : truth) {
        for (int f = 0; f < frames; ++f) {
            mae += std::abs(f - t) / double(frames * truth.size());
            mse += double(f - t) * (f - t) / double(frames * truth.size());
            within += (std::abs(f - t) < window) / double(frames * truth.size());
        }
        sst += (t - mean) * (t - mean);
    }
    EXPECT_NEAR(c.mae, mae, 1e-12);
    EXPECT_NEAR(c.rmse, std::sqrt(mse), 1e-12);
    EXPECT_NEAR(c.within, within, 1e-12);
    EXPECT_NEAR(c.r2, 1 - mse * truth.size() / sst, 1e-12);
    EXPECT_DOUBLE_EQ(c.accuracy, 1.0 / frames);
}

namespace {
// Responses of 40 units to a 60-frame movie over 6 repeats: pure noise, or with a planted tuning.
Recording planted(bool signal)
{
    Recording rec;
    rec.source = "planted";
    const int R = 6, F = 60, U = 40;
    rec.responses = Responses(R, F, U, 1, 30.0);
    Random rng(3);
    std::vector<double> tuning(F * U);
    for (auto& v : tuning) v = rng.normal();
    for (int r = 0; r < R; ++r)
        for (int f = 0; f < F; ++f)
            for (int u = 0; u < U; ++u)
                rec.responses.at(r, f, u) =
                    float(rng.poisson(std::exp(0.5 + (signal ? 1.2 * tuning[f * U + u] : 0.0))));
    for (int u = 0; u < U; ++u) rec.units.id.push_back(u), rec.units.area.push_back("VISp");
    for (int f = 0; f < F; ++f) rec.stimulus.frame.push_back(f);
    rec.stimulus.block.assign(R, 0);
    return rec;
}
}  // namespace

TEST(FrameDecoding, ShuffleControlSeparatesSignalFromNoise)
{
    DecodeOptions o;
    o.decoder = "knn";
    o.parameters.numbers["k"] = 3;
    o.window = 5;
    o.shuffles = 8;
    const DecodeResult withSignal = decodeFrames(planted(true), o);
    EXPECT_GT(withSignal.test.accuracy, 0.8);
    EXPECT_LT(withSignal.shuffleMean.within, withSignal.chance.within * 2.5);
    EXPECT_EQ(withSignal.shuffleBeatFraction, 0.0);
    EXPECT_EQ(withSignal.trainRepeats, (std::vector<int>{0, 1, 2, 3, 4}));
    EXPECT_EQ(withSignal.testRepeats, (std::vector<int>{5}));
    const DecodeResult noise = decodeFrames(planted(false), o);
    EXPECT_LT(noise.test.within, noise.chance.within * 2.5);
    EXPECT_GT(noise.shuffleBeatFraction, 0.1);
    // Seeded: the same shuffles twice.
    EXPECT_EQ(decodeFrames(planted(false), o).shuffleMean.within, noise.shuffleMean.within);
}

TEST(FrameDecoding, LassoOnPcsAndBadRequests)
{
    DecodeOptions o;
    o.features = "pca:5";
    o.parameters.numbers["alpha"] = 0.1;
    const DecodeResult r = decodeFrames(planted(true), o);
    EXPECT_EQ(r.featureDims, 5);
    EXPECT_GT(r.train.r2, r.test.r2 - 0.2);
    o.features = "nonsense";
    EXPECT_THROW(decodeFrames(planted(true), o), UsageError);
    o.features = "raw";
    o.trainRepeats = {0, 5};
    o.testRepeats = {5};
    EXPECT_THROW(decodeFrames(planted(true), o), UsageError);
}

TEST(FrameDecoding, SweepsOfRegularisationAndComponents)
{
    DecodeOptions o;
    o.decoder = "lasso";
    const auto path = sweep(planted(true), o, "alpha", {0.001, 0.1, 1000.0});
    ASSERT_EQ(path.size(), 3u);
    EXPECT_EQ(path[1].value, 0.1);
    EXPECT_GT(path[0].train.r2,
              path[1].train.r2);               // more penalty, poorer fit of the training repeats
    EXPECT_NEAR(path[2].train.r2, 0.0, 1e-9);  // everything shrunk away: the intercept alone
    o.decoder = "knn";
    o.parameters = {};
    o.parameters.numbers["k"] = 3;
    o.parameters.choices["metric"] = "euclidean";
    const auto pcs = sweep(planted(true), o, kSweepComponents, {1, 20});
    EXPECT_LT(pcs[0].test.accuracy, pcs[1].test.accuracy);  // one PC cannot tell 60 frames apart
    EXPECT_THROW(sweep(planted(true), o, "alpha", {1.0}), UsageError);   // not kNN's
    EXPECT_THROW(sweep(planted(true), o, "metric", {1.0}), UsageError);  // not a number
    EXPECT_THROW(sweep(planted(true), o, kSweepComponents, {2.5}), UsageError);
    EXPECT_THROW(sweep(planted(true), o, "k", {2.5}), UsageError);  // k is a whole number
    const auto ks = sweep(planted(true), o, "k", {1, 3});
    EXPECT_EQ(ks[0].train.accuracy, 1.0);  // one neighbour: each training sample is its own
}

TEST(DecoderRegistry, NamesAreUniqueAndEveryDecoderRunsAtItsDefaults)
{
    std::set<std::string> names;
    for (const DecoderSpec& d : frameDecoders()) {
        EXPECT_TRUE(names.insert(d.name).second) << d.name;
        EXPECT_FALSE(d.title.empty());
        ASSERT_TRUE(d.make) << d.name;
        const Parameters p = resolveParameters(d.name, d.parameters, {});
        for (const ParameterSpec& s : d.parameters)
            EXPECT_TRUE(p.has(s.name)) << d.name << " " << s.name;
        if (!d.sweepParameter.empty()) {
            EXPECT_NE(findParameter(d.parameters, d.sweepParameter), nullptr) << d.name;
            EXPECT_FALSE(d.sweepValues.empty()) << d.name;
        }
        DecodeOptions o;
        o.decoder = d.name;
        o.window = 5;
        const DecodeResult r = decodeFrames(planted(true), o);
        // A linear regression of the frame index cannot read a random tuning; it still fits its
        // training repeats.
        if (d.regression)
            EXPECT_GT(r.train.r2, 0.3) << d.name;
        else
            EXPECT_GT(r.test.within, r.chance.within + 0.3) << d.name;
    }
    EXPECT_TRUE(names.count("bayes"));
    EXPECT_THROW(frameDecoder("forest"), UsageError);
    EXPECT_NE(frameDecoderNames().find("lasso, "), std::string::npos);
}

TEST(DecoderRegistry, ParametersAreCheckedAgainstTheirSpecs)
{
    const auto& knn = frameDecoder("knn").parameters;
    Parameters p;
    setParameter(p, "knn", knn, "k", "7");
    setParameter(p, "knn", knn, "metric", "euclidean");
    const Parameters r = resolveParameters("knn", knn, p);
    EXPECT_EQ(r.integer("k"), 7);
    EXPECT_EQ(r.choice("metric"), "euclidean");
    EXPECT_EQ(r.choice("vote"), "majority");  // the default
    EXPECT_EQ(r.describe(knn), "k=7, metric=euclidean, vote=majority");
    EXPECT_THROW(setParameter(p, "knn", knn, "k", "2.5"), UsageError);
    EXPECT_THROW(setParameter(p, "knn", knn, "k", "0"), UsageError);
    EXPECT_THROW(setParameter(p, "knn", knn, "k", "5x"), UsageError);
    EXPECT_THROW(setParameter(p, "knn", knn, "metric", "manhattan"), UsageError);
    EXPECT_THROW(setParameter(p, "knn", knn, "alpha", "1"), UsageError);
    const auto& logistic = frameDecoder("logistic").parameters;
    Parameters c;
    c.numbers["C"] = 0;  // C must be strictly positive
    EXPECT_THROW(resolveParameters("logistic", logistic, c), UsageError);
    c.numbers["C"] = std::nan("");
    EXPECT_THROW(resolveParameters("logistic", logistic, c), UsageError);
    Parameters wrongKind;
    wrongKind.choices["C"] = "big";
    EXPECT_THROW(resolveParameters("logistic", logistic, wrongKind), UsageError);
    try {
        resolveParameters("knn", knn, c);
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("k, metric, vote"), std::string::npos) << e.what();
    }
}

TEST(DecoderRegistry, NaiveBayesDecodesCountsAndRefusesNegativeFeatures)
{
    DecodeOptions o;
    o.decoder = "bayes";
    o.window = 5;
    o.shuffles = 3;
    const DecodeResult r = decodeFrames(planted(true), o);
    EXPECT_GT(r.test.accuracy, 0.8);
    EXPECT_EQ(r.shuffleBeatFraction, 0.0);
    EXPECT_LT(decodeFrames(planted(false), o).test.within, r.chance.within * 2.5);
    o.features = "pca:5";
    EXPECT_THROW(decodeFrames(planted(true), o), UsageError);
    o.features = "raw";
    o.parameters.numbers["alpha"] = 1;  // naive Bayes has no parameters
    EXPECT_THROW(decodeFrames(planted(true), o), UsageError);
}
