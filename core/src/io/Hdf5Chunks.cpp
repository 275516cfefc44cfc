// Compressed datasets at the speed of (de)compression on every core, with libdeflate (faster than
// zlib on whole chunks; its zlib streams are what HDF5's deflate filter reads).
// HDF5 is serial and not thread-safe: it hands out, or takes, each chunk's stored bytes in turn,
// while the chunks are inflated, unshuffled and converted (reading) or shuffled and deflated
// (writing) side by side.
#include "Hdf5File.h"

#include "Hdf5Handle.h"

#include "neurolens/data/Error.h"
#include "neurolens/jobs/Parallel.h"

#include <libdeflate.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

namespace neurolens {
namespace {

using hdf5::Handle;

// One (de)compressor per thread: they are not shareable, and cheap to keep.
struct Decompressor {
    libdeflate_decompressor* d = libdeflate_alloc_decompressor();
    ~Decompressor() { libdeflate_free_decompressor(d); }
    libdeflate_decompressor* get() const { return d; }
};
const Decompressor& decompressor()
{
    thread_local const Decompressor d;
    return d;
}

// `bytes` of `in` as a zlib stream at level 1 (HDF5's deflate filter reads it); empty on failure.
std::vector<unsigned char> deflate(const std::vector<unsigned char>& in, std::size_t bytes)
{
    struct Compressor {
        libdeflate_compressor* c = libdeflate_alloc_compressor(1);
        ~Compressor() { libdeflate_free_compressor(c); }
    };
    thread_local const Compressor compressor;
    std::vector<unsigned char> out(libdeflate_zlib_compress_bound(compressor.c, bytes));
    out.resize(libdeflate_zlib_compress(compressor.c, in.data(), bytes, out.data(), out.size()));
    return out;
}

enum class Element { U8, U16, U32, I32, F32, F64 };

bool elementOf(hid_t type, Element& e, std::size_t& size)
{
    const struct {
        hid_t type;
        Element element;
        std::size_t size;
    } known[] = {{H5T_STD_U8LE, Element::U8, 1},    {H5T_STD_U16LE, Element::U16, 2},
                 {H5T_STD_U32LE, Element::U32, 4},  {H5T_STD_I32LE, Element::I32, 4},
                 {H5T_IEEE_F32LE, Element::F32, 4}, {H5T_IEEE_F64LE, Element::F64, 8}};
    for (const auto& k : known)
        if (H5Tequal(type, k.type) > 0) {
            e = k.element;
            size = k.size;
            return true;
        }
    return false;
}

float valueAt(const unsigned char* p, Element e)
{
    switch (e) {
        case Element::U8:
            return float(*p);
        case Element::U16: {
            std::uint16_t v;
            std::memcpy(&v, p, 2);
            return float(v);
        }
        case Element::U32: {
            std::uint32_t v;
            std::memcpy(&v, p, 4);
            return float(v);
        }
        case Element::I32: {
            std::int32_t v;
            std::memcpy(&v, p, 4);
            return float(v);
        }
        case Element::F32: {
            float v;
            std::memcpy(&v, p, 4);
            return v;
        }
        case Element::F64: {
            double v;
            std::memcpy(&v, p, 8);
            return float(v);
        }
    }
    return 0;
}

struct Chunk {
    std::vector<hsize_t> offset;
    std::vector<unsigned char> stored;
    unsigned filterMask = 0;
};

}  // namespace

void Hdf5File::readFloats(const std::string& dataset, float* out) const
{
    readFloatWindow(dataset, 0, std::numeric_limits<std::uint64_t>::max(), out);
}

void Hdf5File::readFloatWindow(const std::string& dataset, std::uint64_t rowFirst,
                               std::uint64_t rowCount, float* out) const
{
    const DatasetInfo i = info(dataset);
    if (i.typeClass != H5T_INTEGER && i.typeClass != H5T_FLOAT)
        fail(dataset, "holds " + i.typeName() + " values where numbers were expected");
    const int rank = int(i.dims.size());
    const bool window = rank >= 1 && !(rowFirst == 0 && rowCount >= i.dims[0]);
    if (window && (rowFirst > i.dims[0] || rowCount > i.dims[0] - rowFirst))
        fail(dataset, "rows " + std::to_string(rowFirst) + "-" +
                          std::to_string(rowFirst + rowCount) + " lie beyond its " +
                          std::to_string(i.dims[0]) + " rows");
    std::vector<hsize_t> shape = i.dims;
    if (window) shape[0] = rowCount;
    checkFits(dataset, shape, sizeof(float));
    std::uint64_t wanted = 1;
    for (auto d : shape) wanted *= d;
    if (wanted == 0) return;
    const std::size_t rowElements = rank >= 1 ? std::size_t(i.elements() / i.dims[0]) : 1;
    Handle ds(H5Dopen2(id_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
    Handle dcpl(H5Dget_create_plist(ds.get()), H5Pclose);
    Handle type(H5Dget_type(ds.get()), H5Tclose);
    // HDF5's own read of the window (or of everything).
    auto readByHdf5 = [&] {
        herr_t status = 0;
        if (window) {
            Handle space(H5Dget_space(ds.get()), H5Sclose);
            std::vector<hsize_t> start(std::size_t(rank), 0);
            start[0] = rowFirst;
            H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, shape.data(),
                                nullptr);
            Handle mem(H5Screate_simple(rank, shape.data(), nullptr), H5Sclose);
            status = H5Dread(ds.get(), H5T_NATIVE_FLOAT, mem.get(), space.get(), H5P_DEFAULT, out);
        } else {
            status = H5Dread(ds.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out);
        }
        if (status < 0)
            fail(dataset, "could not be read (damaged file or unavailable compression filter?)");
    };
    Element element{};
    std::size_t size = 0;
    // A window is cut along the first axis; a 1-D dataset's runs would need cutting too.
    bool direct = rank >= (window ? 2 : 1) && rank <= 8 &&
                  H5Pget_layout(dcpl.get()) == H5D_CHUNKED && elementOf(type.get(), element, size);
    // Filters: deflate alone, or shuffle then deflate (what neurolens and h5py write).
    bool shuffled = false;
    if (direct) {
        const int filters = H5Pget_nfilters(dcpl.get());
        std::vector<H5Z_filter_t> ids;
        for (int f = 0; f < filters; ++f) {
            unsigned flags = 0, config = 0;
            std::size_t n = 0;
            ids.push_back(
                H5Pget_filter2(dcpl.get(), unsigned(f), &flags, &n, nullptr, 0, nullptr, &config));
        }
        shuffled = ids == std::vector<H5Z_filter_t>{H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE};
        direct = shuffled || ids == std::vector<H5Z_filter_t>{H5Z_FILTER_DEFLATE};
    }
    std::vector<hsize_t> chunkDims(std::size_t(std::max(rank, 1)));
    if (direct) direct = H5Pget_chunk(dcpl.get(), rank, chunkDims.data()) == rank;
    if (!direct) {
        readByHdf5();
        return;
    }
    std::size_t chunkElements = 1;
    for (hsize_t c : chunkDims) chunkElements *= std::size_t(std::max<hsize_t>(c, 1));
    const std::size_t chunkBytes = chunkElements * size;

    // Every chunk's offset, in storage order of the grid.
    std::vector<std::vector<hsize_t>> offsets(1, std::vector<hsize_t>(std::size_t(rank), 0));
    // (of the window's rows only: a window never lists the chunks of the whole dataset).
    const std::uint64_t rowEnd = window ? rowFirst + rowCount : i.dims[0];
    for (int d = 0; d < rank; ++d) {
        std::vector<std::vector<hsize_t>> next;
        const hsize_t c = chunkDims[std::size_t(d)];
        const hsize_t from = d == 0 ? rowFirst / c * c : 0,
                      to = d == 0 ? rowEnd : i.dims[std::size_t(d)];
        for (const auto& o : offsets)
            for (hsize_t x = from; x < to; x += c) {
                next.push_back(o);
                next.back()[std::size_t(d)] = x;
            }
        offsets = std::move(next);
    }
    const std::size_t shift = std::size_t(rowFirst) * rowElements;  // of `out` against the file

    // Decodes one chunk into its place in `out`; throws InputError on damage.
    auto decode = [&](const Chunk& c) {
        const bool inflate = !(c.filterMask & (shuffled ? 2u : 1u));
        const bool unshuffle = shuffled && !(c.filterMask & 1u);
        bool whole = true;
        for (int d = 0; d < rank; ++d)
            whole = whole &&
                    c.offset[std::size_t(d)] + chunkDims[std::size_t(d)] <= i.dims[std::size_t(d)];
        whole = whole && c.offset[0] >= rowFirst && c.offset[0] + chunkDims[0] <= rowEnd;
        // A whole chunk with whole trailing axes is one contiguous run of the output.
        bool contiguous = whole && rank >= 1;
        for (int d = 1; d < rank; ++d)
            contiguous = contiguous && chunkDims[std::size_t(d)] == i.dims[std::size_t(d)];
        std::size_t first = 0;  // the chunk's first element in the dataset
        for (int d = 0; d < rank; ++d)
            first = first * i.dims[std::size_t(d)] + c.offset[std::size_t(d)];
        // Unshuffled float32 (two-photon traces): inflated straight into its place.
        if (contiguous && inflate && !unshuffle && element == Element::F32) {
            std::size_t length = 0;
            if (libdeflate_zlib_decompress(decompressor().get(), c.stored.data(), c.stored.size(),
                                           out + (first - shift), chunkBytes,
                                           &length) != LIBDEFLATE_SUCCESS ||
                length != chunkBytes)
                fail(dataset, "holds a damaged compressed chunk");
            return;
        }
        std::vector<unsigned char> raw;
        if (inflate) {
            raw.resize(chunkBytes);
            std::size_t length = 0;
            if (libdeflate_zlib_decompress(decompressor().get(), c.stored.data(), c.stored.size(),
                                           raw.data(), chunkBytes, &length) != LIBDEFLATE_SUCCESS ||
                length != chunkBytes)
                fail(dataset, "holds a damaged compressed chunk");
        } else {
            if (c.stored.size() != chunkBytes) fail(dataset, "holds a chunk of the wrong size");
            raw = c.stored;
        }
        // The common cases — shuffled 16-bit counts or float32 filling the chunk — straight from
        // the shuffled bytes, without the intermediate copy.
        if (unshuffle && contiguous && element == Element::U16) {
            const unsigned char* low = raw.data();
            const unsigned char* high = raw.data() + chunkElements;
            float* dst = out + (first - shift);
            for (std::size_t e = 0; e < chunkElements; ++e)
                dst[e] = float(unsigned(low[e]) | (unsigned(high[e]) << 8));
            return;
        }
        if (unshuffle && contiguous && element == Element::F32) {
            auto* dst = reinterpret_cast<unsigned char*>(out + (first - shift));
            for (std::size_t e = 0; e < chunkElements; ++e)
                for (std::size_t b = 0; b < 4; ++b) dst[e * 4 + b] = raw[b * chunkElements + e];
            return;
        }
        if (unshuffle && size > 1) {
            std::vector<unsigned char> bytes(chunkBytes);
            for (std::size_t b = 0; b < size; ++b)
                for (std::size_t e = 0; e < chunkElements; ++e)
                    bytes[e * size + b] = raw[b * chunkElements + e];
            raw.swap(bytes);
        }
        // The chunk's part inside the dataset, a run of its last axis at a time.
        std::vector<hsize_t> extent(static_cast<std::size_t>(rank));
        for (int d = 0; d < rank; ++d)
            extent[std::size_t(d)] = std::min(chunkDims[std::size_t(d)],
                                              i.dims[std::size_t(d)] - c.offset[std::size_t(d)]);
        const hsize_t run = extent[std::size_t(rank - 1)];
        std::vector<hsize_t> at(std::size_t(rank), 0);
        for (;;) {
            std::size_t from = 0, to = 0;
            for (int d = 0; d < rank; ++d) {
                from = from * chunkDims[std::size_t(d)] + at[std::size_t(d)];
                to = to * i.dims[std::size_t(d)] + c.offset[std::size_t(d)] + at[std::size_t(d)];
            }
            const hsize_t row = c.offset[0] + at[0];
            if (row >= rowFirst && row < rowEnd)
                for (hsize_t k = 0; k < run; ++k)
                    out[to - shift + k] = valueAt(&raw[(from + k) * size], element);
            int d = rank - 2;
            while (d >= 0 && ++at[std::size_t(d)] == extent[std::size_t(d)]) {
                at[std::size_t(d)] = 0;
                --d;
            }
            if (d < 0) break;
        }
    };

    // A batch of chunks read in turn, then decoded side by side: memory stays at a batch's size.
    const std::size_t batch = 64;
    std::vector<Chunk> chunks;
    for (std::size_t first = 0; first < offsets.size(); first += batch) {
        const std::size_t n = std::min(batch, offsets.size() - first);
        if (chunkBuffers_.size() < n) chunkBuffers_.resize(n);
        chunks.assign(n, Chunk{});
        for (std::size_t k = 0; k < n; ++k) chunks[k].stored.swap(chunkBuffers_[k]);
        for (std::size_t k = 0; k < n; ++k) {
            Chunk& c = chunks[k];
            c.offset = offsets[first + k];
            hsize_t stored = 0;
            if (H5Dget_chunk_storage_size(ds.get(), c.offset.data(), &stored) < 0 || stored == 0 ||
                stored > 4 * chunkBytes + 4096) {
                // Unwritten (fill value) or implausible: HDF5 reads the whole window itself.
                readByHdf5();
                return;
            }
            c.stored.resize(std::size_t(stored));
            std::uint32_t mask = 0;
            if (H5Dread_chunk(ds.get(), H5P_DEFAULT, c.offset.data(), &mask, c.stored.data()) < 0)
                fail(dataset, "could not be read (damaged file?)");
            c.filterMask = mask;
        }
        parallelFor(int(n), [&](int k) { decode(chunks[std::size_t(k)]); });
        for (std::size_t k = 0; k < n; ++k) chunkBuffers_[k].swap(chunks[k].stored);
    }
}

bool Hdf5File::worthDeflating(const void* data, std::size_t elementSize, std::uint64_t bytes)
{
    constexpr std::uint64_t kPiece = 1u << 20, kPieces = 4;
    if (bytes < 16 * kPiece || elementSize == 0) return true;
    const std::size_t piece = std::size_t(kPiece / elementSize * elementSize);
    std::vector<std::uint64_t> stored(kPieces);
    parallelFor(int(kPieces), [&](int p) {
        const std::uint64_t at =
            (bytes - piece) / (kPieces - 1) * std::uint64_t(p) / elementSize * elementSize;
        const auto* slab = static_cast<const unsigned char*>(data) + at;
        const std::size_t elements = piece / elementSize;
        std::vector<unsigned char> shuffled(piece);
        for (std::size_t b = 0; b < elementSize; ++b)
            for (std::size_t e = 0; e < elements; ++e)
                shuffled[b * elements + e] = slab[e * elementSize + b];
        stored[std::size_t(p)] = deflate(shuffled, piece).size();
    });
    std::uint64_t total = 0;
    for (auto n : stored) total += n;
    return double(total) < 0.75 * double(piece * kPieces);
}

void Hdf5File::writeDeflatedChunks(hid_t dataset, const void* data, std::size_t elementSize,
                                   const std::vector<hsize_t>& dims,
                                   const std::vector<hsize_t>& chunk) const
{
    // Chunks run along the first axis, whole along the others: chunk k is rows [k c, (k + 1) c),
    // one contiguous slab of `data`; the last is padded with zeros (the fill value) to full size.
    std::size_t rowElements = 1;
    for (std::size_t d = 1; d < dims.size(); ++d) rowElements *= std::size_t(dims[d]);
    const std::size_t rows = std::size_t(chunk[0]), chunkBytes = rows * rowElements * elementSize;
    const std::size_t count = (std::size_t(dims[0]) + rows - 1) / rows;
    const auto* bytes = static_cast<const unsigned char*>(data);
    const std::size_t batch = 64;
    for (std::size_t first = 0; first < count; first += batch) {
        const std::size_t n = std::min(batch, count - first);
        std::vector<std::vector<unsigned char>> stored(n);
        parallelFor(int(n), [&](int j) {
            const std::size_t k = first + std::size_t(j);
            const std::size_t have =
                std::min(rows, std::size_t(dims[0]) - k * rows) * rowElements * elementSize;
            const unsigned char* slab = bytes + k * rows * rowElements * elementSize;
            // Shuffle: byte b of every element together (the padding stays zero).
            const std::size_t elements = chunkBytes / elementSize, filled = have / elementSize;
            std::vector<unsigned char> shuffled(chunkBytes, 0);
            for (std::size_t b = 0; b < elementSize; ++b)
                for (std::size_t e = 0; e < filled; ++e)
                    shuffled[b * elements + e] = slab[e * elementSize + b];
            stored[std::size_t(j)] = deflate(shuffled, chunkBytes);
            if (stored[std::size_t(j)].empty())
                throw OutputError(path_, "", "could not compress a chunk");
        });
        for (std::size_t j = 0; j < n; ++j) {
            std::vector<hsize_t> offset(dims.size(), 0);
            offset[0] = hsize_t(first + j) * hsize_t(rows);
            if (H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, offset.data(), stored[j].size(),
                               stored[j].data()) < 0)
                throw OutputError(path_, "", "could not write the dataset (disk full?)");
        }
    }
}

std::uint64_t Hdf5File::reserveFloats(const std::string& dataset, const std::vector<hsize_t>& dims)
{
    ensureParent(dataset);
    Handle space(H5Screate_simple(int(dims.size()), dims.data(), nullptr), H5Sclose);
    Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    H5Pset_layout(dcpl.get(), H5D_CONTIGUOUS);
    H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_EARLY);
    H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER);
    Handle ds(H5Dcreate2(id_, dataset.c_str(), H5T_IEEE_F32LE, space.get(), H5P_DEFAULT, dcpl.get(),
                         H5P_DEFAULT),
              H5Dclose);
    if (ds.get() < 0) fail(dataset, "cannot create the dataset (disk full?)");
    const haddr_t offset = H5Dget_offset(ds.get());
    if (offset == HADDR_UNDEF) throw OutputError(path_, dataset, "has no place in the file");
    return std::uint64_t(offset);
}

}  // namespace neurolens
