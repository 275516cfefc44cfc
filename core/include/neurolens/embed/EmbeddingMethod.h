#pragma once
// Embedding methods behind one interface, listed in one registry: the command line (`embed`), the
// embedding view and saved sessions take their names, parameters and runs from here. A new method
// is one file in core/src/embed/methods/ that defines its EmbeddingSpec, and one line in
// EmbeddingRegistry.cpp. Stored embeddings (a trained model's latents, a saved layout) are not
// methods: they are results of the recording, read by FeatureInput.

#include "neurolens/data/Parameters.h"
#include "neurolens/data/Responses.h"
#include "neurolens/jobs/Progress.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace neurolens {

struct EmbeddingRequest {
    int dims = 2;
    Parameters parameters;  // resolved against the method's specs
    std::uint64_t seed = 1;
    int threads = 0;  // 0: all cores
};

struct EmbeddingRun {
    RowMatrixXf layout;  // samples x dims
    std::map<std::string, double>
        numbers;          // what the method reports (e.g. kl_divergence), for JSON and the window
    std::string summary;  // one line for people
};

// An iterative method's current layout, every few iterations, on the thread that runs it. Returning
// false stops the method there (its result then holds that layout).
using EmbeddingCallback = std::function<bool(const RowMatrixXf& layout, int iteration, int total)>;

struct EmbeddingSpec {
    std::string name;   // as typed: embed --method NAME; the result's default name
    std::string title;  // as shown in the window
    std::string help;   // one line for --help and tooltips
    std::vector<ParameterSpec> parameters;
    int minDims = 1, maxDims = 3;
    bool streams = false;  // calls the callback with intermediate layouts
    std::function<EmbeddingRun(const RowMatrixXf& rows, const EmbeddingRequest& request,
                               Progress& progress, const EmbeddingCallback& onLayout)>
        run;
};

const std::vector<EmbeddingSpec>& embeddingMethods();
// The method called `name`; throws UsageError naming the known ones.
const EmbeddingSpec& embeddingMethod(const std::string& name);
std::string embeddingMethodNames();

// Checks the request against the method (dims in range, parameters resolved) and runs it. Throws
// UsageError for a bad request, CancelledError when cancelled.
EmbeddingRun runEmbedding(const std::string& method, const RowMatrixXf& rows,
                          EmbeddingRequest request, Progress& progress = Progress::null(),
                          const EmbeddingCallback& onLayout = {});

}  // namespace neurolens
