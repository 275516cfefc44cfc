#pragma once
// The one place readers are registered. standard() holds every reader neurolens ships.

#include "neurolens/io/Reader.h"

#include <memory>
#include <vector>

namespace neurolens {

class ReaderRegistry {
public:
    static const ReaderRegistry& standard();

    void add(std::unique_ptr<Reader> reader);
    // The reader with the highest positive score for `path`, or nullptr.
    const Reader* pick(const std::string& path) const;
    // Checks that the file exists and is readable, picks a reader and reads. Throws InputError with
    // a sentence saying why nothing could read it.
    Recording read(const std::string& path, const ReadOptions& options = {},
                   Progress& progress = Progress::null()) const;

private:
    std::vector<std::unique_ptr<Reader>> readers_;
};

}  // namespace neurolens
