// neurolens-cli against its contract: the analysis commands (decode, embed, tsne).

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

// The simulated session's running speed and pupil area (carried by its shared fluctuation) decoded
// above their controls; an unknown behaviour or a frame decoder for one refused.
TEST_F(CliTest, DecodeBehaviourWithItsControls)
{
    const json info = parse(cli("info " + session_ + " --json -q"));
    ASSERT_TRUE(info["behaviour"].contains("running_speed"));
    EXPECT_EQ(info["behaviour"]["running_speed"]["known_fraction"], 1.0);
    EXPECT_GT(info["behaviour"]["pupil_area"]["known_fraction"], 0.9);
    for (const std::string model : {"ridge", "lasso", "knn"}) {
        const json j = parse(cli("decode " + session_ + " --behaviour running_speed --model " +
                                 model + " --shuffles 2 --json -q"));
        EXPECT_EQ(j["model"], model);
        EXPECT_EQ(j["test_repeats"], json::array({3}));
        EXPECT_EQ(j["test"]["samples"], 120);  // one sample per frame after averaging
        for (const char* key : {"r2", "pearson", "train", "chance", "shuffle", "tuned"})
            EXPECT_TRUE(j.contains(key)) << key;
        EXPECT_LT(j["chance"]["r2"].get<double>(), 0.01);
    }
    const json fixed = parse(
        cli("decode " + session_ + " --behaviour pupil_area --alpha 10 --shuffles 1 --json -q"));
    EXPECT_EQ(fixed["parameters"]["alpha"], 10.0);
    EXPECT_TRUE(fixed["tuned"].is_null());
    EXPECT_EQ(cli("decode " + session_ + " --behaviour nosuch").exitCode, 2);
    EXPECT_EQ(cli("decode " + session_ + " --behaviour running_speed --model logistic").exitCode,
              2);
    EXPECT_EQ(cli("decode " + session_ + " --behaviour running_speed --sweep alpha=1,2").exitCode,
              2);

    // Behaviour from a CSV on the session's clock (the simulated repeats run back to back from
    // 0 s, 4 s each): a treadmill log at 50 Hz, then decoded like any other series.
    const std::string csv = dir_->file("treadmill.csv"), out = dir_->file("with_csv.h5");
    {
        std::ofstream f(csv);
        f << "seconds,treadmill\n";
        for (int i = 0; i < 50 * 16; ++i) f << i / 50.0 << "," << (i % 100) / 10.0 << "\n";
    }
    ASSERT_EQ(
        cli("convert " + session_ + " --behaviour-csv " + csv + " --out " + out + " -q").exitCode,
        0);
    const json withCsv = parse(cli("info " + out + " --json -q"));
    EXPECT_EQ(withCsv["behaviour"]["treadmill"]["known_fraction"], 1.0);
    EXPECT_TRUE(withCsv["behaviour"].contains("running_speed"));  // the session's own kept
    EXPECT_EQ(parse(cli("decode " + out + " --behaviour treadmill --json -q"))["behaviour"],
              "treadmill");
    EXPECT_EQ(cli("convert " + session_ + " --behaviour-csv " + csv +
                  " --behaviour-time-column clock --out " + dir_->file("x.h5"))
                  .exitCode,
              3);
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
