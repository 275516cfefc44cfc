#include "CliCommands.h"
#include "CliSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/embed/Pca.h"
#include "neurolens/features/GaborFeatures.h"
#include "neurolens/models/Alignment.h"
#include "neurolens/models/Cebra.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace neurolens::cli {
namespace {

nlohmann::json decodingJson(const KnnFrameDecoding& d)
{
    return {{"within_1s", d.within}, {"mae", d.mae}, {"k", d.k}, {"chance_within_1s", d.chanceWithin},
            {"shuffles", d.shuffles}, {"shuffle_within_1s", d.shuffles ? nlohmann::json(d.shuffleWithin) : nlohmann::json(nullptr)},
            {"shuffle_beat_fraction", d.shuffles ? nlohmann::json(d.shuffleBeatFraction) : nlohmann::json(nullptr)}};
}

}  // namespace

int runTrainCebra(const TrainCebraArgs& args, const Common& common, Progress& progress)
{
    if (!args.out.empty()) checkOutputPath(args.out, args.file);
    CebraOptions o;
    o.architecture = cebraArchitecture(args.model);
    o.output = args.dim;
    o.hidden = args.hidden;
    o.iterations = args.iterations;
    o.batchSize = args.batch;
    o.learningRate = args.learningRate;
    o.temperature = args.temperature;
    o.learnableTemperature = args.learnableTemperature;
    o.minTemperature = args.minTemperature;
    o.timeOffset = args.timeOffset;
    o.firstIndexTies = args.firstIndexTies;
    o.seed = args.seed;
    o.device = args.device;
    o.stepsPerEpoch = 100;
    o.validateEvery = args.validateEvery > 0 ? (args.validateEvery + o.stepsPerEpoch - 1) / o.stepsPerEpoch : 0;
    if (args.conditional == "time") o.conditional = CebraOptions::Conditional::Time;
    else if (args.conditional == "frame") o.conditional = CebraOptions::Conditional::Frame;
    else if (args.conditional.rfind("features:", 0) == 0 && args.conditional.size() > 9) {
        o.conditional = CebraOptions::Conditional::Features;
        o.features = args.conditional.substr(9);
    } else if (args.conditional.rfind("hybrid:", 0) == 0 && args.conditional.size() > 7) {
        o.conditional = CebraOptions::Conditional::Hybrid;
        o.features = args.conditional.substr(7);
    } else {
        throw UsageError("--conditional must be time, frame, features:NAME or hybrid:NAME (got '" + args.conditional + "')");
    }

    const PreprocessResult pre = readAndPreprocess(args.file, args.pre.options(), progress, 0.05, 0.08);
    Recording analysed = pre.recording;
    attachBuiltinFeatures(analysed, o.features);  // stored with --out
    Cebra cebra(analysed, o);
    if (!args.resume.empty()) cebra.load(args.resume);
    TrainerOptions t;
    t.threads = args.threads;
    t.checkpoint = args.checkpoint;
    t.checkpointEvery = 10;
    Trainer trainer(cebra, t);
    const int stepsBefore = cebra.epochsDone() * o.stepsPerEpoch;
    const double start = now();
    const double share = 0.82 / (1 + args.consistencySeeds);
    SubProgress trainProgress(progress, 0.08, 0.08 + share);
    trainer.run(trainProgress);
    const double seconds = secondsSince(start);
    const RowMatrixXf embedding = cebra.transform();
    // Consistency (CEBRA's measure): more runs with the next seeds, linear R² between every ordered pair.
    std::vector<RowMatrixXf> runs{embedding};
    for (int k = 1; k <= args.consistencySeeds; ++k) {
        CebraOptions other = o;
        other.seed = o.seed + std::uint64_t(k);
        Cebra extra(analysed, other);
        SubProgress extraProgress(progress, 0.08 + k * share, 0.08 + (k + 1) * share);
        TrainerOptions extraOptions;
        extraOptions.threads = t.threads;
        Trainer(extra, extraOptions).run(extraProgress);
        runs.push_back(extra.transform());
    }

    // The paper's decoding (reference §1.6) of the embedding, of the raw responses and of PCA of the same
    // dimension, on the same repeats: train on all but the last, test on the last.
    const int R = analysed.responses.repeats();
    std::vector<int> train(std::size_t(std::max(0, R - 1))), test{R - 1};
    for (int r = 0; r + 1 < R; ++r) train[std::size_t(r)] = r;
    SubProgress decodeProgress(progress, 0.9, 0.97);
    const KnnFrameDecoding ours = decodeFramesByKnn(analysed, embedding, train, test, 30, args.shuffles, args.seed);
    const RowMatrixXf raw = analysed.responses.sampleMatrix();
    const KnnFrameDecoding rawDecoding = decodeFramesByKnn(analysed, raw, train, test, 30, args.shuffles, args.seed);
    const int pcs = std::min<int>(o.output, int(std::min<Eigen::Index>(raw.rows() - 1, raw.cols())));
    const PcaResult pca = fitPca(gatherRepeats(analysed.responses, train), pcs);
    const KnnFrameDecoding pcaDecoding = decodeFramesByKnn(analysed, pca.transform(raw, pcs), train, test, 30, args.shuffles, args.seed);

    const nlohmann::json history = historyJson(cebra.history(), o.stepsPerEpoch, o.iterations);
    const int stepsRun = o.iterations - stepsBefore;
    nlohmann::json j = {{"file", args.file},
                        {"units", analysed.responses.units()},
                        {"samples", analysed.responses.samples()},
                        {"model", cebraArchitectureName(o.architecture)},
                        {"receptive_field", cebraReceptiveField(o.architecture).first + cebraReceptiveField(o.architecture).second},
                        {"parameters", cebra.parameterCount()},
                        {"conditional", args.conditional},
                        {"dim", o.output},
                        {"iterations", o.iterations},
                        {"loss", jsonNumber(cebra.history().empty() ? std::nan("") : cebra.history().back().values.at("loss"))},
                        {"temperature", cebra.temperature()},
                        {"knn_within_1s", ours.within},
                        {"knn_mae", ours.mae},
                        {"knn_k", ours.k},
                        {"chance_within_1s", ours.chanceWithin},
                        {"shuffle_within_1s", ours.shuffles ? nlohmann::json(ours.shuffleWithin) : nlohmann::json(nullptr)},
                        {"shuffle_beat_fraction", ours.shuffles ? nlohmann::json(ours.shuffleBeatFraction) : nlohmann::json(nullptr)},
                        {"raw", decodingJson(rawDecoding)},
                        {"pca", decodingJson(pcaDecoding)},
                        {"seconds", seconds},
                        {"iterations_per_second", stepsRun > 0 ? stepsRun / seconds : 0.0},
                        {"seed", args.seed},
                        {"history", history}};
    if (runs.size() > 1) {
        double mean = 0;
        const Eigen::MatrixXd r2 = embeddingConsistency(runs, &mean);
        nlohmann::json matrix = nlohmann::json::array();
        for (Eigen::Index a = 0; a < r2.rows(); ++a) {
            nlohmann::json row = nlohmann::json::array();
            for (Eigen::Index b = 0; b < r2.cols(); ++b) row.push_back(jsonNumber(r2(a, b)));
            matrix.push_back(row);
        }
        j["consistency_r2"] = mean;
        j["consistency"] = matrix;
    }
    if (!args.out.empty()) {
        Embedding e;
        e.method = "cebra";
        e.seed = args.seed;
        e.values = embedding;
        e.params = nlohmann::json({{"model", cebraArchitectureName(o.architecture)},
                                   {"conditional", args.conditional},
                                   {"dim", o.output},
                                   {"iterations", o.iterations},
                                   {"temperature", cebra.temperature()},
                                   {"knn_within_1s", ours.within}})
                       .dump();
        SubProgress writeProgress(progress, 0.97, 1.0);
        storeResult(args.out, args.name, analysed, e, writeProgress);
        j["out"] = args.out;
        j["name"] = args.name;
    }
    std::ostringstream text;
    text << std::fixed << std::setprecision(3);
    text << "CEBRA " << cebraArchitectureName(o.architecture) << " (" << args.conditional << ", " << o.output << " dims) on " << analysed.responses.units()
         << " units of " << args.file << ": " << o.iterations << " steps in " << std::setprecision(1) << seconds << " s\n"
         << std::setprecision(3);
    text << "  kNN within 1 s on the last repeat: CEBRA " << ours.within << " (k " << ours.k << "), raw responses " << rawDecoding.within
         << ", PCA-" << pcs << " " << pcaDecoding.within << "; chance " << ours.chanceWithin;
    if (args.shuffles) text << "; shuffled labels " << ours.shuffleWithin;
    text << "\n";
    if (j.contains("consistency_r2"))
        text << "  consistency across " << runs.size() << " seeds: R2 " << j["consistency_r2"].get<double>() << "\n";
    if (!args.out.empty()) text << "  embedding stored in " << args.out << " as /results/" << args.name << "\n";
    emit(common.json, j, text.str());
    return kOk;
}

}  // namespace neurolens::cli
