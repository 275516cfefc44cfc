#include "TorchTensorFile.h"

#include "models/TorchModule.h"

#include <stdexcept>

namespace neurolens::torchfile {

bool available()
{
    return torchModule() != nullptr;
}

std::vector<float> read(const std::vector<char>& bytes, std::vector<std::int64_t>& shape)
{
    std::string why;
    const TorchModule* module = torchModule(&why);
    if (!module) throw std::runtime_error("reading torch.save files needs LibTorch: " + why);
    return module->readTensor(bytes, shape);
}

}  // namespace neurolens::torchfile
