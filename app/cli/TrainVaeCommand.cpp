#include "CliCommands.h"
#include "CliSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/features/GaborFeatures.h"
#include "neurolens/models/Vae.h"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace neurolens::cli {

int runTrainVae(const TrainVaeArgs& args, const Common& common, Progress& progress)
{
    if (!args.out.empty()) checkOutputPath(args.out, args.file);
    VaeOptions o;
    o.latent = args.latent;
    o.epochs = args.epochs;
    o.batchSize = args.batch;
    o.beta = args.beta;
    o.learningRate = args.learningRate;
    o.guidanceWeight = args.guidanceWeight;
    o.seed = args.seed;
    o.device = args.device;
    if (args.guidance == "none")
        o.guidance = VaeOptions::Guidance::None;
    else if (args.guidance == "frame")
        o.guidance = VaeOptions::Guidance::Frame;
    else if (args.guidance.rfind("features:", 0) == 0 && args.guidance.size() > 9) {
        o.guidance = VaeOptions::Guidance::Features;
        o.features = args.guidance.substr(9);
    } else {
        throw UsageError("--guidance must be none, frame or features:NAME (got '" + args.guidance +
                         "')");
    }

    const PreprocessResult pre =
        readAndPreprocess(args.file, args.pre.options(), progress, 0.05, 0.08);
    Recording analysed = pre.recording;
    if (o.guidance == VaeOptions::Guidance::Features)
        attachBuiltinFeatures(analysed, o.features);  // stored with --out
    const RepeatSplit split = RepeatSplit::resolve(analysed.responses.repeats(), args.split.train,
                                                   args.split.validation, args.split.test);
    VaeData data = prepareVaeData(analysed, o, split);
    const std::vector<int> testSamples = data.test;
    Vae vae(std::move(data), o);
    if (!args.resume.empty()) vae.load(args.resume);

    TrainerOptions t;
    t.threads = args.threads;
    t.checkpoint = args.checkpoint;
    t.checkpointEvery = 10;
    Trainer trainer(vae, t);
    const double start = now();
    const int alreadyDone = vae.epochsDone();
    SubProgress trainProgress(progress, 0.08, args.out.empty() ? 1.0 : 0.97);
    trainer.run(trainProgress);
    const double seconds = secondsSince(start);

    const EpochRecord& last = vae.history().back();
    auto value = [&](const EpochRecord& r, const char* key) {
        const auto it = r.values.find(key);
        return it == r.values.end() ? std::nan("") : it->second;
    };
    const nlohmann::json history = historyJson(vae.history());
    const double testR2 = testSamples.empty() ? std::nan("") : vae.reconstructionR2(testSamples);
    nlohmann::json j = {
        {"file", args.file},
        {"units", pre.recording.responses.units()},
        {"samples", pre.recording.responses.samples()},
        {"latent", o.latent},
        {"guidance", args.guidance},
        {"epochs", vae.epochsDone()},
        {"train_r2", jsonNumber(value(last, "train_r2"))},
        {"val_r2", jsonNumber(value(last, "val_r2"))},
        {"test_r2", jsonNumber(testR2)},
        {"split", splitJson(split)},
        {"seconds", seconds},
        {"epochs_per_second",
         vae.epochsDone() > alreadyDone ? (vae.epochsDone() - alreadyDone) / seconds : 0.0},
        {"history", history}};
    if (o.guidance == VaeOptions::Guidance::Frame) {
        j["guidance_accuracy"] = jsonNumber(value(last, "guidance_val"));
        j["guidance_train_accuracy"] = jsonNumber(value(last, "guidance_train"));
    } else if (o.guidance == VaeOptions::Guidance::Features) {
        j["guidance_r2"] = jsonNumber(value(last, "guidance_val"));
        j["guidance_train_r2"] = jsonNumber(value(last, "guidance_train"));
    }
    if (!args.out.empty()) {
        Embedding e;
        e.method = "vae";
        e.seed = args.seed;
        e.values = vae.latents();
        e.params = nlohmann::json({{"latent", o.latent},
                                   {"epochs", vae.epochsDone()},
                                   {"beta", o.beta},
                                   {"guidance", args.guidance},
                                   {"train_r2", jsonNumber(value(last, "train_r2"))},
                                   {"val_r2", jsonNumber(value(last, "val_r2"))},
                                   {"area", args.pre.area},
                                   {"bin", args.pre.bin},
                                   {"top_variance", args.pre.topVariance},
                                   {"split", splitJson(split)}})
                       .dump();
        SubProgress writeProgress(progress, 0.97, 1.0);
        storeResult(args.out, args.name, analysed, e, writeProgress);
        j["out"] = args.out;
        j["name"] = args.name;
    }
    std::ostringstream text;
    text << std::fixed << std::setprecision(3);
    text << "VAE (" << args.guidance << " guidance, latent " << o.latent << ") on "
         << pre.recording.responses.units() << " units of " << args.file << "\n";
    text << "  " << vae.epochsDone() << " epochs in " << std::setprecision(1) << seconds
         << " s; reconstruction R2 train " << std::setprecision(3) << value(last, "train_r2")
         << ", validation " << value(last, "val_r2") << ", test " << testR2 << "\n";
    if (o.guidance == VaeOptions::Guidance::Frame)
        text << "  frame-ID accuracy (validation) " << value(last, "guidance_val") << "\n";
    if (o.guidance == VaeOptions::Guidance::Features)
        text << "  feature R2 (validation) " << value(last, "guidance_val") << "\n";
    if (!args.out.empty())
        text << "  latents stored in " << args.out << " as /results/" << args.name << "\n";
    emit(common.json, j, text.str());
    return kOk;
}

}  // namespace neurolens::cli
