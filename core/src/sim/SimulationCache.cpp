#include "neurolens/sim/SimulationCache.h"

#include "neurolens/io/NativeReader.h"
#include "neurolens/io/NativeWriter.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iomanip>
#include <sstream>
#include <vector>

namespace neurolens {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPrefix = "simulated-";
constexpr const char* kSuffix = ".neurolens.h5";

// The size and time of the library holding this code: changes with every build.
std::string buildStamp()
{
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&buildStamp), &info) == 0 || !info.dli_fname) return {};
    std::error_code ec;
    const auto size = fs::file_size(info.dli_fname, ec);
    const auto time = fs::last_write_time(info.dli_fname, ec);
    return std::to_string(size) + "/" + std::to_string(time.time_since_epoch().count());
}

std::uint64_t fnv1a(const std::string& text)
{
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

std::string key(const SimulationOptions& o)
{
    std::ostringstream s;
    s << std::setprecision(17) << o.units << ' ' << o.repeats << ' ' << o.frames << ' ' << o.height
      << ' ' << o.width << ' ' << o.binsPerFrame << ' ' << o.frameRateHz << ' ' << o.seed << ' '
      << o.silentFraction << ' ' << o.drivenFraction << ' ' << o.complexFraction << ' '
      << o.globalDriveMax << ' ' << o.medianRateHz << ' ' << o.rateLogSd << ' ' << o.gainMin << ' '
      << o.gainMax << ' ' << o.repeatGainSd << ' ' << o.sharedNoiseSd << ' ' << o.privateNoiseSd
      << ' ' << o.rateScale << ' ' << buildStamp();
    std::ostringstream hex;
    hex << std::hex << std::setw(16) << std::setfill('0') << fnv1a(s.str());
    return hex.str();
}

// Removes all but the `keep` most recently used cached sessions.
void prune(const fs::path& folder, int keep)
{
    std::error_code ec;
    std::vector<std::pair<fs::file_time_type, fs::path>> files;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kPrefix, 0) == 0 && name.size() > std::string(kSuffix).size() &&
            name.compare(name.size() - std::string(kSuffix).size(), std::string::npos, kSuffix) ==
                0)
            files.emplace_back(entry.last_write_time(ec), entry.path());
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a > b; });
    for (std::size_t i = std::size_t(std::max(keep, 0)); i < files.size(); ++i)
        fs::remove(files[i].second, ec);
}

}  // namespace

std::string simulationCachePath(const SimulationOptions& options, const std::string& folder)
{
    return (fs::path(folder) / (kPrefix + key(options) + kSuffix)).string();
}

Recording simulateSessionCached(const SimulationOptions& options, const std::string& folder,
                                Progress& progress, int keep)
{
    validateOptions(options);
    const std::string path = simulationCachePath(options, folder);
    std::error_code ec;
    if (fs::exists(path, ec)) {
        try {
            Recording rec = NativeReader().read(path, {}, progress);
            rec.source = "simulated (seed " + std::to_string(options.seed) + ")";
            rec.format = "simulated";
            fs::last_write_time(path, fs::file_time_type::clock::now(), ec);  // recently used
            return rec;
        } catch (const std::exception&) {
            fs::remove(path, ec);  // damaged: generated again below
        }
    }
    Recording rec = simulateSession(options, progress);
    try {
        fs::create_directories(folder, ec);
        // Written beside its final name and renamed: a reader never sees half a file.
        const std::string partial = path + "." + std::to_string(getpid()) + ".partial";
        writeNative(rec, partial);
        fs::rename(partial, path);
        prune(folder, keep);
    } catch (const std::exception&) {
        fs::remove(path + "." + std::to_string(getpid()) + ".partial", ec);
    }
    return rec;
}

}  // namespace neurolens
