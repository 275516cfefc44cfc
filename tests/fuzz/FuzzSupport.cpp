#include "FuzzSupport.h"

#include "neurolens/data/Error.h"

#include <hdf5.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <typeinfo>

namespace neurolens::fuzz {
namespace {

std::string& folderPath()
{
    static std::string path;
    return path;
}

void removeFolder()
{
    std::error_code ec;
    if (!folderPath().empty()) std::filesystem::remove_all(folderPath(), ec);
}

}  // namespace

void initialise()
{
    static bool done = false;
    if (done) return;
    done = true;
    setenv("NEUROLENS_MAX_MEMORY", "256M", 1);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const std::string base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
    std::string pattern = base + "/neurolens-fuzz-XXXXXX";
    if (!mkdtemp(pattern.data())) {
        std::perror("neurolens fuzz: cannot make a temporary folder");
        std::abort();
    }
    folderPath() = pattern;
    std::atexit(removeFolder);
}

const std::string& folder()
{
    return folderPath();
}

std::string writeFile(const std::string& name, const std::uint8_t* data, std::size_t size)
{
    const std::string path = folder() + "/" + name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    return path;
}

void expectResultOrRefusal(const char* what, const std::function<void()>& read)
{
    try {
        read();
    } catch (const Error&) {
        // A refusal: the contract.
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s threw %s instead of a neurolens::Error: %s\n", what,
                     typeid(e).name(), e.what());
        std::abort();
    }
}

}  // namespace neurolens::fuzz
