#include "neurolens/data/Error.h"

namespace neurolens {
namespace {
std::string joined(const std::string& file, const std::string& object, const std::string& message)
{
    std::string text;
    if (!file.empty()) text += file + ": ";
    if (!object.empty()) text += object + ": ";
    return text + message;
}
}  // namespace

Error::Error(std::string file, std::string object, std::string message)
    : std::runtime_error(joined(file, object, message)),
      file_(std::move(file)),
      object_(std::move(object)),
      message_(std::move(message))
{
}

}  // namespace neurolens
