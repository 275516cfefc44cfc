// The logistic solver's softmax rows against the same quantities in double, at row lengths that use
// the vector loop, its remainder, and both; logits spread far enough that some exponentials
// underflow.
#include "decode/Softmax.h"
#include "neurolens/sim/Random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace neurolens;

TEST(Softmax, RowsMatchDoublePrecision)
{
    Random rng(11);
    for (int K : {1, 7, 8, 30, 900}) {
        const std::size_t n = std::size_t(K);
        std::vector<float> z(n), d(n), r(n);
        for (int k = 0; k < K; ++k) {
            z[std::size_t(k)] = float(30.0 * rng.normal());
            d[std::size_t(k)] = float(3.0 * rng.normal());
        }
        const int label = K / 2;
        const float t = 0.7f;
        // Reference at v = z + t d, in double.
        std::vector<double> v(n), p(n);
        for (int k = 0; k < K; ++k)
            v[std::size_t(k)] = double(z[std::size_t(k)] + t * d[std::size_t(k)]);
        const double m = *std::max_element(v.begin(), v.end());
        double sum = 0, weighted = 0;
        for (int k = 0; k < K; ++k) {
            p[std::size_t(k)] = std::exp(v[std::size_t(k)] - m);
            sum += p[std::size_t(k)];
            weighted += p[std::size_t(k)] * d[std::size_t(k)];
        }
        const double nll = std::log(sum) + m - v[std::size_t(label)];
        const double slope = weighted / sum - d[std::size_t(label)];

        const softmax::RowStats stats = softmax::along(z.data(), d.data(), t, K, label);
        EXPECT_NEAR(stats.nll, nll, 1e-4 * std::max(1.0, nll)) << K;
        EXPECT_NEAR(stats.slope, slope, 1e-4 * std::max(1.0, std::abs(slope))) << K;

        std::vector<float> moved = z;
        std::vector<double> sums(n);
        for (int k = 0; k < K; ++k) sums[std::size_t(k)] = 0.5 * k;
        const double stepNll =
            softmax::step(moved.data(), d.data(), t, K, label, r.data(), sums.data());
        EXPECT_NEAR(stepNll, nll, 1e-4 * std::max(1.0, nll)) << K;
        for (int k = 0; k < K; ++k) {
            EXPECT_EQ(sums[std::size_t(k)], 0.5 * k + double(r[std::size_t(k)]))
                << K << " " << k;  // the residuals added
            // (fused or separate multiply-add: equal to float rounding of the terms)
            EXPECT_NEAR(moved[std::size_t(k)], z[std::size_t(k)] + t * d[std::size_t(k)],
                        1e-6f * (std::abs(z[std::size_t(k)]) + std::abs(d[std::size_t(k)])))
                << K;
            EXPECT_NEAR(r[std::size_t(k)], p[std::size_t(k)] / sum - (k == label ? 1.0 : 0.0), 1e-6)
                << K << " " << k;
        }
        // The residuals written over the direction.
        std::vector<float> over = z, dr = d;
        softmax::step(over.data(), dr.data(), t, K, label, dr.data());
        EXPECT_EQ(over, moved);
        EXPECT_EQ(dr, std::vector<float>(r.begin(), r.begin() + K));
        // Without a direction the logits stay.
        std::vector<float> still = z;
        softmax::step(still.data(), nullptr, t, K, label, r.data());
        EXPECT_EQ(still, z);
    }
}
