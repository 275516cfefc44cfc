// neurolens-cli against its contract (docs/cli.md): JSON keys, exit codes, no half-written outputs.

#include "NwbFixture.h"
#include "TestSupport.h"

#include "neurolens/io/NativeWriter.h"
#include "neurolens/io/ReaderRegistry.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include <filesystem>
#include <fstream>

using namespace neurolens;
using nlohmann::json;

namespace {

test::CommandResult cli(const std::string& args)
{
    return test::run(std::string(NEUROLENS_CLI) + " " + args);
}

json parse(const test::CommandResult& r)
{
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return json::parse(r.out);
}

// One small simulated session shared by the tests of this file.
class CliTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        dir_ = new test::TempDir;
        session_ = dir_->file("s.neurolens.h5");
        const auto r = cli("simulate --out " + session_ +
                           " --units 120 --repeats 4 --frames 120 --seed 3 --json");
        ASSERT_EQ(r.exitCode, 0) << r.err;
        simulateJson_ = r.out;
    }
    static void TearDownTestSuite() { delete dir_; }
    static test::TempDir* dir_;
    static std::string session_, simulateJson_;
};
test::TempDir* CliTest::dir_ = nullptr;
std::string CliTest::session_, CliTest::simulateJson_;

}  // namespace

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

TEST_F(CliTest, DecodeReportsEveryContractKey)
{
    const json j = parse(cli("decode " + session_ + " --model knn --k 5 --shuffles 2 --json -q"));
    for (const char* key : {"r2", "mae", "rmse", "train_accuracy", "test_accuracy", "within_1s",
                            "chance_within_1s", "shuffle_within_1s"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["test_repeats"], json::array({3}));
    EXPECT_GT(j["within_1s"].get<double>(), j["chance_within_1s"].get<double>());
    const json lasso = parse(cli("decode " + session_ +
                                 " --model lasso --features pca:10 --train-repeats 0-1 "
                                 "--test-repeats 3 --json -q"));
    EXPECT_EQ(lasso["feature_dims"], 10);
    EXPECT_EQ(lasso["train_repeats"], json::array({0, 1}));
    EXPECT_TRUE(lasso["shuffle_within_1s"].is_null());
    EXPECT_EQ(cli("decode " + session_ + " --model svm").exitCode, 2);
    const json logistic =
        parse(cli("decode " + session_ + " --model logistic --C 0.5 --max-iter 20 --json -q"));
    EXPECT_GE(logistic["train_accuracy"].get<double>(), logistic["test_accuracy"].get<double>());
    EXPECT_EQ(cli("decode " + session_ + " --model logistic --C 0").exitCode, 2);
    // Parameters come from the registry: one another decoder has is refused, not ignored.
    const auto misplaced = cli("decode " + session_ + " --model knn --alpha 0.1");
    EXPECT_EQ(misplaced.exitCode, 2);
    EXPECT_NE(misplaced.err.find(
                  "--alpha does not apply to --model knn (its parameters: --k --metric --vote)"),
              std::string::npos)
        << misplaced.err;
    EXPECT_EQ(cli("decode " + session_ + " --model knn --metric manhattan").exitCode, 2);
    const json bayes = parse(cli("decode " + session_ + " --model bayes --json -q"));
    EXPECT_EQ(bayes["model"], "bayes");
    EXPECT_EQ(bayes["parameters"], json::object());
    EXPECT_EQ(logistic["parameters"]["C"], 0.5);
    EXPECT_EQ(logistic["parameters"]["max-iter"], 20);
    EXPECT_EQ(cli("decode " + session_ + " --test-repeats 7").exitCode, 2);
    EXPECT_EQ(cli("decode " + session_ + " --train-repeats 0-3 --test-repeats 3").exitCode, 2);
    EXPECT_EQ(cli("decode " + session_ + " --features pca:0").exitCode, 2);
    EXPECT_EQ(cli("decode " + dir_->file("missing.h5")).exitCode, 3);
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

TEST_F(CliTest, DecodeSweeps)
{
    const json j =
        parse(cli("decode " + session_ + " --model lasso --sweep alpha=0.01,1,100 --json -q"));
    ASSERT_EQ(j["sweep"].size(), 3u);
    EXPECT_EQ(j["sweep"][2]["value"], 100.0);
    EXPECT_GT(j["sweep"][0]["train"]["r2"].get<double>(),
              j["sweep"][2]["train"]["r2"].get<double>());
    const json pcs = parse(cli("decode " + session_ + " --model knn --sweep pcs=2,10 --json -q"));
    EXPECT_EQ(pcs["sweep"].size(), 2u);
    EXPECT_EQ(cli("decode " + session_ + " --model knn --sweep alpha=1").exitCode, 2);
    EXPECT_EQ(cli("decode " + session_ + " --model lasso --sweep alpha=x").exitCode, 2);
    EXPECT_EQ(cli("decode " + session_ + " --model lasso --sweep gamma=1").exitCode, 2);
    const json k = parse(cli("decode " + session_ + " --model knn --sweep k=1,9 --json -q"));
    EXPECT_EQ(k["parameter"], "k");
    EXPECT_EQ(k["sweep"][0]["train"]["accuracy"],
              1.0);  // one neighbour: each training sample is its own
}

TEST_F(CliTest, EmbedRunsAnyRegisteredMethodAndStoresIt)
{
    // Factor analysis, a method the CLI has no code of its own for, stored and then decoded from.
    const std::string out = dir_->file("fa.neurolens.h5");
    const json j = parse(
        cli("embed " + session_ + " --method fa --dims 3 --tol 0.001 --out " + out + " --json -q"));
    EXPECT_EQ(j["method"], "fa");
    EXPECT_EQ(j["parameters"]["tol"], 0.001);
    EXPECT_EQ(j["parameters"]["max-iter"], 1000);
    for (const char* key :
         {"log_likelihood", "iterations", "shared_variance_ratio", "summary", "seconds"})
        EXPECT_TRUE(j.contains(key)) << key;
    const Recording rec = ReaderRegistry::standard().read(out);
    ASSERT_EQ(rec.results.count("fa"), 1u);
    EXPECT_EQ(rec.results.at("fa").values.cols(), 3);
    EXPECT_EQ(rec.results.at("fa").method, "fa");
    const json decoded = parse(cli("decode " + out + " --features fa --model knn --json -q"));
    EXPECT_EQ(decoded["feature_dims"], 3);
    const json pca =
        parse(cli("embed " + session_ + " --method pca --dims 2 --name two --json -q"));
    EXPECT_GT(pca["explained_variance_ratio"].get<double>(), 0.0);
    // Unknown methods, parameters of another method and dimensions a method cannot give are
    // refused.
    const auto unknown = cli("embed " + session_ + " --method umap -q");
    EXPECT_EQ(unknown.exitCode, 2);
    EXPECT_NE(unknown.err.find("pca, tsne or fa"), std::string::npos) << unknown.err;
    EXPECT_EQ(cli("embed " + session_ + " --method pca --perplexity 5 -q").exitCode, 2);
    EXPECT_EQ(cli("embed " + session_ + " --method tsne --dims 4 -q").exitCode, 2);
    EXPECT_EQ(cli("embed " + session_ + " --method fa --tol 0 -q").exitCode, 2);
}

TEST_F(CliTest, TsneReportsItsDivergenceAndStoresTheLayout)
{
    const std::string out = dir_->file("tsne.neurolens.h5");
    const json j = parse(
        cli("tsne " + session_ + " --iterations 300 --perplexity 10 --out " + out + " --json -q"));
    for (const char* key :
         {"kl_divergence", "seconds", "iterations", "samples", "dims", "repulsion"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_GT(j["kl_divergence"].get<double>(), 0);
    EXPECT_EQ(j["iterations"], 300);
    const Recording rec = ReaderRegistry::standard().read(out);
    ASSERT_EQ(rec.results.count("tsne"), 1u);
    EXPECT_EQ(rec.results.at("tsne").values.rows(), rec.responses.samples());
    EXPECT_EQ(rec.results.at("tsne").values.cols(), 2);
    EXPECT_EQ(rec.results.at("tsne").method, "tsne");

    // Continuing from the stored layout; a stored layout of the wrong dimension or name is refused,
    // naming the file.
    const json more =
        parse(cli("tsne " + out + " --init tsne --iterations 20 --perplexity 10 --json -q"));
    EXPECT_EQ(more["iterations"], 20);
    const auto wrongDims =
        cli("tsne " + out + " --init tsne --dims 3 --iterations 20 --perplexity 10 -q");
    EXPECT_EQ(wrongDims.exitCode, 2);
    EXPECT_NE(wrongDims.err.find(out), std::string::npos) << wrongDims.err;
    EXPECT_EQ(cli("tsne " + out + " --init nosuch -q").exitCode, 2);

    // 3D on the first 10 PCs, twice with the same seed: identical divergences.
    const json a =
        parse(cli("tsne " + session_ +
                  " --dims 3 --iterations 260 --perplexity 10 --input pca:10 --json -q"));
    const json b =
        parse(cli("tsne " + session_ +
                  " --dims 3 --iterations 260 --perplexity 10 --input pca:10 --json -q"));
    EXPECT_EQ(a["repulsion"], "barnes-hut");
    EXPECT_EQ(a["kl_divergence"], b["kl_divergence"]);

    EXPECT_EQ(cli("tsne " + session_ + " --dims 4").exitCode, 2);
    EXPECT_EQ(cli("tsne " + session_ + " --input nosuch -q").exitCode, 2);
    EXPECT_EQ(cli("tsne " + session_ + " --dims 3 --repulsion fft -q").exitCode, 2);
    EXPECT_EQ(cli("tsne " + dir_->file("missing.h5") + " -q").exitCode, 3);
}

TEST_F(CliTest, TrainVaeReportsItsCurvesAndStoresTheLatents)
{
    const std::string out = dir_->file("vae.neurolens.h5");
    const auto r = cli("train vae " + session_ + " --epochs 3 --latent 8 --guidance frame --out " +
                       out + " --json -q");
#ifdef NEUROLENS_WITH_TORCH
    const json j = parse(r);
    for (const char* key : {"train_r2", "val_r2", "test_r2", "guidance_accuracy", "history",
                            "epochs_per_second", "units"})
        EXPECT_TRUE(j.contains(key)) << key;
    ASSERT_EQ(j["history"].size(), 3u);
    for (const char* key : {"loss", "reconstruction", "kl", "guidance", "train_r2", "val_r2",
                            "guidance_train", "guidance_val"})
        EXPECT_TRUE(j["history"][2].contains(key)) << key;
    const Recording rec = ReaderRegistry::standard().read(out);
    ASSERT_EQ(rec.results.count("vae"), 1u);
    EXPECT_EQ(rec.results.at("vae").values.cols(), 8);
    EXPECT_EQ(rec.results.at("vae").values.rows(), rec.responses.samples());
    // Resuming from a checkpoint of another model is refused as bad input.
    const std::string ckpt = dir_->file("vae.pt");
    ASSERT_EQ(cli("train vae " + session_ + " --epochs 1 --latent 8 --checkpoint " + ckpt + " -q")
                  .exitCode,
              0);
    EXPECT_EQ(
        cli("train vae " + session_ + " --epochs 2 --latent 9 --resume " + ckpt + " -q").exitCode,
        3);
#else
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("no LibTorch"), std::string::npos) << r.err;
#endif
    EXPECT_EQ(cli("train vae " + session_ + " --guidance features:nosuch -q").exitCode, 2);
    EXPECT_EQ(cli("train vae " + session_ + " --guidance sideways -q").exitCode, 2);
}

TEST_F(CliTest, TrainCebraDecodesItsEmbeddingNextToTheBaselines)
{
    const std::string out = dir_->file("cebra.neurolens.h5");
    const auto r = cli("train cebra " + session_ +
                       " --model offset1 --conditional frame --iterations 60 --dim 8 --hidden 16 "
                       "--batch 64 --out " +
                       out + " --json -q");
#ifdef NEUROLENS_WITH_TORCH
    const json j = parse(r);
    for (const char* key : {"loss", "knn_within_1s", "knn_mae", "knn_k", "chance_within_1s",
                            "shuffle_within_1s", "iterations_per_second", "raw", "pca", "history",
                            "split", "kept_step", "knn_within_1s_ci", "encoder_shuffle_within_1s",
                            "encoder_shuffle_p", "time_within_1s", "baselines"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_GE(j["knn_within_1s"].get<double>(), 0.0);
    EXPECT_TRUE(j["raw"].contains("within_1s"));
    // Issue #18: the split it trained, validated and tested on; the controls on the encoder itself.
    EXPECT_EQ(j["split"]["train"], json::array({0}));
    EXPECT_EQ(j["split"]["validation"], json::array({1, 2}));
    EXPECT_EQ(j["split"]["test"], json::array({3}));
    EXPECT_EQ(j["encoder_shuffle_within_1s"].size(), 3u);
    EXPECT_GE(j["encoder_shuffle_p"].get<double>(), 0.25);
    EXPECT_TRUE(j["time_within_1s"].is_number());
    for (const char* b : {"knn_1frame", "knn_10frame", "bayes_1frame", "bayes_10frame"}) {
        ASSERT_TRUE(j["baselines"].contains(b)) << b;
        EXPECT_LE(j["baselines"][b]["within_1s_ci"][0].get<double>(),
                  j["baselines"][b]["within_1s"].get<double>());
    }
    // A model whose split tested repeat 0 selected on repeat 3: aligning it with repeat 3 as test
    // is refused.
    const std::string other = dir_->file("cebra-test0.neurolens.h5");
    const json t0 = parse(
        cli("train cebra " + session_ +
            " --model offset1 --conditional frame --iterations 20 --dim 4 --hidden 8 --batch 32 "
            "--test-repeats 0 --shuffles 0 --no-baselines --out " +
            other + " --json -q"));
    EXPECT_EQ(t0["split"]["validation"], json::array({2, 3}));
    EXPECT_TRUE(t0["time_within_1s"].is_number());
    EXPECT_TRUE(t0["encoder_shuffle_within_1s"].empty());
    const auto refused = cli("align " + other + " --embedding cebra -q");
    EXPECT_EQ(refused.exitCode, 2);
    EXPECT_NE(refused.err.find("selected on repeat 3"), std::string::npos) << refused.err;
    EXPECT_EQ(
        cli("align " + other + " --embedding cebra --test-repeats 0 --no-baseline -q").exitCode, 0);
    const Recording rec = ReaderRegistry::standard().read(out);
    ASSERT_EQ(rec.results.count("cebra"), 1u);
    EXPECT_EQ(rec.results.at("cebra").values.cols(), 8);
    EXPECT_EQ(cli("train cebra " + session_ +
                  " --conditional features:gabor --iterations 10 --dim 4 --hidden 8 --batch 32 -q")
                  .exitCode,
              0);
    const json c = parse(
        cli("train cebra " + session_ +
            " --model offset1 --conditional frame --iterations 40 --dim 4 --hidden 8 --batch 32 "
            "--consistency-seeds 2 --json -q"));
    ASSERT_TRUE(c.contains("consistency_r2"));
    EXPECT_EQ(c["consistency"].size(), 3u);
    EXPECT_LE(c["consistency_r2"].get<double>(), 1.0);
    // The paper's 120 Hz model, under a registry alias; the validation kNN score (every 100 steps
    // at least).
    const json n =
        parse(cli("train cebra " + session_ +
                  " --model resample1-model --conditional frame --iterations 40 --dim 4 --hidden 8 "
                  "--batch 32 --validate-every 20 --shuffles 0 --json -q"));
    EXPECT_EQ(n["model"], "resample1");
    EXPECT_EQ(n["receptive_field"], 4);
    ASSERT_EQ(n["history"].size(), 1u);  // 100 steps an epoch: one record, validated at its end
    EXPECT_TRUE(n["history"][0]["knn_within_1s"].is_number());
#else
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("no LibTorch"), std::string::npos) << r.err;
#endif
    EXPECT_EQ(cli("train cebra " + session_ + " --conditional features:nosuch --iterations 10 -q")
                  .exitCode,
              2);
    EXPECT_EQ(cli("train cebra " + session_ + " --conditional sideways -q").exitCode, 2);
    EXPECT_EQ(cli("train cebra " + session_ + " --model offset99 -q").exitCode, 2);
}

TEST_F(CliTest, SignificanceGivesTheCurveItsFigureAndCsv)
{
    namespace fs = std::filesystem;
    const std::string out = dir_->file("significance");
    const auto r =
        cli("significance " + session_ +
            " --units 20,all --seeds 2 --iterations 20 --dim 4 --hidden 8 --batch 32 --out " + out +
            " --json -q");
#ifdef NEUROLENS_WITH_TORCH
    const json j = parse(r);
    ASSERT_EQ(j["curve"].size(), 12u);  // 6 methods x 2 counts
    std::set<std::string> methods;
    for (const json& p : j["curve"]) {
        methods.insert(p["method"].get<std::string>());
        EXPECT_EQ(p["runs"].size(), 2u);
        EXPECT_TRUE(p["units"] == 20 || p["units"] == j["units_available"]);
        EXPECT_GE(p["sd"].get<double>(), 0.0);
    }
    EXPECT_EQ(methods, (std::set<std::string>{"cebra", "cebra_shuffled", "knn_1frame",
                                              "knn_10frame", "bayes_1frame", "bayes_10frame"}));
    EXPECT_EQ(j["split"]["test"], json::array({3}));
    EXPECT_TRUE(fs::exists(out + "/significance.csv"));
#ifdef NEUROLENS_WITH_FIGURES
    EXPECT_TRUE(fs::exists(out + "/significance.png"));
    EXPECT_TRUE(fs::exists(out + "/significance.svg"));
#endif
#else
    EXPECT_EQ(r.exitCode, 2);
#endif
    EXPECT_EQ(cli("significance " + session_ + " --conditional time -q").exitCode, 2);
    EXPECT_EQ(cli("significance " + session_ + " --units 0,x -q").exitCode, 2);
}

TEST_F(CliTest, AlignScoresAnEmbeddingPerUnitNextToPca)
{
    const std::string out = dir_->file("align.neurolens.h5");
    ASSERT_EQ(cli("pca " + session_ + " --out " + out + " --components 5 -q").exitCode, 0);
    const json j = parse(cli("align " + out + " --embedding pca --json -q"));
    for (const char* key : {"r2", "r2_per_unit", "validation_r2", "alpha", "best_units",
                            "worst_units", "pca", "units", "dims"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["r2_per_unit"].size(), j["units"].get<std::size_t>());
    EXPECT_EQ(j["dims"], 5);
    // The embedding is the first 5 PCs: the PCA baseline of the same dimension scores alike.
    EXPECT_NEAR(j["r2"].get<double>(), j["pca"]["r2"].get<double>(), 0.05);
#ifdef NEUROLENS_WITH_TORCH
    const json m =
        parse(cli("align " + out + " --embedding pca --model mlp --no-baseline --json -q"));
    EXPECT_TRUE(m.contains("epochs"));
    EXPECT_FALSE(m.contains("pca"));
#else
    EXPECT_EQ(cli("align " + out + " --embedding pca --model mlp -q").exitCode, 2);
#endif
    EXPECT_EQ(cli("align " + out + " --embedding nosuch -q").exitCode, 2);
    EXPECT_EQ(cli("align " + out + " -q").exitCode, 2);
}

namespace {
std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST_F(CliTest, ReportHoldsEveryFigureAndNumber)
{
    namespace fs = std::filesystem;
    const std::string out = dir_->file("report");
    const auto r = cli("report " + session_ + " --out " + out + " --quick --shuffles 1 --json -q");
    const json j = parse(r);
    const json m = json::parse(readFile(out + "/metrics.json"));
    for (const char* key : {"source", "seed", "units", "repeats", "frames", "pca", "tsne",
                            "decoding", "sweeps", "figures"})
        EXPECT_TRUE(m.contains(key)) << key;
    for (const char* d : {"lasso_raw", "lasso_pca3", "logistic_raw", "logistic_pca90"}) {
        ASSERT_TRUE(m["decoding"].contains(d)) << d;
        for (const char* part : {"train", "test", "chance", "shuffle"})
            EXPECT_TRUE(m["decoding"][d][part].is_object()) << d << " " << part;
        EXPECT_TRUE(m["decoding"][d]["test"]["within_1s"].is_number());
    }
    EXPECT_EQ(m["sweeps"]["logistic_c"]["points"].size(), 3u);
    EXPECT_GE(m["sweeps"]["logistic_pcs"]["points"].size(), 2u);
    EXPECT_GT(m["pca"]["components_90"].get<int>(), 0);
    std::vector<std::string> figures{"responses",
                                     "pca_3d",
                                     "explained_variance",
                                     "tsne",
                                     "lasso_raw",
                                     "lasso_pca3",
                                     "logistic_raw",
                                     "logistic_pca90",
                                     "logistic_c_accuracy",
                                     "logistic_c_mae",
                                     "logistic_pcs_accuracy",
                                     "logistic_pcs_mae",
                                     "frames_logistic_raw",
                                     "frames_logistic_pca90"};
#ifdef NEUROLENS_WITH_TORCH
    EXPECT_TRUE(m["models_available"].get<bool>());
    ASSERT_EQ(m["vae"].size(), 3u);  // none, features (the built-in Gabor features), frame
    EXPECT_TRUE(m["cebra"]["knn"]["within_1s"].is_number());
    EXPECT_TRUE(m["cebra"]["raw"]["chance_within_1s"].is_number());
    EXPECT_TRUE(m["alignment"]["cebra"]["r2"].is_number());
    // Issue #18: the split, the controls on the encoder, the paper's baselines, the curve and a
    // verdict.
    EXPECT_EQ(m["cebra"]["split"]["test"], json::array({3}));
    EXPECT_EQ(m["cebra"]["encoder_shuffle_within_1s"].size(), 1u);
    EXPECT_TRUE(m["cebra"]["time_within_1s"].is_number());
    EXPECT_TRUE(m["cebra"]["one_frame"]["knn"]["within_1s"].is_number());
    for (const char* b : {"knn_1frame", "knn_10frame", "bayes_1frame", "bayes_10frame"})
        EXPECT_TRUE(m["cebra"]["baselines"][b]["within_1s"].is_number()) << b;
    EXPECT_NE(m["cebra"]["verdict"].get<std::string>().find("beat"), std::string::npos);
    EXPECT_GE(m["significance"]["curve"].size(), 12u);
    for (const char* f : {"vae_curves", "cebra_3d", "cebra_decoding", "alignment", "significance"})
        figures.push_back(f);
    for (const char* csv :
         {"cebra.csv", "alignment_units.csv", "vae_none_history.csv", "significance.csv"})
        EXPECT_TRUE(fs::exists(out + "/" + csv)) << csv;
#else
    EXPECT_FALSE(m["models_available"].get<bool>());
    EXPECT_NE(m["models_note"].get<std::string>().find("LibTorch"), std::string::npos);
#endif
    const std::string page = readFile(out + "/report.html");
#ifdef NEUROLENS_WITH_FIGURES
    EXPECT_EQ(j["figures"].size(), figures.size()) << j["figures"].dump();
    for (const std::string& f : figures) {
        EXPECT_TRUE(m["figures"].dump().find("\"" + f + "\"") != std::string::npos) << f;
        const std::string png = readFile(out + "/" + f + ".png");
        EXPECT_EQ(png.substr(1, 3), "PNG") << f;
        const std::string svg = readFile(out + "/" + f + ".svg");
        EXPECT_NE(svg.find("<svg"), std::string::npos) << f;
        EXPECT_NE(svg.find("</svg>"), std::string::npos) << f;
        EXPECT_NE(page.find("src=\"" + f + ".svg\""), std::string::npos) << f;
    }
#else
    EXPECT_TRUE(j["figures"].empty());
    EXPECT_NE(page.find("no Qt"), std::string::npos);
#endif
    EXPECT_NE(page.find("<table>"), std::string::npos);
    EXPECT_NE(page.find("within 1 s"), std::string::npos);
    EXPECT_EQ(readFile(out + "/lasso_raw.csv").substr(0, 16), "# kind: decoding");
    // A file where the folder should be, and a missing recording, are refused with their names.
    const std::string file = dir_->file("not-a-folder");
    {
        std::ofstream(file) << "x";
    }
    const auto bad = cli("report " + session_ + " --out " + file + " --quick -q");
    EXPECT_EQ(bad.exitCode, 4);  // an output that cannot be written
    EXPECT_NE(bad.err.find("not-a-folder"), std::string::npos) << bad.err;
    EXPECT_EQ(cli("report " + dir_->file("missing.h5") + " --out " + out + " --quick -q").exitCode,
              3);
}
