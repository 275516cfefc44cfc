#include "CliCommands.h"
#include "CliSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/embed/Tsne.h"

#include <iomanip>
#include <sstream>

namespace neurolens::cli {

int runTsne(const TsneArgs& args, const Common& common, Progress& progress)
{
    if (!args.out.empty()) checkOutputPath(args.out, args.file);
    const PreprocessResult pre =
        readAndPreprocess(args.file, args.pre.options(), progress, 0.1, 0.15);
    SubProgress inputProgress(progress, 0.15, 0.2);
    const RowMatrixXf rows = embeddingInput(pre.recording, args.input, inputProgress);

    TsneOptions o;
    o.dims = args.dims;
    o.perplexity = args.perplexity;
    o.iterations = args.iterations;
    o.exaggerationIterations = std::min(250, args.iterations);
    o.repulsion = args.repulsion == "fft"  ? TsneOptions::Repulsion::Fft
                  : args.repulsion == "bh" ? TsneOptions::Repulsion::BarnesHut
                                           : TsneOptions::Repulsion::Auto;
    o.init = args.init == "random" ? TsneOptions::Init::Random : TsneOptions::Init::Pca;
    if (args.init != "pca" && args.init != "random") {
        const auto it = pre.recording.results.find(args.init);
        if (it == pre.recording.results.end())
            throw UsageError("--init '" + args.init + "': " + args.file +
                             " has no stored result of that name (pca, random or a /results name)");
        if (it->second.values.rows() != rows.rows() || it->second.values.cols() != args.dims)
            throw UsageError("--init '" + args.init + "' in " + args.file + " is " +
                             std::to_string(it->second.values.rows()) + " x " +
                             std::to_string(it->second.values.cols()) + "; the layout needs " +
                             std::to_string(rows.rows()) + " x " + std::to_string(args.dims));
        o.initial = it->second.values;
    }
    o.seed = args.seed;
    o.reportEvery = 0;
    SubProgress runProgress(progress, 0.2, args.out.empty() ? 1.0 : 0.95);
    const TsneResult t = runTsne(rows, o, runProgress);

    nlohmann::json j = {{"file", args.file},          {"samples", rows.rows()},
                        {"input", args.input},        {"input_dims", rows.cols()},
                        {"dims", args.dims},          {"perplexity", args.perplexity},
                        {"iterations", t.iterations}, {"repulsion", t.repulsion},
                        {"seed", args.seed},          {"kl_divergence", t.klDivergence},
                        {"seconds", t.seconds}};
    if (!args.out.empty()) {
        Embedding e;
        e.method = "tsne";
        e.seed = args.seed;
        e.values = t.layout;
        e.params = nlohmann::json({{"dims", args.dims},
                                   {"perplexity", args.perplexity},
                                   {"iterations", t.iterations},
                                   {"input", args.input},
                                   {"init", args.init},
                                   {"kl_divergence", t.klDivergence},
                                   {"area", args.pre.area},
                                   {"bin", args.pre.bin},
                                   {"drop_silent", !args.pre.keepSilent},
                                   {"top_variance", args.pre.topVariance}})
                       .dump();
        SubProgress writeProgress(progress, 0.95, 1.0);
        storeResult(args.out, args.name, pre.recording, e, writeProgress);
        j["out"] = args.out;
        j["name"] = args.name;
    }
    std::ostringstream text;
    text << std::fixed << std::setprecision(3);
    text << "t-SNE of " << rows.rows() << " samples x " << rows.cols() << " (" << args.input << ", "
         << args.file << ") in " << args.dims << "D\n";
    text << "  KL divergence " << t.klDivergence << " after " << t.iterations << " iterations, "
         << std::setprecision(2) << t.seconds << " s\n";
    if (!args.out.empty())
        text << "  stored in " << args.out << " as /results/" << args.name << "\n";
    emit(common.json, j, text.str());
    return kOk;
}

}  // namespace neurolens::cli
