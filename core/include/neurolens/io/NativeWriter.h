#pragma once
// Writes the native *.neurolens.h5 layout (docs/formats.md). Never leaves a half-written file:
// everything goes to a temporary file beside the destination, which is renamed over it only when
// complete.

#include "neurolens/data/Recording.h"
#include "neurolens/jobs/Progress.h"

#include <string>

namespace neurolens {

struct WriteOptions {
    bool compress = true;  // gzip (level 1, with shuffle) for responses and movie
};

void writeNative(const Recording& recording, const std::string& path,
                 const WriteOptions& options = {}, Progress& progress = Progress::null());

// Adds (or replaces) /results/<name> in an existing native file, atomically: the file is copied,
// the copy changed and renamed over the original.
void addResult(const std::string& path, const std::string& name, const Embedding& embedding);

}  // namespace neurolens
