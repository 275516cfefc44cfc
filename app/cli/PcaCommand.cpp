#include "CliCommands.h"
#include "CliSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/embed/Pca.h"

#include <iomanip>
#include <sstream>

namespace neurolens::cli {

int runPca(const PcaArgs& args, const Common& common, Progress& progress)
{
    if (!args.out.empty()) checkOutputPath(args.out, args.file);
    if (args.components < 1) throw UsageError("--components must be at least 1");
    const PreprocessResult pre =
        readAndPreprocess(args.file, args.pre.options(), progress, 0.4, 0.5);
    const Responses& r = pre.recording.responses;
    const double start = now();
    SubProgress pcaProgress(progress, 0.5, 0.9);
    const int keep =
        std::min<int>(args.components, int(std::min<std::int64_t>(r.samples(), r.units())));
    const PcaResult pca = fitPca(r.sampleMatrix(), keep, pcaProgress);
    const double seconds = secondsSince(start);

    const std::vector<double> ratio(
        pca.explainedVarianceRatio.data(),
        pca.explainedVarianceRatio.data() + pca.explainedVarianceRatio.size());
    nlohmann::json j = {{"file", args.file},
                        {"units", r.units()},
                        {"samples", r.samples()},
                        {"dropped_silent", pre.droppedSilent},
                        {"components_90", pca.componentsFor(0.90)},
                        {"components_95", pca.componentsFor(0.95)},
                        {"explained_variance_ratio", ratio},
                        {"seconds", seconds}};
    if (!args.out.empty()) {
        Embedding e;
        e.method = "pca";
        e.values = pca.transform(r.sampleMatrix(), keep);
        e.params = nlohmann::json({{"components", keep},
                                   {"area", args.pre.area},
                                   {"bin", args.pre.bin},
                                   {"drop_silent", !args.pre.keepSilent},
                                   {"top_variance", args.pre.topVariance},
                                   {"explained_variance_ratio", ratio}})
                       .dump();
        SubProgress writeProgress(progress, 0.9, 1.0);
        storeResult(args.out, args.name, pre.recording, e, writeProgress);
        j["out"] = args.out;
        j["name"] = args.name;
        j["stored_components"] = keep;
    }
    std::ostringstream t;
    t << std::fixed << std::setprecision(1);
    t << "PCA of " << r.samples() << " samples x " << r.units() << " units (" << args.file << ")\n";
    t << "  components for 90 % of the variance: " << pca.componentsFor(0.90) << "\n";
    t << "  components for 95 % of the variance: " << pca.componentsFor(0.95) << "\n";
    t << "  first components explain:";
    for (int i = 0; i < std::min<int>(5, int(ratio.size())); ++i) t << " " << 100 * ratio[i] << "%";
    t << "\n";
    if (!args.out.empty())
        t << "  stored " << keep << " components in " << args.out << " as /results/" << args.name
          << "\n";
    emit(common.json, j, t.str());
    return kOk;
}

}  // namespace neurolens::cli
