// Compressed sparse rows: conversion, transpose, and the product with a dense matrix against the
// dense product, at widths that use the vector blocks, the remainder, and both.
#include "linalg/SparseHalf.h"
#include "linalg/SparseRows.h"
#include "neurolens/linalg/Simd.h"
#include "neurolens/sim/Random.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace neurolens;

TEST(SparseRows, ProductMatchesTheDenseProduct)
{
    Random rng(5);
    const int rows = 57, cols = 41;
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> A(rows, cols);
    for (int i = 0; i < A.size(); ++i)
        A.data()[i] = rng.uniform() < 0.8 ? 0.0f : float(rng.normal());
    const SparseRows s = SparseRows::fromDense(A.data(), rows, cols);
    EXPECT_EQ(s.rows, rows);
    EXPECT_EQ(s.cols, cols);
    EXPECT_EQ(std::int64_t(s.value.size()), std::int64_t((A.array() != 0).count()));
    EXPECT_NEAR(s.density(), double((A.array() != 0).count()) / A.size(), 1e-12);
    const SparseRows t = s.transposed();
    ASSERT_EQ(t.rows, cols);
    ASSERT_EQ(t.cols, rows);
    for (int n : {1, 7, 64, 128, 131, 259}) {
        Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> B(cols, n),
            Bt(rows, n);
        for (int i = 0; i < B.size(); ++i) B.data()[i] = float(rng.normal());
        for (int i = 0; i < Bt.size(); ++i) Bt.data()[i] = float(rng.normal());
        Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> out(rows, n),
            outT(cols, n);
        out.setConstant(99.0f);  // every entry is written
        sparseTimesDense(s, B.data(), n, out.data(), 0, 30);
        sparseTimesDense(s, B.data(), n, out.data(), 30, rows);
        sparseTimesDense(t, Bt.data(), n, outT.data(), 0, cols);
        Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> split(rows, n);
        parallelSparseTimesDense(s, B.data(), n, split.data(), 3);
        EXPECT_EQ(split, out) << n;
        EXPECT_LT((out - A * B).cwiseAbs().maxCoeff(), 1e-4f) << n;
        EXPECT_LT((outT - A.transpose() * Bt).cwiseAbs().maxCoeff(), 1e-4f) << n;
        // A row added to every output row, as the sums' first term.
        Eigen::RowVectorXf init(n);
        for (int j = 0; j < n; ++j) init[j] = float(rng.normal());
        Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> withInit(rows, n);
        sparseTimesDense(s, B.data(), n, withInit.data(), 0, rows, init.data());
        EXPECT_LT((withInit - ((A * B).rowwise() + init)).cwiseAbs().maxCoeff(), 1e-4f) << n;
    }
}

TEST(SparseRows, RowRangeIsTheRowsOfTheMatrix)
{
    Random rng(6);
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> A(20, 9);
    for (int i = 0; i < A.size(); ++i)
        A.data()[i] = rng.uniform() < 0.7 ? 0.0f : float(rng.normal());
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

// A^T R from transposed row blocks, for block sizes that divide the rows, leave a remainder, or
// exceed them, over column ranges that start and end inside the vector blocks.
TEST(SparseRows, TransposedBlocksProductMatchesTheDenseProduct)
{
    Random rng(7);
    const int rows = 203, cols = 37;
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> A(rows, cols);
    for (int i = 0; i < A.size(); ++i)
        A.data()[i] = rng.uniform() < 0.85 ? 0.0f : float(rng.normal());
    const SparseRows s = SparseRows::fromDense(A.data(), rows, cols);
    for (int blockRows : {29, 64, 203, 1000}) {
        const SparseTransposedBlocks t = SparseTransposedBlocks::of(s, blockRows);
        ASSERT_EQ(t.rows, cols);
        ASSERT_EQ(t.cols, rows);
        for (int n : {1, 9, 128, 300}) {
            Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> R(rows, n),
                out(cols, n);
            for (int i = 0; i < R.size(); ++i) R.data()[i] = float(rng.normal());
            out.setConstant(99.0f);  // every entry is written
            const int mid = n / 3 + 1;
            sparseTransposedTimesDense(t, R.data(), n, out.data(), 0, std::min(mid, n));
            sparseTransposedTimesDense(t, R.data(), n, out.data(), std::min(mid, n), n);
            EXPECT_LT((out - A.transpose() * R).cwiseAbs().maxCoeff(), 1e-4f)
                << blockRows << " " << n;
            // Split among threads: the same sums.
            Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> split(cols, n);
            parallelSparseTransposedTimesDense(t, R.data(), n, split.data(), 3);
            EXPECT_EQ(split, out) << blockRows << " " << n;
        }
    }
    // No rows: the product is zero, or the offset.
    const SparseTransposedBlocks empty =
        SparseTransposedBlocks::of(SparseRows::fromDense(nullptr, 0, 4));
    std::vector<float> out(4 * 3, 5.0f);
    sparseTransposedTimesDense(empty, nullptr, 3, out.data(), 0, 3);
    for (float v : out) EXPECT_EQ(v, 0.0f);
    const float offset[3] = {1.0f, -2.0f, 0.5f};
    parallelSparseTransposedTimesDense(empty, nullptr, 3, out.data(), 2, offset);
    for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], offset[i % 3]);
}

// M B + 1 init^T through the blocks of M^T (M cut into blocks of its columns), with more output
// rows than a parallel piece holds: the dense product, and the same sums however the work is split.
TEST(SparseRows, ColumnBlocksProductMatchesTheDenseProduct)
{
    Random rng(9);
    const int rows = 1100, cols = 61;
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> M(rows, cols);
    for (int i = 0; i < M.size(); ++i)
        M.data()[i] = rng.uniform() < 0.8 ? 0.0f : float(1 + int(rng.uniform() * 3));
    const SparseRows s = SparseRows::fromDense(M.data(), rows, cols);
    for (int blockCols : {16, 61, 100}) {
        const SparseTransposedBlocks byColumns =
            SparseTransposedBlocks::of(s.transposed(), blockCols);
        ASSERT_EQ(byColumns.rows, rows);
        for (int n : {5, 48, 131}) {
            Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> B(cols, n),
                whole(rows, n), split(rows, n);
            for (int i = 0; i < B.size(); ++i) B.data()[i] = float(rng.normal());
            Eigen::RowVectorXf init(n);
            for (int j = 0; j < n; ++j) init[j] = float(rng.normal());
            whole.setConstant(99.0f);  // every entry is written
            sparseTransposedTimesDense(byColumns, B.data(), n, whole.data(), 0, n, init.data());
            EXPECT_LT((whole - ((M * B).rowwise() + init)).cwiseAbs().maxCoeff(), 1e-4f)
                << blockCols << " " << n;
            // The terms in the row kernel's order: the same floats.
            Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> byRows(rows, n);
            parallelSparseTimesDense(s, B.data(), n, byRows.data(), 2, init.data());
            EXPECT_EQ(whole, byRows) << blockCols << " " << n;
            for (int threads : {1, 3}) {
                split.setConstant(99.0f);
                parallelSparseTransposedTimesDense(byColumns, B.data(), n, split.data(), threads,
                                                   init.data());
                EXPECT_EQ(split, whole) << blockCols << " " << n << " " << threads;
            }
            // Held for repeated products: by rows or by column blocks, whichever this CPU takes.
            const SparseProduct product(s);
            if (product.byRows()) {
                EXPECT_EQ(product.rows().value, s.value);
            }
            split.setConstant(99.0f);
            product.times(B.data(), n, split.data(), init.data(), 2);
            EXPECT_EQ(split, whole) << n;
        }
    }
}

// Half precision: conversions on the cases that decide rounding, and every half there and back.
TEST(SparseHalf, ConvertsToNearestHalfTiesToEven)
{
    EXPECT_EQ(toHalf(1.0f), 0x3c00);
    EXPECT_EQ(toHalf(-2.0f), 0xc000);
    EXPECT_EQ(toHalf(0.0f), 0x0000);
    EXPECT_EQ(toHalf(65504.0f), 0x7bff);                      // the largest half
    EXPECT_EQ(toHalf(65520.0f), 0x7c00);                      // rounds up to infinity
    EXPECT_EQ(toHalf(std::ldexp(1.0f, -24)), 0x0001);         // the smallest subnormal
    EXPECT_EQ(toHalf(std::ldexp(1.0f, -25)), 0x0000);         // a tie: to the even zero
    EXPECT_EQ(toHalf(std::ldexp(3.0f, -25)), 0x0002);         // a tie: to the even two
    EXPECT_EQ(toHalf(1.0f + std::ldexp(1.0f, -11)), 0x3c00);  // a tie: to even
    EXPECT_EQ(toHalf(1.0f + std::ldexp(3.0f, -11)), 0x3c02);  // a tie: to even
    EXPECT_EQ(toHalf(1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20)),
              0x3c01);  // above the tie
    EXPECT_EQ(toHalf(std::ldexp(1023.5f, -24)),
              0x0400);  // a subnormal tie rounding to the smallest normal
    EXPECT_TRUE(std::isnan(fromHalf(toHalf(std::nanf("")))));
    for (int h = 0; h < 65536; ++h) {
        if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff)) continue;  // NaNs
        EXPECT_EQ(toHalf(fromHalf(std::uint16_t(h))), h) << h;
    }
}

// A dense operand rounded to scale * half: every entry within half precision of the original, and
// the product through the packed halves equal, float for float, to the float product with the
// rounded values.
TEST(SparseHalf, ProductIsTheFloatProductWithTheRoundedValues)
{
    Random rng(8);
    const int rows = 83, cols = 45;
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> A(rows, cols);
    for (int i = 0; i < A.size(); ++i)
        A.data()[i] = rng.uniform() < 0.8 ? 0.0f : float(int(rng.uniform() * 12)) * 0.25f;
    const SparseRows s = SparseRows::fromDense(A.data(), rows, cols);
    HalfRounded h;
    for (int n : {1, 16, 100, 128, 131, 259, 900}) {
        for (double size : {1e-7, 3.0, 4e6}) {
            Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> B(cols, n);
            for (int i = 0; i < B.size(); ++i)
                B.data()[i] = float(size * rng.normal() * (rng.uniform() < 0.1 ? 1e-3 : 1.0));
            h.assign(B.data(), cols, n);
            int exponent = 0;
            EXPECT_EQ(std::frexp(h.scale, &exponent), 0.5f) << "a power of two";
            EXPECT_LE(B.cwiseAbs().maxCoeff() / h.scale, 32768.0f);
            EXPECT_GE(B.cwiseAbs().maxCoeff() / h.scale, 16384.0f);
            for (int j = 0; j < cols; ++j)
                for (int c = 0; c < n; ++c) {
                    const float rounded = h.value[std::size_t(j) * std::size_t(n) + std::size_t(c)];
                    EXPECT_LE(std::abs(rounded - B(j, c)),
                              std::ldexp(std::abs(B(j, c)), -11) + std::ldexp(h.scale, -25))
                        << n;
                    const std::size_t at =
                        (std::size_t(c / HalfRounded::kChunk) * std::size_t(cols) +
                         std::size_t(j)) *
                            HalfRounded::kChunk +
                        std::size_t(c % HalfRounded::kChunk);
                    EXPECT_EQ(fromHalf(h.packed[at]) * h.scale, rounded);
                }
            Eigen::RowVectorXf init(n);
            for (int j = 0; j < n; ++j) init[j] = float(rng.normal());
            for (const float* first :
                 {static_cast<const float*>(nullptr), static_cast<const float*>(init.data())}) {
                Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> half(rows, n),
                    full(rows, n);
                half.setConstant(99.0f);  // every entry is written
                sparseTimesHalf(s, h, half.data(), 0, 40, first);
                sparseTimesHalf(s, h, half.data(), 40, rows, first);
                sparseTimesDense(s, h.value.data(), n, full.data(), 0, rows, first);
                EXPECT_EQ(half, full) << n << " " << size;
                // As a solver takes it: by rows on AVX-512, by column blocks elsewhere.
                half.setConstant(99.0f);
                parallelSparseTimesHalf(SparseProduct(s), h, half.data(), first);
                EXPECT_EQ(half, full) << n << " " << size;
            }
        }
    }
    // All zeros: scale 1, zeros.
    const std::vector<float> zeros(12, 0.0f);
    h.assign(zeros.data(), 3, 4);
    EXPECT_EQ(h.scale, 1.0f);
    for (float v : h.value) EXPECT_EQ(v, 0.0f);
}

TEST(Simd, TheSwitchCapsTheLevelAtWhatTheCpuHas)
{
    // ctest runs the kernel tests again under NEUROLENS_SIMD=portable and =avx2
    // (tests/core/CMakeLists.txt).
    const SimdLevel level = simdLevel(), best = simdLevelSupported();
    EXPECT_LE(int(level), int(best));
    const char* asked = std::getenv("NEUROLENS_SIMD");
    if (!asked) {
        EXPECT_EQ(level, best);
    } else if (std::string(asked) == "portable") {
        EXPECT_EQ(level, SimdLevel::Portable);
    } else if (std::string(asked) == "avx2") {
        EXPECT_EQ(int(level), std::min(int(SimdLevel::Avx2), int(best)));
    }
    EXPECT_STREQ(simdLevelName(SimdLevel::Avx2), "avx2");
    std::printf("SIMD kernels at %s (best on this CPU: %s)\n", simdLevelName(level),
                simdLevelName(best));
}
