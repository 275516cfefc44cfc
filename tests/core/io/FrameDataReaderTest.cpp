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

// Each refused by our checks before LibTorch would act on it (make_damaged_torch_fixtures.py).
TEST(FrameDataReader, DamagedTorchFilesAreRefusedBeforeLibTorchReadsThem)
{
    for (const char* name :
         {"torch_string_bomb.pth", "torch_memo_bomb.pth", "torch_view_beyond_storage.pth",
          "torch_member_overrun.pth", "torch_stack_underflow.pth"}) {
        try {
            readFeatures(fixture(name));
            ADD_FAILURE() << name << " was accepted";
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
            if (canReadTorchTensors()) {
                EXPECT_EQ(std::string(e.what()).find("Exception raised from"), std::string::npos)
                    << e.what();
            }
        }
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

    // Headers that declared what the data could not hold (each read past its buffer before).
    auto npy = [&](const std::string& name, const std::string& header, std::size_t dataBytes) {
        std::string h = header;
        while ((10 + h.size() + 1) % 64 != 0) h += ' ';
        h += '\n';
        std::string file = std::string("\x93NUMPY\x01\x00", 8);
        file += char(h.size() & 0xff), file += char(h.size() >> 8);
        file += h + std::string(dataBytes, '\x01');
        std::ofstream(dir.file(name), std::ios::binary) << file;
        return dir.file(name);
    };
    // A shape whose element count wraps to a small number.
    EXPECT_THROW(readFeatures(npy("wrap.npy",
                                  "{'descr': '<f4', 'fortran_order': True, 'shape': (4294967296, "
                                  "4294967296), }",
                                  64)),
                 InputError);
    // 3-byte integers, read as 8-byte ones.
    EXPECT_THROW(readFeatures(npy(
                     "i3.npy", "{'descr': '<i3', 'fortran_order': False, 'shape': (6, 3), }", 54)),
                 InputError);
    EXPECT_THROW(
        readFeatures(
            npy("shape.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (6, x), }", 72)),
        InputError);
    // Found by fuzzing: digits run together across spaces made one huge dimension, and an empty
    // array with a huge dimension looped for minutes.
    EXPECT_THROW(readFeatures(npy("run.npy",
                                  "{'descr': '<f8', 'fortran_order': False, 'shape': (4( 0 "
                                  "444444444444,0), }",
                                  0)),
                 InputError);
    EXPECT_THROW(readFeatures(npy("empty.npy",
                                  "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, "
                                  "0), }",
                                  0)),
                 InputError);
    // An .npz whose directory says more than its entry holds: stored with a larger size, or
    // inflating to 4 GB.
    std::ifstream zin(fixture("features.npz"), std::ios::binary);
    const std::string zip((std::istreambuf_iterator<char>(zin)), std::istreambuf_iterator<char>());
    for (const bool stored : {true, false}) {
        std::string damaged = zip;
        for (std::size_t at = damaged.find("PK\x01\x02"); at != std::string::npos;
             at = damaged.find("PK\x01\x02", at + 4)) {
            if (stored) {
                damaged[at + 10] = 0, damaged[at + 11] = 0;  // method: stored
                damaged[at + 24] = '\xff';                   // size: larger than compressed
                damaged[at + 25] = '\x7f';
            } else {
                for (int b = 24; b < 28; ++b) damaged[at + std::size_t(b)] = '\xff';
            }
        }
        std::ofstream(dir.file("damaged.npz"), std::ios::binary) << damaged;
        EXPECT_THROW(readFeatures(dir.file("damaged.npz")), InputError) << stored;
    }
    EXPECT_EQ(featureName(
                  "/data/features/allen_movies/vit_base/8/movie_one_image_stack.npz/testfeat.pth"),
              "dino_vit_base_8");
    EXPECT_EQ(featureName("/x/gabor energy.npy"), "gabor_energy");
}
