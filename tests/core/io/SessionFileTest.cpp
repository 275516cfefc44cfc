// Sessions: a saved session reads back the same; a damaged or foreign file is refused with its
// name; a process killed while saving leaves the previous session whole; a session moved with its
// data still finds it.

#include "TestSupport.h"

#include "io/Hdf5File.h"
#include "neurolens/data/Error.h"
#include "neurolens/io/NativeWriter.h"
#include "neurolens/io/SessionFile.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>

using namespace neurolens;

namespace {

Session sample(int resultRows, float fill)
{
    Session s;
    SessionRecording file;
    file.path = "/data/session_715093703.nwb";
    file.options.area = "VISp";
    file.options.block = 1;
    file.options.stimulus = "trials";
    file.options.frameColumn = "movie_frame";
    file.options.frameTimes = "/data/ks/onsets.npy";
    file.options.labels = {"good", "mua"};
    file.options.traces = "ophys/Fluorescence/RoiResponseSeries";
    file.options.matrix = "/session/responses";
    file.options.repeatLabels = "repeats.csv";
    file.options.orientation = "time-by-units";
    file.options.frameRateHz = 60;
    file.options.behaviour = {"lick=/processing/licks/rate", "speed=/running"};
    file.options.qcFilter = false;
    file.attached = {"/data/natural_movie_1.h5", "/data/dino.npy"};
    SessionRecording sim;
    sim.simulated = true;
    sim.seed = 18446744073709551615ull;  // the largest seed survives
    sim.units = 120;
    sim.repeats = 4;
    sim.frames = 150;
    s.recordings = {file, sim};
    s.current = 1;
    s.preprocess.bin = 4;
    s.preprocess.dropSilent = false;
    s.preprocess.topVariance = 0.95;
    s.results["tsne"] =
        Embedding{"tsne", "{\"perplexity\":30}", 7, RowMatrixXf::Constant(resultRows, 2, fill)};
    s.models["cebra"] =
        SessionModel{"cebra", "{\"dim\":8}", {1, 2, 3, 250, 0, 7}, "{\"log\":\"step 100\"}"};
    s.viewState = "{\"method\":\"t-SNE\",\"selection\":[2,17]}";
    s.layout = "AAAA/wAAAAD9AAAAAw==";
    return s;
}

}  // namespace

TEST(SessionFile, RoundTrip)
{
    const test::TempDir dir;
    const Session s = sample(600, 0.5f);
    saveSession(s, dir.file("a.neurolens-session"));
    const Session b = loadSession(dir.file("a.neurolens-session"));
    ASSERT_EQ(b.recordings.size(), 2u);
    EXPECT_EQ(b.recordings[0].path, s.recordings[0].path);
    EXPECT_EQ(b.recordings[0].options.area, "VISp");
    EXPECT_EQ(b.recordings[0].options.block, 1);
    EXPECT_EQ(b.recordings[0].options.stimulus, "trials");
    EXPECT_EQ(b.recordings[0].options.frameColumn, "movie_frame");
    EXPECT_EQ(b.recordings[0].options.frameTimes, "/data/ks/onsets.npy");
    EXPECT_EQ(b.recordings[0].options.labels, (std::vector<std::string>{"good", "mua"}));
    EXPECT_EQ(b.recordings[0].options.traces, "ophys/Fluorescence/RoiResponseSeries");
    EXPECT_EQ(b.recordings[0].options.matrix, "/session/responses");
    EXPECT_EQ(b.recordings[0].options.repeatLabels, "repeats.csv");
    EXPECT_EQ(b.recordings[0].options.orientation, "time-by-units");
    EXPECT_DOUBLE_EQ(b.recordings[0].options.frameRateHz, 60.0);
    EXPECT_EQ(b.recordings[0].options.behaviour,
              (std::vector<std::string>{"lick=/processing/licks/rate", "speed=/running"}));
    EXPECT_FALSE(b.recordings[0].options.qcFilter);
    EXPECT_EQ(b.recordings[0].attached, s.recordings[0].attached);
    EXPECT_TRUE(b.recordings[1].simulated);
    EXPECT_EQ(b.recordings[1].seed, 18446744073709551615ull);
    EXPECT_EQ(b.recordings[1].units, 120);
    EXPECT_TRUE(b.recordings[1].attached.empty());
    EXPECT_EQ(b.current, 1);
    EXPECT_EQ(b.preprocess.bin, 4);
    EXPECT_FALSE(b.preprocess.dropSilent);
    EXPECT_EQ(b.preprocess.topVariance, 0.95);
    ASSERT_EQ(b.results.count("tsne"), 1u);
    EXPECT_EQ(b.results.at("tsne").values, s.results.at("tsne").values);
    EXPECT_EQ(b.results.at("tsne").params, s.results.at("tsne").params);
    EXPECT_EQ(b.results.at("tsne").seed, 7u);
    EXPECT_EQ(b.models.at("cebra").checkpoint, s.models.at("cebra").checkpoint);
    EXPECT_EQ(b.models.at("cebra").training, s.models.at("cebra").training);
    EXPECT_EQ(b.models.at("cebra").kind, "cebra");
    EXPECT_EQ(b.viewState, s.viewState);
    EXPECT_EQ(b.layout, s.layout);
}

TEST(SessionFile, ForeignAndDamagedFilesAreRefusedByName)
{
    const test::TempDir dir;
    const std::string text = dir.file("notes.neurolens-session");
    std::ofstream(text) << "not a session";
    try {
        loadSession(text);
        FAIL() << "a text file was read as a session";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("notes.neurolens-session"), std::string::npos)
            << e.what();
    }
    // A native recording is HDF5 but not a session.
    const std::string native = dir.file("s.neurolens.h5");
    writeNative(test::smallRecording(), native);
    EXPECT_THROW(loadSession(native), InputError);
    // A truncated session.
    const std::string whole = dir.file("whole.neurolens-session");
    saveSession(sample(2000, 1.0f), whole);
    std::filesystem::resize_file(whole, std::filesystem::file_size(whole) / 2);
    EXPECT_THROW(loadSession(whole), Error);
}

TEST(SessionFile, KilledWhileSavingLeavesThePreviousSessionWhole)
{
    const test::TempDir dir;
    const std::string path = dir.file("s.neurolens-session");
    saveSession(sample(10, 1.0f), path);
    for (int attempt = 0; attempt < 6; ++attempt) {
        const pid_t child = fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            // Save bigger and bigger sessions over the same file until killed.
            for (int i = 0;; ++i)
                saveSession(sample(20000 + 1000 * (i % 50), 2.0f + float(i)), path);
        }
        usleep(useconds_t(20000 + 23000 * attempt));  // somewhere inside a save
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        const Session s = loadSession(path);  // never half-written
        ASSERT_EQ(s.recordings.size(), 2u);
        const RowMatrixXf& v = s.results.at("tsne").values;
        ASSERT_GT(v.rows(), 0);
        EXPECT_EQ(v.minCoeff(), v.maxCoeff());  // one whole version, not a mix
    }
    // The next save clears what the killed writers left behind.
    saveSession(sample(10, 1.0f), path);
    int files = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(path).parent_path())) {
        (void)entry;
        ++files;
    }
    EXPECT_EQ(files, 1);
}

TEST(SessionFile, ASessionMovedWithItsDataFindsItThroughRelativePaths)
{
    namespace fs = std::filesystem;
    const test::TempDir dir;
    const fs::path before = fs::path(dir.path()) / "project";
    fs::create_directories(before / "data");
    std::ofstream(before / "data" / "rec.nwb") << "x";
    std::ofstream(before / "data" / "movie.npy") << "x";
    Session s;
    SessionRecording r;
    r.path = (before / "data" / "rec.nwb").string();
    r.attached = {(before / "data" / "movie.npy").string()};
    s.recordings = {r};
    const fs::path session = before / "analysis" / "day1.neurolens-session";
    fs::create_directories(session.parent_path());
    saveSession(s, session.string());
    // Where they were: the absolute paths.
    Session back = loadSession(session.string());
    EXPECT_EQ(back.recordings[0].path, r.path);
    // The whole folder moved (another machine, another user's home): found beside the session.
    const fs::path after = fs::path(dir.path()) / "moved";
    fs::rename(before, after);
    back = loadSession((after / "analysis" / "day1.neurolens-session").string());
    EXPECT_EQ(back.recordings[0].path, (after / "data" / "rec.nwb").string());
    ASSERT_EQ(back.recordings[0].attached.size(), 1u);
    EXPECT_EQ(back.recordings[0].attached[0], (after / "data" / "movie.npy").string());
    // Found nowhere: the absolute path, which the reader then names in its refusal.
    fs::remove(after / "data" / "rec.nwb");
    back = loadSession((after / "analysis" / "day1.neurolens-session").string());
    EXPECT_EQ(back.recordings[0].path, r.path);
}

TEST(SessionFile, AttributesThatAreNotIntegersAreRefusedByName)
{
    // Found by fuzzing: "current" = 4.8e18 was converted to int (undefined behaviour).
    const test::TempDir dir;
    const std::string path = dir.file("s.neurolens-session");
    for (const double bad : {4.84679e18, std::nan(""), 1.5}) {
        saveSession(sample(4, 1.0f), path);
        {
            Hdf5File f = Hdf5File::openReadWrite(path);
            f.setAttribute("/session", "current", bad);
            f.close();
        }
        try {
            loadSession(path);
            ADD_FAILURE() << "current = " << bad << " was accepted";
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find("'current' is not an integer"), std::string::npos)
                << e.what();
        }
    }
}

TEST(SessionFile, KeepsTheLastDecodingWithEverythingThatMadeIt)
{
    const test::TempDir dir;
    const Recording rec = test::smallRecording(4, 8, 5, 1);
    DecodeOptions o;
    o.decoder = "knn";
    o.parameters.numbers["k"] = 3;
    o.shuffles = 2;
    o.testRepeats = {2};
    const DecodeResult d = decodeFrames(rec, o);
    Session s = sample(4, 1.0f);
    s.decoding = d;
    const std::string path = dir.file("d.neurolens-session");
    saveSession(s, path);
    const std::optional<DecodeResult> loaded = loadSession(path).decoding;
    ASSERT_TRUE(loaded);
    const DecodeResult& back = *loaded;
    EXPECT_EQ(back.predicted, d.predicted);
    EXPECT_EQ(back.truth, d.truth);
    EXPECT_EQ(back.trainRepeats, d.trainRepeats);
    EXPECT_EQ(back.testRepeats, (std::vector<int>{2}));
    EXPECT_EQ(back.test.within, d.test.within);
    EXPECT_EQ(back.chance.mae, d.chance.mae);
    EXPECT_EQ(back.shuffleMean.within, d.shuffleMean.within);
    EXPECT_EQ(back.shuffles, 2);
    EXPECT_EQ(back.featureDims, d.featureDims);
    EXPECT_EQ(back.options.decoder, "knn");
    EXPECT_EQ(back.options.parameters.numbers.at("k"), 3);
    EXPECT_EQ(back.options.parameters.choices, d.options.parameters.choices);
    // A damaged one is refused when the session is opened, naming it.
    {
        Hdf5File f = Hdf5File::openReadWrite(path);
        f.remove("/decoding");
        const std::string bad = R"({"format": "neurolens decoding", "version": 1})";
        f.write<std::uint8_t>("/decoding", reinterpret_cast<const std::uint8_t*>(bad.data()),
                              {bad.size()});
        f.close();
    }
    try {
        loadSession(path);
        ADD_FAILURE() << "a damaged decoding was accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("/decoding"), std::string::npos) << e.what();
    }
}

TEST(SessionFile, KeepsTheLastSweepAndAlignment)
{
    const test::TempDir dir;
    const Recording rec = test::smallRecording(4, 8, 5, 1);
    SweepResult sw;
    sw.options.decoder = "knn";
    sw.options.testRepeats = {3};
    sw.parameter = "k";
    sw.points = sweep(rec, sw.options, "k", {1, 3});
    sw.chance = chanceScores(rec.stimulus.frame, rec.frames(), sw.options.window);
    AlignmentComparison al;
    al.embedding = "cebra";
    al.model = "ridge";
    al.dims = 3;
    al.result.r2PerUnit = Eigen::VectorXd::LinSpaced(8, -0.5, 0.7);
    al.result.r2PerUnit[2] = std::nan("");  // a constant unit's, kept as such
    al.result.r2 = 0.1;
    al.result.alpha = 10;
    al.result.train = {0, 1};
    al.result.validation = {2};
    al.result.test = {3};
    al.pca = al.result;
    al.pca.r2 = 0.05;
    Session s = sample(4, 1.0f);
    s.sweep = sw;
    s.alignment = al;
    const std::string path = dir.file("s.neurolens-session");
    saveSession(s, path);
    const Session back = loadSession(path);
    ASSERT_TRUE(back.sweep && back.alignment);
    ASSERT_EQ(back.sweep->points.size(), 2u);
    EXPECT_EQ(back.sweep->parameter, "k");
    EXPECT_EQ(back.sweep->points[1].value, 3);
    EXPECT_EQ(back.sweep->points[1].test.within, sw.points[1].test.within);
    EXPECT_EQ(back.sweep->points[0].train.mae, sw.points[0].train.mae);
    EXPECT_EQ(back.sweep->chance.within, sw.chance.within);
    EXPECT_EQ(back.sweep->options.testRepeats, (std::vector<int>{3}));
    EXPECT_EQ(back.alignment->embedding, "cebra");
    EXPECT_EQ(back.alignment->dims, 3);
    EXPECT_EQ(back.alignment->result.alpha, 10);
    EXPECT_EQ(back.alignment->result.validation, (std::vector<int>{2}));
    EXPECT_EQ(back.alignment->pca.r2, 0.05);
    ASSERT_EQ(back.alignment->result.r2PerUnit.size(), 8);
    EXPECT_TRUE(std::isnan(back.alignment->result.r2PerUnit[2]));
    EXPECT_EQ(back.alignment->result.r2PerUnit[7], al.result.r2PerUnit[7]);
    // Damaged ones are refused naming them.
    for (const std::string d : {"/sweep", "/alignment"}) {
        saveSession(s, path);
        {
            Hdf5File f = Hdf5File::openReadWrite(path);
            f.remove(d);
            const std::string bad = R"({"format": "neurolens alignment", "version": 1, "dims": 2})";
            f.write<std::uint8_t>(d, reinterpret_cast<const std::uint8_t*>(bad.data()),
                                  {bad.size()});
            f.close();
        }
        try {
            loadSession(path);
            ADD_FAILURE() << "a damaged " << d << " was accepted";
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(d), std::string::npos) << e.what();
        }
    }
}
