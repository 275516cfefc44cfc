#pragma once
// Binned population activity of one recording: repeats x bins x units, stored contiguously in that
// order (row-major), as float32. A repeat is one presentation of the movie; a bin is a fixed
// fraction (1 / binsPerFrame) of a movie frame. The (repeat, bin) rows form the sample matrix used
// by every analysis, so samples() is a zero-copy view.

#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace neurolens {

using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatrixXd = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Asks the kernel to back a block of `bytes` at `p` with huge pages where it may (a no-op for
// blocks under 32 MB): a gigabyte's first touch then takes 512 page faults, not 262 144.
void adviseHugePages(void* p, std::size_t bytes) noexcept;

// Leaves a vector's new floats unset (the Responses constructor fills them on every core: its
// first touch of a large block's pages is then shared out too), in huge pages where large.
template <typename T>
struct UnsetAllocator : std::allocator<T> {
    template <typename U>
    struct rebind {
        using other = UnsetAllocator<U>;
    };
    UnsetAllocator() = default;
    template <typename U>
    UnsetAllocator(const UnsetAllocator<U>&) noexcept
    {
    }
    T* allocate(std::size_t n)
    {
        T* p = std::allocator<T>::allocate(n);
        adviseHugePages(p, n * sizeof(T));
        return p;
    }
    template <typename U>
    void construct(U* p) noexcept
    {
        ::new (static_cast<void*>(p)) U;
    }
    template <typename U, typename... Args>
    void construct(U* p, Args&&... args)
    {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

class Responses {
public:
    using Values = std::vector<float, UnsetAllocator<float>>;

    Responses() = default;
    // Every value 0.
    Responses(int repeats, int bins, int units, int binsPerFrame, double binRateHz);
    // Every value unset: for a reader that writes each one, or that needs only the shape (pages
    // never written take no memory).
    static Responses unset(int repeats, int bins, int units, int binsPerFrame, double binRateHz);

    int repeats() const { return repeats_; }
    int bins() const { return bins_; }
    int units() const { return units_; }
    int binsPerFrame() const { return binsPerFrame_; }
    double binRateHz() const { return binRateHz_; }
    double frameRateHz() const { return binRateHz_ / binsPerFrame_; }
    std::int64_t samples() const { return std::int64_t(repeats_) * bins_; }
    bool empty() const { return values_.empty(); }

    float& at(int repeat, int bin, int unit) { return values_[index(repeat, bin, unit)]; }
    float at(int repeat, int bin, int unit) const { return values_[index(repeat, bin, unit)]; }
    // The units of one bin, contiguous.
    const float* bin(int repeat, int b) const { return values_.data() + index(repeat, b, 0); }
    float* bin(int repeat, int b) { return values_.data() + index(repeat, b, 0); }
    float* data() { return values_.data(); }
    const float* data() const { return values_.data(); }
    const Values& values() const { return values_; }

    // (repeats * bins) x units, row r * bins + b is bin b of repeat r.
    Eigen::Map<const RowMatrixXf> sampleMatrix() const;
    Eigen::Map<RowMatrixXf> sampleMatrix();
    // bins x units of one repeat.
    Eigen::Map<const RowMatrixXf> repeat(int r) const;

    // True when every value is a whole number in [0, 65535] (spike counts), so the file can store
    // uint16.
    bool isCountLike() const;
    // Continuous responses (a calcium trace's dF/F, a z-scored rate) may be negative; counts may
    // not. Every analysis takes either; "silent" units are, for continuous ones, constant ones.
    bool continuous() const { return continuous_; }
    void setContinuous(bool continuous) { continuous_ = continuous; }

private:
    std::size_t index(int r, int b, int u) const
    {
        return (std::size_t(r) * bins_ + b) * units_ + u;
    }
    int repeats_ = 0, bins_ = 0, units_ = 0, binsPerFrame_ = 1;
    double binRateHz_ = 0;
    bool continuous_ = false;
    Values values_;
};

}  // namespace neurolens
