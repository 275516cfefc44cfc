// neurolens-cli against its contract (docs/cli.md): JSON keys, exit codes, no half-written outputs.
// The data commands: simulate, info, convert, pca, and what every command shares.

#include "CliFixture.h"
#include "NwbFixture.h"

#include "neurolens/io/NativeWriter.h"
#include "neurolens/io/ReaderRegistry.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>

using namespace neurolens;
using neurolens::test::cli;
using neurolens::test::CliTest;
using neurolens::test::parse;
using nlohmann::json;

TEST_F(CliTest, SimulateReportsWhatItWrote)
{
    const json j = json::parse(simulateJson_);
    EXPECT_EQ(j["units"], 120);
    EXPECT_EQ(j["repeats"], 4);
    EXPECT_EQ(j["frames"], 120);
}

TEST_F(CliTest, InfoDescribesTheFile)
{
    const json j = parse(cli("info " + session_ + " --json"));
    EXPECT_EQ(j["format"], "neurolens");
    EXPECT_EQ(j["units"], 120);
    EXPECT_EQ(j["areas"]["VISp"], 120);
    EXPECT_EQ(j["repeats"], 4);
    EXPECT_EQ(j["frames"], 120);
    EXPECT_EQ(j["bins_per_frame"], 4);
    EXPECT_EQ(j["has_movie"], true);
    EXPECT_TRUE(j["features"].is_array());
    const auto text = cli("info " + session_);
    EXPECT_EQ(text.exitCode, 0);
    EXPECT_NE(text.out.find("units      120"), std::string::npos) << text.out;
}

TEST_F(CliTest, PcaJsonHasTheContractKeys)
{
    const json j = parse(cli("pca " + session_ + " --json --quiet"));
    EXPECT_GT(j["units"].get<int>(), 100);
    EXPECT_EQ(j["samples"], 4 * 120);
    const int c90 = j["components_90"], c95 = j["components_95"];
    EXPECT_GT(c90, 1);
    EXPECT_GE(c95, c90);
    double sum = 0;
    for (double v : j["explained_variance_ratio"]) sum += v;
    EXPECT_NEAR(sum, 1.0, 1e-6);
    const json top =
        parse(cli("pca " + session_ + " --json --top-variance 0.5 --keep-silent --bin 2"));
    EXPECT_LT(top["units"].get<int>(), j["units"].get<int>());
    EXPECT_EQ(top["samples"], 4 * 240);
}

TEST_F(CliTest, PcaOutStoresTheProjectionAndAddsToNativeFiles)
{
    const std::string out = dir_->file("pca.neurolens.h5");
    const json j = parse(cli("pca " + session_ + " --out " + out + " --components 3 --json"));
    EXPECT_EQ(j["stored_components"], 3);
    Recording rec = ReaderRegistry::standard().read(out);
    ASSERT_EQ(rec.results.count("pca"), 1u);
    EXPECT_EQ(rec.results.at("pca").values.rows(), rec.responses.samples());
    EXPECT_EQ(rec.results.at("pca").values.cols(), 3);
    EXPECT_EQ(rec.results.at("pca").method, "pca");
    // Run again with another name: added to the same file, the first result kept.
    parse(cli("pca " + session_ + " --out " + out + " --name pca5 --components 5 --json"));
    rec = ReaderRegistry::standard().read(out);
    EXPECT_EQ(rec.results.count("pca"), 1u);
    EXPECT_EQ(rec.results.at("pca5").values.cols(), 5);
    // The input is never modified.
    EXPECT_TRUE(ReaderRegistry::standard().read(session_).results.empty());
    EXPECT_EQ(cli("pca " + session_ + " --out " + session_).exitCode, 2);
}

TEST_F(CliTest, ConvertAppliesPreprocessing)
{
    const std::string out = dir_->file("c.neurolens.h5");
    const json j =
        parse(cli("convert " + session_ + " --out " + out + " --bin 4 --drop-silent --json"));
    EXPECT_EQ(j["frames"], 120);
    EXPECT_EQ(j["bins_per_frame"], 1);
    const Recording rec = ReaderRegistry::standard().read(out);
    EXPECT_EQ(rec.responses.bins(), 120);
    EXPECT_EQ(rec.responses.units(), j["units"].get<int>());
    EXPECT_EQ(cli("convert " + session_ + " --out " + dir_->file("d.h5") + " --block 3").exitCode,
              2);
}

TEST_F(CliTest, BadInputExitsWithThreeAndNamesTheFile)
{
    const std::string text = dir_->file("notes.txt");
    std::ofstream(text) << "hello\n";
    for (const std::string cmd : {"info", "pca", "convert"}) {
        const std::string extra = cmd == "convert" ? " --out " + dir_->file("x.neurolens.h5") : "";
        auto r = cli(cmd + " " + text + extra);
        EXPECT_EQ(r.exitCode, 3) << cmd << ": " << r.err;
        EXPECT_NE(r.err.find(text), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("not an HDF5 file"), std::string::npos) << r.err;
        r = cli(cmd + " " + dir_->file("missing.h5") + extra);
        EXPECT_EQ(r.exitCode, 3);
        EXPECT_NE(r.err.find("no such file"), std::string::npos) << r.err;
    }
    EXPECT_FALSE(std::filesystem::exists(dir_->file("x.neurolens.h5")));

    // A memory limit (a Slurm job's, or NEUROLENS_MAX_MEMORY) below what the file declares.
    {
        const std::string small = dir_->file("limit.neurolens.h5");
        writeNative(test::smallRecording(), small);
        const auto r =
            test::run("NEUROLENS_MAX_MEMORY=100 " + std::string(NEUROLENS_CLI) + " info " + small);
        EXPECT_EQ(r.exitCode, 3) << r.err;
        EXPECT_NE(r.err.find("more than NEUROLENS_MAX_MEMORY"), std::string::npos) << r.err;
        EXPECT_EQ(
            test::run("NEUROLENS_MAX_MEMORY=1G " + std::string(NEUROLENS_CLI) + " info " + small)
                .exitCode,
            0);
    }

    // Negative counts written by another program (neurolens' own writer refuses them).
    const std::string path = dir_->file("neg.neurolens.h5");
    writeNative(test::smallRecording(), path);
    {
        const auto r =
            test::run(test::python() + " -c \"import h5py; f=h5py.File('" + path +
                      "','r+'); del f['responses/counts']; "
                      "import numpy as np; c=np.ones((3,8,4),np.float32); c[0,1,2]=-1; "
                      "x=f.create_dataset('responses/counts',data=c); x.attrs['bins_per_frame']=2; "
                      "x.attrs['bin_rate_hz']=60.0; f.close()\"");
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }
    const auto r = cli("pca " + path + " --json");
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_NE(r.err.find("negative count"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
}

TEST_F(CliTest, UsageErrorsExitWithTwo)
{
    EXPECT_EQ(cli("").exitCode, 2);
    EXPECT_EQ(cli("frobnicate").exitCode, 2);
    EXPECT_EQ(cli("pca").exitCode, 2);
    EXPECT_EQ(cli("pca " + session_ + " --bin 3").exitCode,
              2);  // 3 does not divide 4 bins per frame
    EXPECT_EQ(cli("pca " + session_ + " --area LGd").exitCode, 2);
    EXPECT_EQ(cli("pca " + session_ + " --top-variance 2").exitCode, 2);
    EXPECT_EQ(cli("simulate").exitCode, 2);
    EXPECT_EQ(cli("simulate --out " + dir_->file("z.h5") + " --units 0").exitCode, 2);
}

TEST_F(CliTest, HelpForEveryCommand)
{
    for (const std::string cmd : {"", "simulate ", "info ", "convert ", "pca ", "decode "}) {
        const auto r = cli(cmd + "--help");
        EXPECT_EQ(r.exitCode, 0) << cmd;
        EXPECT_NE(r.out.find(cmd.empty() ? "simulate" : "--json"), std::string::npos)
            << cmd << r.out;
    }
}

TEST_F(CliTest, OutputIntoMissingFolderFails)
{
    const auto r = cli("simulate --out " + dir_->file("no/such/s.h5"));
    EXPECT_EQ(r.exitCode, 4);
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
}

TEST_F(CliTest, InfoAndConvertReadNwbSessions)
{
    const std::string nwb = dir_->file("session.nwb");
    test::writeNwbFixture(nwb);
    const json info = parse(cli("info " + nwb + " --json"));
    EXPECT_EQ(info["format"], "nwb");
    EXPECT_EQ(info["units"], 2);
    EXPECT_EQ(info["units_all"], 7);
    EXPECT_EQ(info["areas"]["VISl"], 1);
    EXPECT_EQ(info["frames"], 3);
    EXPECT_EQ(info["repeats"], 2);
    EXPECT_EQ(info["stimuli"][0]["repeats_per_block"], json::array({2, 2}));

    const std::string out = dir_->file("from_nwb.neurolens.h5");
    const json j = parse(cli("convert " + nwb + " --out " + out + " --bins-per-frame 2 --json"));
    EXPECT_EQ(j["units"], 2);
    EXPECT_EQ(j["repeats"], 2);
    EXPECT_EQ(j["frames"], 3);
    const Recording rec = ReaderRegistry::standard().read(out);
    EXPECT_EQ(rec.units.id, (std::vector<std::int64_t>{11, 12}));
    EXPECT_EQ(rec.responses.at(0, 1, 0), 2.0f);  // the hand-computed counts survive the round trip
    EXPECT_EQ(rec.responses.at(1, 3, 1), 1.0f);
    EXPECT_EQ(parse(cli("convert " + nwb + " --out " + out + " --no-qc-filter --json"))["units"],
              7);
    EXPECT_EQ(
        parse(cli("convert " + nwb + " --out " + out + " --area VISl --block 1 --json"))["units"],
        1);
    EXPECT_EQ(cli("convert " + nwb + " --out " + out + " --block 5").exitCode, 2);
    EXPECT_EQ(parse(cli("convert " + nwb + " --out " + out + " --block all --json"))["repeats"], 4);
    EXPECT_EQ(ReaderRegistry::standard().read(out).stimulus.block,
              (std::vector<std::int32_t>{0, 0, 1, 1}));
    EXPECT_EQ(cli("convert " + nwb + " --out " + out + " --block first").exitCode, 2);
    EXPECT_EQ(cli("convert " + nwb + " --out " + out + " --area LGd").exitCode, 2);

    test::NwbFixtureOptions broken;
    broken.indexPastEnd = true;
    const std::string bad = dir_->file("broken.nwb");
    test::writeNwbFixture(bad, broken);
    const auto r = cli("convert " + bad + " --out " + dir_->file("never.neurolens.h5"));
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_NE(r.err.find("broken.nwb"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("past the end"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir_->file("never.neurolens.h5")));

    // A presentation showing frame 10^9 breaks a repeat: convert keeps the whole ones and says
    // which presentations it skipped, on stderr (even with -q) and in the JSON.
    test::NwbFixtureOptions huge;
    huge.hugeFrame = true;
    const std::string odd = dir_->file("odd.nwb");
    test::writeNwbFixture(odd, huge);
    const auto w = cli("convert " + odd + " --out " + out + " --block 0 --json -q");
    ASSERT_EQ(w.exitCode, 0) << w.err;
    EXPECT_EQ(parse(w)["repeats"], 1);
    EXPECT_EQ(parse(w)["warnings"].size(), 3u);
    EXPECT_NE(
        w.err.find("warning: " + odd +
                   ": natural_movie_one_presentations: presentation 4 shows frame 1000000000"),
        std::string::npos)
        << w.err;
}

// The standard NWB layout (fixtures/standard_units.nwb, written by h5py): info says what the filter
// can check and where areas come from; convert takes the stimulus from trials' frame column.
TEST_F(CliTest, StandardNwbLayoutWithTrialsAndAFrameColumn)
{
    const std::string nwb = test::sourceDir() + "/tests/core/io/fixtures/standard_units.nwb";
    const json info = parse(cli("info " + nwb + " --json"));
    EXPECT_EQ(info["units"], 4);
    EXPECT_EQ(info["area_source"], "electrodes");
    EXPECT_EQ(info["qc_filter_applied"], json::array({"isi_violations <= 0.5"}));
    EXPECT_EQ(info["stimulus"], "trials");
    EXPECT_EQ(info["stimuli"][0]["frame_column"], "movie_frame");
    EXPECT_EQ(info["stimuli"][0]["frame_columns"][1]["name"], "frame_in_block");
    const auto text = cli("info " + nwb);
    EXPECT_NE(text.out.find("filter     isi_violations <= 0.5 (the file has no column for quality "
                            "good"),
              std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("trials · movie_frame: 3 frames, repeats per block 3"),
              std::string::npos)
        << text.out;

    const std::string out = dir_->file("standard.neurolens.h5");
    const auto c = cli("convert " + nwb + " --out " + out + " --bins-per-frame 2 --json -q");
    ASSERT_EQ(c.exitCode, 0) << c.err;
    EXPECT_EQ(parse(c)["units"], 4);
    EXPECT_EQ(parse(c)["repeats"], 3);
    // The filter's note: on stderr even with -q, and in the JSON.
    EXPECT_NE(c.err.find("the quality filter applied isi_violations"), std::string::npos) << c.err;
    const Recording rec = ReaderRegistry::standard().read(out);
    EXPECT_EQ(rec.units.area, (std::vector<std::string>{"VISp", "VISp", "unknown", "unknown"}));
    EXPECT_EQ(rec.responses.at(1, 3, 1), 1.0f);  // unit 3's 101.08

    EXPECT_EQ(parse(cli("convert " + nwb + " --out " + out +
                        " --frame-column frame_in_block --json -q"))["repeats"],
              1);
    EXPECT_EQ(parse(cli("convert " + nwb + " --out " + out + " --area unknown --json -q"))["units"],
              2);
    const auto bad = cli("convert " + nwb + " --out " + out + " --stimulus epochs");
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("has no frame column"), std::string::npos) << bad.err;
}

// A Kilosort / phy folder (fixtures/kilosort, written by numpy): info describes it; convert bins it
// onto the frame onsets given, keeping the labels asked for.
TEST_F(CliTest, KilosortFolderWithFrameOnsets)
{
    const std::string ks = test::sourceDir() + "/tests/core/io/fixtures/kilosort";
    const json info = parse(cli("info " + ks + " --json"));
    EXPECT_EQ(info["format"], "kilosort");
    EXPECT_EQ(info["clusters"], 5);
    EXPECT_EQ(info["labels"]["good"], 3);
    const std::string out = dir_->file("ks.neurolens.h5");
    const auto c = cli("convert " + ks + " --out " + out + " --frame-times " + ks +
                       "/frame_times.csv --frames " + ks +
                       "/frames.npy --labels good,mua --bins-per-frame 2 --json -q");
    ASSERT_EQ(c.exitCode, 0) << c.err;
    EXPECT_EQ(parse(c)["units"], 3);
    EXPECT_EQ(parse(c)["repeats"], 2);
    const Recording rec = ReaderRegistry::standard().read(out);
    EXPECT_EQ(rec.units.id, (std::vector<std::int64_t>{3, 5, 7}));
    EXPECT_EQ(rec.responses.at(0, 5, 0), 1.0f);  // cluster 3's 10.29 s
    EXPECT_DOUBLE_EQ(rec.stimulus.sessionTime(1, 0, 6), 12.0);
    const auto noFrames = cli("convert " + ks + " --out " + out);
    EXPECT_EQ(noFrames.exitCode, 2);
    EXPECT_NE(noFrames.err.find("--frame-times"), std::string::npos) << noFrames.err;
    const auto notAFolder = cli("info " + dir_->path());
    EXPECT_EQ(notAFolder.exitCode, 3);
    EXPECT_NE(notAFolder.err.find("not a Kilosort / phy output folder"), std::string::npos)
        << notAFolder.err;
}

TEST_F(CliTest, ConvertAttachesMovieAndFeatures)
{
    // A 6-frame recording to match the fixtures.
    Recording rec = test::smallRecording(3, 12, 4, 2);
    rec.movie.reset();
    const std::string in = dir_->file("six.neurolens.h5"),
                      out = dir_->file("six_attached.neurolens.h5");
    writeNative(rec, in);
    const std::string fixtures = test::sourceDir() + "/tests/core/io/fixtures/";
    const json j = parse(cli("convert " + in + " --out " + out + " --movie " + fixtures +
                             "natural_movie_1.h5 --features " + fixtures +
                             "features.npz --features dino=" + fixtures + "features.npy --json"));
    EXPECT_EQ(j["has_movie"], true);
    EXPECT_EQ(j["features"], json::array({"dino", "features"}));
    const Recording back = ReaderRegistry::standard().read(out);
    EXPECT_EQ(back.movie->frames, 6);
    EXPECT_NEAR(back.features.at("dino").values(5, 2), 5.2, 1e-6);
    const auto bad = cli("convert " + in + " --out " + dir_->file("x.h5") + " --features " +
                         fixtures + "features_wrong_rows.npy");
    EXPECT_EQ(bad.exitCode, 3);
    EXPECT_NE(bad.err.find("features_wrong_rows.npy"), std::string::npos) << bad.err;
}
