#include "io/TorchTensorFile.h"

#include "io/PickleCheck.h"
#include "io/ZipArchive.h"
#include "neurolens/data/Memory.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <stdexcept>

#include <ATen/core/ivalue.h>
#include <c10/util/Exception.h>
#include <caffe2/serialize/in_memory_adapter.h>
#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/versions.h>
#include <torch/csrc/jit/serialization/import_read.h>

namespace neurolens::torchfile {

namespace {

// LibTorch's own zip reader trusts the sizes an archive declares (a stored member longer than the
// file is read past its end), so the members are taken out by ZipArchive, which checks them, and
// written again by LibTorch's writer into an archive it can trust.
std::vector<char> rewritten(const std::vector<char>& bytes)
{
    const std::vector<std::string> members = zip::names(bytes);
    if (members.empty()) throw std::runtime_error("an empty archive");
    const std::string prefix = members.front().substr(0, members.front().find('/') + 1);
    if (prefix.empty()) throw std::runtime_error("its members are not in one folder");
    // Everything checked before the writer starts: one left unfinished leaks in LibTorch.
    std::map<std::string, std::vector<char>> records;
    std::uint64_t version = 0;
    std::map<std::string, std::uint64_t> storages;
    for (const std::string& name : members) {
        if (name.compare(0, prefix.size(), prefix) != 0)
            throw std::runtime_error("its members are not in one folder");
        const std::string record = name.substr(prefix.size());
        std::vector<char> data = zip::extract(bytes, name);
        if (record == "data.pkl") storages = pickle::check(data);
        // The writer adds the format version itself; the file's is kept as the least.
        if (record == "version" || record == ".data/version") {
            const std::string text(data.begin(), data.end());
            version = std::strtoull(text.c_str(), nullptr, 10);
            if (version < caffe2::serialize::kMinSupportedFileFormatVersion ||
                version > caffe2::serialize::kMaxSupportedFileFormatVersion)
                throw std::runtime_error("format version " + text.substr(0, 20) +
                                         ", which this LibTorch does not read");
        } else if (!record.empty() && record.back() != '/') {
            records.emplace(record, std::move(data));
        }
    }
    if (!records.count("data.pkl") || !version)
        throw std::runtime_error("no data.pkl or no version record");
    for (const auto& [key, size] : storages)
        if (const auto record = records.find("data/" + key);
            record == records.end() || record->second.size() < size)
            throw std::runtime_error("its storage " + key.substr(0, 40) +
                                     " holds fewer bytes than the " + std::to_string(size) +
                                     " it declares");
    std::vector<char> out;
    caffe2::serialize::PyTorchStreamWriter writer([&out](const void* data, std::size_t size) {
        out.insert(out.end(), static_cast<const char*>(data),
                   static_cast<const char*>(data) + size);
        return size;
    });
    writer.setMinVersion(version);
    for (const auto& [record, data] : records) writer.writeRecord(record, data.data(), data.size());
    writer.writeEndOfFile();
    return out;
}

// A pickle sets a tensor's sizes, strides and offset apart from its storage's length, and LibTorch
// reads where they point: they must stay inside the storage.
std::string shapeText(const at::Tensor& t)
{
    std::string text;
    for (std::int64_t d = 0; d < t.dim(); ++d) text += (d ? " x " : "") + std::to_string(t.size(d));
    return text;
}

void checkView(const at::Tensor& t)
{
    const std::uint64_t item = t.dtype().itemsize();
    const std::uint64_t storage = item ? t.storage().nbytes() / item : 0;
    std::uint64_t last = 0, count = 1;
    bool empty = false;
    for (std::int64_t d = 0; d < t.dim(); ++d) {
        const std::int64_t size = t.size(d), stride = t.stride(d);
        if (size < 0 || stride < 0)
            throw std::runtime_error("a tensor with a negative size or stride");
        if (size == 0) empty = true;
        if (size > 0 && std::uint64_t(stride) > (std::uint64_t(1) << 40))
            throw std::runtime_error("a tensor stride beyond its storage");
        last += std::uint64_t(size > 0 ? size - 1 : 0) * std::uint64_t(stride);
        count = std::min<std::uint64_t>(count * std::uint64_t(std::max<std::int64_t>(size, 1)),
                                        std::uint64_t(1) << 60);
    }
    if (t.storage_offset() < 0) throw std::runtime_error("a tensor with a negative offset");
    if (!empty && std::uint64_t(t.storage_offset()) + last >= storage)
        throw std::runtime_error("its tensor (shape " + shapeText(t) +
                                 ") reaches beyond its storage of " + std::to_string(storage) +
                                 " elements");
    if (count * sizeof(float) > memoryLimit().bytes)
        throw std::runtime_error("a tensor of " + std::to_string(count) + " elements, beyond " +
                                 memoryLimit().what + " (" +
                                 formatBytes(double(memoryLimit().bytes)) + ")");
}

}  // namespace

std::vector<float> readWithTorch(const std::vector<char>& bytes, std::vector<std::int64_t>& shape)
{
    c10::IValue value;
    try {
        const std::vector<char> archive = rewritten(bytes);
        // As torch::jit::pickle_load, but every tensor mapped to the CPU: features saved from a
        // CUDA tensor read on a machine without one.
        caffe2::serialize::PyTorchStreamReader reader(
            std::make_shared<caffe2::serialize::MemoryReadAdapter>(archive.data(),
                                                                   off_t(archive.size())));
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
    checkView(value.toTensor());
    const at::Tensor t = value.toTensor().to(at::kFloat).contiguous();
    shape.assign(t.sizes().begin(), t.sizes().end());
    const float* p = t.data_ptr<float>();
    return std::vector<float>(p, p + t.numel());
}

}  // namespace neurolens::torchfile
