// Compressed sparse rows: conversion, transpose, and the product with a dense matrix against the dense
// product, at widths that use the vector blocks, the remainder, and both.
#include "linalg/SparseRows.h"
#include "neurolens/sim/Random.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>

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
        EXPECT_LT((out - A * B).cwiseAbs().maxCoeff(), 1e-4f) << n;
        EXPECT_LT((outT - A.transpose() * Bt).cwiseAbs().maxCoeff(), 1e-4f) << n;
    }
}
