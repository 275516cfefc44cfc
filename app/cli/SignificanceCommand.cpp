// neurolens-cli significance F: accuracy on the held-out repeat against the number of neurons
// (core/study Significance), as JSON or text, and with --out a figure (PNG + SVG) and a CSV,
// written only once everything is computed (Ctrl-C leaves nothing half-written).

#include "CliCommands.h"
#include "CliSupport.h"
#include "ReportFigures.h"

#include "neurolens/data/Error.h"
#include "neurolens/features/GaborFeatures.h"
#include "neurolens/io/ResultTables.h"
#include "neurolens/study/Significance.h"

#include <filesystem>
#include <iomanip>
#include <map>
#include <sstream>

namespace neurolens::cli {

int runSignificance(const SignificanceArgs& args, const Common& common, Progress& progress)
{
    std::error_code ec;
    if (!args.out.empty() && std::filesystem::exists(args.out, ec) &&
        !std::filesystem::is_directory(args.out, ec))
        throw OutputError(args.out, "", "exists and is not a folder");
    SignificanceOptions o = SignificanceOptions::defaults();
    o.units = parseUnitCounts(args.units);
    o.seeds = args.seeds;
    o.cebra.architecture = cebraArchitecture(args.model);
    parseCebraConditional(args.conditional, o.cebra);
    if (o.cebra.conditional == CebraOptions::Conditional::Time)
        throw UsageError(
            "significance compares label-trained CEBRA with its shuffled-label control: use frame, "
            "features:NAME or hybrid:NAME");
    o.cebra.iterations = args.iterations;
    o.cebra.output = args.dim;
    o.cebra.hidden = args.hidden;
    o.cebra.batchSize = args.batch;
    o.cebra.seed = args.seed;
    o.encoderShuffle = !args.noEncoderShuffle;
    o.seed = args.seed;
    o.threads = args.threads;

    const PreprocessResult pre =
        readAndPreprocess(args.file, args.pre.options(), progress, 0.02, 0.04);
    Recording analysed = pre.recording;
    attachBuiltinFeatures(analysed, o.cebra.features);
    o.split = RepeatSplit::resolve(analysed.responses.repeats(), args.split.train,
                                   args.split.validation, args.split.test);
    SubProgress run(progress, 0.04, args.out.empty() ? 1.0 : 0.97);
    const SignificanceResult r = significanceCurve(analysed, o, run);

    nlohmann::json curve = nlohmann::json::array();
    for (const CurvePoint& p : r.curve)
        curve.push_back({{"method", p.method},
                         {"units", p.units},
                         {"mean", p.mean},
                         {"sd", p.sd},
                         {"runs", p.runs}});
    nlohmann::json j = {{"file", args.file},
                        {"units_available", r.unitsAvailable},
                        {"split", splitJson(r.split)},
                        {"chance_within_1s", r.chanceWithin},
                        {"seeds", o.seeds},
                        {"iterations", o.cebra.iterations},
                        {"model", cebraArchitectureName(o.cebra.architecture)},
                        {"conditional", args.conditional},
                        {"dim", o.cebra.output},
                        {"hidden", o.cebra.hidden},
                        {"curve", curve},
                        {"seconds", r.seconds}};
    if (!args.out.empty()) {
        std::filesystem::create_directories(args.out, ec);
        if (ec) throw OutputError(args.out, "", "cannot make the folder: " + ec.message());
        const std::string csv = args.out + "/significance.csv";
        ResultTable table = curveTable(r);
        Provenance& made = table.provenance;
        made.producer = "neurolens-cli significance";
        made.source = args.file;
        made.seed = o.seed;
        addPreprocessing(made, args.pre.options());
        for (const auto& key : {"seeds", "iterations", "model", "conditional", "dim", "hidden"})
            made.settings[key] = j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
        made.settings["batch"] = std::to_string(o.cebra.batchSize);
        made.settings["encoder_shuffle"] = o.encoderShuffle ? "true" : "false";
        made.trainRepeats = r.split.train;
        made.testRepeats = r.split.test;
        writeTableCsv(table, csv);
        const ReportFigure figure = writeSignificanceFigure(r, args.out);
        j["out"] = args.out;
        j["csv"] = csv;
        j["figure"] = reportFiguresAvailable()
                          ? nlohmann::json({args.out + "/" + figure.name + ".png",
                                            args.out + "/" + figure.name + ".svg"})
                          : nlohmann::json::array();
    }

    std::ostringstream text;
    text << std::fixed << std::setprecision(3);
    text << "Frame decoding within 1 s on the test repeat(s) of " << args.file << " ("
         << r.split.describe() << "; chance " << r.chanceWithin << "), mean +- sd over " << o.seeds
         << " draw(s):\n";
    std::map<std::string, std::map<int, const CurvePoint*>> byMethod;
    std::vector<int> counts;
    for (const CurvePoint& p : r.curve) {
        byMethod[p.method][p.units] = &p;
        if (std::find(counts.begin(), counts.end(), p.units) == counts.end())
            counts.push_back(p.units);
    }
    std::sort(counts.begin(), counts.end());
    text << "  " << std::left << std::setw(16) << "units" << std::right;
    for (int n : counts) text << std::setw(16) << n;
    text << "\n";
    for (const char* method : {"cebra", "cebra_shuffled", "knn_1frame", "knn_10frame",
                               "bayes_1frame", "bayes_10frame"}) {
        const auto it = byMethod.find(method);
        if (it == byMethod.end()) continue;
        text << "  " << std::left << std::setw(16) << method << std::right;
        for (int n : counts) {
            const auto p = it->second.find(n);
            std::ostringstream cell;
            cell << std::fixed << std::setprecision(3);
            if (p != it->second.end()) cell << p->second->mean << " +- " << p->second->sd;
            text << std::setw(16) << cell.str();
        }
        text << "\n";
    }
    text << std::setprecision(1) << "  " << r.seconds << " s\n";
    if (!args.out.empty()) text << "  figure and CSV in " << args.out << "\n";
    emit(common.json, j, text.str());
    return kOk;
}

}  // namespace neurolens::cli
