#include "neurolens/embed/EmbeddingMethod.h"

#include "neurolens/data/Error.h"

namespace neurolens {

// Each defined in its own file under methods/; this list is the only place that names them all.
#define NEUROLENS_EMBEDDINGS(X) X(pcaEmbedding) X(tsneEmbedding) X(factorAnalysisEmbedding)

#define NEUROLENS_DECLARE(f) EmbeddingSpec f();
NEUROLENS_EMBEDDINGS(NEUROLENS_DECLARE)
#undef NEUROLENS_DECLARE

const std::vector<EmbeddingSpec>& embeddingMethods()
{
#define NEUROLENS_LIST(f) f(),
    static const std::vector<EmbeddingSpec> all = {NEUROLENS_EMBEDDINGS(NEUROLENS_LIST)};
#undef NEUROLENS_LIST
    return all;
}

std::string embeddingMethodNames()
{
    const auto& all = embeddingMethods();
    std::vector<std::string> names;
    names.reserve(all.size());
    for (const auto& m : all) names.push_back(m.name);
    return alternatives(names);
}

const EmbeddingSpec& embeddingMethod(const std::string& name)
{
    for (const EmbeddingSpec& m : embeddingMethods())
        if (m.name == name) return m;
    throw UsageError("unknown embedding method '" + name + "' (" + embeddingMethodNames() + ")");
}

EmbeddingRun runEmbedding(const std::string& method, const RowMatrixXf& rows,
                          EmbeddingRequest request, Progress& progress,
                          const EmbeddingCallback& onLayout)
{
    const EmbeddingSpec& spec = embeddingMethod(method);
    if (request.dims < spec.minDims || request.dims > spec.maxDims)
        throw UsageError(spec.name + " embeds in " + std::to_string(spec.minDims) + " to " +
                         std::to_string(spec.maxDims) + " dimensions, not " +
                         std::to_string(request.dims));
    if (rows.rows() < 2 || rows.cols() < 1)
        throw UsageError(spec.name + " needs at least two samples with features");
    if (!rows.allFinite())
        throw UsageError(spec.name + ": the input holds values that are not finite numbers");
    request.parameters = resolveParameters(spec.name, spec.parameters, request.parameters);
    return spec.run(rows, request, progress, onLayout);
}

}  // namespace neurolens
