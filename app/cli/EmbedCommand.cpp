#include "CliCommands.h"
#include "CliSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/embed/EmbeddingMethod.h"
#include "neurolens/embed/Tsne.h"

#include <sstream>

namespace neurolens::cli {

int runEmbed(const EmbedArgs& args, const Common& common, Progress& progress)
{
    const EmbeddingSpec& spec = embeddingMethod(args.method);
    EmbeddingRequest request;
    request.dims = args.dims;
    request.seed = args.seed;
    request.parameters =
        parseMethodParameters("--method", spec.name, spec.parameters, args.parameters);
    const std::string name = args.name.empty() ? spec.name : args.name;
    if (!args.out.empty()) checkOutputPath(args.out, args.file);
    const PreprocessResult pre =
        readAndPreprocess(args.file, args.pre.options(), progress, 0.1, 0.15);
    SubProgress inputProgress(progress, 0.15, 0.2);
    const RowMatrixXf rows = embeddingInput(pre.recording, args.input, inputProgress);
    const double start = now();
    SubProgress runProgress(progress, 0.2, args.out.empty() ? 1.0 : 0.95);
    const EmbeddingRun run = runEmbedding(spec.name, rows, request, runProgress);
    const double seconds = secondsSince(start);

    const Parameters used = resolveParameters(spec.name, spec.parameters, request.parameters);
    const nlohmann::json parameters = parametersJson(used);
    nlohmann::json j = {{"file", args.file},         {"method", spec.name},
                        {"samples", rows.rows()},    {"input", args.input},
                        {"input_dims", rows.cols()}, {"dims", args.dims},
                        {"parameters", parameters},  {"seed", args.seed},
                        {"summary", run.summary},    {"seconds", seconds}};
    for (const auto& [key, v] : run.numbers) j[key] = jsonNumber(v);
    if (!args.out.empty()) {
        Embedding e;
        e.method = spec.name;
        e.seed = args.seed;
        e.values = run.layout;
        nlohmann::json params = {{"dims", args.dims},
                                 {"input", args.input},
                                 {"parameters", parameters},
                                 {"area", args.pre.area},
                                 {"bin", args.pre.bin},
                                 {"drop_silent", !args.pre.keepSilent},
                                 {"top_variance", args.pre.topVariance}};
        for (const auto& [key, v] : run.numbers) params[key] = jsonNumber(v);
        e.params = params.dump();
        SubProgress writeProgress(progress, 0.95, 1.0);
        storeResult(args.out, name, pre.recording, e, writeProgress);
        j["out"] = args.out;
        j["name"] = name;
    }
    std::ostringstream text;
    text << spec.title << " of " << rows.rows() << " samples x " << rows.cols() << " ("
         << args.input << ", " << args.file << ") in " << args.dims << "D\n  " << run.summary
         << "\n";
    if (!args.out.empty()) text << "  stored in " << args.out << " as /results/" << name << "\n";
    emit(common.json, j, text.str());
    return kOk;
}

}  // namespace neurolens::cli
