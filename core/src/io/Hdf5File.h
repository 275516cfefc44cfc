#pragma once
// A thin RAII wrapper over the HDF5 C API, private to core/io. Every failure becomes an InputError
// (or OutputError when writing) naming the file and the object. HDF5's own error printing is
// switched off. The serial HDF5 library is not thread-safe: each instance holds a process-wide lock
// while it lives, so a GUI worker and the main thread cannot both be inside HDF5.

#include <hdf5.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace neurolens {

class Hdf5File {
public:
    struct DatasetInfo {
        std::vector<hsize_t> dims;
        H5T_class_t typeClass = H5T_NO_CLASS;
        std::size_t typeSize = 0;
        bool isSigned = false;
        bool isVariableString = false;
        std::uint64_t chunkRows = 0;   // a chunk's extent along the first axis; 0: not chunked
        std::string typeName() const;  // "uint16", "float32", "string", ... for messages
        std::uint64_t elements() const;
    };

    static bool isHdf5(const std::string& path);
    static Hdf5File openRead(const std::string& path);
    static Hdf5File openReadWrite(const std::string& path);
    static Hdf5File create(const std::string& path);  // truncates

    Hdf5File(Hdf5File&& other) noexcept;
    Hdf5File& operator=(Hdf5File&&) = delete;
    Hdf5File(const Hdf5File&) = delete;
    ~Hdf5File();
    void close();  // flushes and closes; throws OutputError if that fails

    const std::string& path() const { return path_; }
    bool exists(const std::string& object) const;  // any link along the path may be missing
    bool isGroup(const std::string& object) const;
    std::vector<std::string> children(const std::string& group) const;
    // Every dataset in the file, as absolute paths.
    std::vector<std::string> datasets() const;
    DatasetInfo info(const std::string& dataset) const;

    // Whole dataset, converted by HDF5 to T (double, float, int64, int32, uint16, uint8).
    template <typename T>
    std::vector<T> read(const std::string& dataset) const;
    // The whole dataset as float into `out` (info(dataset).elements() values). A chunked dataset
    // compressed as neurolens writes it (deflate, optionally after shuffle) is decompressed on
    // every core, chunk by chunk; any other layout is read by HDF5 (Hdf5Chunks.cpp).
    void readFloats(const std::string& dataset, float* out) const;
    // Rows [first, first + count) of a 1-D dataset.
    template <typename T>
    std::vector<T> readRange(const std::string& dataset, std::uint64_t first,
                             std::uint64_t count) const;
    // Rows [first, first + count) of a dataset of two or more dimensions (along its first) as float
    // into `out` (count times a row's values), decompressed on every core as readFloats does.
    void readFloatRows(const std::string& dataset, std::uint64_t first, std::uint64_t count,
                       float* out) const;
    std::vector<std::string> readStrings(const std::string& dataset) const;
    // Refuses (InputError naming the dataset, its declared shape and what it would take) a read of
    // `dims` elements of `bytesPerElement` bytes that could not fit in this machine's memory,
    // before anything is allocated.
    void checkFits(const std::string& dataset, const std::vector<hsize_t>& dims,
                   std::uint64_t bytesPerElement) const;

    std::optional<std::string> stringAttribute(const std::string& object,
                                               const std::string& name) const;
    std::optional<double> numberAttribute(const std::string& object, const std::string& name) const;
    // The path of the object an object-reference attribute points to (NWB's DynamicTableRegion
    // "table"); nullopt when there is no such attribute or it is not a readable reference.
    std::optional<std::string> referenceAttribute(const std::string& object,
                                                  const std::string& name) const;

    template <typename T>
    void write(const std::string& dataset, const T* data, const std::vector<hsize_t>& dims,
               bool compress = false);
    void writeStrings(const std::string& dataset, const std::vector<std::string>& values);
    // Creates a contiguous little-endian float dataset of `dims` whose storage is allocated now
    // and never filled, and returns its byte offset in the file: its values are then written
    // into the file directly, not through HDF5 (NativeStreamWriter). Throws OutputError when
    // HDF5 cannot place it.
    std::uint64_t reserveFloats(const std::string& dataset, const std::vector<hsize_t>& dims);
    // Whether deflating `bytes` of data saves enough to be worth its time: large data are probed
    // (four 1 MiB pieces, shuffled and deflated) and kept raw when a quarter or less is saved —
    // continuous traces (float noise) barely shrink, and deflating them costs more than writing.
    static bool worthDeflating(const void* data, std::size_t elementSize, std::uint64_t bytes);
    void setAttribute(const std::string& object, const std::string& name, const std::string& value);
    void setAttribute(const std::string& object, const std::string& name, double value);
    void setAttribute(const std::string& object, const std::string& name, std::int64_t value);
    void remove(const std::string& object);

private:
    Hdf5File(std::string path, hid_t id, bool writable,
             std::unique_lock<std::recursive_mutex> lock);
    [[noreturn]] void fail(const std::string& object, const std::string& message) const;
    hid_t ensureParent(const std::string& object);
    // readFloats of the rows [rowFirst, rowFirst + rowCount) of the first axis (all of them when
    // the window covers it).
    void readFloatWindow(const std::string& dataset, std::uint64_t rowFirst, std::uint64_t rowCount,
                         float* out) const;
    // Writes `data` (dims, in the file's byte order) into a dataset chunked as write() chunks it,
    // with shuffle and deflate level 1, compressing the chunks on every core (Hdf5Chunks.cpp).
    void writeDeflatedChunks(hid_t dataset, const void* data, std::size_t elementSize,
                             const std::vector<hsize_t>& dims,
                             const std::vector<hsize_t>& chunk) const;

    std::string path_;
    hid_t id_ = -1;
    bool writable_ = false;
    std::unique_lock<std::recursive_mutex> lock_;
    // Stored chunks' bytes, kept from one read to the next: fresh buffers for every window of a
    // large dataset cost a page fault per page.
    mutable std::vector<std::vector<unsigned char>> chunkBuffers_;
};

}  // namespace neurolens
