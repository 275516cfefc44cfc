// CEBRA's option names (models, conditionals) and receptive fields: what the CLI, the window and
// the study parse and print, without LibTorch.
#include "neurolens/models/Cebra.h"

#include "neurolens/data/Error.h"
#include "neurolens/data/Parameters.h"

#include <algorithm>

namespace neurolens {

const std::vector<CebraArchitectureSpec>& cebraArchitectures()
{
    using A = CebraOptions::Architecture;
    static const std::vector<CebraArchitectureSpec> all = {
        {A::Offset10,
         "offset10",
         {"offset10-model"},
         "offset10-model",
         "convolutional, a 10-sample receptive field (the paper's 330 ms model at 30 Hz)",
         5,
         5},
        {A::Offset1, "offset1", {"offset1-model"}, "offset1-model", "an MLP on one sample", 0, 1},
        {A::Offset40x4,
         "offset40-4x",
         {"offset40-model-4x-subsample", "resample", "resample-model"},
         "offset40-model-4x-subsample",
         "40 samples, strided (the paper's 330 ms model at 120 Hz)",
         20,
         20},
        {A::Resample1,
         "resample1",
         {"resample1-model", "offset4-model-2x-subsample"},
         "offset4-model-2x-subsample (resample1)",
         "an MLP on one frame's 4 samples at 120 Hz",
         2,
         2},
    };
    return all;
}

std::string cebraArchitectureNames()
{
    const auto& all = cebraArchitectures();
    std::vector<std::string> names;
    names.reserve(all.size());
    for (const auto& m : all) names.push_back(m.name);
    return alternatives(names);
}

CebraOptions::Architecture cebraArchitecture(const std::string& name)
{
    for (const CebraArchitectureSpec& a : cebraArchitectures()) {
        if (a.name == name) return a.architecture;
        for (const std::string& alias : a.aliases)
            if (alias == name) return a.architecture;
    }
    throw UsageError("unknown CEBRA model '" + name + "' (" + cebraArchitectureNames() + ")");
}

namespace {
const CebraArchitectureSpec& specOf(CebraOptions::Architecture a)
{
    for (const CebraArchitectureSpec& s : cebraArchitectures())
        if (s.architecture == a) return s;
    return cebraArchitectures().front();
}
}  // namespace

std::string cebraArchitectureName(CebraOptions::Architecture a)
{
    return specOf(a).name;
}

void parseCebraConditional(const std::string& text, CebraOptions& o)
{
    using C = CebraOptions::Conditional;
    // "behaviour:A,B" (after "hybrid:" or alone): behaviour series as the continuous labels.
    const auto behaviourList = [&](const std::string& list) {
        std::vector<std::string> names;
        std::size_t at = 0;
        while (at <= list.size()) {
            const std::size_t comma = std::min(list.find(',', at), list.size());
            names.push_back(list.substr(at, comma - at));
            if (names.back().empty())
                throw UsageError("an empty behaviour name in the conditional '" + text + "'");
            at = comma + 1;
        }
        return names;
    };
    const std::string kBehaviour = "behaviour:";
    o.behaviour.clear();
    if (text.rfind(kBehaviour, 0) == 0) {
        o.conditional = C::Features;
        o.features.clear();
        o.behaviour = behaviourList(text.substr(kBehaviour.size()));
    } else if (text.rfind("hybrid:" + kBehaviour, 0) == 0) {
        o.conditional = C::Hybrid;
        o.features.clear();
        o.behaviour = behaviourList(text.substr(7 + kBehaviour.size()));
    } else if (text == "time")
        o.conditional = C::Time;
    else if (text == "frame")
        o.conditional = C::Frame;
    else if (text.rfind("features:", 0) == 0 && text.size() > 9) {
        o.conditional = C::Features;
        o.features = text.substr(9);
    } else if (text.rfind("hybrid:", 0) == 0 && text.size() > 7) {
        o.conditional = C::Hybrid;
        o.features = text.substr(7);
    } else {
        throw UsageError(
            "the conditional must be time, frame, features:NAME, hybrid:NAME, "
            "behaviour:NAME[,NAME] "
            "or hybrid:behaviour:NAME[,NAME] (got '" +
            text + "')");
    }
}

std::pair<int, int> cebraReceptiveField(CebraOptions::Architecture a)
{
    const CebraArchitectureSpec& s = specOf(a);
    return {s.left, s.right};
}

}  // namespace neurolens
