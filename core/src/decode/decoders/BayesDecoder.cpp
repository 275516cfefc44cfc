// Poisson naive Bayes over frames: the CEBRA paper's population-vector baseline, as a decoder of
// its own.
#include "neurolens/data/Error.h"
#include "neurolens/decode/FrameDecoder.h"
#include "neurolens/decode/PoissonNaiveBayes.h"

namespace neurolens {
namespace {

class BayesFrameDecoder : public FrameDecoder {
public:
    void fit(const RowMatrixXf& rows, const std::vector<int>& labels, int frames,
             Progress&) override
    {
        // Rates of a Poisson model: a negative feature (a principal component, a latent) has no
        // meaning.
        if (rows.size() > 0 && rows.minCoeff() < 0)
            throw UsageError(
                "naive Bayes models counts: its features must be non-negative (use the responses, "
                "not "
                "principal components or an embedding)");
        model_.fit(rows, labels, frames);
    }
    std::vector<double> predict(const RowMatrixXf& rows, Progress&) const override
    {
        const std::vector<int> p = model_.predict(rows);
        return {p.begin(), p.end()};
    }

private:
    PoissonNaiveBayes model_;
};

}  // namespace

DecoderSpec bayesDecoder()
{
    DecoderSpec d;
    d.name = "bayes";
    d.title = "Poisson naive Bayes (classification)";
    d.help = "Poisson naive Bayes on counts (the CEBRA paper's population baseline)";
    d.make = [](const Parameters&) { return std::make_unique<BayesFrameDecoder>(); };
    return d;
}

}  // namespace neurolens
