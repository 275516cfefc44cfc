#pragma once
// Frame decoders behind one interface, listed in one registry. The command line, the window, the
// study and saved sessions take their names, parameters and instances from here, so an unknown name
// is an error everywhere. A new decoder is one file in core/src/decode/decoders/ that defines its
// DecoderSpec, and one line in DecoderRegistry.cpp.

#include "neurolens/data/Parameters.h"
#include "neurolens/data/Responses.h"
#include "neurolens/jobs/Progress.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace neurolens {

class FrameDecoder {
public:
    virtual ~FrameDecoder() = default;
    // Rows are samples; labels are frame indices in [0, frames).
    virtual void fit(const RowMatrixXf& rows, const std::vector<int>& labels, int frames,
                     Progress& progress) = 0;
    // One prediction per row: a frame index (classifiers) or a continuous frame (regressions).
    virtual std::vector<double> predict(const RowMatrixXf& rows, Progress& progress) const = 0;
};

struct DecoderSpec {
    std::string name;   // as typed: --model NAME
    std::string title;  // as shown in the window
    std::string help;   // one line for --help and tooltips
    bool regression =
        false;  // predicts a continuous frame (scored first by R²) rather than a class
    std::vector<ParameterSpec> parameters;
    // The parameter a sweep varies unless told otherwise (the regularisation, or kNN's k), with the
    // values suggested for it; empty when the decoder has none (its features can still be swept).
    std::string sweepParameter;
    std::vector<double> sweepValues;
    // Builds an unfitted decoder from resolved parameters.
    std::function<std::unique_ptr<FrameDecoder>(const Parameters&)> make;
};

// Every decoder, in the order the interface lists them.
const std::vector<DecoderSpec>& frameDecoders();
// The decoder called `name`; throws UsageError naming the known ones.
const DecoderSpec& frameDecoder(const std::string& name);
// "lasso, logistic, knn or bayes".
std::string frameDecoderNames();

}  // namespace neurolens
