#include "TestSupport.h"

#include "io/Hdf5File.h"
#include "neurolens/data/Error.h"
#include "neurolens/io/NativeReader.h"
#include "neurolens/io/NativeWriter.h"
#include "neurolens/io/ReaderRegistry.h"
#include "neurolens/preprocess/Preprocess.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace neurolens;

namespace {

Recording richRecording()
{
    Recording rec = test::smallRecording(3, 8, 5, 2);
    FrameFeatures f;
    f.source = "gabor";
    f.values = Eigen::MatrixXf(4, 3);
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 3; ++j) f.values(i, j) = float(i * 10 + j) / 7.0f;
    rec.features["gabor"] = f;
    Embedding e;
    e.method = "pca";
    e.params = R"({"components":2})";
    e.seed = 17;
    e.values = RowMatrixXf(24, 2);
    for (int i = 0; i < 24; ++i) e.values.row(i) << float(i), float(-i) / 3.0f;
    rec.results["pca"] = e;
    return rec;
}

void expectSame(const Recording& a, const Recording& b)
{
    EXPECT_EQ(a.units.id, b.units.id);
    EXPECT_EQ(a.units.area, b.units.area);
    EXPECT_EQ(a.units.qc, b.units.qc);
    EXPECT_EQ(a.responses.repeats(), b.responses.repeats());
    EXPECT_EQ(a.responses.bins(), b.responses.bins());
    EXPECT_EQ(a.responses.units(), b.responses.units());
    EXPECT_EQ(a.responses.binsPerFrame(), b.responses.binsPerFrame());
    EXPECT_DOUBLE_EQ(a.responses.binRateHz(), b.responses.binRateHz());
    EXPECT_EQ(a.responses.values(), b.responses.values());
    EXPECT_EQ(a.stimulus.frame, b.stimulus.frame);
    EXPECT_EQ(a.stimulus.block, b.stimulus.block);
    EXPECT_EQ(a.stimulus.time, b.stimulus.time);
    EXPECT_EQ(a.responses.continuous(), b.responses.continuous());
    ASSERT_EQ(a.movie.has_value(), b.movie.has_value());
    if (a.movie) {
        EXPECT_EQ(a.movie->pixels, b.movie->pixels);
    }
    ASSERT_EQ(a.features.size(), b.features.size());
    for (const auto& [name, f] : a.features) {
        EXPECT_EQ(f.source, b.features.at(name).source);
        EXPECT_TRUE(f.values.isApprox(b.features.at(name).values, 0.0f));
    }
    ASSERT_EQ(a.results.size(), b.results.size());
    for (const auto& [name, e] : a.results) {
        const Embedding& o = b.results.at(name);
        EXPECT_EQ(e.method, o.method);
        EXPECT_EQ(e.params, o.params);
        EXPECT_EQ(e.seed, o.seed);
        EXPECT_EQ(e.values, o.values);
    }
}

}  // namespace

TEST(NativeFile, RoundTripKeepsEverything)
{
    test::TempDir dir;
    const Recording rec = richRecording();
    const std::string path = dir.file("a.neurolens.h5");
    writeNative(rec, path);
    EXPECT_EQ(NativeReader().score(path), 100);
    const Recording back = ReaderRegistry::standard().read(path);
    EXPECT_EQ(back.format, "neurolens");
    EXPECT_EQ(back.source, path);
    expectSame(rec, back);
}

TEST(NativeFile, FractionalResponsesRoundTripAsFloat)
{
    test::TempDir dir;
    Recording rec = test::smallRecording();
    rec.responses.at(0, 0, 0) = 0.25f;
    rec.movie.reset();
    const std::string path = dir.file("f.neurolens.h5");
    writeNative(rec, path, {false});
    const Recording back = ReaderRegistry::standard().read(path);
    expectSame(rec, back);
}

// Continuous responses (dF/F, z-scores): negative values kept, stored as float32 even when whole,
// marked in the file; the same values as counts are refused.
TEST(NativeFile, ContinuousResponsesRoundTripWithTheirSign)
{
    test::TempDir dir;
    Recording rec = test::smallRecording(3, 8, 4, 2);
    rec.responses.sampleMatrix().array() -= 2.0f;  // whole, some negative
    EXPECT_THROW(rec.validate(), InputError);
    rec.responses.setContinuous(true);
    EXPECT_NO_THROW(rec.validate());
    const std::string path = dir.file("c.neurolens.h5");
    writeNative(rec, path);
    {
        const Hdf5File f = Hdf5File::openRead(path);
        EXPECT_EQ(f.stringAttribute("/responses/counts", "values").value_or(""), "continuous");
        EXPECT_EQ(f.info("/responses/counts").typeClass, H5T_FLOAT);
    }
    const Recording back = ReaderRegistry::standard().read(path);
    EXPECT_TRUE(back.responses.continuous());
    EXPECT_EQ(back.responses.values(), rec.responses.values());
    rec.responses.at(1, 2, 3) = std::nanf("");
    try {
        rec.validate();
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("non-finite value at repeat 1, bin 2, unit 3"),
                  std::string::npos)
            << e.what();
    }
}

TEST(NativeFile, InvalidRecordingLeavesExistingFileUntouched)
{
    test::TempDir dir;
    const std::string path = dir.file("keep.neurolens.h5");
    writeNative(test::smallRecording(), path);
    const auto before = std::filesystem::file_size(path);
    Recording bad = test::smallRecording();
    bad.responses.at(0, 0, 0) = -3.0f;
    EXPECT_THROW(writeNative(bad, path), InputError);
    EXPECT_EQ(std::filesystem::file_size(path), before);
    EXPECT_NO_THROW(ReaderRegistry::standard().read(path));
    // No temporary file is left behind.
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        files += entry.is_regular_file();
    EXPECT_EQ(files, 1);
}

TEST(NativeFile, WriteIntoMissingFolderFailsCleanly)
{
    test::TempDir dir;
    EXPECT_THROW(writeNative(test::smallRecording(), dir.file("no/such/folder/x.neurolens.h5")),
                 OutputError);
}

TEST(NativeFile, AddResultAddsAndReplaces)
{
    test::TempDir dir;
    const std::string path = dir.file("r.neurolens.h5");
    writeNative(richRecording(), path);
    Embedding e;
    e.method = "tsne";
    e.values = RowMatrixXf::Constant(24, 3, 1.5f);
    addResult(path, "tsne", e);
    e.values(0, 0) = 9.0f;
    addResult(path, "tsne", e);
    const Recording back = ReaderRegistry::standard().read(path);
    ASSERT_EQ(back.results.count("tsne"), 1u);
    EXPECT_EQ(back.results.at("tsne").values(0, 0), 9.0f);
    EXPECT_EQ(back.results.at("tsne").values.cols(), 3);
    EXPECT_EQ(back.results.count("pca"), 1u);
    EXPECT_THROW(addResult(path, "a/b", e), UsageError);
}

// The CLI's preprocessing has the reader average each frame's bins as it reads (the finer bins are
// never held whole): the recording must be exactly what averaging after a full read gives, in one
// window, in several of one repeat a chunk and in several of three (the writer's chunks for 150 000
// values a repeat), with behaviour (NaN where unknown) averaged as there and the results stored per
// finer bin left out as there.
TEST(NativeFile, AveragingFramesWhileReadingEqualsAveragingAfter)
{
    test::TempDir dir;
    for (const auto& [units, repeats] :
         {std::pair{5, 3}, std::pair{10000, 5}, std::pair{3125, 20}}) {
        Recording rec = test::smallRecording(repeats, 48, units, 4);
        rec.stimulus.block = std::vector<int>(std::size_t(repeats), 0);
        rec.stimulus.block.back() = 1;
        std::vector<float>& speed = rec.behaviour["running_speed"];
        for (int i = 0; i < repeats * 48; ++i)
            speed.push_back(i % 4 == 1 || (i / 4) % 5 == 2 ? std::nanf("") : float(i) / 3.0f);
        Embedding e;
        e.method = "pca";
        e.values = RowMatrixXf::Constant(Eigen::Index(repeats) * 48, 2, 1.5f);
        rec.results["pca"] = e;
        const std::string path = dir.file("avg" + std::to_string(units) + ".neurolens.h5");
        writeNative(rec, path);
        ReadOptions frames;
        frames.averageFrames = true;
        const Recording averaged = ReaderRegistry::standard().read(path, frames);
        const Recording after = averageBins(ReaderRegistry::standard().read(path), 4);
        EXPECT_EQ(averaged.responses.binsPerFrame(), 1);
        EXPECT_EQ(averaged.responses.bins(), 12);
        EXPECT_TRUE(averaged.results.empty());
        expectSame(after, averaged);
        ASSERT_EQ(averaged.behaviour.size(), 1u);
        const std::vector<float>& a = averaged.behaviour.at("running_speed");
        const std::vector<float>& b = after.behaviour.at("running_speed");
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            EXPECT_TRUE((std::isnan(a[i]) && std::isnan(b[i])) || a[i] == b[i]) << i;
        EXPECT_EQ(averaged.source, path);
    }
}

// Continuous values are averaged after reading, not by the reader (a unit's trace can change
// within a frame and not across frames: preprocessing decides on the finer bins).
TEST(NativeFile, AveragingFramesWhileReadingLeavesContinuousValues)
{
    test::TempDir dir;
    Recording rec = test::smallRecording(3, 8, 5, 2);
    rec.responses.setContinuous(true);
    rec.responses.at(0, 1, 2) = -0.5f;
    const std::string path = dir.file("c.neurolens.h5");
    writeNative(rec, path);
    ReadOptions frames;
    frames.averageFrames = true;
    const Recording back = ReaderRegistry::standard().read(path, frames);
    EXPECT_EQ(back.responses.binsPerFrame(), 2);
    expectSame(rec, back);
}

// Behaviour from a CSV is resampled onto the bins the reader returns: onto the finer ones, whose
// frame averages preprocessing then takes, so the reader does not average while it reads.
TEST(NativeFile, AveragingFramesWhileReadingStaysOffWithABehaviourCsv)
{
    test::TempDir dir;
    const std::string path = dir.file("b.neurolens.h5"), csv = dir.file("b.csv");
    writeNative(test::smallRecording(3, 8, 5, 2), path);  // repeats at 100, 110, 120 s
    {
        std::ofstream out(csv);
        out << "time,speed\n";
        for (int i = 0; i <= 1300; ++i) out << 99.0 + 0.02 * i << "," << i % 7 << "\n";
    }
    ReadOptions o;
    o.averageFrames = true;
    o.behaviourCsv = csv;
    const Recording rec = ReaderRegistry::standard().read(path, o);
    EXPECT_EQ(rec.responses.binsPerFrame(), 2);
    EXPECT_EQ(rec.behaviour.at("speed").size(), 24u);
}
