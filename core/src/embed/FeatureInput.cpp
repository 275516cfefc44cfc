#include "neurolens/embed/FeatureInput.h"

#include "neurolens/data/Error.h"
#include "neurolens/embed/Pca.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <cerrno>
#include <climits>
#include <cstdlib>

namespace neurolens {

FeatureInput FeatureInput::parse(const std::string& text)
{
    FeatureInput in;
    if (text == "raw") return in;
    if (text.rfind("pca:", 0) == 0) {
        const std::string digits = text.substr(4);
        char* end = nullptr;
        errno = 0;
        const long k = digits.empty() ? 0 : std::strtol(digits.c_str(), &end, 10);
        if (digits.empty() || *end != '\0' || errno == ERANGE || k < 1 || k > INT_MAX)
            throw UsageError("features '" + text +
                             "': pca:K needs a whole number of components K >= 1");
        in.kind = Kind::Pca;
        in.components = int(k);
        return in;
    }
    if (text.empty())
        throw UsageError("no features named: use raw, pca:K or a stored embedding's name");
    in.kind = Kind::Stored;
    in.name = text;
    return in;
}

std::string FeatureInput::text() const
{
    switch (kind) {
        case Kind::Raw:
            return "raw";
        case Kind::Pca:
            return "pca:" + std::to_string(components);
        case Kind::Stored:
            return name;
    }
    return "raw";
}

RowMatrixXf featureRows(const Recording& rec, const FeatureInput& in,
                        const std::vector<int>& fitRepeats, Progress& progress)
{
    const Responses& r = rec.responses;
    switch (in.kind) {
        case FeatureInput::Kind::Raw:
            return r.sampleMatrix();
        case FeatureInput::Kind::Pca: {
            const PcaResult pca =
                fitRepeats.empty() ? fitPca(r.sampleMatrix(), in.components, progress)
                                   : fitPca(gatherRepeats(r, fitRepeats), in.components, progress);
            return pca.transform(r.sampleMatrix(),
                                 std::min<int>(in.components, int(pca.components.cols())));
        }
        case FeatureInput::Kind::Stored:
            break;
    }
    const auto it = rec.results.find(in.name);
    if (it == rec.results.end()) {
        std::string known = "raw, pca:K";
        for (const auto& [name, e] : rec.results) known += ", " + name;
        throw UsageError("no features '" + in.name + "'; use one of " + known);
    }
    if (it->second.values.rows() != r.samples())
        throw UsageError(
            "embedding '" + in.name + "' has " + std::to_string(it->second.values.rows()) +
            " rows but the analysed responses have " + std::to_string(r.samples()) + " samples");
    return it->second.values;
}

}  // namespace neurolens
