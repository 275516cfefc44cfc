// The NWB reader against Allen-layout fixtures whose counts were worked out by hand
// (NwbFixture.cpp): a 3-frame movie at 10 Hz, two blocks of two repeats, 2 sub-bins per frame (50
// ms).

#include "NwbFixture.h"
#include "TestSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/io/NwbReader.h"
#include "neurolens/io/ReaderRegistry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

using namespace neurolens;

namespace {

Recording readFixture(const test::TempDir& dir, const ReadOptions& options,
                      const test::NwbFixtureOptions& fixture = {})
{
    const std::string path = dir.file("session.nwb");
    test::writeNwbFixture(path, fixture);
    return ReaderRegistry::standard().read(path, options);
}

ReadOptions twoBinsPerFrame()
{
    ReadOptions o;
    o.binsPerFrame = 2;
    return o;
}

std::vector<float> unitCounts(const Recording& rec, int repeat, int unit)
{
    std::vector<float> v;
    for (int b = 0; b < rec.responses.bins(); ++b) v.push_back(rec.responses.at(repeat, b, unit));
    return v;
}

void expectInputError(const test::NwbFixtureOptions& fixture, const std::string& fragment)
{
    test::TempDir dir;
    try {
        readFixture(dir, twoBinsPerFrame(), fixture);
        FAIL() << "no error, expected: " << fragment;
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("session.nwb"), std::string::npos) << e.what();
    }
}

}  // namespace

TEST(NwbReader, RecognisedByContent)
{
    test::TempDir dir;
    const std::string path = dir.file("no_extension_hint.h5");
    test::writeNwbFixture(path);
    EXPECT_EQ(NwbReader().score(path), 90);
    EXPECT_EQ(ReaderRegistry::standard().pick(path)->name(), "nwb");
}

TEST(NwbReader, CountsSpikesExactlyInTheFirstBlock)
{
    test::TempDir dir;
    const Recording rec = readFixture(dir, twoBinsPerFrame());
    EXPECT_EQ(rec.format, "nwb");
    ASSERT_EQ(rec.units.id,
              (std::vector<std::int64_t>{11, 12}));  // the two units passing the filter
    EXPECT_EQ(rec.units.area, (std::vector<std::string>{"VISp", "VISl"}));
    EXPECT_EQ(rec.responses.repeats(), 2);
    EXPECT_EQ(rec.responses.bins(), 6);
    EXPECT_EQ(rec.responses.binsPerFrame(), 2);
    EXPECT_NEAR(rec.responses.binRateHz(), 20.0, 1e-9);
    EXPECT_EQ(rec.stimulus.frame, (std::vector<std::int32_t>{0, 0, 1, 1, 2, 2}));
    // Unit 11: 10.01 | 10.06 10.07 | - | - | - | 10.27 ; then 10.30 at the start of repeat 1 (10.61
    // is past the block, 5.0 before it, 20.04 in the other block).
    EXPECT_EQ(unitCounts(rec, 0, 0), (std::vector<float>{1, 2, 0, 0, 0, 1}));
    EXPECT_EQ(unitCounts(rec, 1, 0), (std::vector<float>{1, 0, 0, 0, 0, 0}));
    // Unit 12: 10.12 in frame 1, first half; 10.47 in repeat 1, frame 1, second half.
    EXPECT_EQ(unitCounts(rec, 0, 1), (std::vector<float>{0, 0, 1, 0, 0, 0}));
    EXPECT_EQ(unitCounts(rec, 1, 1), (std::vector<float>{0, 0, 0, 1, 0, 0}));
    EXPECT_EQ(rec.units.qc.at("presence_ratio")[1], 0.96);
    EXPECT_EQ(rec.units.qc.at("quality_good")[0], 1.0);
}

TEST(NwbReader, SecondBlock)
{
    test::TempDir dir;
    ReadOptions o = twoBinsPerFrame();
    o.block = 1;
    const Recording rec = readFixture(dir, o);
    EXPECT_EQ(unitCounts(rec, 0, 0), (std::vector<float>{1, 0, 0, 0, 0, 0}));  // 20.04
    EXPECT_EQ(unitCounts(rec, 1, 1), (std::vector<float>{0, 0, 0, 0, 0, 1}));  // 20.57
    EXPECT_EQ(rec.stimulus.block, (std::vector<std::int32_t>{1, 1}));
    o.block = 2;
    EXPECT_THROW(readFixture(dir, o), UsageError);
}

TEST(NwbReader, AllBlocksAsOneRecording)
{
    test::TempDir dir;
    ReadOptions o = twoBinsPerFrame();
    o.block = ReadOptions::kAllBlocks;
    const Recording rec = readFixture(dir, o);
    ASSERT_EQ(rec.responses.repeats(), 4);
    EXPECT_EQ(rec.stimulus.block, (std::vector<std::int32_t>{0, 0, 1, 1}));
    // The first block's repeats then the second's, each counted as when read alone.
    EXPECT_EQ(unitCounts(rec, 0, 0), (std::vector<float>{1, 2, 0, 0, 0, 1}));
    EXPECT_EQ(unitCounts(rec, 1, 0), (std::vector<float>{1, 0, 0, 0, 0, 0}));
    EXPECT_EQ(unitCounts(rec, 2, 0), (std::vector<float>{1, 0, 0, 0, 0, 0}));  // 20.04
    EXPECT_EQ(unitCounts(rec, 3, 1), (std::vector<float>{0, 0, 0, 0, 0, 1}));  // 20.57
    EXPECT_TRUE(rec.warnings.empty());
}

TEST(NwbReader, AllBlocksSaysWhichBlockLostARepeat)
{
    test::TempDir dir;
    const std::string path = dir.file("session.nwb");
    test::NwbFixtureOptions o;
    o.hugeFrame = true;
    test::writeNwbFixture(path, o);
    ReadOptions read;
    read.block = ReadOptions::kAllBlocks;
    read.qcFilter = false;
    const Recording rec = ReaderRegistry::standard().read(path, read);
    EXPECT_EQ(rec.responses.repeats(), 3);  // one of block 0, both of block 1
    EXPECT_EQ(rec.stimulus.block, (std::vector<std::int32_t>{0, 1, 1}));
    ASSERT_FALSE(rec.warnings.empty());
    EXPECT_NE(rec.warnings[0].find("block 0, presentations 3-4"), std::string::npos)
        << rec.warnings[0];
}

TEST(NwbReader, AreaAndFilterSelection)
{
    test::TempDir dir;
    ReadOptions o = twoBinsPerFrame();
    o.area = "VISl";
    Recording rec = readFixture(dir, o);
    ASSERT_EQ(rec.units.id, (std::vector<std::int64_t>{12}));
    EXPECT_EQ(unitCounts(rec, 1, 0), (std::vector<float>{0, 0, 0, 1, 0, 0}));
    o.area = "LGd";
    EXPECT_THROW(readFixture(dir, o), UsageError);
    o.area.clear();
    o.qcFilter = false;
    rec = readFixture(dir, o);
    EXPECT_EQ(rec.units.size(), 7);
    EXPECT_EQ(rec.units.area[3], "unknown");  // peak channel outside the brain
    EXPECT_EQ(rec.units.area[4], "VISp");     // invalid channel, kept without the filter
    EXPECT_EQ(unitCounts(rec, 0, 2),
              (std::vector<float>{1, 0, 1, 0, 0, 0}));  // 10.0 and 10.1 on the edges
}

// More units than the reader bins at once, with and without the filter (which leaves gaps between
// the units read): every count as a direct count of the unit's spikes in the bin.
TEST(NwbReader, ManyUnitsCountedInBatchesAsOneByOne)
{
    test::TempDir dir;
    test::NwbFixtureOptions fixture;
    fixture.extraUnits = 150;
    for (const bool filter : {true, false}) {
        ReadOptions o = twoBinsPerFrame();
        o.qcFilter = filter;
        const Recording rec = readFixture(dir, o, fixture);
        ASSERT_EQ(rec.units.size(), filter ? 2 + 100 : 7 + 150);
        int checked = 0;
        for (int u = 0; u < rec.units.size(); ++u) {
            const int k = int(rec.units.id[std::size_t(u)]) - 1000;
            if (k < 0) continue;
            EXPECT_FALSE(filter && k % 3 == 2) << "unit " << k << " fails the filter";
            const std::vector<double> spikes = test::extraUnitSpikes(k);
            for (int r = 0; r < 2; ++r)
                for (int b = 0; b < 6; ++b) {
                    const double lo = 10.0 + 0.3 * r + 0.05 * b, hi = lo + 0.05;
                    const auto n = std::count_if(spikes.begin(), spikes.end(),
                                                 [&](double t) { return t >= lo && t < hi; });
                    ASSERT_EQ(rec.responses.at(r, b, u), float(n))
                        << "unit " << k << " repeat " << r << " bin " << b;
                }
            ++checked;
        }
        EXPECT_EQ(checked, filter ? 100 : 150);
    }
}

TEST(NwbReader, IndexDtypesAndStringStorageDoNotMatter)
{
    test::TempDir dir;
    test::NwbFixtureOptions fixture;
    fixture.indexType = H5T_STD_U16LE;
    fixture.fixedLengthLocation = false;
    const Recording a = readFixture(dir, twoBinsPerFrame(), fixture);
    fixture.indexType = H5T_STD_I64LE;
    const Recording b = readFixture(dir, twoBinsPerFrame(), fixture);
    EXPECT_EQ(a.responses.values(), b.responses.values());
    EXPECT_EQ(a.units.area, (std::vector<std::string>{"VISp", "VISl"}));
    EXPECT_EQ(unitCounts(a, 0, 0), (std::vector<float>{1, 2, 0, 0, 0, 1}));
}

TEST(NwbReader, SummaryWithoutReadingSpikes)
{
    test::TempDir dir;
    const std::string path = dir.file("s.nwb");
    test::writeNwbFixture(path);
    const NwbSummary s = NwbReader::summarize(path);
    EXPECT_EQ(s.units, 7);
    EXPECT_EQ(s.unitsPassingQc, 2);
    EXPECT_EQ(s.areas.at("VISp"), 4);
    EXPECT_EQ(s.areasQc.at("VISl"), 1);
    ASSERT_EQ(s.stimuli.size(), 2u);  // spontaneous has no frame column
    EXPECT_EQ(s.stimuli[0].name, "natural_movie_one");
    EXPECT_EQ(s.stimuli[0].repeatsPerBlock, (std::vector<int>{2, 2}));
    EXPECT_EQ(s.stimuli[1].name, "natural_movie_one_shuffled");  // listed after the ordered movie
    EXPECT_EQ(s.stimuli[1].repeatsPerBlock, (std::vector<int>{2}));
}

TEST(NwbReader, BrokenFilesGiveClearErrors)
{
    test::NwbFixtureOptions broken;
    broken.dropIndex = true;
    expectInputError(broken, "/units/spike_times_index: missing");
    broken = {};
    broken.indexPastEnd = true;
    expectInputError(broken, "past the end of /units/spike_times");
    broken = {};
    broken.decreasingIndex = true;
    expectInputError(broken, "spike_times_index: decreases at row");
    broken = {};
    broken.nanPresentation = true;
    expectInputError(broken, "invalid interval");
}

TEST(NwbReader, TruncatedFile)
{
    test::TempDir dir;
    const std::string path = dir.file("session.nwb");
    test::writeNwbFixture(path);
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(bytes.data(), long(bytes.size() / 3));
    EXPECT_THROW(ReaderRegistry::standard().read(path), InputError);
}

TEST(NwbReader, ShuffledMovieRepeatsAreReorderedByFrame)
{
    test::TempDir dir;
    ReadOptions o = twoBinsPerFrame();
    o.stimulus = "natural_movie_one_shuffled";
    o.qcFilter = false;
    const Recording rec = readFixture(dir, o);
    EXPECT_EQ(rec.responses.repeats(), 2);
    EXPECT_EQ(rec.stimulus.frame, (std::vector<std::int32_t>{0, 0, 1, 1, 2, 2}));
    // Unit 12 fires at 30.02 s, in the first presentation, which showed frame 2: after reordering
    // that is repeat 0, frame 2, first sub-bin.
    EXPECT_EQ(unitCounts(rec, 0, 1), (std::vector<float>{0, 0, 0, 0, 1, 0}));
    EXPECT_EQ(unitCounts(rec, 1, 1), (std::vector<float>{0, 0, 0, 0, 0, 0}));
}

TEST(NwbReader, ARepeatIsNeverDroppedWithoutAWord)
{
    // Presentation 4 shows frame 10^9: block 0's second repeat breaks in two, neither whole. Both
    // are skipped, and the recording says so, naming the presentation.
    test::TempDir dir;
    const std::string path = dir.file("session.nwb");
    test::NwbFixtureOptions o;
    o.hugeFrame = true;
    test::writeNwbFixture(path, o);
    ReadOptions read;
    read.block = 0;
    read.qcFilter = false;
    const Recording rec = ReaderRegistry::standard().read(path, read);
    EXPECT_EQ(rec.responses.repeats(), 1);
    ASSERT_EQ(rec.warnings.size(), 3u);
    EXPECT_NE(rec.warnings[0].find("presentations 3-4 (2 of 3 presentations) skipped"),
              std::string::npos)
        << rec.warnings[0];
    EXPECT_NE(
        rec.warnings[1].find("presentation 4 shows frame 1000000000, beyond the movie's 3 frames"),
        std::string::npos)
        << rec.warnings[1];
    EXPECT_NE(rec.warnings[2].find("presentations 5-5 (1 of 3 presentations)"), std::string::npos)
        << rec.warnings[2];
    // A whole file reads without warnings.
    test::writeNwbFixture(path);
    EXPECT_TRUE(ReaderRegistry::standard().read(path, read).warnings.empty());
}

// The standard NWB layout (written by h5py: make_nwb_fixtures.py): areas through the units'
// electrodes region, a filter with only the columns the file has, units without an area kept as
// "unknown", and the stimulus from `trials` with a frame column of another name.
namespace {

std::string standardFixture()
{
    return test::sourceDir() + "/tests/core/io/fixtures/standard_units.nwb";
}

ReadOptions standardOptions()
{
    ReadOptions o = twoBinsPerFrame();
    o.block = 0;
    return o;
}

}  // namespace

TEST(NwbStandardLayout, AreasThroughTheElectrodesRegion)
{
    EXPECT_EQ(ReaderRegistry::standard().pick(standardFixture())->name(), "nwb");
    ReadOptions o = standardOptions();
    o.qcFilter = false;
    const Recording all = ReaderRegistry::standard().read(standardFixture(), o);
    EXPECT_EQ(all.units.id, (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
    // Unit 3: electrode rows 2, 0, 1 (CA1, VISp, VISp): the majority. Rows, not ids (10-13).
    EXPECT_EQ(all.units.area,
              (std::vector<std::string>{"VISp", "CA1", "VISp", "unknown", "unknown"}));
    EXPECT_EQ(all.units.qc.count("electrodes"), 0u);  // a reference, not a per-unit value
}

TEST(NwbStandardLayout, FilterAppliesTheColumnsTheFileHasAndSaysSo)
{
    const Recording rec = ReaderRegistry::standard().read(standardFixture(), standardOptions());
    // Unit 2 fails isi_violations; 4 and 5 have no area and are kept.
    EXPECT_EQ(rec.units.id, (std::vector<std::int64_t>{1, 3, 4, 5}));
    ASSERT_EQ(rec.warnings.size(), 1u);
    EXPECT_EQ(rec.warnings[0].rfind("the quality filter applied isi_violations <= 0.5; the file "
                                    "has no column for quality good, amplitude_cutoff",
                                    0),
              0u)
        << rec.warnings[0];
    const NwbSummary s = NwbReader::summarize(standardFixture());
    EXPECT_EQ(s.qcApplied, (std::vector<std::string>{"isi_violations <= 0.5"}));
    EXPECT_EQ(s.qcAbsent.size(), 5u);
    EXPECT_EQ(s.areaSource, "electrodes");
    EXPECT_EQ(s.unitsPassingQc, 4);
    EXPECT_EQ(s.areasQc, (std::map<std::string, int>{{"VISp", 2}, {"unknown", 2}}));
    EXPECT_EQ(s.areas, (std::map<std::string, int>{{"CA1", 1}, {"VISp", 2}, {"unknown", 2}}));

    ReadOptions unknown = standardOptions();
    unknown.area = "unknown";
    EXPECT_EQ(ReaderRegistry::standard().read(standardFixture(), unknown).units.id,
              (std::vector<std::int64_t>{4, 5}));
    // An Allen file has every criterion: nothing to say.
    test::TempDir dir;
    EXPECT_TRUE(readFixture(dir, twoBinsPerFrame()).warnings.empty());
}

TEST(NwbStandardLayout, TrialsWithAFrameColumnDriveTheStimulus)
{
    const Recording rec = ReaderRegistry::standard().read(standardFixture(), standardOptions());
    ASSERT_EQ(rec.responses.repeats(), 3);
    ASSERT_EQ(rec.responses.bins(), 6);
    EXPECT_EQ(rec.stimulus.frame, (std::vector<std::int32_t>{0, 0, 1, 1, 2, 2}));
    EXPECT_NEAR(rec.responses.binRateHz(), 40.0, 1e-9);
    // Unit 1: 100.01 100.03 100.11 | 101.06 | 102.14 (99.0 and 105.0 outside every repeat).
    EXPECT_EQ(unitCounts(rec, 0, 0), (std::vector<float>{1, 1, 0, 0, 1, 0}));
    EXPECT_EQ(unitCounts(rec, 1, 0), (std::vector<float>{0, 0, 1, 0, 0, 0}));
    EXPECT_EQ(unitCounts(rec, 2, 0), (std::vector<float>{0, 0, 0, 0, 0, 1}));
    // Unit 3: 100.06 | 101.07 101.08 | 102.12.
    EXPECT_EQ(unitCounts(rec, 0, 1), (std::vector<float>{0, 0, 1, 0, 0, 0}));
    EXPECT_EQ(unitCounts(rec, 1, 1), (std::vector<float>{0, 0, 1, 1, 0, 0}));
    EXPECT_EQ(unitCounts(rec, 2, 1), (std::vector<float>{0, 0, 0, 0, 1, 0}));
    // Every bin's start on the session's clock.
    ASSERT_EQ(rec.stimulus.time.size(), 18u);
    EXPECT_DOUBLE_EQ(rec.stimulus.sessionTime(2, 5, 6), 102.125);
    EXPECT_DOUBLE_EQ(rec.stimulus.sessionTime(1, 0, 6), 101.0);

    const NwbSummary s = NwbReader::summarize(standardFixture());
    ASSERT_EQ(s.stimuli.size(), 1u);  // epochs has no frame column
    EXPECT_EQ(s.stimuli[0].name, "trials");
    EXPECT_EQ(s.stimuli[0].frameColumn, "movie_frame");  // a name ending in "frame" first
    ASSERT_EQ(s.stimuli[0].columns.size(), 2u);
    EXPECT_EQ(s.stimuli[0].columns[1].name, "frame_in_block");
    EXPECT_EQ(s.stimuli[0].columns[1].framesPerRepeat, 9);  // one repeat of nine "frames"

    ReadOptions o = standardOptions();
    o.frameColumn = "frame_in_block";
    const Recording one = ReaderRegistry::standard().read(standardFixture(), o);
    EXPECT_EQ(one.responses.repeats(), 1);
    EXPECT_EQ(one.responses.bins(), 18);
}

TEST(NwbStandardLayout, StimulusChoicesThatCannotWorkAreRefusedWithTheirReason)
{
    auto expectError = [](const ReadOptions& o, const std::string& fragment) {
        try {
            ReaderRegistry::standard().read(standardFixture(), o);
            FAIL() << "no error, expected: " << fragment;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("standard_units.nwb"), std::string::npos);
        }
    };
    ReadOptions o = standardOptions();
    o.stimulus = "epochs";
    expectError(o, "/intervals/epochs has no frame column; name the column");
    o.stimulus = "gratings";
    expectError(o, "no stimulus table 'gratings'; the file has trials");
    o.stimulus = "trials";
    o.frameColumn = "contrast";  // 0.5: not a frame index
    expectError(o, "/intervals/trials/contrast: presentation 0 has no valid frame");
    o.frameColumn = "orientation";
    expectError(o,
                "no numeric column 'orientation' with one value per presentation; its "
                "numeric columns: contrast, frame_in_block, movie_frame");
}
