// libFuzzer target: a Kilosort / phy folder one of whose files is the input — the first byte picks
// which (the frame onsets or indices as CSV, params.py, cluster_group.tsv, spike_times.npy or
// spike_clusters.npy), the rest is its content; the other files are the fixture's
// (tests/core/io/fixtures/kilosort). The folder is summarised and read, and the onsets file read as
// numbers: each gives a result or a refusal.

#include "FuzzSupport.h"

#include "neurolens/io/KilosortReader.h"
#include "neurolens/io/ReaderRegistry.h"

#include "io/NumberColumn.h"

#include <array>
#include <filesystem>

namespace {

namespace fs = std::filesystem;

constexpr std::array<const char*, 6> kFiles = {"frame_times.csv", "frames.csv",
                                               "params.py",       "cluster_group.tsv",
                                               "spike_times.npy", "spike_clusters.npy"};

// The fixture copied once; each input's file is restored after it.
const std::string& pristine()
{
    static const std::string folder = [] {
        const std::string f = neurolens::fuzz::folder() + "/pristine";
        fs::copy(NEUROLENS_SOURCE_DIR "/tests/core/io/fixtures/kilosort", f,
                 fs::copy_options::recursive | fs::copy_options::overwrite_existing);
        // Frame indices as CSV too, so that the CSV reader sees both inputs.
        neurolens::fuzz::writeFile("pristine/frames.csv",
                                   reinterpret_cast<const std::uint8_t*>("0\n1\n2\n0\n1\n2\n"), 12);
        return f;
    }();
    return folder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    neurolens::fuzz::initialise();
    if (size < 1) return -1;
    const std::string folder = neurolens::fuzz::folder() + "/ks";
    static const bool copied = [&] {
        fs::copy(pristine(), folder,
                 fs::copy_options::recursive | fs::copy_options::overwrite_existing);
        return true;
    }();
    (void)copied;
    const char* name = kFiles[data[0] % kFiles.size()];
    const std::string path =
        neurolens::fuzz::writeFile(std::string("ks/") + name, data + 1, size - 1);
    neurolens::ReadOptions o;
    o.frameTimes = folder + "/frame_times.csv";
    o.frameIndices = folder + "/frames.csv";
    o.labels = {"good", "mua"};
    neurolens::fuzz::expectResultOrRefusal("KilosortReader::summarize",
                                           [&] { neurolens::KilosortReader::summarize(folder); });
    neurolens::fuzz::expectResultOrRefusal(
        "read", [&] { neurolens::ReaderRegistry::standard().read(folder, o); });
    neurolens::fuzz::expectResultOrRefusal("readNumberColumn",
                                           [&] { neurolens::readNumberColumn(o.frameTimes); });
    fs::copy_file(pristine() + "/" + name, path, fs::copy_options::overwrite_existing);
    return 0;
}
