#pragma once
// How a result was made, written beside it: the program and command or panel that made it, the
// settings (model, parameters, features, preprocessing), the repeats of each split, the seed, the
// source recording with its SHA-256, and neurolens' version. Exports carry it as a JSON sidecar
// (name.csv.json) or as HDF5 attributes; see docs/formats.md, "Exported tables".

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace neurolens {

struct PreprocessOptions;

struct Provenance {
    std::string producer;  // e.g. "neurolens-cli report", "neurolens window: File > Export Data"
    std::string source;    // the recording's file, or how it was made ("simulated")
    std::map<std::string, std::string> settings;  // numbers as text
    std::vector<int> trainRepeats, testRepeats;   // empty where the result has no split
    std::optional<std::uint64_t> seed;
};

// Repeats as text, space-separated ("0 1 2"), as settings and HDF5 attributes hold them.
std::string repeatList(const std::vector<int>& repeats);

// The preprocessing's settings as "preprocess_*" entries.
void addPreprocessing(Provenance& provenance, const PreprocessOptions& options);

// neurolens' version ("0.1.0").
const char* neurolensVersion();

// SHA-256 as 64 lower-case hex digits.
std::string sha256Hex(const void* data, std::size_t bytes);
// The SHA-256 of a file's contents; remembered per path, size and modification time, so a file is
// read once per process however many results name it. Empty when the file cannot be read.
std::string fileSha256(const std::string& path);

// The sidecar's JSON text for a table of `kind` with `columns` and `rows`, its numeric
// `attributes` (metrics; numbers written as JSON numbers) and `provenance`.
std::string provenanceJson(const std::string& kind, const std::vector<std::string>& columns,
                           std::size_t rows, const std::map<std::string, std::string>& attributes,
                           const Provenance& provenance);

// Writes `contents` to `path` whole or not at all (a temporary file renamed into place); throws
// OutputError naming the file.
void writeWholeFile(const std::string& path, const std::string& contents);

}  // namespace neurolens
