#include "neurolens/decode/DecodeResultJson.h"

#include "neurolens/data/Error.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace neurolens {
namespace {

// Non-finite scores (an R² of a constant prediction) as null, and back.
nlohmann::json number(double v)
{
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

double number(const nlohmann::json& j)
{
    return j.is_number() ? j.get<double>() : std::nan("");
}

nlohmann::json scores(const FrameScores& s)
{
    return {{"r2", number(s.r2)},
            {"mae", number(s.mae)},
            {"rmse", number(s.rmse)},
            {"accuracy", number(s.accuracy)},
            {"within", number(s.within)}};
}

FrameScores scores(const nlohmann::json& j)
{
    FrameScores s;
    s.r2 = number(j.at("r2"));
    s.mae = number(j.at("mae"));
    s.rmse = number(j.at("rmse"));
    s.accuracy = number(j.at("accuracy"));
    s.within = number(j.at("within"));
    return s;
}

}  // namespace

std::string decodeResultToJson(const DecodeResult& r)
{
    const DecodeOptions& o = r.options;
    nlohmann::json parameters = nlohmann::json::object();
    for (const auto& [k, v] : o.parameters.numbers) parameters[k] = v;
    for (const auto& [k, v] : o.parameters.choices) parameters[k] = v;
    const nlohmann::json j = {{"format", "neurolens decoding"},
                              {"version", 1},
                              {"train", scores(r.train)},
                              {"test", scores(r.test)},
                              {"chance", scores(r.chance)},
                              {"shuffle", scores(r.shuffleMean)},
                              {"shuffles", r.shuffles},
                              {"shuffle_beat_fraction", number(r.shuffleBeatFraction)},
                              {"predicted", r.predicted},
                              {"truth", r.truth},
                              {"train_repeats", r.trainRepeats},
                              {"test_repeats", r.testRepeats},
                              {"feature_dims", r.featureDims},
                              {"options",
                               {{"decoder", o.decoder},
                                {"parameters", parameters},
                                {"features", o.features},
                                {"shuffles", o.shuffles},
                                {"seed", o.seed},
                                {"window", o.window}}}};
    return j.dump();
}

DecodeResult decodeResultFromJson(const std::string& text)
{
    DecodeResult r;
    try {
        const nlohmann::json j = nlohmann::json::parse(text);
        if (j.value("format", "") != "neurolens decoding" || j.value("version", 0) != 1)
            throw UsageError("not a neurolens decoding (format or version)");
        r.train = scores(j.at("train"));
        r.test = scores(j.at("test"));
        r.chance = scores(j.at("chance"));
        r.shuffleMean = scores(j.at("shuffle"));
        r.shuffles = j.at("shuffles").get<int>();
        r.shuffleBeatFraction = number(j.at("shuffle_beat_fraction"));
        for (const auto& v : j.at("predicted")) r.predicted.push_back(number(v));
        r.truth = j.at("truth").get<std::vector<int>>();
        r.trainRepeats = j.at("train_repeats").get<std::vector<int>>();
        r.testRepeats = j.at("test_repeats").get<std::vector<int>>();
        r.featureDims = j.at("feature_dims").get<int>();
        const nlohmann::json& o = j.at("options");
        r.options.decoder = o.at("decoder").get<std::string>();
        for (const auto& [k, v] : o.at("parameters").items()) {
            if (v.is_number())
                r.options.parameters.numbers[k] = v.get<double>();
            else
                r.options.parameters.choices[k] = v.get<std::string>();
        }
        r.options.features = o.at("features").get<std::string>();
        r.options.shuffles = o.at("shuffles").get<int>();
        r.options.seed = o.at("seed").get<std::uint64_t>();
        r.options.window = o.at("window").get<int>();
    } catch (const nlohmann::json::exception& e) {
        throw UsageError(std::string("a damaged decoding: ") + e.what());
    }
    r.options.trainRepeats = r.trainRepeats;
    r.options.testRepeats = r.testRepeats;
    if (r.predicted.size() != r.truth.size() || r.testRepeats.empty() ||
        r.predicted.size() % r.testRepeats.size() != 0)
        throw UsageError("a damaged decoding: its predictions do not match its test repeats");
    return r;
}

}  // namespace neurolens
