#include "TorchTensorFile.h"

#include <stdexcept>

#ifdef NEUROLENS_WITH_TORCH
#include <ATen/core/ivalue.h>
#include <torch/csrc/jit/serialization/pickle.h>
#endif

namespace neurolens::torchfile {

#ifdef NEUROLENS_WITH_TORCH
bool available()
{
    return true;
}

std::vector<float> read(const std::vector<char>& bytes, std::vector<std::int64_t>& shape)
{
    c10::IValue value;
    try {
        value = torch::jit::pickle_load(bytes);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("not a readable torch.save file (") + e.what() + ")");
    }
    if (!value.isTensor())
        throw std::runtime_error("the torch file holds a " + value.tagKind() + ", not a tensor");
    const at::Tensor t = value.toTensor().to(at::kFloat).contiguous();
    shape.assign(t.sizes().begin(), t.sizes().end());
    const float* p = t.data_ptr<float>();
    return std::vector<float>(p, p + t.numel());
}
#else
bool available()
{
    return false;
}

std::vector<float> read(const std::vector<char>&, std::vector<std::int64_t>&)
{
    throw std::runtime_error(
        "this neurolens was built without LibTorch, so it cannot read torch.save files");
}
#endif

}  // namespace neurolens::torchfile
