#include "TestSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/preprocess/Preprocess.h"

#include <gtest/gtest.h>

using namespace neurolens;

TEST(AverageBins, AveragesConsecutiveBinsWithinFrames)
{
    Recording rec = test::smallRecording(2, 8, 3, 4);
    const Recording out = averageBins(rec, 4);
    ASSERT_EQ(out.responses.bins(), 2);
    EXPECT_EQ(out.responses.binsPerFrame(), 1);
    EXPECT_DOUBLE_EQ(out.responses.binRateHz(), 30.0);
    // Hand computed: counts (r*7 + b*3 + u) % 5 for r = 1, u = 2, bins 4..7 -> (7+12+2)%5=1, 4, 2,
    // 0.
    EXPECT_FLOAT_EQ(out.responses.at(1, 1, 2), (1 + 4 + 2 + 0) / 4.0f);
    EXPECT_EQ(out.stimulus.frame, (std::vector<std::int32_t>{0, 1}));

    const Recording half = averageBins(rec, 2);
    EXPECT_EQ(half.responses.bins(), 4);
    EXPECT_EQ(half.responses.binsPerFrame(), 2);
    EXPECT_EQ(half.stimulus.frame, (std::vector<std::int32_t>{0, 0, 1, 1}));
    // Each averaged bin starts where its first sub-bin did on the session's clock (smallRecording:
    // repeat r at 100 + 10 r s, 120 Hz bins).
    ASSERT_EQ(half.stimulus.time.size(), 8u);
    EXPECT_DOUBLE_EQ(half.stimulus.time[4 + 3], 110.0 + 6 / 120.0);
    EXPECT_NO_THROW(half.validate());
    EXPECT_THROW(averageBins(rec, 3), UsageError);
    EXPECT_THROW(averageBins(rec, 0), UsageError);
}

TEST(SilentUnits, DroppedWhenSilentInAnyRepeat)
{
    Recording rec = test::smallRecording(3, 8, 4, 2);
    for (int b = 0; b < 8; ++b) {
        rec.responses.at(1, b, 2) = 0;  // unit 2 silent in repeat 1 only
        for (int r = 0; r < 3; ++r) rec.responses.at(r, b, 0) = 0;  // unit 0 silent everywhere
    }
    EXPECT_EQ(nonSilentUnits(rec.responses), (std::vector<int>{1, 3}));
    const PreprocessResult pre = preprocess(rec, {"", 1, true, 1.0});
    EXPECT_EQ(pre.droppedSilent, 2);
    EXPECT_EQ(pre.keptUnits, (std::vector<int>{1, 3}));
    EXPECT_EQ(pre.recording.units.id, (std::vector<std::int64_t>{1001, 1003}));
    EXPECT_EQ(pre.recording.responses.at(2, 5, 1), rec.responses.at(2, 5, 3));
    const PreprocessResult keep = preprocess(rec, {"", 1, false, 1.0});
    EXPECT_EQ(keep.recording.responses.units(), 4);
}

// For continuous responses a silent unit is a constant one: not a zero one.
TEST(SilentUnits, ContinuousUnitsAreSilentWhenConstant)
{
    Responses r(2, 4, 3, 1, 30.0);
    r.setContinuous(true);
    for (int rep = 0; rep < 2; ++rep)
        for (int b = 0; b < 4; ++b) {
            r.at(rep, b, 0) = -1.0f - float(b);            // varies, negative: kept
            r.at(rep, b, 1) = rep == 1 ? 0.5f : float(b);  // constant in repeat 1: dropped
            r.at(rep, b, 2) = b == 3 ? 0.0f : -0.25f;      // varies through zero: kept
        }
    EXPECT_EQ(nonSilentUnits(r), (std::vector<int>{0, 2}));
    r.setContinuous(false);
    EXPECT_EQ(nonSilentUnits(r), (std::vector<int>{0, 1, 2}));  // as counts, none is all zero
}

TEST(TopVariance, FewestUnitsReachingTheFraction)
{
    // Variances 1, 6, 3 (total 10): 60 % needs unit 1 only; 61 % needs units 1 and 2; 100 % all.
    const std::vector<double> v = {1, 6, 3};
    double achieved = 0;
    EXPECT_EQ(topVarianceUnits(v, 0.6, &achieved), (std::vector<int>{1}));
    EXPECT_DOUBLE_EQ(achieved, 0.6);
    EXPECT_EQ(topVarianceUnits(v, 0.61, &achieved), (std::vector<int>{1, 2}));
    EXPECT_DOUBLE_EQ(achieved, 0.9);
    EXPECT_EQ(topVarianceUnits(v, 1.0, &achieved), (std::vector<int>{0, 1, 2}));
    EXPECT_THROW(topVarianceUnits(v, 0.0, nullptr), UsageError);
    EXPECT_THROW(topVarianceUnits(v, 1.5, nullptr), UsageError);
}

TEST(TopVariance, VarianceIsTheCovarianceDiagonal)
{
    Responses r(1, 4, 2, 1, 30);
    const float a[4] = {1, 3, 1, 3}, b[4] = {0, 0, 0, 8};
    for (int i = 0; i < 4; ++i) r.at(0, i, 0) = a[i], r.at(0, i, 1) = b[i];
    const auto v = unitVariances(r);
    EXPECT_DOUBLE_EQ(v[0], 1.0);   // mean 2, deviations +-1
    EXPECT_DOUBLE_EQ(v[1], 12.0);  // mean 2, (4+4+4+36)/4
}

TEST(Preprocess, AreaThenSilentThenBinThenVariance)
{
    Recording rec = test::smallRecording(2, 8, 6, 4);
    const PreprocessResult pre = preprocess(rec, {"VISl", 0, true, 1.0});
    EXPECT_EQ(pre.droppedByArea, 3);
    EXPECT_EQ(pre.keptUnits, (std::vector<int>{1, 3, 5}));
    EXPECT_EQ(pre.recording.responses.bins(), 2);
    for (const auto& a : pre.recording.units.area) EXPECT_EQ(a, "VISl");
    EXPECT_THROW(preprocess(rec, {"LGd", 0, true, 1.0}), UsageError);

    const PreprocessResult top = preprocess(rec, {"", 1, false, 0.5});
    EXPECT_LT(top.recording.responses.units(), 6);
    EXPECT_GE(top.varianceFractionKept, 0.5);
    EXPECT_EQ(top.droppedByVariance, 6 - top.recording.responses.units());
}

TEST(SelectRepeats, KeepsBlocksAndData)
{
    Recording rec = test::smallRecording(3, 8, 4, 2);
    rec.stimulus.block = {0, 1, 1};
    EXPECT_EQ(repeatsOfBlock(rec, 1), (std::vector<int>{1, 2}));
    EXPECT_THROW(repeatsOfBlock(rec, 5), UsageError);
    const Recording out = selectRepeats(rec, {2});
    EXPECT_EQ(out.responses.repeats(), 1);
    EXPECT_EQ(out.responses.at(0, 3, 1), rec.responses.at(2, 3, 1));
    EXPECT_EQ(out.stimulus.block, (std::vector<std::int32_t>{1}));
    EXPECT_DOUBLE_EQ(out.stimulus.sessionTime(0, 3, 8), rec.stimulus.sessionTime(2, 3, 8));
    EXPECT_NO_THROW(out.validate());
}
