#pragma once
// Helpers shared by the tests: temporary folders, small hand-made recordings, running programs.

#include "neurolens/data/Recording.h"

#include <string>

namespace neurolens::test {

// A fresh folder under the system temp directory, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

// A small valid recording: counts = (r * 7 + b * 3 + u) % 5 (so every unit fires in every repeat),
// frame of bin b = b / binsPerFrame, two areas alternating ("VISp", "VISl"), a QC column, a tiny
// movie.
Recording smallRecording(int repeats = 3, int bins = 8, int units = 4, int binsPerFrame = 2);

// The project's source folder (from the environment ctest sets, or the compile-time fallback).
std::string sourceDir();
// The Python interpreter that has Debian's numpy, h5py and scikit-learn.
std::string python();

struct CommandResult {
    int exitCode = -1;
    std::string out, err;
};
// Runs a shell command line, capturing stdout and stderr.
CommandResult run(const std::string& commandLine);

}  // namespace neurolens::test
