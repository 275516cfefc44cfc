// k nearest neighbours over frames (how CEBRA decodes; scikit-learn's KNeighborsClassifier).
#include "neurolens/decode/FrameDecoder.h"
#include "neurolens/decode/KnnDecoder.h"

namespace neurolens {
namespace {

KnnOptions options(const Parameters& p)
{
    KnnOptions o;
    o.k = p.integer("k");
    o.metric =
        p.choice("metric") == "cosine" ? KnnOptions::Metric::Cosine : KnnOptions::Metric::Euclidean;
    o.vote =
        p.choice("vote") == "majority" ? KnnOptions::Vote::Majority : KnnOptions::Vote::Distance;
    return o;
}

class KnnFrameDecoder : public FrameDecoder {
public:
    explicit KnnFrameDecoder(const Parameters& p) : knn_(options(p)) {}
    void fit(const RowMatrixXf& rows, const std::vector<int>& labels, int, Progress&) override
    {
        knn_.fit(rows, labels);
    }
    std::vector<double> predict(const RowMatrixXf& rows, Progress& progress) const override
    {
        const std::vector<int> p = knn_.predict(rows, progress);
        return {p.begin(), p.end()};
    }

private:
    KnnDecoder knn_;
};

}  // namespace

DecoderSpec knnDecoder()
{
    DecoderSpec d;
    d.name = "knn";
    d.title = "kNN (classification)";
    d.help = "k nearest neighbours (how CEBRA decodes)";
    d.parameters = {{"k",
                     "Neighbours",
                     "Neighbours that vote",
                     ParameterSpec::Kind::Integer,
                     5,
                     1,
                     100000,
                     false,
                     false,
                     {}},
                    {"metric",
                     "Distance",
                     "cosine or euclidean",
                     ParameterSpec::Kind::Choice,
                     0,
                     0,
                     0,
                     false,
                     false,
                     {"cosine", "euclidean"}},
                    {"vote",
                     "Vote",
                     "majority, or weighted by inverse distance",
                     ParameterSpec::Kind::Choice,
                     0,
                     0,
                     0,
                     false,
                     false,
                     {"majority", "distance"}}};
    d.sweepParameter = "k";
    d.sweepValues = {1, 3, 5, 10, 20, 50, 100};
    d.make = [](const Parameters& p) { return std::make_unique<KnnFrameDecoder>(p); };
    return d;
}

}  // namespace neurolens
