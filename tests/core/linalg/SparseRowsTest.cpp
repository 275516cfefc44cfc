// Compressed sparse rows: conversion, transpose, and the product with a dense matrix against the dense
// product, at widths that use the vector blocks, the remainder, and both.
#include "linalg/SparseRows.h"
#include "neurolens/sim/Random.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>

#include <algorithm>
#include <vector>

using namespace neurolens;

TEST(SparseRows, ProductMatchesTheDenseProduct)
{
    Random rng(5);
    const int rows = 57, cols = 41;
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> A(rows, cols);
    for (int i = 0; i < A.size(); ++i) A.data()[i] = rng.uniform() < 0.8 ? 0.0f : float(rng.normal());
    const SparseRows s = SparseRows::fromDense(A.data(), rows, cols);
    EXPECT_EQ(s.rows, rows);
    EXPECT_EQ(s.cols, cols);
    EXPECT_EQ(std::int64_t(s.value.size()), std::int64_t((A.array() != 0).count()));
    EXPECT_NEAR(s.density(), double((A.array() != 0).count()) / A.size(), 1e-12);
    const SparseRows t = s.transposed();
    ASSERT_EQ(t.rows, cols);
    ASSERT_EQ(t.cols, rows);
    for (int n : {1, 7, 64, 128, 131, 259}) {
        Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> B(cols, n), Bt(rows, n);
        for (int i = 0; i < B.size(); ++i) B.data()[i] = float(rng.normal());
        for (int i = 0; i < Bt.size(); ++i) Bt.data()[i] = float(rng.normal());
        Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> out(rows, n), outT(cols, n);
        out.setConstant(99.0f);  // every entry is written
        sparseTimesDense(s, B.data(), n, out.data(), 0, 30);
        sparseTimesDense(s, B.data(), n, out.data(), 30, rows);
        sparseTimesDense(t, Bt.data(), n, outT.data(), 0, cols);
        Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> split(rows, n);
        parallelSparseTimesDense(s, B.data(), n, split.data(), 3);
        EXPECT_EQ(split, out) << n;
        EXPECT_LT((out - A * B).cwiseAbs().maxCoeff(), 1e-4f) << n;
        EXPECT_LT((outT - A.transpose() * Bt).cwiseAbs().maxCoeff(), 1e-4f) << n;
    }
}

TEST(SparseRows, RowRangeIsTheRowsOfTheMatrix)
{
    Random rng(6);
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> A(20, 9);
    for (int i = 0; i < A.size(); ++i) A.data()[i] = rng.uniform() < 0.7 ? 0.0f : float(rng.normal());
    const SparseRows s = SparseRows::fromDense(A.data(), 20, 9);
    const SparseRows part = s.rowRange(5, 12);
    const SparseRows expected = SparseRows::fromDense(A.data() + 5 * 9, 7, 9);
    EXPECT_EQ(part.rows, 7);
    EXPECT_EQ(part.cols, 9);
    EXPECT_EQ(part.start, expected.start);
    EXPECT_EQ(part.column, expected.column);
    EXPECT_EQ(part.value, expected.value);
    EXPECT_EQ(s.rowRange(3, 3).value.size(), 0u);
}

// A^T R from transposed row blocks, for block sizes that divide the rows, leave a remainder, or exceed
// them, over column ranges that start and end inside the vector blocks.
TEST(SparseRows, TransposedBlocksProductMatchesTheDenseProduct)
{
    Random rng(7);
    const int rows = 203, cols = 37;
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> A(rows, cols);
    for (int i = 0; i < A.size(); ++i) A.data()[i] = rng.uniform() < 0.85 ? 0.0f : float(rng.normal());
    const SparseRows s = SparseRows::fromDense(A.data(), rows, cols);
    for (int blockRows : {29, 64, 203, 1000}) {
        const SparseTransposedBlocks t = SparseTransposedBlocks::of(s, blockRows);
        ASSERT_EQ(t.rows, cols);
        ASSERT_EQ(t.cols, rows);
        for (int n : {1, 9, 128, 300}) {
            Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> R(rows, n), out(cols, n);
            for (int i = 0; i < R.size(); ++i) R.data()[i] = float(rng.normal());
            out.setConstant(99.0f);  // every entry is written
            const int mid = n / 3 + 1;
            sparseTransposedTimesDense(t, R.data(), n, out.data(), 0, std::min(mid, n));
            sparseTransposedTimesDense(t, R.data(), n, out.data(), std::min(mid, n), n);
            EXPECT_LT((out - A.transpose() * R).cwiseAbs().maxCoeff(), 1e-4f) << blockRows << " " << n;
            // Split among threads: the same sums.
            Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> split(cols, n);
            parallelSparseTransposedTimesDense(t, R.data(), n, split.data(), 3);
            EXPECT_EQ(split, out) << blockRows << " " << n;
        }
    }
    // No rows: the product is zero.
    const SparseTransposedBlocks empty = SparseTransposedBlocks::of(SparseRows::fromDense(nullptr, 0, 4));
    std::vector<float> out(4 * 3, 5.0f);
    sparseTransposedTimesDense(empty, nullptr, 3, out.data(), 0, 3);
    for (float v : out) EXPECT_EQ(v, 0.0f);
}
