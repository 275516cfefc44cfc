// Lasso regression of the frame index (the seed report's first decoder; scikit-learn's Lasso).
#include "neurolens/decode/FrameDecoder.h"
#include "neurolens/decode/Lasso.h"

namespace neurolens {
namespace {

class LassoFrameDecoder : public FrameDecoder {
public:
    explicit LassoFrameDecoder(const Parameters& p) : lasso_({p.number("alpha"), 1000, 1e-4}) {}
    void fit(const RowMatrixXf& rows, const std::vector<int>& labels, int,
             Progress& progress) override
    {
        Eigen::VectorXd y(Eigen::Index(labels.size()));
        for (std::size_t i = 0; i < labels.size(); ++i) y[Eigen::Index(i)] = labels[i];
        lasso_.fit(rows, y, progress);
    }
    std::vector<double> predict(const RowMatrixXf& rows, Progress&) const override
    {
        const Eigen::VectorXd p = lasso_.predict(rows);
        return {p.data(), p.data() + p.size()};
    }

private:
    Lasso lasso_;
};

}  // namespace

DecoderSpec lassoDecoder()
{
    DecoderSpec d;
    d.name = "lasso";
    d.title = "Lasso (regression)";
    d.help = "Lasso regression of the frame index (the seed report)";
    d.regression = true;
    d.parameters = {{"alpha",
                     "Alpha",
                     "L1 penalty, as scikit-learn's alpha (the report: 0.08)",
                     ParameterSpec::Kind::Real,
                     0.08,
                     0,
                     1e6,
                     false,
                     true,
                     {}}};
    d.sweepParameter = "alpha";
    d.sweepValues = {0.001, 0.01, 0.03, 0.08, 0.2, 0.5, 1};
    d.make = [](const Parameters& p) { return std::make_unique<LassoFrameDecoder>(p); };
    return d;
}

}  // namespace neurolens
