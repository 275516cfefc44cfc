#include "neurolens/figures/ColourMap.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace neurolens;

TEST(ColourMap, ViridisEndsAndClamping)
{
    const Rgb lo = colourAt(ColourMapKind::Sequential, 0.0),
              hi = colourAt(ColourMapKind::Sequential, 1.0);
    EXPECT_NEAR(lo[0], 0.267, 1e-3);
    EXPECT_NEAR(hi[1], 0.906, 1e-3);
    EXPECT_EQ(colourAt(ColourMapKind::Sequential, -3.0), lo);
    EXPECT_EQ(colourAt(ColourMapKind::Sequential, 7.0), hi);
}

TEST(ColourMap, CyclicWrapsAndKeepsLightness)
{
    const Rgb a = colourAt(ColourMapKind::Cyclic, 0.0), b = colourAt(ColourMapKind::Cyclic, 1.0);
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(a[i], b[i], 1e-6);
    // Roughly constant luminance around the circle (perceptual: no hue looks brighter).
    double lo = 1, hi = 0;
    for (int i = 0; i < 36; ++i) {
        const Rgb c = colourAt(ColourMapKind::Cyclic, i / 36.0);
        auto lin = [](double v) {
            return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        const double y = 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
        lo = std::min(lo, y), hi = std::max(hi, y);
    }
    EXPECT_LT(hi - lo, 0.08);
    EXPECT_EQ(colourTable(ColourMapKind::Cyclic, 16).size(), 16u);
}
