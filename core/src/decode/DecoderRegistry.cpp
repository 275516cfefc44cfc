#include "neurolens/decode/FrameDecoder.h"

#include "neurolens/data/Error.h"

namespace neurolens {

// Each defined in its own file under decoders/; this list is the only place that names them all.
#define NEUROLENS_DECODERS(X) X(lassoDecoder) X(logisticDecoder) X(knnDecoder) X(bayesDecoder)

#define NEUROLENS_DECLARE(f) DecoderSpec f();
NEUROLENS_DECODERS(NEUROLENS_DECLARE)
#undef NEUROLENS_DECLARE

const std::vector<DecoderSpec>& frameDecoders()
{
#define NEUROLENS_LIST(f) f(),
    static const std::vector<DecoderSpec> all = {NEUROLENS_DECODERS(NEUROLENS_LIST)};
#undef NEUROLENS_LIST
    return all;
}

std::string frameDecoderNames()
{
    const auto& all = frameDecoders();
    std::vector<std::string> names;
    names.reserve(all.size());
    for (const auto& m : all) names.push_back(m.name);
    return alternatives(names);
}

const DecoderSpec& frameDecoder(const std::string& name)
{
    for (const DecoderSpec& d : frameDecoders())
        if (d.name == name) return d;
    throw UsageError("unknown decoder '" + name + "' (" + frameDecoderNames() + ")");
}

}  // namespace neurolens
