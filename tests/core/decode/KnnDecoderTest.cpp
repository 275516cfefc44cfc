#include "neurolens/data/Error.h"
#include "neurolens/decode/KnnDecoder.h"

#include <gtest/gtest.h>

using namespace neurolens;

TEST(KnnDecoder, CosineIgnoresScaleEuclideanDoesNot)
{
    RowMatrixXf train(4, 2);
    train << 1, 0, 10, 0.2f, 0, 1, 0.1f, 5;
    const std::vector<int> labels = {1, 1, 2, 2};
    RowMatrixXf query(1, 2);
    query << 0.2f, 0.01f;  // direction of class 1, magnitude near the origin
    KnnDecoder cosine({1, KnnOptions::Metric::Cosine, KnnOptions::Vote::Majority});
    cosine.fit(train, labels);
    EXPECT_EQ(cosine.predict(query)[0], 1);
    RowMatrixXf far(1, 2);
    far << 0.1f, 4.0f;
    KnnDecoder euclid({1, KnnOptions::Metric::Euclidean, KnnOptions::Vote::Majority});
    euclid.fit(train, labels);
    EXPECT_EQ(euclid.predict(far)[0], 2);
}

TEST(KnnDecoder, MajorityTiesGoToTheSmallestLabelDistanceVoteToTheNearest)
{
    RowMatrixXf train(2, 1);
    train << 1.0f, 3.0f;
    KnnDecoder majority({2, KnnOptions::Metric::Euclidean, KnnOptions::Vote::Majority});
    majority.fit(train, {7, 4});
    RowMatrixXf q(1, 1);
    q << 1.2f;
    EXPECT_EQ(majority.predict(q)[0], 4);  // one vote each: scikit-learn picks the smallest label
    KnnDecoder weighted({2, KnnOptions::Metric::Euclidean, KnnOptions::Vote::Distance});
    weighted.fit(train, {7, 4});
    EXPECT_EQ(weighted.predict(q)[0], 7);  // 1/0.2 beats 1/1.8
}

TEST(KnnDecoder, RejectsMismatchedInput)
{
    KnnDecoder knn({3, KnnOptions::Metric::Cosine, KnnOptions::Vote::Majority});
    RowMatrixXf two(2, 3);
    two.setOnes();
    EXPECT_THROW(knn.fit(two, {1, 2}), UsageError);  // k > samples
    EXPECT_THROW(knn.fit(two, {1}), UsageError);
}

TEST(KnnDecoder, FractionWithinIsStrict)
{
    EXPECT_DOUBLE_EQ(fractionWithin({0, 29, 30, 100}, {0, 0, 0, 71}, 30), 0.75);
}
