// neurolens-cli report F --out DIR: the seed report's whole study on one recording (core/study),
// written by the report library (figures, metrics.json, CSV data, report.html).

#include "CliCommands.h"
#include "CliSupport.h"
#include "ReportWriter.h"

#include "neurolens/data/Error.h"
#include "neurolens/study/Study.h"

#include <filesystem>

#include <iomanip>
#include <sstream>

namespace neurolens::cli {

int runReport(const ReportArgs& args, const Common& common, Progress& progress)
{
    std::error_code ec;
    if (std::filesystem::exists(args.out, ec) && !std::filesystem::is_directory(args.out, ec))
        throw OutputError(args.out, "",
                          "exists and is not a folder");  // before the study, not after it
    SubProgress readProgress(progress, 0.0, 0.03);
    const Recording rec = readRecording(args.file, readProgress);
    StudyOptions o;
    o.quick = args.quick;
    o.seed = args.seed;
    o.threads = args.threads;
    o.shuffles = args.shuffles;
    o.preprocess = args.pre.options();
    SubProgress studyProgress(progress, 0.03, 0.88);
    const StudyResults study = runStudy(rec, o, studyProgress);
    SubProgress writeProgress(progress, 0.88, 1.0);
    const ReportOutput out = writeReport(study, args.out, writeProgress);

    nlohmann::json names = nlohmann::json::array();
    for (const ReportFigure& f : out.figures) names.push_back(f.name);
    const nlohmann::json j = {{"file", args.file},   {"out", args.out},
                              {"figures", names},    {"metrics", out.metrics},
                              {"html", out.html},    {"seconds", study.seconds},
                              {"quick", args.quick}, {"models_available", study.modelsAvailable}};
    std::ostringstream text;
    text << "report on " << args.file << " written to " << args.out << ": " << out.figures.size()
         << " figures (PNG + SVG), metrics.json, report.html (" << std::fixed
         << std::setprecision(0) << study.seconds << " s)\n";
    emit(common.json, j, text.str());
    return kOk;
}

}  // namespace neurolens::cli
