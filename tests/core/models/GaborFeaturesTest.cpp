// The built-in Gabor energy features: shape, orientation and frequency selectivity, no response to
// a uniform frame, and a clear error without a movie.
#include "neurolens/data/Error.h"
#include "neurolens/features/GaborFeatures.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace neurolens;

namespace {

// Frames of 64 x 128: 0 uniform grey, 1 vertical stripes (period 16 px: 8 after resampling to 32
// rows), 2 horizontal stripes of the same period, 3 vertical stripes of period 8 (4 resampled).
Movie gratings()
{
    Movie m;
    m.frames = 4;
    m.height = 64;
    m.width = 128;
    m.pixels.assign(std::size_t(4) * 64 * 128, 128);
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 128; ++x) {
            m.frame(1)[y * 128 + x] = std::uint8_t(128 + 100 * std::sin(2 * M_PI * x / 16.0));
            m.frame(2)[y * 128 + x] = std::uint8_t(128 + 100 * std::sin(2 * M_PI * y / 16.0));
            m.frame(3)[y * 128 + x] = std::uint8_t(128 + 100 * std::sin(2 * M_PI * x / 8.0));
        }
    return m;
}

// Mean pooled energy of channel `c` (0-3: wavelength 4 at 0, 45, 90, 135 degrees; 4-7: wavelength
// 8).
double channel(const FrameFeatures& f, int frame, int c)
{
    return f.values.row(frame).segment(c * 32, 32).mean();
}

}  // namespace

TEST(GaborFeatures, SelectiveForOrientationAndFrequency)
{
    const FrameFeatures f = gaborEnergyFeatures(gratings());
    ASSERT_EQ(f.values.rows(), 4);
    ASSERT_EQ(f.values.cols(), 256);
    EXPECT_LT(f.values.row(0).cwiseAbs().maxCoeff(), 1e-4);  // uniform: nothing
    // Vertical stripes of period 8 (resampled): the 0-degree, wavelength-8 channel wins.
    EXPECT_GT(channel(f, 1, 4), 5 * channel(f, 1, 6));
    EXPECT_GT(channel(f, 1, 4), 2 * channel(f, 1, 0));
    // Horizontal stripes: the 90-degree channel.
    EXPECT_GT(channel(f, 2, 6), 5 * channel(f, 2, 4));
    // Finer vertical stripes (period 4): the wavelength-4 channel.
    EXPECT_GT(channel(f, 3, 0), 2 * channel(f, 3, 4));
}

TEST(GaborFeatures, NeedsAMovie)
{
    EXPECT_THROW(gaborEnergyFeatures(Movie{}), UsageError);
}
