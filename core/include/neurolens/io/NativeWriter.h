#pragma once
// Writes the native *.neurolens.h5 layout (docs/formats.md). Never leaves a half-written file:
// everything goes to a temporary file beside the destination, which is renamed over it only when
// complete.

#include "neurolens/data/Recording.h"
#include "neurolens/io/Reader.h"
#include "neurolens/jobs/Progress.h"

#include <memory>
#include <string>

namespace neurolens {

struct WriteOptions {
    bool compress = true;  // gzip (level 1, with shuffle) for responses and movie
};

void writeNative(const Recording& recording, const std::string& path,
                 const WriteOptions& options = {}, Progress& progress = Progress::null());

// Writes a native file while its responses are still being read: a reader given it as
// ReadOptions::sink hands it each finished range of samples, which a background thread stores
// while the reader goes on; finish() then writes the rest. Continuous responses only (counts are
// stored as integers) and only those that would not be deflated; otherwise, or when the finished
// recording's responses are not those streamed, finish() simply writes the file whole. The rows
// handed over are copied (a bounded number of buffers: the reader waits when the disk is slower),
// so they must not change afterwards, but may be freed. Used from one thread (it holds the HDF5
// lock from the first streamed rows to finish()). Destroyed unfinished, it leaves nothing behind.
class NativeStreamWriter final : public ResponseSink {
public:
    explicit NativeStreamWriter(std::string path, WriteOptions options = {});
    ~NativeStreamWriter() override;
    NativeStreamWriter(const NativeStreamWriter&) = delete;
    NativeStreamWriter& operator=(const NativeStreamWriter&) = delete;

    bool begin(const Responses& responses) override;
    void rows(std::int64_t first, std::int64_t count) override;
    // Writes `recording` to the path, as writeNative does; throws OutputError when storing the
    // streamed samples failed.
    void finish(const Recording& recording, Progress& progress = Progress::null());
    // Whether the responses went to the file while they were read (for tests and timings).
    bool streamed() const;

private:
    struct State;
    std::unique_ptr<State> s_;
};

// Adds (or replaces) /results/<name> in an existing native file, atomically: the file is copied,
// the copy changed and renamed over the original.
void addResult(const std::string& path, const std::string& name, const Embedding& embedding);

}  // namespace neurolens
