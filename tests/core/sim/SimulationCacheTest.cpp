// The cached simulated session is the generated one, read back; a damaged cache is regenerated; a
// busier session (rate scale) has the same units firing more.
#include "TestSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/sim/SimulationCache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace neurolens;

namespace {

SimulationOptions small(std::uint64_t seed = 3)
{
    SimulationOptions o;
    o.units = 12;
    o.repeats = 2;
    o.frames = 30;
    o.height = 16;
    o.width = 32;
    o.seed = seed;
    return o;
}

void expectSame(const Recording& a, const Recording& b)
{
    ASSERT_EQ(a.responses.repeats(), b.responses.repeats());
    ASSERT_EQ(a.responses.bins(), b.responses.bins());
    ASSERT_EQ(a.responses.units(), b.responses.units());
    for (int r = 0; r < a.responses.repeats(); ++r)
        for (int t = 0; t < a.responses.bins(); ++t)
            for (int u = 0; u < a.responses.units(); ++u)
                ASSERT_EQ(a.responses.at(r, t, u), b.responses.at(r, t, u));
    EXPECT_EQ(a.units.id, b.units.id);
    EXPECT_EQ(a.units.qc, b.units.qc);
    EXPECT_EQ(a.stimulus.frame, b.stimulus.frame);
    ASSERT_TRUE(a.movie && b.movie);
    EXPECT_EQ(a.movie->pixels, b.movie->pixels);
    EXPECT_EQ(a.source, b.source);
    EXPECT_EQ(a.format, b.format);
}

}  // namespace

TEST(SimulationCache, ReadsBackWhatItGenerated)
{
    test::TempDir dir;
    const std::string folder = dir.file("cache");
    const Recording generated = simulateSession(small());
    const std::string path = simulationCachePath(small(), folder);
    EXPECT_FALSE(std::filesystem::exists(path));
    expectSame(simulateSessionCached(small(), folder), generated);
    ASSERT_TRUE(std::filesystem::exists(path));
    expectSame(simulateSessionCached(small(), folder), generated);  // read from the cache
    EXPECT_NE(simulationCachePath(small(4), folder), path);         // another seed, another file
    SimulationOptions busier = small();
    busier.rateScale = 2;
    EXPECT_NE(simulationCachePath(busier, folder), path);
}

TEST(SimulationCache, ADamagedCacheIsGeneratedAgain)
{
    test::TempDir dir;
    const std::string folder = dir.file("cache");
    const Recording generated = simulateSession(small());
    simulateSessionCached(small(), folder);
    const std::string path = simulationCachePath(small(), folder);
    std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
    expectSame(simulateSessionCached(small(), folder), generated);
    {
        std::ofstream(path, std::ios::trunc) << "not HDF5";
    }
    expectSame(simulateSessionCached(small(), folder), generated);
}

TEST(SimulationCache, KeepsTheMostRecentSessions)
{
    test::TempDir dir;
    const std::string folder = dir.file("cache");
    for (std::uint64_t seed = 1; seed <= 3; ++seed)
        simulateSessionCached(small(seed), folder, Progress::null(), 2);
    EXPECT_FALSE(std::filesystem::exists(simulationCachePath(small(1), folder)));
    EXPECT_TRUE(std::filesystem::exists(simulationCachePath(small(2), folder)));
    EXPECT_TRUE(std::filesystem::exists(simulationCachePath(small(3), folder)));
}

TEST(SimulationCache, AnUnwritableFolderOnlyCostsTheSaving)
{
    test::TempDir dir;
    {
        std::ofstream(dir.file("file")) << "x";
    }
    // The "folder" is a file: nothing can be cached in it, the session is still simulated.
    expectSame(simulateSessionCached(small(), dir.file("file")), simulateSession(small()));
}

TEST(Simulator, RateScaleMakesTheSameUnitsBusier)
{
    SimulationOptions o = small();
    o.units = 40;
    o.frames = 120;
    const Recording base = simulateSession(o);
    o.rateScale = 2;
    const Recording busier = simulateSession(o);
    double a = 0, b = 0;
    for (int r = 0; r < base.responses.repeats(); ++r)
        for (int t = 0; t < base.responses.bins(); ++t)
            for (int u = 0; u < base.responses.units(); ++u) {
                a += base.responses.at(r, t, u);
                b += busier.responses.at(r, t, u);
            }
    EXPECT_NEAR(b / a, 2.0, 0.15);
    EXPECT_EQ(base.units.qc.at("sim_base_rate_hz").size(),
              busier.units.qc.at("sim_base_rate_hz").size());
    for (std::size_t u = 0; u < base.units.qc.at("sim_base_rate_hz").size(); ++u)
        EXPECT_DOUBLE_EQ(busier.units.qc.at("sim_base_rate_hz")[u],
                         2 * base.units.qc.at("sim_base_rate_hz")[u]);
    o.rateScale = 0;
    EXPECT_THROW(simulateSession(o), UsageError);
}
