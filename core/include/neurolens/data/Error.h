#pragma once
// Typed exceptions thrown by core. Each carries the file (if any), the object inside it (if any)
// and a sentence a user understands; what() joins them as "file: object: sentence". They are caught
// once, at a thread or process boundary: the CLI maps them to exit codes, the GUI to a dialog.

#include <stdexcept>
#include <string>

namespace neurolens {

class Error : public std::runtime_error {
public:
    Error(std::string file, std::string object, std::string message);
    const std::string& file() const { return file_; }
    const std::string& object() const { return object_; }
    const std::string& message() const { return message_; }

private:
    std::string file_, object_, message_;
};

// The input cannot be read or is not valid (missing file, wrong format, bad shapes or values).
class InputError : public Error {
public:
    using Error::Error;
};

// The request itself is inconsistent (an option value that cannot apply to this data).
class UsageError : public Error {
public:
    explicit UsageError(std::string message) : Error({}, {}, std::move(message)) {}
};

// Writing a result failed; the destination was left untouched.
class OutputError : public Error {
public:
    using Error::Error;
};

// The user cancelled a long computation.
class CancelledError : public Error {
public:
    CancelledError() : Error({}, {}, "cancelled") {}
};

}  // namespace neurolens
