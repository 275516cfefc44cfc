// neurolens-cli against its contract: the commands that train or study models (train vae, train
// cebra, significance, align, report).

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
    // Every table opens in pandas and numpy as it is, and its sidecar says how it was made.
    EXPECT_EQ(readFile(out + "/lasso_raw.csv").substr(0, 12), "repeat,bin,t");
    const auto read =
        test::run(test::python() + " " + test::sourceDir() + "/tests/cli/read_exports.py " + out);
    EXPECT_EQ(read.exitCode, 0) << read.out << read.err;
    EXPECT_NE(read.out.find("tables read"), std::string::npos) << read.out;
    const auto side = nlohmann::json::parse(readFile(out + "/lasso_raw.csv.json"));
    EXPECT_EQ(side["settings"]["model"], "lasso");
    EXPECT_EQ(side["producer"], "neurolens report");
    EXPECT_EQ(side["source"]["sha256"].get<std::string>().size(), 64u);
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

#ifdef NEUROLENS_WITH_TORCH
// LibTorch is a module loaded by the commands that need it: one that cannot be loaded stops those
// with its reason, and the others never notice.
TEST_F(CliTest, OnlyModelCommandsNeedTheLibTorchModule)
{
    const std::string missing =
        "NEUROLENS_TORCH_MODULE=" + dir_->file("nowhere/libneurolens_torch.so");
    const auto r = test::run(missing + " " + std::string(NEUROLENS_CLI) + " train cebra " +
                             session_ + " --iterations 10 -q");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("CEBRA is unavailable"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nowhere/libneurolens_torch.so"), std::string::npos) << r.err;
    for (const std::string& command : {"info " + session_, "pca " + session_ + " -q",
                                       "decode " + session_ + " --model lasso -q"})
        EXPECT_EQ(test::run(missing + " " + std::string(NEUROLENS_CLI) + " " + command).exitCode, 0)
            << command;
}
#endif

// A two-photon NWB file (ΔF/F made from the simulated session by make_ophys_session.py, written by
// h5py): described, converted to continuous responses, and run through the whole study, whose
// decoders beat their shuffled-label controls on it.
TEST_F(CliTest, TwoPhotonNwbRunsTheWholeStudy)
{
    const std::string nwb = dir_->file("twophoton.nwb");
    const auto made = test::run(test::python() + " " + test::sourceDir() +
                                "/tests/cli/make_ophys_session.py " + session_ + " " + nwb);
    ASSERT_EQ(made.exitCode, 0) << made.err;
    const json info = parse(cli("info " + nwb + " --json"));
    EXPECT_EQ(info["format"], "nwb-ophys");
    EXPECT_EQ(info["units"], 120);
    EXPECT_EQ(info["traces"][0]["name"], "ophys/DfOverF/RoiResponseSeries");
    EXPECT_EQ(info["behaviour"], json::array({"running_speed"}));
    const std::string native = dir_->file("twophoton.neurolens.h5");
    const auto c = cli("convert " + nwb + " --out " + native + " --json -q");
    ASSERT_EQ(c.exitCode, 0) << c.err;
    const Recording rec = ReaderRegistry::standard().read(native);
    EXPECT_TRUE(rec.responses.continuous());
    EXPECT_EQ(rec.responses.repeats(), 4);
    EXPECT_EQ(rec.units.id.front(), 500);
    ASSERT_EQ(rec.behaviour.count("running_speed"), 1u);
    EXPECT_EQ(rec.behaviour.at("running_speed").size(), std::size_t(rec.responses.samples()));

    const std::string out = dir_->file("report2p");
    const auto r = cli("report " + nwb + " --out " + out + " --quick --shuffles 1 --json -q");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json m = json::parse(readFile(out + "/metrics.json"));
    EXPECT_EQ(m["units"], 120);
    for (const char* d : {"lasso_raw", "logistic_raw"})
        EXPECT_GT(m["decoding"][d]["test"]["within_1s"].get<double>(),
                  m["decoding"][d]["shuffle"]["within_1s"].get<double>() + 0.2)
            << d;
}

// A plain matrix (the simulated counts as units x time with grey screen between repeats, and a CSV
// of frame labels, written by make_matrix_session.py): described, converted back to the session it
// came from (whose whole study ReportHoldsEveryFigureAndNumber runs), and decoded from.
TEST_F(CliTest, PlainMatrixBecomesTheSessionItCameFromAndDecodes)
{
    const std::string npy = dir_->file("matrix.npy"), frames = dir_->file("matrix_frames.csv");
    const auto made = test::run(test::python() + " " + test::sourceDir() +
                                "/tests/cli/make_matrix_session.py " + session_ + " " + npy);
    ASSERT_EQ(made.exitCode, 0) << made.err;
    const json info = parse(cli("info " + npy + " --json"));
    EXPECT_EQ(info["format"], "matrix");
    EXPECT_EQ(info["arrays"][0]["rows"], 120);
    const auto noFrames = cli("convert " + npy + " --out " + dir_->file("m.neurolens.h5"));
    EXPECT_EQ(noFrames.exitCode, 2);
    EXPECT_NE(noFrames.err.find("--frames"), std::string::npos) << noFrames.err;

    const std::string native = dir_->file("matrix.neurolens.h5");
    const auto c = cli("convert " + npy + " --out " + native + " --frames " + frames +
                       " --frame-rate 30 --json -q");
    ASSERT_EQ(c.exitCode, 0) << c.err;
    const Recording back = ReaderRegistry::standard().read(native);
    const Recording original = ReaderRegistry::standard().read(session_);
    EXPECT_FALSE(back.responses.continuous());
    EXPECT_EQ(back.responses.binsPerFrame(), original.responses.binsPerFrame());
    EXPECT_EQ(back.stimulus.frame, original.stimulus.frame);
    EXPECT_EQ(back.responses.values(), original.responses.values());

    const json d = parse(cli("decode " + native + " --model logistic --shuffles 2 --json -q"));
    EXPECT_GT(d["test"]["within_1s"].get<double>(), d["shuffle_within_1s"].get<double>());
}
