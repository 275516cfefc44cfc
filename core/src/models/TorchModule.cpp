#include "TorchModule.h"

#include "neurolens/data/Error.h"

#include <dlfcn.h>

#include <atomic>
#include <cstdlib>
#include <mutex>

namespace neurolens {
namespace {

struct Loaded {
    const TorchModule* module = nullptr;
    std::string why;
};

#ifdef NEUROLENS_WITH_TORCH
// The module's file: NEUROLENS_TORCH_MODULE when set, else beside this library (installed and in
// the build tree alike).
std::string modulePath()
{
    if (const char* path = std::getenv("NEUROLENS_TORCH_MODULE"); path && *path) return path;
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&modulePath), &info) == 0 || !info.dli_fname) return {};
    std::string self = info.dli_fname;
    const auto slash = self.rfind('/');
    return (slash == std::string::npos ? std::string() : self.substr(0, slash + 1)) +
           "libneurolens_torch.so";
}
#endif

Loaded load()
{
    Loaded out;
#ifndef NEUROLENS_WITH_TORCH
    out.why = "this build of neurolens has no LibTorch";
#else
    // (OpenMP's wait policy is settled before main: neurolens/jobs/ThreadEnvironment.h.)
    const std::string path = modulePath();
    void* handle = path.empty() ? nullptr : dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* error = path.empty() ? nullptr : dlerror();
        out.why = error ? error : "the LibTorch module could not be found";
        return out;
    }
    using Entry = const TorchModule* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle, "neurolens_torch_module"));
    const TorchModule* module = entry ? entry() : nullptr;
    if (!module || module->abi != kTorchModuleAbi) {
        out.why = path + " is not this build's LibTorch module";
        return out;
    }
    out.module = module;  // never unloaded: LibTorch keeps threads and static state
#endif
    return out;
}

std::once_flag once;
Loaded loaded;
std::atomic<bool> isLoaded{false};

}  // namespace

const TorchModule* torchModule(std::string* why)
{
    std::call_once(once, [] {
        loaded = load();
        isLoaded = loaded.module != nullptr;
    });
    if (!loaded.module && why) *why = loaded.why;
    return loaded.module;
}

const TorchModule& requireTorchModule(const std::string& what)
{
    std::string why;
    if (const TorchModule* module = torchModule(&why)) return *module;
    throw UsageError(what + " is unavailable: " + why);
}

bool torchModuleLoaded()
{
    return isLoaded;
}

}  // namespace neurolens
