#pragma once
// Checkpoints shared by the LibTorch models (included only by their translation units): the
// module's parameters, the optimiser's state, the model's generator state (so a resumed run draws
// what the uninterrupted one would), the per-epoch history, and a shape signature checked on load.
// Written to a temporary file and renamed, so a crash never leaves a half-written checkpoint.
// Loaded onto the model's device whatever device saved it (a CUDA run's checkpoint resumes on a
// CPU-only machine, and the reverse); the generator is a CPU one on every device.

#include "neurolens/data/Error.h"
#include "neurolens/models/Trainer.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace neurolens::checkpoint {

// LibTorch's message without its C++ backtrace, first line only.
inline std::string message(const std::exception& e)
{
    const auto* torchError = dynamic_cast<const c10::Error*>(&e);
    std::string text = torchError ? torchError->what_without_backtrace() : e.what();
    return text.substr(0, text.find('\n'));
}

// `columns`: "seconds" first, then the history keys stored.
inline void save(const std::string& path, torch::nn::Module& net,
                 torch::optim::Optimizer& optimiser, const at::Generator& generator,
                 const std::vector<EpochRecord>& history, const std::vector<std::string>& columns,
                 const std::string& shapeKey, const std::vector<std::int64_t>& shape)
{
    torch::serialize::OutputArchive archive;
    net.save(archive);
    torch::serialize::OutputArchive opt;
    optimiser.save(opt);
    archive.write("optimiser", opt);
    archive.write("generator", generator.get_state());
    torch::Tensor hist = torch::full({std::int64_t(history.size()), std::int64_t(columns.size())},
                                     std::nan(""), torch::kFloat64);
    auto h = hist.accessor<double, 2>();
    for (std::size_t e = 0; e < history.size(); ++e) {
        h[std::int64_t(e)][0] = history[e].seconds;
        for (std::size_t c = 1; c < columns.size(); ++c) {
            const auto it = history[e].values.find(columns[c]);
            if (it != history[e].values.end()) h[std::int64_t(e)][std::int64_t(c)] = it->second;
        }
    }
    archive.write("history", hist);
    archive.write(shapeKey, torch::tensor(shape));
    const std::string tmp = path + ".part";
    try {
        archive.save_to(tmp);
    } catch (const std::exception& e) {
        std::remove(tmp.c_str());
        throw OutputError(path, "", "cannot write the checkpoint: " + message(e));
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) throw OutputError(path, "", "cannot write the checkpoint: " + ec.message());
}

// `what` names the model in messages ("VAE", "CEBRA"); `device` is the model's: every tensor is
// mapped onto it. Throws InputError for other files or shapes.
inline void load(const std::string& path, torch::nn::Module& net,
                 torch::optim::Optimizer& optimiser, at::Generator& generator,
                 std::vector<EpochRecord>& history, const std::vector<std::string>& columns,
                 const std::string& shapeKey, const std::vector<std::int64_t>& shape,
                 const std::string& what, const torch::Device& device)
{
    torch::serialize::InputArchive archive;
    try {
        archive.load_from(path, device);
    } catch (const std::exception& e) {
        throw InputError(path, "", "not a neurolens " + what + " checkpoint (" + message(e) + ")");
    }
    torch::Tensor stored;
    if (!archive.try_read(shapeKey, stored))
        throw InputError(path, "", "not a neurolens " + what + " checkpoint");
    stored = stored.to(torch::kCPU);
    const std::vector<std::int64_t> have(stored.data_ptr<std::int64_t>(),
                                         stored.data_ptr<std::int64_t>() + stored.numel());
    if (have != shape)
        throw InputError(path, "",
                         "the checkpoint is for another " + what + " (inputs or sizes differ)");
    try {
        net.load(archive);
        torch::serialize::InputArchive opt;
        archive.read("optimiser", opt);
        optimiser.load(opt);
        torch::Tensor state, hist;
        archive.read("generator", state);
        generator.set_state(state.to(torch::kCPU));
        archive.read("history", hist);
        hist = hist.to(torch::kCPU);
        history.clear();
        auto h = hist.accessor<double, 2>();
        for (std::int64_t e = 0; e < hist.size(0); ++e) {
            EpochRecord r;
            r.epoch = int(e + 1);
            r.seconds = h[e][0];
            for (std::size_t c = 1; c < columns.size() && std::int64_t(c) < hist.size(1); ++c)
                if (!std::isnan(h[e][std::int64_t(c)]))
                    r.values[columns[c]] = h[e][std::int64_t(c)];
            history.push_back(r);
        }
    } catch (const std::exception& e) {
        throw InputError(path, "", "damaged " + what + " checkpoint (" + message(e) + ")");
    }
}

}  // namespace neurolens::checkpoint
