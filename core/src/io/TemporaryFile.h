#pragma once
// Writing a file whole or not at all: write to a temporary name beside the target (same file system),
// then commit() renames it over the target atomically; destroyed uncommitted, it removes itself.

#include "neurolens/data/Error.h"

#include <filesystem>
#include <random>
#include <string>
#include <unistd.h>

namespace neurolens {

class TemporaryFile {
public:
    explicit TemporaryFile(std::string target) : target_(std::move(target)), temp_(temporaryName(target_)) {}
    ~TemporaryFile()
    {
        std::error_code ec;
        if (!committed_) std::filesystem::remove(temp_, ec);
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;

    const std::string& path() const { return temp_; }
    void commit()
    {
        std::error_code ec;
        std::filesystem::rename(temp_, target_, ec);
        if (ec) throw OutputError(target_, "", "cannot move the finished file into place: " + ec.message());
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
