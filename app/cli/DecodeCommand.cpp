#include "CliCommands.h"
#include "CliSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/decode/BehaviourDecoding.h"
#include "neurolens/decode/FrameDecoding.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <cmath>
#include <iomanip>
#include <sstream>
#include <utility>

namespace neurolens::cli {
namespace {

// A decoding's scores as text: a row per measure, its test, train, chance and (with shuffles)
// shuffled-control values.
class ScoreRows {
public:
    ScoreRows(std::ostream& out, int shuffles) : out_(out), shuffles_(shuffles)
    {
        out_ << "                 test     train    chance" << (shuffles ? "   shuffled" : "")
             << "\n";
    }
    void operator()(const char* name, double test, double train, double chance,
                    double shuffled) const
    {
        out_ << "  " << std::left << std::setw(13) << name << std::right << std::setw(8) << test
             << std::setw(10) << train << std::setw(10) << chance;
        if (shuffles_) out_ << std::setw(11) << shuffled;
        out_ << "\n";
    }
    // "2 of 5 shuffles reached the real WHAT".
    void beaten(double fraction, const char* what) const
    {
        if (shuffles_)
            out_ << "  " << int(std::lround(fraction * shuffles_)) << " of " << shuffles_
                 << " shuffles reached the real " << what << "\n";
    }

private:
    std::ostream& out_;
    int shuffles_;
};

nlohmann::json scoresJson(const FrameScores& s)
{
    return {{"r2", s.r2},
            {"mae", s.mae},
            {"rmse", s.rmse},
            {"accuracy", s.accuracy},
            {"within_1s", s.within}};
}

DecodeOptions decodeOptions(const DecodeArgs& args, int repeats)
{
    DecodeOptions o;
    const DecoderSpec& spec = frameDecoder(args.model.empty() ? "lasso" : args.model);
    o.decoder = spec.name;
    o.parameters = parseMethodParameters("--model", spec.name, spec.parameters, args.parameters);
    o.features = args.features;
    const RepeatSplit split =
        RepeatSplit::resolve(repeats, args.split.train, args.split.validation, args.split.test);
    o.trainRepeats = split.fitRepeats();
    o.testRepeats = split.test;
    o.shuffles = args.shuffles;
    o.seed = args.seed;
    return o;
}

// "alpha=0.01,0.1,1" -> the parameter and its values.
std::pair<std::string, std::vector<double>> parseSweep(const std::string& text)
{
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        throw UsageError(
            "--sweep takes NAME=V1,V2,... (a numeric parameter of the decoder, or pcs), not '" +
            text + "'");
    std::vector<double> values;
    std::stringstream ss(text.substr(eq + 1));
    std::string part;
    while (std::getline(ss, part, ',')) {
        std::size_t used = 0;
        try {
            values.push_back(std::stod(part, &used));
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != part.size())
            throw UsageError("--sweep: '" + part + "' is not a number");
    }
    return {text.substr(0, eq), values};
}

nlohmann::json behaviourScoresJson(const BehaviourScores& s)
{
    return {{"r2", s.r2},
            {"pearson", s.pearson},
            {"mae", s.mae},
            {"rmse", s.rmse},
            {"samples", s.samples}};
}

// decode --behaviour NAME: a regression of that behaviour, with its chance and shuffle controls.
int runBehaviourDecode(const DecodeArgs& args, const Common& common, const Recording& rec,
                       Progress& progress)
{
    if (!args.sweep.empty())
        throw UsageError(
            "--sweep decodes frames; a behaviour's regulariser is chosen on the last "
            "training repeat (or give it)");
    BehaviourDecodeOptions o;
    o.behaviour = args.behaviour;
    const BehaviourRegressorSpec& spec =
        behaviourRegressor(args.model.empty() ? "ridge" : args.model);
    o.model = spec.name;
    o.parameters = parseMethodParameters("--model", spec.name, spec.parameters, args.parameters);
    o.features = args.features;
    const RepeatSplit split = RepeatSplit::resolve(rec.responses.repeats(), args.split.train,
                                                   args.split.validation, args.split.test);
    if (const auto stored = rec.results.find(args.features); stored != rec.results.end())
        refuseTrainedOnTest(stored->second, split, args.features);
    o.trainRepeats = split.fitRepeats();
    o.testRepeats = split.test;
    o.shuffles = args.shuffles;
    o.seed = args.seed;
    const double start = now();
    const BehaviourDecodeResult d = decodeBehaviour(rec, o, progress);
    nlohmann::json j = {
        {"file", args.file},
        {"behaviour", args.behaviour},
        {"model", spec.name},
        {"parameters", parametersJson(d.options.parameters)},
        {"tuned", d.tuned.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.tuned)},
        {"features", args.features},
        {"feature_dims", d.featureDims},
        {"units", rec.responses.units()},
        {"train_repeats", d.trainRepeats},
        {"test_repeats", d.testRepeats},
        {"split", splitJson(split)},
        {"r2", d.test.r2},
        {"pearson", d.test.pearson},
        {"train", behaviourScoresJson(d.train)},
        {"test", behaviourScoresJson(d.test)},
        {"chance", behaviourScoresJson(d.chance)},
        {"shuffles", d.shuffles},
        {"seconds", secondsSince(start)}};
    if (d.shuffles > 0) {
        j["shuffle"] = behaviourScoresJson(d.shuffleMean);
        j["shuffle_beat_fraction"] = d.shuffleBeatFraction;
    }
    std::ostringstream t;
    t << std::fixed << std::setprecision(3);
    t << args.behaviour << " by " << spec.name << " ("
      << d.options.parameters.describe(spec.parameters)
      << (d.tuned.empty() ? "" : ", " + d.tuned + " chosen on the last training repeat") << ") on "
      << args.features << " (" << d.featureDims << " dims), " << d.trainRepeats.size()
      << " training and " << d.testRepeats.size() << " test repeat(s), " << d.test.samples
      << " test samples with the behaviour known\n";
    const ScoreRows line(t, d.shuffles);
    line("R2", d.test.r2, d.train.r2, d.chance.r2, d.shuffleMean.r2);
    line("correlation", d.test.pearson, d.train.pearson, d.chance.pearson, d.shuffleMean.pearson);
    line("MAE", d.test.mae, d.train.mae, d.chance.mae, d.shuffleMean.mae);
    line("RMSE", d.test.rmse, d.train.rmse, d.chance.rmse, d.shuffleMean.rmse);
    line.beaten(d.shuffleBeatFraction, "R2");
    emit(common.json, j, t.str());
    return kOk;
}

int runSweep(const DecodeArgs& args, const Common& common, const Recording& rec,
             const DecodeOptions& options, Progress& progress)
{
    const auto [parameter, values] = parseSweep(args.sweep);
    const std::vector<SweepPoint> points = sweep(rec, options, parameter, values, progress);
    nlohmann::json list = nlohmann::json::array();
    std::ostringstream t;
    t << std::fixed << std::setprecision(3);
    t << options.decoder << ", sweep of " << parameter << "\n";
    t << "      value   train R2    test R2  train exact  test exact  test within 1 s\n";
    for (const auto& p : points) {
        list.push_back(
            {{"value", p.value}, {"train", scoresJson(p.train)}, {"test", scoresJson(p.test)}});
        t << std::setw(11) << p.value << std::setw(11) << p.train.r2 << std::setw(11) << p.test.r2
          << std::setw(13) << p.train.accuracy << std::setw(12) << p.test.accuracy << std::setw(17)
          << p.test.within << "\n";
    }
    emit(common.json,
         {{"file", args.file},
          {"model", options.decoder},
          {"parameter", parameter},
          {"sweep", list}},
         t.str());
    return kOk;
}

}  // namespace

int runDecode(const DecodeArgs& args, const Common& common, Progress& progress)
{
    const PreprocessResult pre =
        readAndPreprocess(args.file, args.pre.options(), progress, 0.2, 0.3);
    const Responses& r = pre.recording.responses;
    if (!args.behaviour.empty()) {
        SubProgress behaviourProgress(progress, 0.3, 1.0);
        return runBehaviourDecode(args, common, pre.recording, behaviourProgress);
    }
    const DecodeOptions options = decodeOptions(args, r.repeats());
    // A model's latents are tested only on repeats it never trained or chose on.
    if (const auto stored = pre.recording.results.find(args.features);
        stored != pre.recording.results.end())
        refuseTrainedOnTest(stored->second,
                            RepeatSplit::resolve(r.repeats(), args.split.train,
                                                 args.split.validation, args.split.test),
                            args.features);
    if (!args.sweep.empty()) {
        SubProgress sweepProgress(progress, 0.3, 1.0);
        return runSweep(args, common, pre.recording, options, sweepProgress);
    }
    const std::vector<ParameterSpec>& specs = frameDecoder(options.decoder).parameters;
    const Parameters used = resolveParameters(options.decoder, specs, options.parameters);
    const double start = now();
    SubProgress decodeProgress(progress, 0.3, 1.0);
    const DecodeResult d = decodeFrames(pre.recording, options, decodeProgress);

    nlohmann::json j = {
        {"file", args.file},
        {"model", options.decoder},
        {"parameters", parametersJson(used)},
        {"features", args.features},
        {"feature_dims", d.featureDims},
        {"units", r.units()},
        {"train_repeats", d.trainRepeats},
        {"test_repeats", d.testRepeats},
        {"split", splitJson(RepeatSplit::resolve(r.repeats(), args.split.train,
                                                 args.split.validation, args.split.test))},
        {"r2", d.test.r2},
        {"mae", d.test.mae},
        {"rmse", d.test.rmse},
        {"train_accuracy", d.train.accuracy},
        {"test_accuracy", d.test.accuracy},
        {"within_1s", d.test.within},
        {"chance_within_1s", d.chance.within},
        {"train", scoresJson(d.train)},
        {"test", scoresJson(d.test)},
        {"chance", scoresJson(d.chance)},
        {"shuffles", d.shuffles},
        {"seconds", secondsSince(start)}};
    if (d.shuffles > 0) {
        j["shuffle_within_1s"] = d.shuffleMean.within;
        j["shuffle"] = scoresJson(d.shuffleMean);
        j["shuffle_beat_fraction"] = d.shuffleBeatFraction;
    } else {
        j["shuffle_within_1s"] = nullptr;
    }
    std::ostringstream t;
    t << std::fixed << std::setprecision(3);
    const std::string described = used.describe(specs);
    t << options.decoder << (described.empty() ? "" : " (" + described + ")") << " on "
      << args.features << " (" << d.featureDims << " dims), " << r.units() << " units, "
      << d.trainRepeats.size() << " training and " << d.testRepeats.size() << " test repeat(s)\n";
    const ScoreRows line(t, d.shuffles);
    line("R2", d.test.r2, d.train.r2, d.chance.r2, d.shuffleMean.r2);
    line("MAE (frames)", d.test.mae, d.train.mae, d.chance.mae, d.shuffleMean.mae);
    line("RMSE (frames)", d.test.rmse, d.train.rmse, d.chance.rmse, d.shuffleMean.rmse);
    line("exact", d.test.accuracy, d.train.accuracy, d.chance.accuracy, d.shuffleMean.accuracy);
    line("within 1 s", d.test.within, d.train.within, d.chance.within, d.shuffleMean.within);
    line.beaten(d.shuffleBeatFraction, "within-1-s accuracy");
    emit(common.json, j, t.str());
    return kOk;
}

}  // namespace neurolens::cli
