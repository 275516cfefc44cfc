#include "neurolens/io/ResultTables.h"

#include "Hdf5File.h"
#include "TemporaryFile.h"
#include "neurolens/data/Error.h"
#include "neurolens/decode/BehaviourDecoding.h"
#include "neurolens/decode/FrameDecoding.h"
#include "neurolens/models/Trainer.h"
#include "neurolens/study/Significance.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <set>
#include <sstream>

namespace neurolens {
namespace {

std::string number(double v)
{
    if (std::isnan(v)) return "nan";
    std::ostringstream s;
    s << std::setprecision(9) << v;
    return s.str();
}

// RFC 4180: quote fields holding a comma, quote or line break.
std::string csvField(const std::string& v)
{
    if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

void checkShape(const ResultTable& t)
{
    if (t.names.size() != t.columns.size() || t.textNames.size() != t.texts.size())
        throw UsageError("a result table needs one name per column");
    const std::size_t n = t.rows();
    for (const auto& c : t.columns)
        if (c.size() != n) throw UsageError("the columns of a result table differ in length");
    for (const auto& c : t.texts)
        if (c.size() != n) throw UsageError("the columns of a result table differ in length");
}

void addScores(ResultTable& t, const std::string& prefix, const FrameScores& s)
{
    t.attributes[prefix + "_r2"] = number(s.r2);
    t.attributes[prefix + "_mae"] = number(s.mae);
    t.attributes[prefix + "_rmse"] = number(s.rmse);
    t.attributes[prefix + "_accuracy"] = number(s.accuracy);
    t.attributes[prefix + "_within_1s"] = number(s.within);
}

std::vector<int> allRepeats(int repeats)
{
    std::vector<int> out(static_cast<std::size_t>(repeats));
    for (int r = 0; r < repeats; ++r) out[std::size_t(r)] = r;
    return out;
}

// One column per behaviour series: its value in each row's bin (rows: `repeats` x bins, in order).
void addBehaviourColumns(ResultTable& t, const Recording& analysed, const std::vector<int>& repeats)
{
    const std::size_t bins = std::size_t(analysed.responses.bins());
    for (const auto& [name, values] : analysed.behaviour) {
        if (values.size() != std::size_t(analysed.responses.repeats()) * bins) continue;
        // Named as the series, unless that names a column already (a series called "frame").
        const bool taken = std::find(t.names.begin(), t.names.end(), name) != t.names.end();
        t.names.push_back(taken ? "behaviour_" + name : name);
        auto& col = t.columns.emplace_back();
        col.reserve(repeats.size() * bins);
        for (int rep : repeats)
            for (std::size_t b = 0; b < bins; ++b)
                col.push_back(values[std::size_t(rep) * bins + b]);
    }
}

// One row per test sample (repeat, bin, time in the repeat, session time), its true and predicted
// value and their difference, named `names`.
template <typename Truth>
ResultTable predictionTable(const Recording& analysed, const std::vector<int>& testRepeats,
                            const std::vector<Truth>& truth, const std::vector<double>& predicted,
                            const std::array<std::string, 3>& names)
{
    const int bins = analysed.responses.bins();
    if (predicted.size() != truth.size() ||
        predicted.size() != testRepeats.size() * std::size_t(bins))
        throw UsageError("the decoding does not match the recording's repeats and bins");
    ResultTable t;
    t.names = {"repeat", "bin", "time_s", "session_time_s", names[0], names[1], names[2]};
    t.columns.assign(7, {});
    for (std::size_t i = 0; i < predicted.size(); ++i) {
        const int bin = int(i % std::size_t(bins)), repeat = testRepeats[i / std::size_t(bins)];
        t.columns[0].push_back(repeat);
        t.columns[1].push_back(bin);
        t.columns[2].push_back(bin / analysed.responses.binRateHz());
        t.columns[3].push_back(analysed.stimulus.sessionTime(repeat, bin, bins));
        t.columns[4].push_back(double(truth[i]));
        t.columns[5].push_back(predicted[i]);
        t.columns[6].push_back(predicted[i] - double(truth[i]));
    }
    return t;
}

// The provenance as attributes of the result's group: the settings under their own names (beside
// the metrics), the rest as in the CSV sidecar.
void writeProvenance(Hdf5File& f, const std::string& group, const Provenance& p)
{
    for (const auto& [k, v] : p.settings) f.setAttribute(group, k, v);
    if (!p.trainRepeats.empty() || !p.testRepeats.empty()) {
        f.setAttribute(group, "train_repeats", repeatList(p.trainRepeats));
        f.setAttribute(group, "test_repeats", repeatList(p.testRepeats));
    }
    if (p.seed) f.setAttribute(group, "seed", std::int64_t(*p.seed));
    f.setAttribute(group, "source", p.source);
    std::error_code ec;
    if (!p.source.empty() && std::filesystem::is_regular_file(p.source, ec))
        f.setAttribute(group, "source_sha256", fileSha256(p.source));
    f.setAttribute(group, "producer", p.producer);
    f.setAttribute(group, "neurolens_version", std::string(neurolensVersion()));
}

}  // namespace

std::size_t ResultTable::rows() const
{
    if (!columns.empty()) return columns.front().size();
    if (!texts.empty()) return texts.front().size();
    return 0;
}

ResultTable embeddingTable(const Recording& analysed, const RowMatrixXf& values,
                           const std::string& prefix)
{
    const Responses& r = analysed.responses;
    if (values.rows() != r.samples())
        throw UsageError("the embedding has " + std::to_string(values.rows()) +
                         " rows, the recording " + std::to_string(r.samples()) + " samples");
    ResultTable t;
    t.kind = "embedding";
    t.names = {"sample", "repeat", "bin", "frame", "time_s", "session_time_s"};
    t.columns.assign(6, {});
    for (Eigen::Index s = 0; s < values.rows(); ++s) {
        const int bin = int(s % r.bins()), repeat = int(s / r.bins());
        t.columns[0].push_back(double(s));
        t.columns[1].push_back(repeat);
        t.columns[2].push_back(bin);
        t.columns[3].push_back(analysed.stimulus.frame[std::size_t(bin)]);
        t.columns[4].push_back(bin / r.binRateHz());
        t.columns[5].push_back(analysed.stimulus.sessionTime(repeat, bin, r.bins()));
    }
    addBehaviourColumns(t, analysed, allRepeats(r.repeats()));
    for (Eigen::Index c = 0; c < values.cols(); ++c) {
        t.names.push_back(prefix + std::to_string(c + 1));
        auto& col = t.columns.emplace_back();
        col.reserve(std::size_t(values.rows()));
        for (Eigen::Index s = 0; s < values.rows(); ++s) col.push_back(values(s, c));
    }
    t.attributes["samples"] = std::to_string(values.rows());
    t.attributes["bin_rate_hz"] = number(r.binRateHz());
    t.provenance.source = analysed.source;
    return t;
}

ResultTable decodingTable(const Recording& analysed, const DecodeResult& d)
{
    ResultTable t = predictionTable(analysed, d.testRepeats, d.truth, d.predicted,
                                    {"true_frame", "decoded_frame", "error_frames"});
    t.kind = "decoding";
    addBehaviourColumns(t, analysed, d.testRepeats);
    addScores(t, "train", d.train);
    addScores(t, "test", d.test);
    addScores(t, "chance", d.chance);
    t.attributes["shuffles"] = std::to_string(d.shuffles);
    if (d.shuffles > 0) {
        addScores(t, "shuffle", d.shuffleMean);
        t.attributes["shuffle_beat_fraction"] = number(d.shuffleBeatFraction);
    }
    t.attributes["feature_dims"] = std::to_string(d.featureDims);
    Provenance& p = t.provenance;
    p.source = analysed.source;
    const DecodeOptions& o = d.options;
    p.settings["model"] = o.decoder;
    for (const auto& [k, v] : o.parameters.numbers) p.settings[k] = number(v);
    for (const auto& [k, v] : o.parameters.choices) p.settings[k] = v;
    p.settings["features"] = o.features;
    p.settings["window_frames"] = std::to_string(o.window);
    p.settings["shuffles"] = std::to_string(o.shuffles);
    p.trainRepeats = d.trainRepeats;
    p.testRepeats = d.testRepeats;
    p.seed = o.seed;
    return t;
}

ResultTable behaviourDecodingTable(const Recording& analysed, const BehaviourDecodeResult& d)
{
    const std::string& name = d.options.behaviour;
    ResultTable t = predictionTable(analysed, d.testRepeats, d.truth, d.predicted,
                                    {"true_" + name, "decoded_" + name, "error"});
    t.kind = "behaviour_decoding";
    const auto scores = [&](const std::string& prefix, const BehaviourScores& s) {
        t.attributes[prefix + "_r2"] = number(s.r2);
        t.attributes[prefix + "_pearson"] = number(s.pearson);
        t.attributes[prefix + "_mae"] = number(s.mae);
        t.attributes[prefix + "_rmse"] = number(s.rmse);
        t.attributes[prefix + "_samples"] = std::to_string(s.samples);
    };
    scores("train", d.train);
    scores("test", d.test);
    scores("chance", d.chance);
    t.attributes["shuffles"] = std::to_string(d.shuffles);
    if (d.shuffles > 0) {
        scores("shuffle", d.shuffleMean);
        t.attributes["shuffle_beat_fraction"] = number(d.shuffleBeatFraction);
    }
    t.attributes["behaviour"] = name;
    t.attributes["feature_dims"] = std::to_string(d.featureDims);
    Provenance& p = t.provenance;
    p.source = analysed.source;
    const BehaviourDecodeOptions& o = d.options;
    p.settings["model"] = o.model;
    p.settings["behaviour"] = name;
    for (const auto& [k, v] : o.parameters.numbers) p.settings[k] = number(v);
    for (const auto& [k, v] : o.parameters.choices) p.settings[k] = v;
    if (!d.tuned.empty()) p.settings["tuned"] = d.tuned + " on the last training repeat";
    p.settings["features"] = o.features;
    p.settings["shuffles"] = std::to_string(o.shuffles);
    p.trainRepeats = d.trainRepeats;
    p.testRepeats = d.testRepeats;
    p.seed = o.seed;
    return t;
}

ResultTable historyTable(const std::vector<EpochRecord>& history)
{
    ResultTable t;
    t.kind = "history";
    std::set<std::string> keys;
    for (const auto& e : history)
        for (const auto& [k, v] : e.values) keys.insert(k);
    t.names = {"epoch", "seconds"};
    t.names.insert(t.names.end(), keys.begin(), keys.end());
    t.columns.assign(t.names.size(), {});
    for (const auto& e : history) {
        t.columns[0].push_back(e.epoch);
        t.columns[1].push_back(e.seconds);
        std::size_t c = 2;
        for (const auto& k : keys) {
            const auto it = e.values.find(k);
            t.columns[c++].push_back(it == e.values.end() ? std::nan("") : it->second);
        }
    }
    return t;
}

ResultTable unitTable(const UnitTable& units,
                      const std::map<std::string, std::vector<double>>& perUnit)
{
    ResultTable t;
    t.kind = "units";
    t.names = {"unit_id"};
    t.columns.emplace_back();
    for (auto id : units.id) t.columns[0].push_back(double(id));
    for (const auto& [name, values] : perUnit) {
        if (int(values.size()) != units.size())
            throw UsageError("'" + name + "' has a value for " + std::to_string(values.size()) +
                             " of " + std::to_string(units.size()) + " units");
        t.names.push_back(name);
        t.columns.push_back(values);
    }
    t.textNames = {"area"};
    t.texts = {units.area};
    if (t.texts[0].size() != units.id.size()) t.texts[0].resize(units.id.size());
    return t;
}

ResultTable curveTable(const SignificanceResult& r)
{
    ResultTable t;
    t.kind = "significance";
    t.names = {"units", "mean_within_1s", "sd_within_1s", "runs"};
    t.columns.assign(4, {});
    t.textNames = {"method", "run_values"};
    t.texts.assign(2, {});
    for (const CurvePoint& p : r.curve) {
        t.columns[0].push_back(p.units);
        t.columns[1].push_back(p.mean);
        t.columns[2].push_back(p.sd);
        t.columns[3].push_back(double(p.runs.size()));
        std::string runs;
        for (std::size_t i = 0; i < p.runs.size(); ++i)
            runs += (i ? ";" : "") + std::to_string(p.runs[i]);
        t.texts[0].push_back(p.method);
        t.texts[1].push_back(runs);
    }
    return t;
}

void writeTableCsv(const ResultTable& t, const std::string& path)
{
    checkShape(t);
    std::vector<std::string> header = t.names;
    header.insert(header.end(), t.textNames.begin(), t.textNames.end());
    // The sidecar is made first: a provenance that cannot be written leaves no table behind.
    const std::string sidecar =
        provenanceJson(t.kind, header, t.rows(), t.attributes, t.provenance);
    TemporaryFile temp(path), tempSidecar(path + ".json");
    {
        std::ofstream out(temp.path());
        if (!out) throw OutputError(path, "", "cannot create the file (is the folder writable?)");
        bool first = true;
        for (const auto& n : header) out << (first ? "" : ",") << csvField(n), first = false;
        out << "\n";
        for (std::size_t r = 0; r < t.rows(); ++r) {
            first = true;
            for (const auto& c : t.columns)
                out << (first ? "" : ",") << number(c[r]), first = false;
            for (const auto& c : t.texts)
                out << (first ? "" : ",") << csvField(c[r]), first = false;
            out << "\n";
        }
        out.flush();
        if (!out) throw OutputError(path, "", "writing failed (is there space?)");
        std::ofstream side(tempSidecar.path());
        side << sidecar;
        side.flush();
        if (!side) throw OutputError(path + ".json", "", "writing failed (is there space?)");
    }
    tempSidecar.commit();
    temp.commit();
}

void writeTableHdf5(const ResultTable& t, const std::string& path, const std::string& name)
{
    checkShape(t);
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
        throw UsageError("invalid result name '" + name + "'");
    TemporaryFile temp(path);
    std::error_code ec;
    const bool existing = std::filesystem::exists(path, ec);
    if (existing) {
        if (!Hdf5File::isHdf5(path))
            throw OutputError(path, "", "exists and is not an HDF5 file: choose another name");
        std::filesystem::copy_file(path, temp.path(),
                                   std::filesystem::copy_options::overwrite_existing, ec);
        if (ec)
            throw OutputError(path, "", "cannot copy the file to add a result: " + ec.message());
    }
    {
        Hdf5File f =
            existing ? Hdf5File::openReadWrite(temp.path()) : Hdf5File::create(temp.path());
        const std::string group = "/results/" + name;
        f.remove(group);
        for (std::size_t c = 0; c < t.columns.size(); ++c)
            f.write<double>(group + "/" + t.names[c], t.columns[c].data(),
                            {hsize_t(t.columns[c].size())});
        for (std::size_t c = 0; c < t.texts.size(); ++c)
            f.writeStrings(group + "/" + t.textNames[c], t.texts[c]);
        f.setAttribute(group, "kind", t.kind);
        for (const auto& [k, v] : t.attributes) f.setAttribute(group, k, v);
        writeProvenance(f, group, t.provenance);
        f.close();
    }
    temp.commit();
}

}  // namespace neurolens
