#include "TestSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <gtest/gtest.h>

using namespace neurolens;

TEST(RepeatSplit, StandardIsSevenTwoOne)
{
    const RepeatSplit s = RepeatSplit::standard(10);
    EXPECT_EQ(s.train, (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(s.validation, (std::vector<int>{7, 8}));
    EXPECT_EQ(s.test, (std::vector<int>{9}));
    const RepeatSplit two = RepeatSplit::standard(2);
    EXPECT_EQ(two.train, (std::vector<int>{0}));
    EXPECT_TRUE(two.validation.empty());
    EXPECT_THROW(RepeatSplit::standard(1), UsageError);
}

TEST(RepeatSplit, ParsesListsAndRanges)
{
    EXPECT_EQ(parseRepeatList("0-8", 10), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
    EXPECT_EQ(parseRepeatList("9", 10), (std::vector<int>{9}));
    EXPECT_EQ(parseRepeatList("4-5,0,5", 10), (std::vector<int>{0, 4, 5}));
    EXPECT_THROW(parseRepeatList("10", 10), UsageError);
    EXPECT_THROW(parseRepeatList("3-1", 10), UsageError);
    EXPECT_THROW(parseRepeatList("a", 10), UsageError);
    EXPECT_THROW(parseRepeatList("", 10), UsageError);
}

TEST(RepeatSplit, GatherStacksRepeatsInOrder)
{
    const Recording rec = test::smallRecording(3, 4, 2, 1);
    const RowMatrixXf rows = gatherRepeats(rec.responses, {2, 0});
    ASSERT_EQ(rows.rows(), 8);
    EXPECT_EQ(rows(1, 1), rec.responses.at(2, 1, 1));
    EXPECT_EQ(rows(5, 0), rec.responses.at(0, 1, 0));
}

TEST(Standardiser, FitsOnTrainingRowsOnly)
{
    RowMatrixXf train(4, 2);
    train << 1, 5, 3, 5, 5, 5, 7, 5;  // column 0: mean 4, sd sqrt(5); column 1 constant
    const Standardiser s = Standardiser::fit(train);
    EXPECT_DOUBLE_EQ(s.mean[0], 4.0);
    EXPECT_DOUBLE_EQ(s.scale[0], std::sqrt(5.0));
    EXPECT_DOUBLE_EQ(s.scale[1], 1.0);
    RowMatrixXf test(1, 2);
    test << 4 + std::sqrt(5.0f), 6;
    const RowMatrixXf z = s.apply(test);
    EXPECT_NEAR(z(0, 0), 1.0, 1e-6);
    EXPECT_NEAR(z(0, 1), 1.0, 1e-6);
}

TEST(RepeatSplit, ResolvesTheUsersListsWithOneSetOfDefaults)
{
    const RepeatSplit d = RepeatSplit::resolve(10, "", "", "");
    EXPECT_EQ(d.train, (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(d.validation, (std::vector<int>{7, 8}));
    EXPECT_EQ(d.test, (std::vector<int>{9}));
    EXPECT_EQ(d.fitRepeats(), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
    EXPECT_EQ(d.describe(), "train 0-6, validation 7-8, test 9");
    // Listed training repeats: validation is what is left.
    const RepeatSplit t = RepeatSplit::resolve(10, "0-8", "", "9");
    EXPECT_EQ(t.train.size(), 9u);
    EXPECT_TRUE(t.validation.empty());
    EXPECT_THROW(RepeatSplit::resolve(10, "0-5", "", "5"), UsageError);    // train and test overlap
    EXPECT_THROW(RepeatSplit::resolve(10, "0-6", "6,7", ""), UsageError);  // train and validation
    EXPECT_THROW(RepeatSplit::resolve(10, "", "0-8", ""), UsageError);     // nothing left to train
    const RepeatSplit first = RepeatSplit::resolve(10, "", "none", "0");
    EXPECT_EQ(first.train, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
    EXPECT_TRUE(first.isTest(0));
    EXPECT_FALSE(first.isTest(1));
    const RepeatSplit three = RepeatSplit::resolve(3, "", "", "");
    EXPECT_EQ(three.train, (std::vector<int>{0}));
    EXPECT_EQ(three.validation, (std::vector<int>{1}));
    EXPECT_EQ(formatRepeatList({0, 2, 3, 4, 7}), "0,2-4,7");
    EXPECT_EQ(formatRepeatList({}), "none");
}
