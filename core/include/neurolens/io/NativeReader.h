#pragma once
// Reads the native *.neurolens.h5 layout (docs/formats.md), whoever wrote it (neurolens, h5py,
// MATLAB): integer and float types of any width are accepted where the layout asks for numbers,
// strings may be fixed- or variable-length; every shape and value is checked.

#include "neurolens/io/Reader.h"

namespace neurolens {

class NativeReader : public Reader {
public:
    static constexpr int kFormatVersion = 1;

    std::string name() const override { return "neurolens"; }
    int score(const std::string& path) const override;
    Recording read(const std::string& path, const ReadOptions& options,
                   Progress& progress) const override;
};

}  // namespace neurolens
