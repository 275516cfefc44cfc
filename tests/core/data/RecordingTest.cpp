#include "TestSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/data/Recording.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace neurolens;

TEST(Responses, SampleMatrixIsRepeatMajorView)
{
    Responses r(2, 3, 4, 1, 30.0);
    r.at(1, 2, 3) = 7.0f;
    r.at(0, 1, 0) = 5.0f;
    const auto X = r.sampleMatrix();
    EXPECT_EQ(X.rows(), 6);
    EXPECT_EQ(X.cols(), 4);
    EXPECT_EQ(X(1 * 3 + 2, 3), 7.0f);
    EXPECT_EQ(X(1, 0), 5.0f);
    EXPECT_EQ(r.repeat(1)(2, 3), 7.0f);
    EXPECT_DOUBLE_EQ(r.frameRateHz(), 30.0);
}

// Large blocks go through the allocator that advises huge pages (advice the kernel may ignore,
// and nothing here can observe): zeroed or unset, they hold what was written, first to last.
TEST(Responses, LargeBlocksHoldTheirValues)
{
    Responses zero(2, 100, 50000, 1, 30.0);  // 40 MB
    EXPECT_EQ(zero.values().front(), 0.0f);
    EXPECT_EQ(zero.values().back(), 0.0f);
    EXPECT_EQ(*std::max_element(zero.values().begin(), zero.values().end()), 0.0f);
    Responses unset = Responses::unset(2, 100, 50000, 1, 30.0);
    ASSERT_EQ(unset.values().size(), zero.values().size());
    float* v = unset.data();
    for (std::size_t i = 0; i < unset.values().size(); ++i) v[i] = float(i % 1000);
    EXPECT_EQ(unset.at(1, 99, 49999), float((unset.values().size() - 1) % 1000));
    adviseHugePages(v + 1, 1);  // too small, unaligned: nothing done
    adviseHugePages(nullptr, 0);
}

TEST(Responses, CountLikeDetectsFractionsAndRange)
{
    Responses r(1, 2, 2, 1, 30.0);
    r.at(0, 0, 0) = 3.0f;
    EXPECT_TRUE(r.isCountLike());
    r.at(0, 1, 1) = 0.5f;
    EXPECT_FALSE(r.isCountLike());
    r.at(0, 1, 1) = 70000.0f;
    EXPECT_FALSE(r.isCountLike());
}

TEST(Recording, ValidSmallRecordingPasses)
{
    EXPECT_NO_THROW(test::smallRecording().validate());
}

TEST(Recording, ValidateNamesTheProblem)
{
    Recording rec = test::smallRecording();
    rec.responses.at(1, 2, 3) = -1.0f;
    try {
        rec.validate();
        FAIL() << "negative count accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "small");
        EXPECT_EQ(e.object(), "/responses/counts");
        EXPECT_NE(std::string(e.what()).find("negative count at repeat 1, bin 2, unit 3"),
                  std::string::npos)
            << e.what();
    }
    rec = test::smallRecording();
    rec.responses.at(0, 0, 0) = std::nanf("");
    EXPECT_THROW(rec.validate(), InputError);
    // Whoever checked every value as it stored it skips that scan, and only that.
    EXPECT_NO_THROW(rec.validate(Recording::ResponseValues::Checked));
    rec = test::smallRecording();
    rec.units.id.pop_back();
    EXPECT_THROW(rec.validate(), InputError);
    EXPECT_THROW(rec.validate(Recording::ResponseValues::Checked), InputError);
    rec = test::smallRecording();
    rec.stimulus.frame.push_back(0);
    EXPECT_THROW(rec.validate(), InputError);
    rec = test::smallRecording();
    rec.movie->frames = 1;
    EXPECT_THROW(rec.validate(), InputError);
}

TEST(UnitTable, SubsetKeepsQcColumnsAligned)
{
    const Recording rec = test::smallRecording();
    const UnitTable t = rec.units.subset({3, 1});
    ASSERT_EQ(t.size(), 2);
    EXPECT_EQ(t.id[0], 1003);
    EXPECT_EQ(t.area[1], "VISl");
    EXPECT_DOUBLE_EQ(t.qc.at("snr")[0], 4.5);
    EXPECT_EQ(rec.units.areaCounts().at("VISp"), 2);
}
