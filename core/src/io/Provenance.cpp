#include "neurolens/io/Provenance.h"

#include "TemporaryFile.h"
#include "neurolens/data/Error.h"
#include "neurolens/preprocess/Preprocess.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <tuple>

namespace neurolens {
namespace {

// SHA-256 (FIPS 180-4).
class Sha256 {
public:
    void add(const unsigned char* p, std::size_t n)
    {
        bytes_ += n;
        while (n > 0) {
            const std::size_t take = std::min(n, std::size_t(64) - used_);
            std::memcpy(block_.data() + used_, p, take);
            used_ += take, p += take, n -= take;
            if (used_ == 64) compress(block_.data()), used_ = 0;
        }
    }
    std::string hex()
    {
        const std::uint64_t bits = bytes_ * 8;
        const unsigned char one = 0x80, zero = 0;
        add(&one, 1);
        while (used_ != 56) add(&zero, 1);
        for (int i = 7; i >= 0; --i) {
            const auto b = static_cast<unsigned char>(bits >> (8 * i));
            add(&b, 1);
        }
        static const char* digits = "0123456789abcdef";
        std::string out;
        for (std::uint32_t w : h_)
            for (int i = 28; i >= 0; i -= 4) out += digits[(w >> i) & 15u];
        return out;
    }

private:
    static std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
    void compress(const unsigned char* b)
    {
        static constexpr std::array<std::uint32_t, 64> k = {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
            0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
            0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
            0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
            0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
            0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
            0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
            0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
            0xc67178f2};
        std::array<std::uint32_t, 64> w{};
        for (std::size_t i = 0; i < 16; ++i)
            w[i] = std::uint32_t(b[4 * i]) << 24 | std::uint32_t(b[4 * i + 1]) << 16 |
                   std::uint32_t(b[4 * i + 2]) << 8 | std::uint32_t(b[4 * i + 3]);
        for (std::size_t i = 16; i < 64; ++i) {
            const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        std::array<std::uint32_t, 8> v = h_;
        for (std::size_t i = 0; i < 64; ++i) {
            const std::uint32_t S1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
            const std::uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
            const std::uint32_t t1 = v[7] + S1 + ch + k[i] + w[i];
            const std::uint32_t S0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
            const std::uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            const std::uint32_t t2 = S0 + maj;
            v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
        }
        for (std::size_t i = 0; i < 8; ++i) h_[i] += v[i];
    }

    std::array<std::uint32_t, 8> h_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::array<unsigned char, 64> block_{};
    std::size_t used_ = 0;
    std::uint64_t bytes_ = 0;
};

// A number's text as a JSON number when it is one ("nan" and other non-finite values: null), "true"
// and "false" as booleans, else the text.
nlohmann::json value(const std::string& text)
{
    if (text == "nan" || text == "inf" || text == "-inf") return nullptr;
    if (text == "true" || text == "false") return text == "true";
    if (text.empty()) return text;
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v)) return text;
    if (v == std::floor(v) && std::fabs(v) < 9.0e15) return std::int64_t(v);
    return v;
}

std::string utcNow()
{
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::array<char, 32> text{};
    std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text.data();
}

}  // namespace

std::string repeatList(const std::vector<int>& repeats)
{
    std::string out;
    for (std::size_t i = 0; i < repeats.size(); ++i)
        out += (i ? " " : "") + std::to_string(repeats[i]);
    return out;
}

void addPreprocessing(Provenance& p, const PreprocessOptions& o)
{
    p.settings["preprocess_area"] = o.area.empty() ? "all" : o.area;
    p.settings["preprocess_bin"] = std::to_string(o.bin);
    p.settings["preprocess_drop_silent"] = o.dropSilent ? "true" : "false";
    std::ostringstream top;
    top << o.topVariance;
    p.settings["preprocess_top_variance"] = top.str();
}

const char* neurolensVersion()
{
    return NEUROLENS_VERSION;
}

std::string sha256Hex(const void* data, std::size_t bytes)
{
    Sha256 h;
    h.add(static_cast<const unsigned char*>(data), bytes);
    return h.hex();
}

std::string fileSha256(const std::string& path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(path, ec);
    const auto size = fs::file_size(path, ec);
    if (ec) return {};
    const auto modified = fs::last_write_time(path, ec).time_since_epoch().count();
    using Key = std::tuple<std::string, std::uintmax_t, long long>;
    static std::mutex mutex;
    static std::map<Key, std::string> known;
    const Key key{canonical.string(), size, static_cast<long long>(modified)};
    {
        const std::lock_guard<std::mutex> lock(mutex);
        if (const auto it = known.find(key); it != known.end()) return it->second;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    Sha256 h;
    std::vector<char> buffer(std::size_t(1) << 20);
    while (in) {
        in.read(buffer.data(), std::streamsize(buffer.size()));
        h.add(reinterpret_cast<const unsigned char*>(buffer.data()), std::size_t(in.gcount()));
    }
    if (in.bad()) return {};
    std::string digest = h.hex();
    const std::lock_guard<std::mutex> lock(mutex);
    known[key] = digest;
    return digest;
}

std::string provenanceJson(const std::string& kind, const std::vector<std::string>& columns,
                           std::size_t rows, const std::map<std::string, std::string>& attributes,
                           const Provenance& p)
{
    nlohmann::json j;
    j["format"] = "neurolens result table";
    j["kind"] = kind;
    j["columns"] = columns;
    j["rows"] = rows;
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto& [k, v] : attributes) metrics[k] = value(v);
    j["values"] = metrics;
    nlohmann::json settings = nlohmann::json::object();
    for (const auto& [k, v] : p.settings) settings[k] = value(v);
    j["settings"] = settings;
    if (!p.trainRepeats.empty() || !p.testRepeats.empty()) {
        j["train_repeats"] = p.trainRepeats;
        j["test_repeats"] = p.testRepeats;
    }
    j["seed"] = p.seed ? nlohmann::json(*p.seed) : nlohmann::json(nullptr);
    nlohmann::json source = {{"path", p.source}};
    std::error_code ec;
    if (!p.source.empty() && std::filesystem::is_regular_file(p.source, ec)) {
        source["path"] = std::filesystem::absolute(p.source, ec).string();
        source["bytes"] = std::filesystem::file_size(p.source, ec);
        const std::string sha = fileSha256(p.source);
        source["sha256"] = sha.empty() ? nlohmann::json(nullptr) : nlohmann::json(sha);
    }
    j["source"] = source;
    j["producer"] = p.producer;
    j["neurolens_version"] = neurolensVersion();
    j["written_utc"] = utcNow();
    return j.dump(2) + "\n";
}

void writeWholeFile(const std::string& path, const std::string& contents)
{
    TemporaryFile temp(path);
    {
        std::ofstream out(temp.path(), std::ios::binary);
        if (!out) throw OutputError(path, "", "cannot create the file (is the folder writable?)");
        out.write(contents.data(), std::streamsize(contents.size()));
        out.flush();
        if (!out) throw OutputError(path, "", "writing failed (is there space?)");
    }
    temp.commit();
}

}  // namespace neurolens
