#pragma once
// A decoding as JSON text (sessions keep the last one): every score, the test samples' true and
// decoded frames, the split and the options that made it; a sweep likewise. Reading checks the
// shapes and throws UsageError with what is wrong.

#include "neurolens/decode/FrameDecoding.h"

#include <string>

namespace neurolens {

std::string decodeResultToJson(const DecodeResult& result);
DecodeResult decodeResultFromJson(const std::string& text);
std::string sweepResultToJson(const SweepResult& result);
SweepResult sweepResultFromJson(const std::string& text);

}  // namespace neurolens
