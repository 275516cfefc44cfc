#pragma once
// What Hdf5File's reading, writing and chunk code share (core-internal): an owned HDF5 identifier,
// and the native HDF5 type of each element type the files hold.

#include <hdf5.h>

#include <cstdint>
#include <type_traits>

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

// Every element type the files hold, for X to instantiate the templates with.
#define NEUROLENS_HDF5_ELEMENT_TYPES(X) \
    X(double) X(float) X(std::int64_t) X(std::int32_t) X(std::uint16_t) X(std::uint8_t)

// The native HDF5 type of each of them.
template <typename T>
hid_t nativeType()
{
    if constexpr (std::is_same_v<T, double>)
        return H5T_NATIVE_DOUBLE;
    else if constexpr (std::is_same_v<T, float>)
        return H5T_NATIVE_FLOAT;
    else if constexpr (std::is_same_v<T, std::int64_t>)
        return H5T_NATIVE_INT64;
    else if constexpr (std::is_same_v<T, std::int32_t>)
        return H5T_NATIVE_INT32;
    else if constexpr (std::is_same_v<T, std::uint16_t>)
        return H5T_NATIVE_UINT16;
    else if constexpr (std::is_same_v<T, std::uint8_t>)
        return H5T_NATIVE_UINT8;
    else
        static_assert(sizeof(T) == 0, "not an element type the files hold");
}

}  // namespace neurolens::hdf5
