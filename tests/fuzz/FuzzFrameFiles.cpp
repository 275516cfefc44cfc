// libFuzzer target: the bytes of a movie or per-frame features file (.npy, .npz, or anything else)
// read as features, as a movie and as a plain matrix of responses (its labels, if any, inside).
// Built once per seed corpus (NEUROLENS_FUZZ_SUFFIX npy, npz or pth): the suffix only names the
// file, the readers judge by content. Inputs that are HDF5 files are left to fuzz_hdf5, which
// varies their content through the HDF5 library rather than its on-disk parser.

#include "FuzzSupport.h"

#include "neurolens/io/FrameDataReader.h"
#include "neurolens/io/MatrixReader.h"

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    neurolens::fuzz::initialise();
    if (size >= 8 && std::memcmp(data, "\x89HDF\r\n\x1a\n", 8) == 0) return -1;
    const std::string path =
        neurolens::fuzz::writeFile(std::string("input.") + NEUROLENS_FUZZ_SUFFIX, data, size);
    neurolens::fuzz::expectResultOrRefusal("readFeatures", [&] { neurolens::readFeatures(path); });
    neurolens::fuzz::expectResultOrRefusal("readMovie", [&] { neurolens::readMovie(path); });
    neurolens::fuzz::expectResultOrRefusal("MatrixReader::summarize",
                                           [&] { neurolens::MatrixReader::summarize(path); });
    neurolens::fuzz::expectResultOrRefusal("MatrixReader::read", [&] {
        neurolens::Progress progress;
        neurolens::MatrixReader().read(path, {}, progress);
    });
    return 0;
}
