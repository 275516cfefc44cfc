// Hdf5File's writing half: groups made as needed, datasets (compressed ones in Hdf5Chunks.cpp),
// strings, attributes, removal.
#include "Hdf5File.h"

#include "Hdf5Handle.h"

#include <algorithm>
#include <sstream>

namespace neurolens {
namespace {

using hdf5::Handle;
using hdf5::nativeType;

}  // namespace

hid_t Hdf5File::ensureParent(const std::string& object)
{
    const auto slash = object.find_last_of('/');
    const std::string parent =
        slash == 0 || slash == std::string::npos ? "/" : object.substr(0, slash);
    std::string prefix;
    std::stringstream ss(parent);
    std::string part;
    while (std::getline(ss, part, '/')) {
        if (part.empty()) continue;
        prefix += "/" + part;
        if (H5Lexists(id_, prefix.c_str(), H5P_DEFAULT) > 0) continue;
        Handle g(H5Gcreate2(id_, prefix.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
        if (!g.valid()) fail(prefix, "cannot create the group");
    }
    return id_;
}

template <typename T>
void Hdf5File::write(const std::string& dataset, const T* data, const std::vector<hsize_t>& dims,
                     bool compress)
{
    ensureParent(dataset);
    Handle space(H5Screate_simple(int(dims.size()), dims.data(), nullptr), H5Sclose);
    Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    std::uint64_t total = 1;
    for (auto d : dims) total *= d;
    std::vector<hsize_t> chunk;
    const bool compressed = compress && total > 0 && !dims.empty() &&
                            H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 &&
                            worthDeflating(data, sizeof(T), total * sizeof(T));
    if (compressed) {
        // Chunks of about 1 MiB along the first axis, whole along the others.
        chunk = dims;
        const std::uint64_t perRow = total / std::max<hsize_t>(1, dims[0]) * sizeof(T);
        chunk[0] = std::max<hsize_t>(
            1, std::min<hsize_t>(dims[0], (1u << 20) / std::max<std::uint64_t>(1, perRow)));
        for (std::size_t i = 1; i < chunk.size(); ++i) chunk[i] = std::max<hsize_t>(1, chunk[i]);
        H5Pset_chunk(dcpl.get(), int(chunk.size()), chunk.data());
        H5Pset_shuffle(dcpl.get());
        H5Pset_deflate(dcpl.get(), 1);
    }
    Handle ds(H5Dcreate2(id_, dataset.c_str(), nativeType<T>(), space.get(), H5P_DEFAULT,
                         dcpl.get(), H5P_DEFAULT),
              H5Dclose);
    if (!ds.valid()) fail(dataset, "cannot create the dataset");
    if (const H5T_order_t order = H5Tget_order(nativeType<T>());
        compressed && (order == H5T_ORDER_LE || order == H5T_ORDER_NONE)) {
        writeDeflatedChunks(ds.get(), data, sizeof(T), dims, chunk);
        return;
    }
    if (total > 0 && H5Dwrite(ds.get(), nativeType<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        fail(dataset, "cannot write the dataset (disk full?)");
}

void Hdf5File::writeStrings(const std::string& dataset, const std::vector<std::string>& values)
{
    ensureParent(dataset);
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    const hsize_t dims[1] = {values.size()};
    Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose);
    Handle ds(H5Dcreate2(id_, dataset.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT,
                         H5P_DEFAULT),
              H5Dclose);
    if (!ds.valid()) fail(dataset, "cannot create the dataset");
    std::vector<const char*> ptrs;
    ptrs.reserve(values.size());
    for (const auto& v : values) ptrs.push_back(v.c_str());
    if (!values.empty() &&
        H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()) < 0)
        fail(dataset, "cannot write the dataset");
}

namespace {

// Writes one scalar attribute of `type` from `value`, replacing any of that name; false if HDF5
// refuses.
bool writeScalarAttribute(hid_t file, const std::string& object, const std::string& name,
                          hid_t type, const void* value)
{
    if (H5Aexists_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT) > 0)
        H5Adelete_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT);
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attr(H5Acreate_by_name(file, object.c_str(), name.c_str(), type, space.get(),
                                  H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                H5Aclose);
    return attr.valid() && H5Awrite(attr.get(), type, value) >= 0;
}

}  // namespace

void Hdf5File::setAttribute(const std::string& object, const std::string& name,
                            const std::string& value)
{
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    const char* ptr = value.c_str();
    if (!writeScalarAttribute(id_, object, name, type.get(), &ptr))
        fail(object, "cannot write attribute " + name);
}

void Hdf5File::setAttribute(const std::string& object, const std::string& name, double value)
{
    if (!writeScalarAttribute(id_, object, name, H5T_NATIVE_DOUBLE, &value))
        fail(object, "cannot write attribute " + name);
}

void Hdf5File::setAttribute(const std::string& object, const std::string& name, std::int64_t value)
{
    if (!writeScalarAttribute(id_, object, name, H5T_NATIVE_INT64, &value))
        fail(object, "cannot write attribute " + name);
}

void Hdf5File::remove(const std::string& object)
{
    if (exists(object) && H5Ldelete(id_, object.c_str(), H5P_DEFAULT) < 0)
        fail(object, "cannot remove");
}

#define NEUROLENS_HDF5_INSTANTIATE(T)                                                           \
    template void Hdf5File::write<T>(const std::string&, const T*, const std::vector<hsize_t>&, \
                                     bool);
NEUROLENS_HDF5_ELEMENT_TYPES(NEUROLENS_HDF5_INSTANTIATE)
#undef NEUROLENS_HDF5_INSTANTIATE

}  // namespace neurolens
