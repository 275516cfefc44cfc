#include "Hdf5File.h"

#include "Hdf5Handle.h"

#include "neurolens/data/Memory.h"

#include "neurolens/data/Error.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <sstream>
#include <type_traits>

namespace neurolens {
namespace {

using hdf5::Handle;
using hdf5::nativeType;

std::recursive_mutex& hdf5Mutex()
{
    static std::recursive_mutex m;
    return m;
}

void silenceHdf5()
{
    static std::once_flag once;
    std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

std::string trimFixed(const char* p, std::size_t n)
{
    std::size_t len = 0;
    while (len < n && p[len] != '\0') ++len;
    while (len > 0 && p[len - 1] == ' ') --len;  // space-padded strings
    return std::string(p, len);
}

// Reads a string-typed dataset or attribute with `reader(memtype, buffer)`.
template <typename Reader>
std::vector<std::string> readStringData(hid_t fileType, std::size_t count, Reader reader)
{
    std::vector<std::string> out;
    out.reserve(count);
    if (H5Tis_variable_str(fileType) > 0) {
        Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(mem.get(), H5T_VARIABLE);
        H5Tset_cset(mem.get(), H5Tget_cset(fileType));
        std::vector<char*> ptrs(count, nullptr);
        if (reader(mem.get(), ptrs.data()) < 0) throw std::runtime_error("read failed");
        for (char* p : ptrs) {
            out.emplace_back(p ? p : "");
            H5free_memory(p);
        }
    } else {
        const std::size_t size = H5Tget_size(fileType);
        Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(mem.get(), size);
        H5Tset_strpad(mem.get(), H5T_STR_NULLPAD);
        H5Tset_cset(mem.get(), H5Tget_cset(fileType));
        std::vector<char> buffer(size * count);
        if (reader(mem.get(), buffer.data()) < 0) throw std::runtime_error("read failed");
        for (std::size_t i = 0; i < count; ++i)
            out.push_back(trimFixed(buffer.data() + i * size, size));
    }
    return out;
}

}  // namespace

std::string Hdf5File::DatasetInfo::typeName() const
{
    switch (typeClass) {
        case H5T_INTEGER:
            return (isSigned ? "int" : "uint") + std::to_string(8 * typeSize);
        case H5T_FLOAT:
            return "float" + std::to_string(8 * typeSize);
        case H5T_STRING:
            return "string";
        case H5T_COMPOUND:
            return "compound";
        case H5T_ENUM:
            return "enum";
        case H5T_REFERENCE:
            return "reference";
        default:
            return "unsupported type";
    }
}

std::uint64_t Hdf5File::DatasetInfo::elements() const
{
    // Saturates instead of wrapping: a declared shape is untrusted input.
    std::uint64_t n = 1;
    for (auto d : dims) {
        if (d != 0 && n > std::numeric_limits<std::uint64_t>::max() / d)
            return std::numeric_limits<std::uint64_t>::max();
        n *= d;
    }
    return n;
}

void Hdf5File::checkFits(const std::string& dataset, const std::vector<hsize_t>& dims,
                         std::uint64_t bytesPerElement) const
{
    DatasetInfo shape;
    shape.dims = dims;
    const std::uint64_t n = shape.elements();
    const MemoryLimit& limit = memoryLimit();
    if (n == 0 || (n <= limit.bytes / bytesPerElement && n * bytesPerElement <= limit.bytes))
        return;
    std::ostringstream text;
    text << "declares a shape of [";
    for (std::size_t i = 0; i < dims.size(); ++i) text << (i ? " x " : "") << dims[i];
    // In double: the element count itself may have saturated.
    const double bytes = double(n) * double(bytesPerElement);
    text << "]: reading it would take " << formatBytes(bytes) << ", more than "
         << (limit.physical ? "this machine's " : limit.what + ", ")
         << formatBytes(double(limit.bytes))
         << (limit.physical ? " of memory (a damaged or wrongly written file?)"
                            : " (a damaged file, or a limit too low?)");
    fail(dataset, text.str());
}

bool Hdf5File::isHdf5(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return false;  // HDF5 would complain aloud
    std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    silenceHdf5();
    return H5Fis_hdf5(path.c_str()) > 0;
}

Hdf5File::Hdf5File(std::string path, hid_t id, bool writable,
                   std::unique_lock<std::recursive_mutex> lock)
    : path_(std::move(path)), id_(id), writable_(writable), lock_(std::move(lock))
{
}

Hdf5File::Hdf5File(Hdf5File&& other) noexcept
    : path_(std::move(other.path_)),
      id_(other.id_),
      writable_(other.writable_),
      lock_(std::move(other.lock_)),
      chunkBuffers_(std::move(other.chunkBuffers_))
{
    other.id_ = -1;
}

Hdf5File::~Hdf5File()
{
    if (id_ >= 0) H5Fclose(id_);
}

void Hdf5File::close()
{
    if (id_ < 0) return;
    const hid_t id = id_;
    id_ = -1;
    if (writable_ && H5Fflush(id, H5F_SCOPE_GLOBAL) < 0) {
        H5Fclose(id);
        throw OutputError(path_, "", "could not write the file (disk full or not writable?)");
    }
    if (H5Fclose(id) < 0) throw OutputError(path_, "", "could not close the file");
}

Hdf5File Hdf5File::openRead(const std::string& path)
{
    std::unique_lock<std::recursive_mutex> lock(hdf5Mutex());
    silenceHdf5();
    if (H5Fis_hdf5(path.c_str()) <= 0) throw InputError(path, "", "not an HDF5 file");
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0) throw InputError(path, "", "cannot open the HDF5 file (damaged or truncated?)");
    return Hdf5File(path, id, false, std::move(lock));
}

Hdf5File Hdf5File::openReadWrite(const std::string& path)
{
    std::unique_lock<std::recursive_mutex> lock(hdf5Mutex());
    silenceHdf5();
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    if (id < 0) throw OutputError(path, "", "cannot open the HDF5 file for writing");
    return Hdf5File(path, id, true, std::move(lock));
}

Hdf5File Hdf5File::create(const std::string& path)
{
    std::unique_lock<std::recursive_mutex> lock(hdf5Mutex());
    silenceHdf5();
    const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (id < 0)
        throw OutputError(path, "",
                          "cannot create the file (does the folder exist and is it writable?)");
    return Hdf5File(path, id, true, std::move(lock));
}

void Hdf5File::fail(const std::string& object, const std::string& message) const
{
    if (writable_) throw OutputError(path_, object, message);
    throw InputError(path_, object, message);
}

bool Hdf5File::exists(const std::string& object) const
{
    if (object.empty() || object == "/") return true;
    std::string prefix;
    std::stringstream ss(object);
    std::string part;
    while (std::getline(ss, part, '/')) {
        if (part.empty()) continue;
        prefix += "/" + part;
        if (H5Lexists(id_, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
        if (H5Oexists_by_name(id_, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    }
    return true;
}

bool Hdf5File::isGroup(const std::string& object) const
{
    if (!exists(object)) return false;
    H5O_info_t info;
    if (H5Oget_info_by_name(id_, object.c_str(), &info, H5P_DEFAULT) < 0) return false;
    return info.type == H5O_TYPE_GROUP;
}

std::vector<std::string> Hdf5File::children(const std::string& group) const
{
    std::vector<std::string> names;
    if (!isGroup(group)) return names;
    H5G_info_t info;
    Handle g(H5Gopen2(id_, group.c_str(), H5P_DEFAULT), H5Gclose);
    if (!g.valid() || H5Gget_info(g.get(), &info) < 0) fail(group, "cannot list the group");
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t n = H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr,
                                             0, H5P_DEFAULT);
        if (n < 0) continue;
        std::string name(std::size_t(n), '\0');
        H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(),
                           std::size_t(n) + 1, H5P_DEFAULT);
        names.push_back(name);
    }
    return names;
}

std::vector<std::string> Hdf5File::datasets() const
{
    std::vector<std::string> found;
    auto visit = [](hid_t, const char* name, const H5O_info_t* info, void* data) -> herr_t {
        if (info->type == H5O_TYPE_DATASET)
            static_cast<std::vector<std::string>*>(data)->push_back(std::string("/") + name);
        return 0;
    };
    H5Ovisit(id_, H5_INDEX_NAME, H5_ITER_NATIVE, visit, &found);
    return found;
}

Hdf5File::DatasetInfo Hdf5File::info(const std::string& dataset) const
{
    if (!exists(dataset)) fail(dataset, "missing");
    Handle ds(H5Dopen2(id_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds.valid()) fail(dataset, "is not a dataset");
    Handle space(H5Dget_space(ds.get()), H5Sclose);
    Handle type(H5Dget_type(ds.get()), H5Tclose);
    DatasetInfo info;
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0) fail(dataset, "has an unreadable shape");
    info.dims.resize(std::size_t(rank));
    H5Sget_simple_extent_dims(space.get(), info.dims.data(), nullptr);
    info.typeClass = H5Tget_class(type.get());
    info.typeSize = H5Tget_size(type.get());
    info.isSigned = info.typeClass == H5T_INTEGER && H5Tget_sign(type.get()) == H5T_SGN_2;
    info.isVariableString = info.typeClass == H5T_STRING && H5Tis_variable_str(type.get()) > 0;
    Handle dcpl(H5Dget_create_plist(ds.get()), H5Pclose);
    if (rank > 0 && H5Pget_layout(dcpl.get()) == H5D_CHUNKED) {
        std::vector<hsize_t> chunk(static_cast<std::size_t>(rank), 0);
        if (H5Pget_chunk(dcpl.get(), rank, chunk.data()) == rank) info.chunkRows = chunk[0];
    }
    return info;
}

template <typename T>
std::vector<T> Hdf5File::read(const std::string& dataset) const
{
    const DatasetInfo i = info(dataset);
    // h5py stores booleans as an int8 enum {FALSE, TRUE}; HDF5 converts it to integers.
    const bool enumAsInteger = i.typeClass == H5T_ENUM && std::is_integral_v<T>;
    if (i.typeClass != H5T_INTEGER && i.typeClass != H5T_FLOAT && !enumAsInteger)
        fail(dataset, "holds " + i.typeName() + " values where numbers were expected");
    checkFits(dataset, i.dims, sizeof(T));
    std::vector<T> out(i.elements());
    Handle ds(H5Dopen2(id_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
    if (!out.empty() &&
        H5Dread(ds.get(), nativeType<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
        fail(dataset, "could not be read (damaged file or unavailable compression filter?)");
    return out;
}

template <typename T>
std::vector<T> Hdf5File::readRange(const std::string& dataset, std::uint64_t first,
                                   std::uint64_t count) const
{
    const DatasetInfo i = info(dataset);
    if (i.dims.size() != 1) fail(dataset, "is not one-dimensional");
    if (i.typeClass != H5T_INTEGER && i.typeClass != H5T_FLOAT)
        fail(dataset, "holds " + i.typeName() + " values where numbers were expected");
    if (first > i.dims[0] || count > i.dims[0] - first)
        fail(dataset, "rows " + std::to_string(first) + "-" + std::to_string(first + count) +
                          " lie beyond its " + std::to_string(i.dims[0]) + " rows");
    checkFits(dataset, {count}, sizeof(T));
    std::vector<T> out(count);
    if (count == 0) return out;
    Handle ds(H5Dopen2(id_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
    Handle space(H5Dget_space(ds.get()), H5Sclose);
    const hsize_t start[1] = {first}, n[1] = {count};
    H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start, nullptr, n, nullptr);
    Handle mem(H5Screate_simple(1, n, nullptr), H5Sclose);
    if (H5Dread(ds.get(), nativeType<T>(), mem.get(), space.get(), H5P_DEFAULT, out.data()) < 0)
        fail(dataset, "could not be read");
    return out;
}

void Hdf5File::readFloatRows(const std::string& dataset, std::uint64_t first, std::uint64_t count,
                             float* out) const
{
    if (info(dataset).dims.size() < 2) fail(dataset, "has no rows (it is not two-dimensional)");
    if (count == 0) return;
    readFloatWindow(dataset, first, count, out);
}

std::vector<std::string> Hdf5File::readStrings(const std::string& dataset) const
{
    const DatasetInfo i = info(dataset);
    if (i.typeClass != H5T_STRING)
        fail(dataset, "holds " + i.typeName() + " values where strings were expected");
    checkFits(dataset, i.dims, sizeof(std::string) + std::max<std::uint64_t>(i.typeSize, 8));
    Handle ds(H5Dopen2(id_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
    Handle type(H5Dget_type(ds.get()), H5Tclose);
    try {
        return readStringData(type.get(), i.elements(), [&](hid_t mem, void* buf) {
            return H5Dread(ds.get(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
        });
    } catch (const std::runtime_error&) {
        fail(dataset, "could not be read as strings");
    }
}

std::optional<std::string> Hdf5File::stringAttribute(const std::string& object,
                                                     const std::string& name) const
{
    if (!exists(object) || H5Aexists_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT) <= 0)
        return std::nullopt;
    Handle attr(H5Aopen_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                H5Aclose);
    Handle type(H5Aget_type(attr.get()), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_STRING) return std::nullopt;
    Handle space(H5Aget_space(attr.get()), H5Sclose);
    const hssize_t n = H5Sget_simple_extent_npoints(space.get());
    if (n < 1) return std::nullopt;
    try {
        auto values = readStringData(type.get(), std::size_t(n), [&](hid_t mem, void* buf) {
            return H5Aread(attr.get(), mem, buf);
        });
        return values.front();
    } catch (const std::runtime_error&) {
        fail(object, "attribute '" + name + "' could not be read");
    }
}

std::optional<std::string> Hdf5File::referenceAttribute(const std::string& object,
                                                        const std::string& name) const
{
    if (!exists(object) || H5Aexists_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT) <= 0)
        return std::nullopt;
    Handle attr(H5Aopen_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                H5Aclose);
    Handle type(H5Aget_type(attr.get()), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_REFERENCE || H5Tequal(type.get(), H5T_STD_REF_OBJ) <= 0)
        return std::nullopt;
    Handle space(H5Aget_space(attr.get()), H5Sclose);
    if (H5Sget_simple_extent_npoints(space.get()) != 1) return std::nullopt;
    hobj_ref_t ref{};
    if (H5Aread(attr.get(), H5T_STD_REF_OBJ, &ref) < 0) return std::nullopt;
    const ssize_t n = H5Rget_name(id_, H5R_OBJECT, &ref, nullptr, 0);
    if (n <= 0) return std::nullopt;
    std::string path(std::size_t(n) + 1, '\0');
    if (H5Rget_name(id_, H5R_OBJECT, &ref, path.data(), path.size()) != n) return std::nullopt;
    path.resize(std::size_t(n));
    return path;
}

std::optional<double> Hdf5File::numberAttribute(const std::string& object,
                                                const std::string& name) const
{
    if (!exists(object) || H5Aexists_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT) <= 0)
        return std::nullopt;
    Handle attr(H5Aopen_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                H5Aclose);
    Handle type(H5Aget_type(attr.get()), H5Tclose);
    const H5T_class_t cls = H5Tget_class(type.get());
    if (cls != H5T_INTEGER && cls != H5T_FLOAT) return std::nullopt;
    Handle space(H5Aget_space(attr.get()), H5Sclose);
    const hssize_t n = H5Sget_simple_extent_npoints(space.get());
    if (n < 1) return std::nullopt;
    std::vector<double> values(static_cast<std::size_t>(n));
    if (H5Aread(attr.get(), H5T_NATIVE_DOUBLE, values.data()) < 0)
        fail(object, "attribute '" + name + "' could not be read");
    return values.front();
}

#define NEUROLENS_HDF5_INSTANTIATE(T)                                                 \
    template std::vector<T> Hdf5File::read<T>(const std::string&) const;              \
    template std::vector<T> Hdf5File::readRange<T>(const std::string&, std::uint64_t, \
                                                   std::uint64_t) const;
NEUROLENS_HDF5_ELEMENT_TYPES(NEUROLENS_HDF5_INSTANTIATE)
#undef NEUROLENS_HDF5_INSTANTIATE

}  // namespace neurolens
