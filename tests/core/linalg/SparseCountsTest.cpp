// Counts times an 8-bit operand: which matrices count as counts, the rounding per column, and the
// product against sums taken here in 64-bit integers, float for float (ctest runs these at every
// instruction-set level: the VNNI kernel and the float product must give the same floats).
#include "linalg/SparseCounts.h"
#include "neurolens/sim/Random.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

using namespace neurolens;

namespace {

using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatrixXd = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Counts in [0, largest] over `factor`, `zeros` of them zero.
RowMatrixXf counts(Random& rng, int rows, int cols, double zeros, int largest, double factor)
{
    RowMatrixXf A(rows, cols);
    for (int i = 0; i < A.size(); ++i)
        A.data()[i] =
            rng.uniform() < zeros ? 0.0f : float(double(1 + int(rng.uniform() * largest)) / factor);
    return A;
}

std::optional<SparseCounts> countsOf(const RowMatrixXf& A)
{
    return SparseCounts::of(SparseRows::fromDense(A.data(), int(A.rows()), int(A.cols())));
}

}  // namespace

TEST(SparseCounts, FindsTheSmallestFactorThatMakesTheValuesWhole)
{
    Random rng(3);
    EXPECT_EQ(countsOf(counts(rng, 20, 30, 0.7, 40, 1))->factor(), 1);
    EXPECT_EQ(countsOf(counts(rng, 20, 30, 0.7, 40, 4))->factor(), 4);  // bins averaged by four
    EXPECT_EQ(countsOf(counts(rng, 20, 30, 0.7, 40, 3))->factor(), 3);  // not exact in float
    EXPECT_EQ(countsOf(counts(rng, 20, 30, 0.7, 255, 1))->factor(), 1);
    // Not counts: values that no factor up to 64 makes whole, negative, or too large.
    RowMatrixXf A = counts(rng, 20, 30, 0.7, 40, 1);
    EXPECT_FALSE(countsOf(A * 0.37f));
    A(3, 4) = -2;
    EXPECT_FALSE(countsOf(A));
    A(3, 4) = 256;
    EXPECT_FALSE(countsOf(A));
    // A row whose sum is past the bound for exact float sums.
    RowMatrixXf wide = RowMatrixXf::Constant(2, 600, 255.0f);
    EXPECT_FALSE(countsOf(wide));
    wide.row(0).setConstant(0.0f);
    wide.row(1).head(int(SparseCounts::kLargestRowSum / 255)).setConstant(255.0f);
    wide.row(1).tail(600 - int(SparseCounts::kLargestRowSum / 255)).setConstant(0.0f);
    EXPECT_TRUE(countsOf(wide));
    // No nonzeros at all: counts, trivially.
    EXPECT_TRUE(countsOf(RowMatrixXf::Zero(3, 5)));
}

TEST(SparseCounts, RoundsEachColumnTo127Levels)
{
    Random rng(4);
    const int rows = 37, cols = 130;
    RowMatrixXd B(rows, cols);
    for (int i = 0; i < B.size(); ++i) B.data()[i] = rng.normal() * (i % 7 == 0 ? 1e-6 : 1.0);
    B.col(5).setZero();
    std::vector<double> rowScale(rows);
    for (double& s : rowScale) s = 0.1 + rng.uniform();
    Int8Columns q;
    ASSERT_TRUE(q.assign(B.data(), rowScale.data(), rows, cols));
    EXPECT_EQ(q.stride, 192);
    EXPECT_EQ(q.step[5], 0.0f);
    for (int c = 0; c < cols; ++c) {
        double largest = 0;
        for (int r = 0; r < rows; ++r) largest = std::max(largest, std::abs(B(r, c) * rowScale[r]));
        EXPECT_EQ(q.step[std::size_t(c)], float(largest / 127));
        for (int r = 0; r < rows; ++r) {
            const float v = q.value[std::size_t(r) * cols + std::size_t(c)];
            EXPECT_EQ(v, std::nearbyint(v));
            EXPECT_LE(std::abs(v), 127.0f);
            EXPECT_LE(std::abs(double(v) * q.step[std::size_t(c)] - B(r, c) * rowScale[r]),
                      0.5001 * q.step[std::size_t(c)]);
        }
    }
    // The packed bytes hold the same values, each block's columns in some order, the padding zero.
    for (int r = 0; r < rows; ++r)
        for (int block = 0; block < q.stride; block += Int8Columns::kBlock) {
            std::vector<int> packed, value;
            for (int c = block; c < block + Int8Columns::kBlock; ++c) {
                packed.push_back(q.packed[std::size_t(r) * std::size_t(q.stride) + std::size_t(c)]);
                value.push_back(c < cols ? int(q.value[std::size_t(r) * cols + std::size_t(c)])
                                         : 0);
            }
            std::sort(packed.begin(), packed.end());
            std::sort(value.begin(), value.end());
            EXPECT_EQ(packed, value);
        }
    B(2, 3) = std::nan("");
    EXPECT_FALSE(q.assign(B.data(), rowScale.data(), rows, cols));
}

// An operand of counts held exactly (t-SNE's neighbours): q the counts times the factor, step its
// inverse; refused when a value is not whole or past 127.
TEST(SparseCounts, HoldsWholeNumbersExactly)
{
    Random rng(6);
    RowMatrixXf B = counts(rng, 30, 70, 0.6, 127, 4);
    Int8Columns q;
    ASSERT_TRUE(q.assignWhole(B.data(), 30, 70, 4));
    for (int c = 0; c < 70; ++c) EXPECT_EQ(q.step[std::size_t(c)], 0.25f);
    for (int r = 0; r < 30; ++r)
        for (int c = 0; c < 70; ++c)
            EXPECT_EQ(q.value[std::size_t(r) * 70 + std::size_t(c)], B(r, c) * 4);
    B(2, 3) = 0.3f;
    EXPECT_FALSE(q.assignWhole(B.data(), 30, 70, 4));
    B(2, 3) = 32.0f;  // 128 quarters
    EXPECT_FALSE(q.assignWhole(B.data(), 30, 70, 4));
    B(2, 3) = -31.75f;
    EXPECT_TRUE(q.assignWhole(B.data(), 30, 70, 4));
}

// Every entry float(S mult + offset) with S summed here in 64-bit integers: the same floats from
// whichever kernel the CPU runs (and from the route of CPUs without VNNI), at widths that fill
// whole chunks, part of a block, and both; rows with no nonzeros and rows whose nonzeros are not a
// multiple of four.
TEST(SparseCounts, ProductIsTheExactIntegerSumScaled)
{
    Random rng(9);
    const int rows = 71, cols = 53;
    for (int factor : {1, 4, 3}) {
        RowMatrixXf A = counts(rng, rows, cols, 0.78, 60, factor);
        A.row(0).setZero();
        A.row(1).setZero();
        A(1, 7) = float(255.0 / factor);
        const SparseRows s = SparseRows::fromDense(A.data(), rows, cols);
        // The kernel this CPU has, and the route of CPUs without VNNI.
        std::optional<SparseCounts> M = SparseCounts::of(s), other = SparseCounts::of(s, false);
        ASSERT_TRUE(M && other);
        ASSERT_EQ(M->factor(), factor);
        EXPECT_FALSE(other->integerKernel());
        for (int n : {1, 16, 63, 64, 65, 256, 300, 900}) {
            RowMatrixXd B(cols, n);
            for (int i = 0; i < B.size(); ++i) B.data()[i] = rng.normal() * 3;
            const std::vector<double> rowScale(std::size_t(cols), 1.0);
            Int8Columns q;
            ASSERT_TRUE(q.assign(B.data(), rowScale.data(), cols, n));
            std::vector<double> offset(static_cast<std::size_t>(n));
            for (double& o : offset) o = rng.normal();
            RowMatrixXf out = RowMatrixXf::Constant(rows, n, 99.0f);
            M->times(q, offset.data(), out.data());
            RowMatrixXf expected(rows, n);
            for (int r = 0; r < rows; ++r)
                for (int c = 0; c < n; ++c) {
                    std::int64_t S = 0;
                    for (std::int64_t e = s.start[std::size_t(r)]; e < s.start[std::size_t(r) + 1];
                         ++e)
                        S +=
                            std::int64_t(std::nearbyint(double(s.value[std::size_t(e)]) * factor)) *
                            std::int64_t(q.value[std::size_t(s.column[std::size_t(e)]) * n + c]);
                    const double mult = double(float(double(q.step[std::size_t(c)]) / factor));
                    expected(r, c) = float(double(S) * mult + offset[std::size_t(c)]);
                }
            EXPECT_EQ(out, expected) << "factor " << factor << " width " << n;
            out.setConstant(99.0f);
            other->times(q, offset.data(), out.data());
            EXPECT_EQ(out, expected) << "factor " << factor << " width " << n;
            // And near the product of A with the rounded operand, taken in double.
            const RowMatrixXd rounded =
                Eigen::Map<const RowMatrixXf>(q.value.data(), cols, n).cast<double>() *
                Eigen::Map<const Eigen::VectorXf>(q.step.data(), n).cast<double>().asDiagonal();
            const RowMatrixXd direct = (A.cast<double>() * rounded).rowwise() +
                                       Eigen::Map<const Eigen::RowVectorXd>(offset.data(), n);
            EXPECT_LT((out.cast<double>() - direct).cwiseAbs().maxCoeff(),
                      1e-5 * (1 + direct.cwiseAbs().maxCoeff()));
        }
    }
}
