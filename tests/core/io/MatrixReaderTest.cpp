// The plain-matrix reader against fixtures/matrix (numpy and h5py wrote them:
// make_matrix_fixtures.py): unit u at time point t holds 100 u + t; a 4-frame movie, 2 time points
// a frame, shown from t = 0, 10 and 19, and once more cut short (left out). Broken inputs are
// written here.

#include "TestSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/io/MatrixReader.h"
#include "neurolens/io/ReaderRegistry.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace neurolens;

namespace {

std::string fixture(const std::string& name)
{
    return test::sourceDir() + "/tests/core/io/fixtures/matrix/" + name;
}

Recording read(const std::string& path, const ReadOptions& options)
{
    return ReaderRegistry::standard().read(path, options);
}

ReadOptions withFrames(const std::string& frames = fixture("frames.npy"))
{
    ReadOptions o;
    o.frameIndices = frames;
    return o;
}

// The fixture's layout and values (scaled and shifted for the continuous CSV).
void expectSession(const Recording& rec, double scale = 1.0, double shift = 0.0)
{
    const Responses& r = rec.responses;
    EXPECT_EQ(rec.format, "matrix");
    ASSERT_EQ(r.repeats(), 3);
    ASSERT_EQ(r.bins(), 8);
    EXPECT_EQ(r.binsPerFrame(), 2);
    EXPECT_NEAR(r.binRateHz(), 60.0, 1e-9);  // 30 Hz frames, two time points each
    ASSERT_EQ(r.units(), 3);
    EXPECT_EQ(rec.stimulus.frame, (std::vector<std::int32_t>{0, 0, 1, 1, 2, 2, 3, 3}));
    EXPECT_EQ(rec.units.id, (std::vector<std::int64_t>{0, 1, 2}));
    const int start[3] = {0, 10, 19};
    for (int rep = 0; rep < 3; ++rep)
        for (int b = 0; b < 8; ++b)
            for (int u = 0; u < 3; ++u)
                EXPECT_NEAR(r.at(rep, b, u), scale * (100.0 * u + start[rep] + b) + shift, 1e-4)
                    << rep << " " << b << " " << u;
    ASSERT_EQ(rec.warnings.size(), 1u);
    EXPECT_NE(rec.warnings[0].find("time points 27-32"), std::string::npos) << rec.warnings[0];
}

std::string writeText(const test::TempDir& dir, const std::string& name, const std::string& text)
{
    const std::string path = dir.file(name);
    std::ofstream(path) << text;
    return path;
}

template <typename E>
std::string errorOf(const std::string& path, const ReadOptions& options)
{
    try {
        read(path, options);
    } catch (const E& e) {
        return e.what();
    }
    ADD_FAILURE() << path << " was read";
    return {};
}

}  // namespace

TEST(MatrixReader, UnitsByTimeNpyWithAFramesFile)
{
    const Recording rec = read(fixture("units_by_time.npy"), withFrames());
    EXPECT_FALSE(rec.responses.continuous());  // whole, non-negative: counts
    expectSession(rec);
    EXPECT_TRUE(rec.stimulus.time.empty());  // a matrix has no clock
}

TEST(MatrixReader, NpzWithItsLabelsInside)
{
    const Recording rec = read(fixture("time_by_units.npz"), ReadOptions{});
    expectSession(rec);
}

TEST(MatrixReader, CsvOfContinuousValuesWithAHeader)
{
    const Recording rec = read(fixture("continuous.csv"), withFrames(fixture("frames.csv")));
    EXPECT_TRUE(rec.responses.continuous());
    expectSession(rec, 0.5, -3.0);
}

TEST(MatrixReader, Hdf5DatasetWithFramesBesideIt)
{
    EXPECT_EQ(ReaderRegistry::standard().pick(fixture("session.h5"))->name(), "matrix");
    expectSession(read(fixture("session.h5"), ReadOptions{}));
    ReadOptions o;
    o.matrix = "/session/nothing";
    EXPECT_NE(errorOf<UsageError>(fixture("session.h5"), o).find("/session/responses"),
              std::string::npos);
}

TEST(MatrixReader, SquareMatrixNeedsTheOrientation)
{
    ReadOptions o = withFrames();
    EXPECT_NE(errorOf<UsageError>(fixture("square.npy"), o).find("--orientation"),
              std::string::npos);
    o.orientation = "time-by-units";
    const Recording rec = read(fixture("square.npy"), o);
    EXPECT_EQ(rec.responses.units(), 33);
    EXPECT_EQ(rec.responses.at(1, 0, 5), 5.0f);  // every row is unit 0's values
    o.orientation = "units-by-time";
    EXPECT_EQ(read(fixture("square.npy"), o).responses.at(1, 0, 5), 10.0f);
}

TEST(MatrixReader, SummaryWithoutValues)
{
    const MatrixSummary s = MatrixReader::summarize(fixture("time_by_units.npz"));
    EXPECT_EQ(s.kind, "npz");
    ASSERT_EQ(s.arrays.size(), 1u);
    EXPECT_EQ(s.arrays[0].name, "responses.npy");
    EXPECT_EQ(s.arrays[0].rows, 33u);
    EXPECT_EQ(s.framesArray, "frames.npy");
    EXPECT_EQ(s.repeatsArray, "repeats.npy");
    EXPECT_EQ(s.labels, 33u);
}

TEST(MatrixReader, RefusesWhatItCannotLayOut)
{
    const test::TempDir dir;
    EXPECT_NE(errorOf<UsageError>(fixture("units_by_time.npy"), ReadOptions{}).find("--frames"),
              std::string::npos);
    const std::string tooFew = writeText(dir, "few.csv", "0\n0\n1\n1\n");
    EXPECT_NE(errorOf<InputError>(fixture("units_by_time.npy"), withFrames(tooFew))
                  .find("but there are 4 frame labels"),
              std::string::npos);
    // Frames spanning 2 time points, then 1.
    const std::string uneven = writeText(dir, "uneven.csv", "0\n0\n1\n2\n2\n");
    const std::string m5 = writeText(dir, "m5.csv", "1,2\n3,4\n5,6\n7,8\n9,10\n");
    EXPECT_NE(errorOf<InputError>(m5, withFrames(uneven)).find("spans 1 time points"),
              std::string::npos);
    const std::string fractional = writeText(dir, "fractional.csv", "0\n0.5\n1\n1\n2\n");
    EXPECT_NE(
        errorOf<InputError>(m5, withFrames(fractional)).find("frame label 1 is not a whole number"),
        std::string::npos);
    const std::string five = writeText(dir, "five.csv", "0\n1\n2\n3\n4\n");
    const std::string ragged = writeText(dir, "ragged.csv", "1,2\n3,4\n5\n7,8\n9,10\n");
    EXPECT_NE(errorOf<InputError>(ragged, withFrames(five)).find("line 3 has 1 values"),
              std::string::npos);
    const std::string word = writeText(dir, "word.csv", "a,b\n1,2\n3,x4\n5,6\n7,8\n9,10\n");
    EXPECT_NE(errorOf<InputError>(word, withFrames(five)).find("line 3: 'x4' is not a number"),
              std::string::npos);
    const std::string nan = writeText(dir, "nan.csv", "1,2\n3,4\n5,nan\n7,8\n9,10\n");
    EXPECT_NE(errorOf<InputError>(nan, withFrames(five))
                  .find("not a finite number (unit 1, time point 2)"),
              std::string::npos);
    const std::string none = writeText(dir, "none.csv", "-1\n-1\n-1\n-1\n-1\n");
    EXPECT_NE(errorOf<InputError>(m5, withFrames(none)).find("no time point shows"),
              std::string::npos);
}
