#pragma once
// The simulated session kept on disk by its parameters: the window opens it at every start, and
// generating it takes seconds where reading it back takes a fraction of one. A cached file is keyed
// by every simulation option and by the build of this library (a rebuilt simulator never reuses an
// older one's sessions); a damaged or unreadable one is regenerated, never trusted.

#include "neurolens/data/Recording.h"
#include "neurolens/jobs/Progress.h"
#include "neurolens/sim/Simulator.h"

#include <string>

namespace neurolens {

// The file a session with these options is cached in, inside `folder`.
std::string simulationCachePath(const SimulationOptions& options, const std::string& folder);

// simulateSession(options), read from `folder` when cached there, else generated and cached (the
// folder created; a cache that cannot be written is only a missed saving). The result is the same
// either way, source and format included. At most `keep` sessions stay cached (oldest removed).
Recording simulateSessionCached(const SimulationOptions& options, const std::string& folder,
                                Progress& progress = Progress::null(), int keep = 6);

}  // namespace neurolens
