// Movies and per-frame features from the files users have (fixtures made by
// make_frame_data_fixtures.py): feature (frame f, dim d) = f + d / 10, pixel (f, y, x) = 40 f + 5 y
// + x.

#include "TestSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/io/FrameDataReader.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace neurolens;

namespace {
std::string fixture(const std::string& name)
{
    return test::sourceDir() + "/tests/core/io/fixtures/" + name;
}

void expectFeatures(const FrameFeatures& f)
{
    ASSERT_EQ(f.values.rows(), 6);
    ASSERT_EQ(f.values.cols(), 3);
    for (int i = 0; i < 6; ++i)
        for (int d = 0; d < 3; ++d)
            EXPECT_NEAR(f.values(i, d), i + d / 10.0, 1e-6) << i << "," << d;
}

void expectMovie(const Movie& m)
{
    ASSERT_EQ(m.frames, 6);
    ASSERT_EQ(m.height, 4);
    ASSERT_EQ(m.width, 5);
    EXPECT_EQ(m.frame(2)[1 * 5 + 3], 40 * 2 + 5 * 1 + 3);
    EXPECT_EQ(m.frame(5)[3 * 5 + 4], 40 * 5 + 15 + 4);
}
}  // namespace

TEST(FrameDataReader, FeaturesFromEveryFormat)
{
    for (const char* name :
         {"features.npy", "features_fortran.npy", "features.npz", "features_dataset.h5"})
        expectFeatures(readFeatures(fixture(name)));
    if (canReadTorchTensors()) {
        const FrameFeatures f = readFeatures(fixture("testfeat.pth"));
        expectFeatures(f);
        EXPECT_EQ(f.source.rfind("torch:", 0), 0u);
        // Saved from a CUDA tensor: read on this machine, which has none.
        expectFeatures(readFeatures(fixture("testfeat_cuda.pth")));
    } else {
        EXPECT_THROW(readFeatures(fixture("testfeat.pth")), InputError);
    }
}

TEST(FrameDataReader, MoviesFromNpyAllensH5AndHdf5)
{
    expectMovie(readMovie(fixture("movie.npy")));
    expectMovie(
        readMovie(fixture("natural_movie_1.h5")));        // an .npy in disguise, as Allen ships it
    expectMovie(readMovie(fixture("movie_dataset.h5")));  // picks the template, not the small cube
}

TEST(FrameDataReader, AttachChecksTheFrameCount)
{
    Recording rec = test::smallRecording(3, 12, 4, 2);  // 6 frames
    rec.movie.reset();
    attachMovie(rec, readMovie(fixture("movie.npy")), "movie.npy");
    EXPECT_EQ(rec.movie->frames, 6);
    attachFeatures(rec, "dino", readFeatures(fixture("features.npy")), "features.npy");
    EXPECT_NO_THROW(rec.validate());
    try {
        attachFeatures(rec, "bad", readFeatures(fixture("features_wrong_rows.npy")),
                       "features_wrong_rows.npy");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("5 rows but the recording's movie has 6 frames"),
                  std::string::npos)
            << e.what();
    }
    Recording longer = test::smallRecording(3, 16, 4, 2);  // 8 frames
    EXPECT_THROW(attachMovie(longer, readMovie(fixture("movie.npy")), "movie.npy"), InputError);
}

TEST(FrameDataReader, BadFilesAndNames)
{
    test::TempDir dir;
    std::ofstream(dir.file("notes.txt")) << "hello";
    EXPECT_THROW(readMovie(dir.file("notes.txt")), InputError);
    EXPECT_THROW(readFeatures(dir.file("notes.txt")), InputError);
    EXPECT_THROW(readFeatures(dir.file("missing.npy")), InputError);
    EXPECT_THROW(readMovie(fixture("features.npy")), InputError);  // float32 [6, 3] is not a movie
    // A truncated .npy.
    std::ifstream in(fixture("features.npy"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(dir.file("cut.npy"), std::ios::binary)
        .write(bytes.data(), long(bytes.size() - 20));
    EXPECT_THROW(readFeatures(dir.file("cut.npy")), InputError);
    EXPECT_EQ(featureName(
                  "/data/features/allen_movies/vit_base/8/movie_one_image_stack.npz/testfeat.pth"),
              "dino_vit_base_8");
    EXPECT_EQ(featureName("/x/gabor energy.npy"), "gabor_energy");
}
