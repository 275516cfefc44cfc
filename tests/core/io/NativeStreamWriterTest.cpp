// NativeStreamWriter: responses stored while they are read give the same file as writeNative, and
// whatever goes wrong leaves nothing behind.

#include "TestSupport.h"

#include "io/Hdf5File.h"
#include "neurolens/data/Error.h"
#include "neurolens/io/NativeWriter.h"
#include "neurolens/io/ReaderRegistry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <memory>
#include <stdexcept>

using namespace neurolens;

namespace {

Recording continuousRecording()
{
    Recording rec = test::smallRecording(4, 6, 5, 2);
    rec.responses.sampleMatrix().array() -= 1.5f;
    rec.responses.setContinuous(true);
    rec.stimulus.time.resize(std::size_t(rec.responses.samples()));
    for (std::size_t i = 0; i < rec.stimulus.time.size(); ++i)
        rec.stimulus.time[i] = 100.0 + 0.05 * double(i);
    rec.behaviour["running_speed"].assign(rec.stimulus.time.size(), 2.5f);
    return rec;
}

void expectSameFile(const Recording& rec, const std::string& path)
{
    const Recording back = ReaderRegistry::standard().read(path);
    EXPECT_TRUE(back.responses.continuous());
    EXPECT_EQ(back.responses.repeats(), rec.responses.repeats());
    EXPECT_EQ(back.responses.bins(), rec.responses.bins());
    EXPECT_EQ(back.responses.values(), rec.responses.values());
    EXPECT_EQ(back.responses.binsPerFrame(), rec.responses.binsPerFrame());
    EXPECT_EQ(back.units.id, rec.units.id);
    EXPECT_EQ(back.units.area, rec.units.area);
    EXPECT_EQ(back.stimulus.frame, rec.stimulus.frame);
    EXPECT_EQ(back.stimulus.time, rec.stimulus.time);
    EXPECT_EQ(back.behaviour, rec.behaviour);
}

std::size_t filesIn(const std::string& dir)
{
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) n += entry.is_regular_file();
    return n;
}

}  // namespace

TEST(NativeStreamWriter, RowsHandedInPiecesGiveTheFileWriteNativeWrites)
{
    const test::TempDir dir;
    const Recording rec = continuousRecording();
    const std::string path = dir.file("s.neurolens.h5");
    NativeStreamWriter w(path, {false});
    ASSERT_TRUE(w.begin(rec.responses));
    w.rows(0, 5);
    w.rows(5, 1);
    w.rows(6, rec.responses.samples() - 6);
    EXPECT_FALSE(std::filesystem::exists(path));  // only the temporary file, until finished
    w.finish(rec);
    EXPECT_TRUE(w.streamed());
    expectSameFile(rec, path);
    {
        const Hdf5File f = Hdf5File::openRead(path);
        EXPECT_EQ(f.stringAttribute("/responses/counts", "values").value_or(""), "continuous");
    }
    EXPECT_EQ(filesIn(dir.path()), 1u);
}

TEST(NativeStreamWriter, ARecordingChangedAfterReadingIsWrittenWhole)
{
    const test::TempDir dir;
    Recording rec = continuousRecording();
    const std::string path = dir.file("s.neurolens.h5");
    NativeStreamWriter w(path, {false});
    ASSERT_TRUE(w.begin(rec.responses));
    w.rows(0, rec.responses.samples());
    Recording changed = rec;  // other values, elsewhere in memory
    changed.responses.at(1, 2, 3) = 42.0f;
    w.finish(changed);
    EXPECT_FALSE(w.streamed());
    expectSameFile(changed, path);
    EXPECT_EQ(filesIn(dir.path()), 1u);

    // Rows not all handed over: also written whole.
    const std::string partial = dir.file("p.neurolens.h5");
    NativeStreamWriter p(partial, {false});
    ASSERT_TRUE(p.begin(rec.responses));
    p.rows(0, 3);
    p.finish(rec);
    EXPECT_FALSE(p.streamed());
    expectSameFile(rec, partial);
}

TEST(NativeStreamWriter, CountsAndSmallDeflatableResponsesAreNotStreamed)
{
    const test::TempDir dir;
    const Recording counts = test::smallRecording();
    NativeStreamWriter c(dir.file("c.neurolens.h5"));
    EXPECT_FALSE(c.begin(counts.responses));
    c.finish(counts);
    EXPECT_FALSE(c.streamed());
    EXPECT_EQ(ReaderRegistry::standard().read(dir.file("c.neurolens.h5")).responses.values(),
              counts.responses.values());

    // Compression asked for, and the first rows would be deflated (small data always is).
    const Recording rec = continuousRecording();
    NativeStreamWriter d(dir.file("d.neurolens.h5"));
    ASSERT_TRUE(d.begin(rec.responses));
    d.rows(0, rec.responses.samples());
    d.finish(rec);
    EXPECT_FALSE(d.streamed());
    expectSameFile(rec, dir.file("d.neurolens.h5"));
}

// With compression asked for (convert's default), large data that deflating would not shrink (float
// noise, as ΔF/F traces are) is streamed raw.
TEST(NativeStreamWriter, LargeIncompressibleResponsesAreStreamedUnderCompression)
{
    const test::TempDir dir;
    Recording rec = test::smallRecording(4, 40, 32000, 1);  // 5 120 000 floats, 20 MB
    std::uint32_t x = 12345;
    float* v = rec.responses.data();
    for (std::int64_t i = 0; i < rec.responses.samples() * rec.responses.units(); ++i) {
        x = x * 1664525u + 1013904223u;
        v[i] = float(x >> 8) * 1e-7f - 0.8f;
    }
    rec.responses.setContinuous(true);
    const std::string path = dir.file("n.neurolens.h5");
    NativeStreamWriter w(path);
    ASSERT_TRUE(w.begin(rec.responses));
    w.rows(0, rec.responses.samples() - 10);
    w.rows(rec.responses.samples() - 10, 10);
    w.finish(rec);
    EXPECT_TRUE(w.streamed());
    EXPECT_EQ(ReaderRegistry::standard().read(path).responses.values(), rec.responses.values());
}

TEST(NativeStreamWriter, UnfinishedOrFailedLeavesNothingBehind)
{
    const test::TempDir dir;
    const Recording rec = continuousRecording();
    {
        NativeStreamWriter w(dir.file("u.neurolens.h5"), {false});
        ASSERT_TRUE(w.begin(rec.responses));
        w.rows(0, 4);
        EXPECT_EQ(filesIn(dir.path()), 1u);  // the temporary file
    }                                        // as when the reading throws or is cancelled
    EXPECT_EQ(filesIn(dir.path()), 0u);

    {
        // The rows handed over may be freed before the writer is done with them.
        auto gone = std::make_unique<Recording>(rec);
        NativeStreamWriter g(dir.file("g.neurolens.h5"), {false});
        ASSERT_TRUE(g.begin(gone->responses));
        g.rows(0, gone->responses.samples());
        gone.reset();
    }
    EXPECT_EQ(filesIn(dir.path()), 0u);

    NativeStreamWriter o(dir.file("o.neurolens.h5"), {false});
    ASSERT_TRUE(o.begin(rec.responses));
    o.rows(0, 4);
    EXPECT_THROW(o.rows(5, 2), std::logic_error);

    // An invalid recording is refused before the file is put in place.
    Recording bad = rec;
    NativeStreamWriter b(dir.file("b.neurolens.h5"), {false});
    ASSERT_TRUE(b.begin(bad.responses));
    b.rows(0, bad.responses.samples());
    bad.stimulus.frame.pop_back();
    EXPECT_THROW(b.finish(bad), InputError);
    EXPECT_TRUE(b.streamed());
    EXPECT_FALSE(std::filesystem::exists(dir.file("b.neurolens.h5")));
}

// The writer checks the values as it copies them: one that is not finite, in any piece, is refused
// at finish() with the scan that names where it is, and no file is left.
TEST(NativeStreamWriter, ANonFiniteValueHandedOverIsRefused)
{
    const test::TempDir dir;
    Recording rec = continuousRecording();
    rec.responses.at(2, 3, 1) = std::numeric_limits<float>::infinity();  // sample 15
    {
        NativeStreamWriter w(dir.file("i.neurolens.h5"), {false});
        ASSERT_TRUE(w.begin(rec.responses));
        w.rows(0, 16);  // the bad value in the first piece, then finite ones
        w.rows(16, rec.responses.samples() - 16);
        try {
            w.finish(rec);
            ADD_FAILURE() << "an infinite value was written";
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find("repeat 2, bin 3, unit 1"), std::string::npos)
                << e.what();
        }
        EXPECT_FALSE(std::filesystem::exists(dir.file("i.neurolens.h5")));
    }
    EXPECT_EQ(filesIn(dir.path()), 0u);
}

TEST(NativeStreamWriter, AFolderThatCannotBeWrittenIsAnOutputError)
{
    const test::TempDir dir;
    const Recording rec = continuousRecording();
    NativeStreamWriter w(dir.file("missing/x.neurolens.h5"), {false});
    ASSERT_TRUE(w.begin(rec.responses));
    try {
        w.rows(0, rec.responses.samples());
        w.finish(rec);
        FAIL() << "written into a missing folder";
    } catch (const OutputError& e) {
        EXPECT_NE(std::string(e.what()).find("x.neurolens.h5"), std::string::npos) << e.what();
    }
}
