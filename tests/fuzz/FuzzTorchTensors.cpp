// The fuzz targets read torch.save files in-process (the programs load LibTorch as a module):
// core's torchfile functions, on LibTorch linked into the fuzzer, or refusing without it.
#include "io/TorchTensorFile.h"

#include <stdexcept>

namespace neurolens::torchfile {

bool available()
{
#ifdef NEUROLENS_FUZZ_WITH_TORCH
    return true;
#else
    return false;
#endif
}

std::vector<float> read(const std::vector<char>& bytes, std::vector<std::int64_t>& shape)
{
#ifdef NEUROLENS_FUZZ_WITH_TORCH
    return readWithTorch(bytes, shape);
#else
    (void)bytes;
    (void)shape;
    throw std::runtime_error("this fuzz build has no LibTorch");
#endif
}

}  // namespace neurolens::torchfile
