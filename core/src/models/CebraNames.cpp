// CEBRA's option names (models, conditionals) and receptive fields: what the CLI, the window and the
// study parse and print, without LibTorch.
#include "neurolens/models/Cebra.h"

#include "neurolens/data/Error.h"

namespace neurolens {

CebraOptions::Architecture cebraArchitecture(const std::string& name)
{
    using A = CebraOptions::Architecture;
    if (name == "offset10" || name == "offset10-model") return A::Offset10;
    if (name == "offset1" || name == "offset1-model") return A::Offset1;
    if (name == "offset40-4x" || name == "offset40-model-4x-subsample" || name == "resample" || name == "resample-model") return A::Offset40x4;
    if (name == "resample1" || name == "resample1-model" || name == "offset4-model-2x-subsample") return A::Resample1;
    throw UsageError("unknown CEBRA model '" + name + "' (offset10, offset1, offset40-4x or resample1)");
}

std::string cebraArchitectureName(CebraOptions::Architecture a)
{
    switch (a) {
    case CebraOptions::Architecture::Offset10: return "offset10";
    case CebraOptions::Architecture::Offset1: return "offset1";
    case CebraOptions::Architecture::Offset40x4: return "offset40-4x";
    case CebraOptions::Architecture::Resample1: return "resample1";
    }
    return "?";
}

void parseCebraConditional(const std::string& text, CebraOptions& o)
{
    using C = CebraOptions::Conditional;
    if (text == "time") o.conditional = C::Time;
    else if (text == "frame") o.conditional = C::Frame;
    else if (text.rfind("features:", 0) == 0 && text.size() > 9) {
        o.conditional = C::Features;
        o.features = text.substr(9);
    } else if (text.rfind("hybrid:", 0) == 0 && text.size() > 7) {
        o.conditional = C::Hybrid;
        o.features = text.substr(7);
    } else {
        throw UsageError("the conditional must be time, frame, features:NAME or hybrid:NAME (got '" + text + "')");
    }
}

std::pair<int, int> cebraReceptiveField(CebraOptions::Architecture a)
{
    switch (a) {
    case CebraOptions::Architecture::Offset10: return {5, 5};
    case CebraOptions::Architecture::Offset1: return {0, 1};
    case CebraOptions::Architecture::Offset40x4: return {20, 20};
    case CebraOptions::Architecture::Resample1: return {2, 2};
    }
    return {0, 1};
}

}  // namespace neurolens
