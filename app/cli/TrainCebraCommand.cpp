#include "CliCommands.h"
#include "CliSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/decode/BehaviourDecoding.h"
#include "neurolens/decode/PopulationBaselines.h"
#include "neurolens/embed/Pca.h"
#include "neurolens/features/GaborFeatures.h"
#include "neurolens/models/Alignment.h"
#include "neurolens/models/Cebra.h"
#include "neurolens/models/CebraControls.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace neurolens::cli {
namespace {

nlohmann::json decodingJson(const KnnFrameDecoding& d)
{
    return {{"within_1s", d.within},
            {"within_1s_ci", {d.withinLow, d.withinHigh}},
            {"mae", d.mae},
            {"k", d.k},
            {"chance_within_1s", d.chanceWithin},
            {"shuffles", d.shuffles},
            {"shuffle_within_1s",
             d.shuffles ? nlohmann::json(d.shuffleWithin) : nlohmann::json(nullptr)},
            {"shuffle_beat_fraction",
             d.shuffles ? nlohmann::json(d.shuffleBeatFraction) : nlohmann::json(nullptr)}};
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
    o.validateEvery =
        args.validateEvery > 0 ? (args.validateEvery + o.stepsPerEpoch - 1) / o.stepsPerEpoch : 0;
    parseCebraConditional(args.conditional, o);

    const PreprocessResult pre =
        readAndPreprocess(args.file, args.pre.options(), progress, 0.05, 0.08);
    Recording analysed = pre.recording;
    attachBuiltinFeatures(analysed, o.features);  // stored with --out
    const RepeatSplit split = RepeatSplit::resolve(analysed.responses.repeats(), args.split.train,
                                                   args.split.validation, args.split.test);
    o.split = split;
    Cebra cebra(analysed, o);
    if (!args.resume.empty()) cebra.load(args.resume);
    TrainerOptions t;
    t.threads = args.threads;
    t.checkpoint = args.checkpoint;
    t.checkpointEvery = 10;
    Trainer trainer(cebra, t);
    const int stepsBefore = cebra.epochsDone() * o.stepsPerEpoch;
    const double start = now();
    // One share of the progress per training: the model, the consistency runs, the encoder-shuffled
    // models and the time-only baseline.
    const bool labelled = o.conditional != CebraOptions::Conditional::Time;
    const int controlRuns = labelled ? args.shuffles + (args.noTimeBaseline ? 0 : 1) : 0;
    const double share = 0.8 / (1 + args.consistencySeeds + controlRuns);
    SubProgress trainProgress(progress, 0.08, 0.08 + share);
    trainer.run(trainProgress);
    const double seconds = secondsSince(start);
    const RowMatrixXf embedding = cebra.transform();
    // Consistency (CEBRA's measure): more runs with the next seeds, linear R² between every ordered
    // pair.
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

    // The paper's decoding of the embedding, of the raw responses and of PCA of the same dimension
    // (fitted on the training repeats), on the same split: k chosen on the validation repeats,
    // tested on the test repeats, which no training or choice saw.
    SubProgress decodeProgress(progress, 0.08 + (1 + args.consistencySeeds) * share,
                               0.9 - controlRuns * share);
    decodeProgress.report(0, 1, "kNN decoding");
    const KnnFrameDecoding ours =
        decodeFramesByKnn(analysed, embedding, split, 30, args.shuffles, args.seed);
    const RowMatrixXf raw = analysed.responses.sampleMatrix();
    const KnnFrameDecoding rawDecoding =
        decodeFramesByKnn(analysed, raw, split, 30, args.shuffles, args.seed);
    const int pcs =
        std::min<int>(o.output, int(std::min<Eigen::Index>(raw.rows() - 1, raw.cols())));
    const PcaResult pca = fitPca(gatherRepeats(analysed.responses, split.train), pcs);
    const KnnFrameDecoding pcaDecoding =
        decodeFramesByKnn(analysed, pca.transform(raw, pcs), split, 30, args.shuffles, args.seed);
    std::vector<BaselineDecoding> baselines;
    if (!args.noBaselines) {
        SubProgress baselineProgress(decodeProgress, 0.3, 1);
        baselines = populationBaselines(analysed, split, args.seed, baselineProgress);
    }
    // Each behaviour of the recording decoded from the embedding, the raw responses and the PCA,
    // by kNN regression as CEBRA decodes (k chosen on the last fitted repeat), with the shuffle
    // control: whether the latents carry it, whatever the labels were.
    struct BehaviourRow {
        std::string name;
        BehaviourDecodeResult embedding, raw, pca;
    };
    std::vector<BehaviourRow> behaviourRows;
    std::vector<std::string> behaviourNotes;  // series that could not be decoded, and why
    for (const auto& [name, values] : analysed.behaviour) {
        BehaviourDecodeOptions b;
        b.behaviour = name;
        b.model = "knn";
        b.trainRepeats = split.fitRepeats();
        b.testRepeats = split.test;
        b.shuffles = args.shuffles;
        b.seed = args.seed;
        try {
            behaviourRows.push_back({name, decodeBehaviour(analysed, embedding, b),
                                     decodeBehaviour(analysed, raw, b),
                                     decodeBehaviour(analysed, pca.transform(raw, pcs), b)});
        } catch (const UsageError& e) {  // e.g. known in too few training samples
            behaviourNotes.push_back(name + ": " + e.what());
        }
    }
    // Controls on the encoder: the same CEBRA on shifted labels, and the time-only CEBRA.
    CebraControlOptions control;
    control.shuffles = args.shuffles;
    control.timeOnly = !args.noTimeBaseline;
    control.seed = args.seed;
    control.threads = args.threads;
    SubProgress controlProgress(progress, 0.9 - controlRuns * share, 0.9);
    const CebraControls controls =
        trainCebraControls(analysed, cebra.options(), ours.within, control, controlProgress);

    const nlohmann::json history = historyJson(cebra.history(), o.stepsPerEpoch, o.iterations);
    const int stepsRun = o.iterations - stepsBefore;
    nlohmann::json j = {
        {"file", args.file},
        {"units", analysed.responses.units()},
        {"samples", analysed.responses.samples()},
        {"model", cebraArchitectureName(o.architecture)},
        {"receptive_field",
         cebraReceptiveField(o.architecture).first + cebraReceptiveField(o.architecture).second},
        {"parameters", cebra.parameterCount()},
        {"conditional", args.conditional},
        {"dim", o.output},
        {"iterations", o.iterations},
        {"loss", jsonNumber(cebra.history().empty() ? std::nan("")
                                                    : cebra.history().back().values.at("loss"))},
        {"temperature", cebra.temperature()},
        {"split", splitJson(split)},
        {"kept_step", cebra.keptStep()},
        {"knn_within_1s", ours.within},
        {"knn_within_1s_ci", {ours.withinLow, ours.withinHigh}},
        {"knn_mae", ours.mae},
        {"knn_k", ours.k},
        {"chance_within_1s", ours.chanceWithin},
        {"shuffle_within_1s",
         ours.shuffles ? nlohmann::json(ours.shuffleWithin) : nlohmann::json(nullptr)},
        {"shuffle_beat_fraction",
         ours.shuffles ? nlohmann::json(ours.shuffleBeatFraction) : nlohmann::json(nullptr)},
        {"encoder_shuffle_within_1s", controls.shuffleWithin},
        {"encoder_shuffle_p", controls.shuffleWithin.empty() ? nlohmann::json(nullptr)
                                                             : nlohmann::json(controls.shuffleP)},
        {"time_within_1s",
         controls.timeOnlyRan ? nlohmann::json(controls.timeOnlyWithin) : nlohmann::json(nullptr)},
        {"raw", decodingJson(rawDecoding)},
        {"pca", decodingJson(pcaDecoding)},
        {"seconds", seconds},
        {"iterations_per_second", stepsRun > 0 ? stepsRun / seconds : 0.0},
        {"seed", args.seed},
        {"history", history}};
    nlohmann::json baselineJson = nlohmann::json::object();
    for (const BaselineDecoding& b : baselines)
        baselineJson[b.name()] = {{"within_1s", b.within},
                                  {"within_1s_ci", {b.withinLow, b.withinHigh}},
                                  {"k", b.k > 0 ? nlohmann::json(b.k) : nlohmann::json(nullptr)}};
    j["baselines"] = baselineJson;
    nlohmann::json behaviourJson = nlohmann::json::object();
    for (const BehaviourRow& b : behaviourRows) {
        const auto scores = [&](const BehaviourDecodeResult& d) {
            return nlohmann::json{{"r2", d.test.r2},
                                  {"pearson", d.test.pearson},
                                  {"k", d.tunedValue},
                                  {"shuffle_r2", d.shuffles ? nlohmann::json(d.shuffleMean.r2)
                                                            : nlohmann::json(nullptr)}};
        };
        behaviourJson[b.name] = {
            {"cebra", scores(b.embedding)}, {"raw", scores(b.raw)}, {"pca", scores(b.pca)}};
    }
    j["behaviour"] = behaviourJson;
    if (!behaviourNotes.empty()) j["behaviour_notes"] = behaviourNotes;
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
                                   {"knn_within_1s", ours.within},
                                   {"kept_step", cebra.keptStep()},
                                   {"split", splitJson(split)}})
                       .dump();
        SubProgress writeProgress(progress, 0.97, 1.0);
        storeResult(args.out, args.name, analysed, e, writeProgress);
        j["out"] = args.out;
        j["name"] = args.name;
    }
    std::ostringstream text;
    text << std::fixed << std::setprecision(3);
    text << "CEBRA " << cebraArchitectureName(o.architecture) << " (" << args.conditional << ", "
         << o.output << " dims) on " << analysed.responses.units() << " units of " << args.file
         << ": " << o.iterations << " steps in " << std::setprecision(1) << seconds << " s\n"
         << std::setprecision(3);
    text << "  split: " << split.describe() << "; the weights of step " << cebra.keptStep()
         << " kept\n";
    text << "  kNN within 1 s on the test repeat(s): CEBRA " << ours.within << " ["
         << ours.withinLow << ", " << ours.withinHigh << "] (k " << ours.k << "), raw responses "
         << rawDecoding.within << ", PCA-" << pcs << " " << pcaDecoding.within << "; chance "
         << ours.chanceWithin;
    if (args.shuffles) text << "; kNN on shuffled labels " << ours.shuffleWithin;
    text << "\n";
    if (!controls.shuffleWithin.empty()) {
        text << "  CEBRA trained on shuffled labels:";
        for (double w : controls.shuffleWithin) text << " " << w;
        text << " (permutation p " << controls.shuffleP << ")\n";
    }
    if (controls.timeOnlyRan) text << "  time-only CEBRA: " << controls.timeOnlyWithin << "\n";
    for (const BaselineDecoding& b : baselines)
        text << "  " << b.method << ", " << b.windowFrames << "-frame window: " << b.within << " ["
             << b.withinLow << ", " << b.withinHigh << "]\n";
    for (const BehaviourRow& b : behaviourRows) {
        text << "  " << b.name << " by kNN regression on the test repeat(s): R2 CEBRA "
             << b.embedding.test.r2 << ", raw responses " << b.raw.test.r2 << ", PCA-" << pcs << " "
             << b.pca.test.r2 << "; chance " << b.embedding.chance.r2;
        if (args.shuffles) text << "; shuffled behaviour " << b.embedding.shuffleMean.r2;
        text << "\n";
    }
    for (const std::string& note : behaviourNotes) text << "  not decoded: " << note << "\n";
    if (j.contains("consistency_r2"))
        text << "  consistency across " << runs.size() << " seeds: R2 "
             << j["consistency_r2"].get<double>() << "\n";
    if (!args.out.empty())
        text << "  embedding stored in " << args.out << " as /results/" << args.name << "\n";
    emit(common.json, j, text.str());
    return kOk;
}

}  // namespace neurolens::cli
