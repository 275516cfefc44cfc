// The Kilosort / phy reader against fixtures/kilosort (written by numpy:
// make_kilosort_fixtures.py), whose counts are worked out by hand: 1 kHz samples, a 3-frame movie
// at 10 Hz shown from 10.0 s and 12.0 s, 2 sub-bins per frame (50 ms).

#include "TestSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/io/KilosortReader.h"
#include "neurolens/io/ReaderRegistry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

using namespace neurolens;

namespace {

std::string folder()
{
    return test::sourceDir() + "/tests/core/io/fixtures/kilosort";
}

ReadOptions options(const std::string& times = "frame_times.npy")
{
    ReadOptions o;
    o.binsPerFrame = 2;
    o.frameTimes = folder() + "/" + times;
    o.frameIndices = folder() + "/frames.npy";
    return o;
}

std::vector<float> unitCounts(const Recording& rec, int repeat, int unit)
{
    std::vector<float> v;
    for (int b = 0; b < rec.responses.bins(); ++b) v.push_back(rec.responses.at(repeat, b, unit));
    return v;
}

// A copy of the fixture folder, changed by `change`.
std::string changedCopy(const test::TempDir& dir,
                        const std::function<void(const std::string&)>& change)
{
    const std::string copy = dir.file("ks");
    std::filesystem::copy(folder(), copy, std::filesystem::copy_options::recursive);
    change(copy);
    return copy;
}

void expectError(const std::string& path, const ReadOptions& o, const std::string& fragment)
{
    try {
        ReaderRegistry::standard().read(path, o);
        FAIL() << "no error, expected: " << fragment;
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
}

}  // namespace

TEST(KilosortReader, RecognisedAsAFolder)
{
    EXPECT_EQ(KilosortReader().score(folder()), 95);
    EXPECT_EQ(ReaderRegistry::standard().pick(folder())->name(), "kilosort");
    EXPECT_EQ(KilosortReader().score(folder() + "/params.py"), 0);
    test::TempDir dir;
    std::filesystem::create_directory(dir.file("empty"));
    expectError(dir.file("empty"), {}, "not a Kilosort / phy output folder (no spike_times.npy");
}

TEST(KilosortReader, CountsCuratedGoodClustersExactly)
{
    const Recording rec = ReaderRegistry::standard().read(folder(), options());
    EXPECT_EQ(rec.format, "kilosort");
    // Cluster 3 is curated good over Kilosort's mua; 0 curated noise over good; 5 good.
    ASSERT_EQ(rec.units.id, (std::vector<std::int64_t>{3, 5}));
    EXPECT_EQ(rec.units.area, (std::vector<std::string>{"unknown", "unknown"}));
    ASSERT_EQ(rec.responses.repeats(), 2);
    ASSERT_EQ(rec.responses.bins(), 6);
    EXPECT_NEAR(rec.responses.binRateHz(), 20.0, 1e-9);
    EXPECT_EQ(rec.stimulus.frame, (std::vector<std::int32_t>{0, 0, 1, 1, 2, 2}));
    // Cluster 3: 10.01 10.06 10.12 | 10.29 (the last frame lasts the median 100 ms); 10.31 after
    // it; 12.00 on repeat 1's first edge.
    EXPECT_EQ(unitCounts(rec, 0, 0), (std::vector<float>{1, 1, 1, 0, 0, 1}));
    EXPECT_EQ(unitCounts(rec, 1, 0), (std::vector<float>{1, 0, 0, 0, 0, 0}));
    // Cluster 5: 10.16 | 12.26.
    EXPECT_EQ(unitCounts(rec, 0, 1), (std::vector<float>{0, 0, 0, 1, 0, 0}));
    EXPECT_EQ(unitCounts(rec, 1, 1), (std::vector<float>{0, 0, 0, 0, 0, 1}));
    EXPECT_EQ(rec.units.qc.at("n_spikes"), (std::vector<double>{6, 2}));
    EXPECT_EQ(rec.units.qc.at("depth_um"), (std::vector<double>{40, 60}));
    EXPECT_DOUBLE_EQ(rec.stimulus.sessionTime(1, 3, 6), 12.15);
}

TEST(KilosortReader, LabelsChooseTheClustersAndCsvOnsetsReadAlike)
{
    ReadOptions o = options("frame_times.csv");
    o.labels = {"good", "mua"};
    const Recording rec = ReaderRegistry::standard().read(folder(), o);
    ASSERT_EQ(rec.units.id, (std::vector<std::int64_t>{3, 5, 7}));
    EXPECT_EQ(unitCounts(rec, 1, 2), (std::vector<float>{0, 0, 1, 0, 0, 0}));  // 12.11
    EXPECT_EQ(rec.units.qc.at("label_good"), (std::vector<double>{1, 1, 0}));
    o.labels.clear();  // every cluster with spikes
    EXPECT_EQ(ReaderRegistry::standard().read(folder(), o).units.id,
              (std::vector<std::int64_t>{0, 3, 5, 7}));
    o.labels = {"unsure"};
    expectError(folder(), o,
                "no cluster with spikes is labelled unsure; the labels here: good 2, "
                "mua 1, noise 1");

    const KilosortSummary s = KilosortReader::summarize(folder());
    EXPECT_EQ(s.spikes, 11);
    EXPECT_EQ(s.clusters, 5);  // labelled (cluster 2 has no spikes)
    EXPECT_EQ(s.labels.at("good"), 3);
    EXPECT_DOUBLE_EQ(s.seconds, 12.26);
    ASSERT_EQ(s.frameFiles.size(), 3u);
    EXPECT_NE(s.frameFiles[0].find("frame_times.csv"), std::string::npos);
    EXPECT_EQ(s.labelSource, "cluster_group.tsv over cluster_KSLabel.tsv");
    EXPECT_DOUBLE_EQ(s.sampleRate, 1000.0);
    EXPECT_TRUE(s.hasDepth);
}

TEST(KilosortReader, WithoutFramesOneRepeatAndWithoutLabelsEveryCluster)
{
    test::TempDir dir;
    const std::string bare = changedCopy(dir, [](const std::string& f) {
        std::filesystem::remove(f + "/cluster_group.tsv");
        std::filesystem::remove(f + "/cluster_KSLabel.tsv");
        std::filesystem::remove(f + "/templates.npy");
    });
    ReadOptions o = options();
    o.frameTimes = bare + "/frame_times.npy";
    o.frameIndices.clear();  // frames 0-5: one repeat
    const Recording rec = ReaderRegistry::standard().read(bare, o);
    EXPECT_EQ(rec.responses.repeats(), 1);
    EXPECT_EQ(rec.responses.bins(), 12);
    EXPECT_EQ(rec.units.id, (std::vector<std::int64_t>{0, 3, 5, 7}));
    ASSERT_EQ(rec.warnings.size(), 1u);
    EXPECT_NE(rec.warnings[0].find("every cluster kept"), std::string::npos);
    EXPECT_EQ(rec.units.qc.count("depth_um"), 0u);
}

TEST(KilosortReader, RefusesWhatCannotBeRead)
{
    test::TempDir dir;
    ReadOptions none = options();
    none.frameTimes.clear();
    expectError(folder(), none, "give the frame onset times (--frame-times");
    const std::string noRate = changedCopy(
        dir, [](const std::string& f) { std::ofstream(f + "/params.py") << "dtype = 'int16'\n"; });
    expectError(noRate, options(), "params.py: has no 'sample_rate = ...' line");
    test::TempDir dir2;
    const std::string shortIds = changedCopy(dir2, [](const std::string& f) {
        // 3 cluster ids for 11 spikes: a hand-made .npy header
        std::ofstream out(f + "/spike_clusters.npy", std::ios::binary);
        std::string header = "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }";
        header.resize(118, ' ');
        header += '\n';
        out << "\x93NUMPY" << char(1) << char(0) << char(header.size()) << char(0) << header;
        const std::int32_t v[3] = {1, 2, 3};
        out.write(reinterpret_cast<const char*>(v), sizeof v);
    });
    expectError(shortIds, options(), "spike_clusters.npy: has 3 entries but");
    test::TempDir dir3;
    const std::string badLabels = changedCopy(dir3, [](const std::string& f) {
        std::ofstream(f + "/cluster_group.tsv") << "cluster_id\tgroup\nthree\tgood\n";
    });
    expectError(badLabels, options(), "cluster_group.tsv: line 2 is not 'cluster id<TAB>label'");
    test::TempDir dir4;
    const std::string times = dir4.file("times.csv");
    std::ofstream(times) << "t\n10.0\n10.1\n10.1\n";
    ReadOptions o = options();
    o.frameTimes = times;
    o.frameIndices.clear();
    expectError(folder(), o, "onset 2 (10.100000 s) is not after onset 1");
    std::ofstream(times) << "t\n10.0\nten\n";
    expectError(folder(), o, "line 3: 'ten' is not a number");
    o = options();
    o.frameIndices = times;
    std::ofstream(times) << "0\n1\n";
    expectError(folder(), o, "has 2 frame indices but");
}
