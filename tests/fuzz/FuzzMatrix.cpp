// libFuzzer target: a plain matrix of responses in CSV with its frame and repeat labels, one of
// whose three files is the input — the first byte picks which (the matrix, the frame labels, the
// repeat labels), the rest is its content; the others are the fixture's
// (tests/core/io/fixtures/matrix: continuous.csv, frames.csv, and repeat labels written here). The
// matrix is summarised and read: each gives a result or a refusal.

#include "FuzzSupport.h"

#include "neurolens/io/MatrixReader.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;

constexpr std::array<const char*, 3> kFiles = {"matrix.csv", "frames.csv", "repeats.csv"};

std::string pristine(const std::string& name)
{
    static const std::string folder = [] {
        const std::string f = neurolens::fuzz::folder() + "/pristine";
        fs::create_directories(f);
        const std::string fixtures = NEUROLENS_SOURCE_DIR "/tests/core/io/fixtures/matrix/";
        fs::copy_file(fixtures + "continuous.csv", f + "/matrix.csv",
                      fs::copy_options::overwrite_existing);
        fs::copy_file(fixtures + "frames.csv", f + "/frames.csv",
                      fs::copy_options::overwrite_existing);
        // The fixture's repeats: 0 x 8, -1 x 2, 1 x 8, -1, 2 x 8, 3 x 6.
        std::ofstream repeats(f + "/repeats.csv");
        for (const auto& [label, count] :
             {std::pair{0, 8}, {-1, 2}, {1, 8}, {-1, 1}, {2, 8}, {3, 6}})
            for (int i = 0; i < count; ++i) repeats << label << "\n";
        return f;
    }();
    return folder + "/" + name;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    neurolens::fuzz::initialise();
    if (size < 1) return -1;
    const std::string folder = neurolens::fuzz::folder() + "/m";
    fs::create_directories(folder);
    for (const char* name : kFiles)
        fs::copy_file(pristine(name), folder + "/" + name, fs::copy_options::overwrite_existing);
    const char* name = kFiles[data[0] % kFiles.size()];
    neurolens::fuzz::writeFile(std::string("m/") + name, data + 1, size - 1);
    neurolens::ReadOptions o;
    o.frameIndices = folder + "/frames.csv";
    o.repeatLabels = folder + "/repeats.csv";
    const std::string matrix = folder + "/matrix.csv";
    neurolens::fuzz::expectResultOrRefusal("MatrixReader::summarize",
                                           [&] { neurolens::MatrixReader::summarize(matrix); });
    neurolens::fuzz::expectResultOrRefusal("MatrixReader::read", [&] {
        neurolens::Progress progress;
        neurolens::MatrixReader().read(matrix, o, progress);
    });
    return 0;
}
