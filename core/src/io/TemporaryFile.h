#pragma once
// Writing a file whole or not at all: write to a temporary name beside the target (same file
// system), then commit() renames it over the target atomically; destroyed uncommitted, it removes
// itself.

#include "neurolens/data/Error.h"

#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

namespace neurolens {

class TemporaryFile {
public:
    explicit TemporaryFile(std::string target)
        : target_(std::move(target)), temp_(temporaryName(target_))
    {
    }
    ~TemporaryFile()
    {
        std::error_code ec;
        if (!committed_) std::filesystem::remove(temp_, ec);
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;

    const std::string& path() const { return temp_; }

    // Removes temporary files beside `target` left by processes that died while writing it (their
    // process id no longer runs). Never throws.
    static void removeStale(const std::string& target)
    {
        std::error_code ec;
        const std::filesystem::path t(target);
        const std::string prefix = t.filename().string() + ".tmp-";
        for (const auto& entry : std::filesystem::directory_iterator(
                 t.parent_path().empty() ? "." : t.parent_path(), ec)) {
            const std::string name = entry.path().filename().string();
            if (name.rfind(prefix, 0) != 0) continue;
            const std::string rest = name.substr(prefix.size());
            const long pid = std::strtol(rest.c_str(), nullptr, 10);
            if (pid > 0 && ::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
                std::filesystem::remove(entry.path(), ec);
        }
    }
    void commit()
    {
        std::error_code ec;
        std::filesystem::rename(temp_, target_, ec);
        if (ec)
            throw OutputError(target_, "",
                              "cannot move the finished file into place: " + ec.message());
        committed_ = true;
    }

private:
    static std::string temporaryName(const std::string& path)
    {
        static thread_local std::mt19937_64 rng(std::random_device{}());
        return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rng() % 1000000);
    }

    std::string target_, temp_;
    bool committed_ = false;
};

}  // namespace neurolens
