// The one rule for round tick values, on ranges worked out by hand.

#include "neurolens/figures/NiceScale.h"
#include "neurolens/widgets/NiceAxis.h"

#include <QChart>
#include <QValueAxis>

#include <gtest/gtest.h>

#include <vector>

using neurolens::NiceScale;
using neurolens::niceScale;
using neurolens::niceTicksWithin;

TEST(NiceScale, CoversTheDataWithRoundSteps)
{
    struct Case {
        double min, max, lo, hi, step;
        int decimals;
    };
    // The ranges the issue met: PCA scores reaching 12.7, odd chart ticks (1.05 / 0.53 / 0.02,
    // 224 / 449), a decoder's frames.
    for (const Case& c : std::vector<Case>{{-1.5, 12.7, -2, 14, 2, 0},
                                           {0.02, 1.05, 0, 1.2, 0.2, 1},
                                           {0, 449, 0, 500, 100, 0},
                                           {0, 899, 0, 1000, 200, 0},
                                           {-0.043, 0.071, -0.06, 0.08, 0.02, 2},
                                           {0.5, 0.5, 0.44, 0.56, 0.02, 2}}) {
        const NiceScale s = niceScale(c.min, c.max);
        EXPECT_NEAR(s.lo, c.lo, 1e-12) << c.min << " " << c.max;
        EXPECT_NEAR(s.hi, c.hi, 1e-12) << c.min << " " << c.max;
        EXPECT_NEAR(s.step, c.step, 1e-12) << c.min << " " << c.max;
        EXPECT_EQ(s.decimals, c.decimals) << c.min << " " << c.max;
        EXPECT_LE(s.lo, c.min);
        EXPECT_GE(s.hi, c.max);
    }
    const NiceScale s = niceScale(-0.043, 0.071);
    const std::vector<double> ticks = s.ticks();
    ASSERT_EQ(ticks.size(), 8u);
    EXPECT_EQ(s.label(ticks[3]), QString("0.00"));  // never "-0.00"
    EXPECT_EQ(s.label(ticks[7]), QString("0.08"));
}

TEST(NiceScale, TicksWithinAFixedRange)
{
    const NiceScale s = niceTicksWithin(-3.3, 7.9);
    EXPECT_EQ(s.ticks(), (std::vector<double>{-2, 0, 2, 4, 6}));
}

TEST(NiceScale, AppliedToAChartAxis)
{
    QValueAxis axis;
    neurolens::applyNiceScale(&axis, 0.02, 1.05);
    EXPECT_DOUBLE_EQ(axis.min(), 0);
    EXPECT_DOUBLE_EQ(axis.max(), 1.2);
    EXPECT_EQ(axis.tickType(), QValueAxis::TicksDynamic);
    EXPECT_DOUBLE_EQ(axis.tickInterval(), 0.2);
    EXPECT_EQ(axis.labelFormat(), QString("%.1f"));
}
