#include "TestSupport.h"

#include <sys/wait.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace neurolens::test {

namespace fs = std::filesystem;

TempDir::TempDir()
{
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
        const fs::path p =
            fs::temp_directory_path() /
            ("neurolens-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd() % 1000000));
        if (fs::create_directory(p)) {
            path_ = p.string();
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir()
{
    std::error_code ec;
    fs::remove_all(path_, ec);
}

Recording smallRecording(int repeats, int bins, int units, int binsPerFrame)
{
    Recording rec;
    rec.source = "small";
    rec.format = "test";
    rec.responses = Responses(repeats, bins, units, binsPerFrame, 30.0 * binsPerFrame);
    for (int r = 0; r < repeats; ++r)
        for (int b = 0; b < bins; ++b)
            for (int u = 0; u < units; ++u)
                rec.responses.at(r, b, u) = float((r * 7 + b * 3 + u) % 5);
    for (int u = 0; u < units; ++u) {
        rec.units.id.push_back(1000 + u);
        rec.units.area.push_back(u % 2 ? "VISl" : "VISp");
        rec.units.qc["snr"].push_back(1.5 + u);
    }
    for (int b = 0; b < bins; ++b) rec.stimulus.frame.push_back(b / binsPerFrame);
    rec.stimulus.block.assign(repeats, 0);
    // The session clock: repeat r from 100 + 10 r seconds.
    for (int r = 0; r < repeats; ++r)
        for (int b = 0; b < bins; ++b)
            rec.stimulus.time.push_back(100.0 + 10.0 * r + b / rec.responses.binRateHz());
    Movie movie;
    movie.frames = bins / binsPerFrame;
    movie.height = 2;
    movie.width = 3;
    for (int i = 0; i < movie.frames * 6; ++i) movie.pixels.push_back(std::uint8_t(i * 11 % 256));
    rec.movie = movie;
    return rec;
}

std::string sourceDir()
{
    if (const char* env = std::getenv("NEUROLENS_SOURCE_DIR")) return env;
    return NEUROLENS_SOURCE_DIR_FALLBACK;
}

std::string python()
{
    if (const char* env = std::getenv("NEUROLENS_PYTHON")) return env;
    return fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

CommandResult run(const std::string& commandLine)
{
    TempDir dir;
    const std::string out = dir.file("out"), err = dir.file("err");
    const int status =
        std::system((commandLine + " >" + out + " 2>" + err + " </dev/null").c_str());
    CommandResult result;
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    auto slurp = [](const std::string& path) {
        std::ifstream in(path);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    };
    result.out = slurp(out);
    result.err = slurp(err);
    return result;
}

}  // namespace neurolens::test
