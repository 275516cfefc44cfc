// Multinomial logistic regression over frames (the seed report's classifier; scikit-learn's model
// and C).
#include "neurolens/decode/FrameDecoder.h"
#include "neurolens/decode/LogisticRegression.h"

namespace neurolens {
namespace {

LogisticOptions options(const Parameters& p)
{
    LogisticOptions o;
    o.C = p.number("C");
    o.maxIterations = p.integer("max-iter");
    return o;
}

class LogisticFrameDecoder : public FrameDecoder {
public:
    explicit LogisticFrameDecoder(const Parameters& p) : model_(options(p)) {}
    void fit(const RowMatrixXf& rows, const std::vector<int>& labels, int,
             Progress& progress) override
    {
        model_.fit(rows, labels, progress);
    }
    std::vector<double> predict(const RowMatrixXf& rows, Progress&) const override
    {
        const std::vector<int> p = model_.predict(rows);
        return {p.begin(), p.end()};
    }

private:
    LogisticRegression model_;
};

}  // namespace

DecoderSpec logisticDecoder()
{
    DecoderSpec d;
    d.name = "logistic";
    d.title = "Logistic regression (classification)";
    d.help = "multinomial logistic regression, L2 penalty, standardised features (the seed report)";
    d.parameters = {{"C",
                     "C",
                     "Inverse L2 regularisation, as scikit-learn's C",
                     ParameterSpec::Kind::Real,
                     1.0,
                     0,
                     1e6,
                     true,
                     true,
                     {}},
                    {"max-iter",
                     "Iterations",
                     "L-BFGS iterations at most (scikit-learn's default: 100)",
                     ParameterSpec::Kind::Integer,
                     100,
                     1,
                     100000,
                     false,
                     false,
                     {}}};
    d.sweepParameter = "C";
    d.sweepValues = {0.0001, 0.001, 0.01, 0.1, 1};
    d.make = [](const Parameters& p) { return std::make_unique<LogisticFrameDecoder>(p); };
    return d;
}

}  // namespace neurolens
