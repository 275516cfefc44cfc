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

nlohmann::json options(const DecodeOptions& o)
{
    nlohmann::json parameters = nlohmann::json::object();
    for (const auto& [k, v] : o.parameters.numbers) parameters[k] = v;
    for (const auto& [k, v] : o.parameters.choices) parameters[k] = v;
    return {{"decoder", o.decoder},
            {"parameters", parameters},
            {"features", o.features},
            {"shuffles", o.shuffles},
            {"seed", o.seed},
            {"window", o.window},
            {"train_repeats", o.trainRepeats},
            {"test_repeats", o.testRepeats}};
}

DecodeOptions options(const nlohmann::json& o)
{
    DecodeOptions r;
    r.decoder = o.at("decoder").get<std::string>();
    for (const auto& [k, v] : o.at("parameters").items()) {
        if (v.is_number())
            r.parameters.numbers[k] = v.get<double>();
        else
            r.parameters.choices[k] = v.get<std::string>();
    }
    r.features = o.at("features").get<std::string>();
    r.shuffles = o.at("shuffles").get<int>();
    r.seed = o.at("seed").get<std::uint64_t>();
    r.window = o.at("window").get<int>();
    // Absent in version 1 decodings, whose repeats are the result's own.
    r.trainRepeats = o.value("train_repeats", std::vector<int>{});
    r.testRepeats = o.value("test_repeats", std::vector<int>{});
    return r;
}

}  // namespace

std::string decodeResultToJson(const DecodeResult& r)
{
    const nlohmann::json j = {
        {"format", "neurolens decoding"},  {"version", 1},
        {"train", scores(r.train)},        {"test", scores(r.test)},
        {"chance", scores(r.chance)},      {"shuffle", scores(r.shuffleMean)},
        {"shuffles", r.shuffles},          {"shuffle_beat_fraction", number(r.shuffleBeatFraction)},
        {"predicted", r.predicted},        {"truth", r.truth},
        {"train_repeats", r.trainRepeats}, {"test_repeats", r.testRepeats},
        {"feature_dims", r.featureDims},   {"options", options(r.options)}};
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
        r.options = options(j.at("options"));
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

std::string sweepResultToJson(const SweepResult& r)
{
    nlohmann::json points = nlohmann::json::array();
    for (const SweepPoint& p : r.points)
        points.push_back(
            {{"value", p.value}, {"train", scores(p.train)}, {"test", scores(p.test)}});
    const nlohmann::json j = {
        {"format", "neurolens sweep"},  {"version", 1},     {"parameter", r.parameter},
        {"log_scale", r.logScale},      {"points", points}, {"chance", scores(r.chance)},
        {"options", options(r.options)}};
    return j.dump();
}

SweepResult sweepResultFromJson(const std::string& text)
{
    SweepResult r;
    try {
        const nlohmann::json j = nlohmann::json::parse(text);
        if (j.value("format", "") != "neurolens sweep" || j.value("version", 0) != 1)
            throw UsageError("not a neurolens sweep (format or version)");
        r.parameter = j.at("parameter").get<std::string>();
        r.logScale = j.at("log_scale").get<bool>();
        for (const auto& p : j.at("points")) {
            SweepPoint point;
            point.value = p.at("value").get<double>();
            point.train = scores(p.at("train"));
            point.test = scores(p.at("test"));
            r.points.push_back(point);
        }
        r.chance = scores(j.at("chance"));
        r.options = options(j.at("options"));
    } catch (const nlohmann::json::exception& e) {
        throw UsageError(std::string("a damaged sweep: ") + e.what());
    }
    if (r.points.empty()) throw UsageError("a damaged sweep: it has no points");
    return r;
}

}  // namespace neurolens
