#include "TorchTensorFile.h"

#include <stdexcept>

#ifdef NEUROLENS_WITH_TORCH
#include <ATen/core/ivalue.h>
#include <c10/util/Exception.h>
#include <caffe2/serialize/in_memory_adapter.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/import_read.h>
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
        // As torch::jit::pickle_load, but every tensor mapped to the CPU: features saved from a
        // CUDA tensor read on a machine without one.
        caffe2::serialize::PyTorchStreamReader reader(
            std::make_shared<caffe2::serialize::MemoryReadAdapter>(bytes.data(),
                                                                   off_t(bytes.size())));
        value = torch::jit::readArchiveAndTensors("data", "", "", c10::nullopt, c10::nullopt,
                                                  at::Device(at::kCPU), reader);
    } catch (const std::exception& e) {
        const auto* torchError = dynamic_cast<const c10::Error*>(&e);
        std::string text = torchError ? torchError->what_without_backtrace() : e.what();
        throw std::runtime_error("not a readable torch.save file (" +
                                 text.substr(0, text.find('\n')) + ")");
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
