#pragma once
// What Hdf5File's reading, writing and chunk code share (core-internal): an owned HDF5 identifier,
// and the native HDF5 type of each element type the files hold.

#include <hdf5.h>

#include <cstdint>

namespace neurolens::hdf5 {

// Owns one HDF5 identifier and closes it with the matching function.
class Handle {
public:
    using Closer = herr_t (*)(hid_t);
    Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle()
    {
        if (id_ >= 0) closer_(id_);
    }
    hid_t get() const { return id_; }
    bool valid() const { return id_ >= 0; }

private:
    hid_t id_;
    Closer closer_;
};

template <typename T>
hid_t nativeType();
template <>
inline hid_t nativeType<double>()
{
    return H5T_NATIVE_DOUBLE;
}
template <>
inline hid_t nativeType<float>()
{
    return H5T_NATIVE_FLOAT;
}
template <>
inline hid_t nativeType<std::int64_t>()
{
    return H5T_NATIVE_INT64;
}
template <>
inline hid_t nativeType<std::int32_t>()
{
    return H5T_NATIVE_INT32;
}
template <>
inline hid_t nativeType<std::uint16_t>()
{
    return H5T_NATIVE_UINT16;
}
template <>
inline hid_t nativeType<std::uint8_t>()
{
    return H5T_NATIVE_UINT8;
}

}  // namespace neurolens::hdf5
