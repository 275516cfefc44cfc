// Behaviour from a CSV on the session clock: the header, the time column found or named, missing
// samples, the refusals naming the file, and the resampling onto the bins against values worked by
// hand (samples every 0.25 s, bins of 1 s: each bin the mean of its four samples).
#include "neurolens/data/Error.h"
#include "neurolens/io/BehaviourCsv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "TestSupport.h"

using namespace neurolens;
using neurolens::test::TempDir;

namespace {

std::string write(const TempDir& dir, const std::string& name, const std::string& text)
{
    const std::string path = dir.file(name);
    std::ofstream(path) << text;
    return path;
}

// Two repeats of three 1-s bins, at 10-12 s and 20-22 s on the session clock.
Recording clocked()
{
    Recording rec;
    rec.responses = Responses(2, 3, 1, 1, 1.0);
    rec.stimulus.frame = {0, 1, 2};
    rec.stimulus.block = {0, 0};
    rec.stimulus.time = {10, 11, 12, 20, 21, 22};
    rec.units.id = {1};
    rec.units.area = {"VISp"};
    return rec;
}

// Samples every 0.25 s from `from` to `to`, speed = t, pupil = 2t.
std::string samples(double from, double to, const std::string& separator = ",")
{
    std::string text = "time" + separator + "speed" + separator + "pupil\n";
    for (double t = from; t <= to; t += 0.25)
        text += std::to_string(t) + separator + std::to_string(t) + separator +
                std::to_string(2 * t) + "\n";
    return text;
}

}  // namespace

TEST(BehaviourCsv, ReadsTheHeaderTheTimeColumnAndMissingSamples)
{
    TempDir dir;
    const BehaviourTable t = readBehaviourCsv(write(dir, "a.csv",
                                                    "speed;t_s;pupil\n1;0.5;\n2;1.0;nan\n3;1.5;NA\n"
                                                    "4;2.0;7\n"),
                                              "t_s");
    EXPECT_EQ(t.timeColumn, "t_s");
    EXPECT_EQ(t.names, (std::vector<std::string>{"speed", "pupil"}));
    EXPECT_EQ(t.time, (std::vector<double>{0.5, 1.0, 1.5, 2.0}));
    EXPECT_EQ(t.values[0], (std::vector<float>{1, 2, 3, 4}));
    EXPECT_TRUE(std::isnan(t.values[1][0]) && std::isnan(t.values[1][1]) &&
                std::isnan(t.values[1][2]));
    EXPECT_EQ(t.values[1][3], 7.0f);
    // Found by name (Timestamps), else the first column; tabs.
    EXPECT_EQ(readBehaviourCsv(write(dir, "b.csv", "x\tTimestamps\n1\t2\n")).timeColumn,
              "Timestamps");
    EXPECT_EQ(readBehaviourCsv(write(dir, "c.csv", "clock,x\n1,2\n")).timeColumn, "clock");
    // A byte-order mark before the header (spreadsheet exports) is no part of the first name.
    const std::string bom = write(dir, "bom.csv", "\xEF\xBB\xBFtime,x\n1,2\n");
    EXPECT_EQ(readBehaviourCsv(bom).timeColumn, "time");
    // What the window takes for a behaviour log: a header naming a time column.
    EXPECT_TRUE(isBehaviourCsv(bom));
    EXPECT_TRUE(isBehaviourCsv(dir.file("b.csv")));
    EXPECT_FALSE(isBehaviourCsv(dir.file("c.csv")));  // no time-like name
    EXPECT_FALSE(isBehaviourCsv(write(dir, "m.csv", "1,2\n3,4\n")));
    EXPECT_FALSE(isBehaviourCsv(dir.file("none.csv")));
}

TEST(BehaviourCsv, RefusesMalformedFilesNamingThem)
{
    TempDir dir;
    const auto refused = [&](const std::string& text, const std::string& column = "") {
        const std::string path = write(dir, "bad.csv", text);
        try {
            readBehaviourCsv(path, column);
        } catch (const InputError& e) {
            return std::string(e.what()).find("bad.csv") != std::string::npos;
        }
        return false;
    };
    EXPECT_TRUE(refused(""));
    EXPECT_TRUE(refused("1,2\n3,4\n"));                  // no header
    EXPECT_TRUE(refused("time\n1\n"));                   // no series
    EXPECT_TRUE(refused("time,speed\n"));                // no rows
    EXPECT_TRUE(refused("time,speed\n1,2\n0.5,3\n"));    // time goes back
    EXPECT_TRUE(refused("time,speed\n1,2\n,3\n"));       // time missing
    EXPECT_TRUE(refused("time,speed\n1,fast\n"));        // not a number
    EXPECT_TRUE(refused("time,speed\n1,2,3\n"));         // too many fields
    EXPECT_TRUE(refused("time,speed\n1,inf\n"));         // infinite sample
    EXPECT_TRUE(refused("time,speed,speed\n1,2,3\n"));   // a name twice
    EXPECT_TRUE(refused("time,speed\n1,2\n", "clock"));  // no such column
    EXPECT_TRUE(refused("time;a,b\n1;2\n"));             // a ',' in a name
    EXPECT_TRUE(refused("time,speed\n1,1e39\n"));        // beyond a float
    EXPECT_THROW(readBehaviourCsv(dir.file("missing.csv")), InputError);
}

TEST(BehaviourCsv, ResamplesOntoTheBinsBySessionTime)
{
    TempDir dir;
    Recording rec = clocked();
    std::string text = samples(10, 23);
    // A blink: the sample at 11.25 s missing.
    text.replace(text.find("\n11.250000,11.250000,22.500000\n"),
                 std::string("\n11.250000,11.250000,22.500000\n").size(), "\n11.250000,nan,nan\n");
    attachBehaviour(rec, readBehaviourCsv(write(dir, "s.csv", text)), "s.csv");
    ASSERT_EQ(rec.behaviour.size(), 2u);
    const std::vector<float>& speed = rec.behaviour.at("speed");
    ASSERT_EQ(speed.size(), 6u);
    // Bin [k, k+1) holds k, k+.25, k+.5, k+.75: mean k + 0.375.
    EXPECT_FLOAT_EQ(speed[0], 10.375f);
    EXPECT_FLOAT_EQ(speed[1], float((11 + 11.5 + 11.75) / 3));  // the blink left out
    EXPECT_FLOAT_EQ(speed[2], 12.375f);
    EXPECT_FLOAT_EQ(speed[3], 20.375f);
    EXPECT_FLOAT_EQ(speed[5], 22.375f);
    EXPECT_FLOAT_EQ(rec.behaviour.at("pupil")[4], 2 * 21.375f);
    EXPECT_NO_THROW(rec.validate());

    // A log covering only the first repeat: the second is unknown (NaN), not invented.
    Recording part = clocked();
    attachBehaviour(part, readBehaviourCsv(write(dir, "p.csv", samples(10, 13))), "p.csv");
    EXPECT_FLOAT_EQ(part.behaviour.at("speed")[2], 12.375f);
    for (int b = 3; b < 6; ++b) EXPECT_TRUE(std::isnan(part.behaviour.at("speed")[std::size_t(b)]));

    // Nothing in common with the recording's clock, or no clock at all: refused.
    Recording other = clocked();
    EXPECT_THROW(
        attachBehaviour(other, readBehaviourCsv(write(dir, "o.csv", samples(100, 110))), "o.csv"),
        InputError);
    Recording unclocked = clocked();
    unclocked.stimulus.time.clear();
    EXPECT_THROW(attachBehaviour(unclocked, readBehaviourCsv(dir.file("s.csv")), "s.csv"),
                 UsageError);
}
