#include "PickleCheck.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace neurolens::pickle {
namespace {

enum class Argument { Unknown, None, Fixed, Length, Lines, Put, Get, Memoize, Stop };
constexpr int kToMark = -1;

struct Opcode {
    Argument argument = Argument::Unknown;
    int bytes = 0;  // Fixed: the argument's; Length: the length's; Put, Get: the index's; Lines
    int pops = 0;   // kToMark: everything above the last mark, and the mark
    int pushes = 0;
    int keeps = 0;  // below a kToMark pop: items that must be there (APPENDS' list)
};

// The protocol 0-2 opcodes torch.save writes and LibTorch reads, with their stack effects.
const std::array<Opcode, 256>& opcodes()
{
    static const std::array<Opcode, 256> table = [] {
        std::array<Opcode, 256> t{};
        auto set = [&t](std::initializer_list<unsigned char> ops, Opcode o) {
            for (unsigned char op : ops) t[op] = o;
        };
        set({0x80}, {Argument::Fixed, 1, 0, 0});  // PROTO
        set({'K'}, {Argument::Fixed, 1, 0, 1});
        set({'M'}, {Argument::Fixed, 2, 0, 1});
        set({'J'}, {Argument::Fixed, 4, 0, 1});
        set({'G'}, {Argument::Fixed, 8, 0, 1});
        set({'U', 'C', 0x8c, 0x8a}, {Argument::Length, 1, 0, 1});
        set({'T', 'B', 'X', 0x8b}, {Argument::Length, 4, 0, 1});
        set({'I', 'L', 'F', 'V', 'S'}, {Argument::Lines, 1, 0, 1});
        set({'c'}, {Argument::Lines, 2, 0, 1});  // GLOBAL module\nname\n
        set({'N', 0x88, 0x89, ']', '}', ')'}, {Argument::None, 0, 0, 1});
        set({'('}, {Argument::None, 0, 0, 0});  // MARK, kept apart
        set({'0'}, {Argument::None, 0, 1, 0});
        set({'2'}, {Argument::None, 0, 1, 2});
        set({'1'}, {Argument::None, 0, kToMark, 0});
        set({'t', 'l', 'd'}, {Argument::None, 0, kToMark, 1});
        set({'e', 'u'}, {Argument::None, 0, kToMark, 0, 1});
        set({'a', 'R', 'b', 0x86, 0x81, 0x93}, {Argument::None, 0, 2, 1});
        set({'s', 0x87}, {Argument::None, 0, 3, 1});
        set({'Q', 0x85}, {Argument::None, 0, 1, 1});
        set({'q'}, {Argument::Put, 1, 1, 1});
        set({'r'}, {Argument::Put, 4, 1, 1});
        set({'h'}, {Argument::Get, 1, 0, 1});
        set({'j'}, {Argument::Get, 4, 0, 1});
        set({0x94}, {Argument::Memoize, 0, 1, 1});
        set({'.'}, {Argument::Stop, 0, 1, 0});
        return t;
    }();
    return table;
}

// What the walk knows of a value: literals and tuples, enough to read torch.save's persistent ids;
// shared, so that a pickle duplicating a value many times costs no copies.
struct Value;
using ValuePtr = std::shared_ptr<const Value>;
struct Value {
    enum class Kind { Other, Text, Int, Global, Tuple };
    Kind kind = Kind::Other;
    std::string text;  // Text; Global: "module.name"
    std::int64_t number = 0;
    std::vector<ValuePtr> items;  // Tuple
};

// torch.save's persistent id of a storage: ('storage', torch.<Type>Storage, key, location, numel).
// Returns the key and the bytes the storage's record must hold; `problem` says why it is not one.
std::pair<std::string, std::uint64_t> storage(const Value& v, std::string& problem)
{
    static const std::map<std::string, std::uint64_t> itemSizes = {
        {"torch.FloatStorage", 4},        {"torch.DoubleStorage", 8},
        {"torch.HalfStorage", 2},         {"torch.BFloat16Storage", 2},
        {"torch.LongStorage", 8},         {"torch.IntStorage", 4},
        {"torch.ShortStorage", 2},        {"torch.CharStorage", 1},
        {"torch.ByteStorage", 1},         {"torch.BoolStorage", 1},
        {"torch.ComplexFloatStorage", 8}, {"torch.ComplexDoubleStorage", 16}};
    using Kind = Value::Kind;
    if (v.kind != Kind::Tuple || v.items.size() != 5 || v.items[0]->kind != Kind::Text ||
        v.items[0]->text != "storage" || v.items[1]->kind != Kind::Global ||
        v.items[2]->kind != Kind::Text || v.items[4]->kind != Kind::Int) {
        problem = "has a persistent id torch.save does not write";
        return {};
    }
    const auto size = itemSizes.find(v.items[1]->text);
    if (size == itemSizes.end()) {
        problem = "holds a " + v.items[1]->text.substr(0, 60) + ", which is not a tensor storage";
        return {};
    }
    const std::int64_t numel = v.items[4]->number;
    if (numel < 0 || numel > (std::int64_t(1) << 50)) {
        problem = "declares a storage of " + std::to_string(numel) + " elements";
        return {};
    }
    return {v.items[2]->text, std::uint64_t(numel) * size->second};
}

}  // namespace

std::map<std::string, std::uint64_t> check(const std::vector<char>& bytes)
{
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    std::size_t at = 0;
    std::vector<ValuePtr> stack, memo;
    std::vector<std::size_t> marks;  // the stack's depth at each open mark
    std::map<std::string, std::uint64_t> storages;
    auto fail = [&at](const std::string& what) {
        throw std::runtime_error("its pickle " + what + " at byte " + std::to_string(at));
    };
    auto skip = [&](std::uint64_t count) {
        if (count > n - at) fail("runs past its end");
        at += std::size_t(count);
    };
    auto little = [&](int count) {
        skip(std::uint64_t(count));
        std::uint64_t v = 0;
        for (std::size_t i = 1; i <= std::size_t(count); ++i) v = v << 8 | p[at - i];
        return v;
    };
    const auto other = std::make_shared<const Value>();
    while (at < n) {
        const std::size_t start = at;
        const unsigned char op = p[at++];
        const Opcode o = opcodes()[op];
        auto made = std::make_shared<Value>();  // what a pushing opcode pushes, when known
        switch (o.argument) {
            case Argument::Unknown:
                fail("has an opcode LibTorch does not read (" + std::to_string(op) + ")");
                break;
            case Argument::None:
            case Argument::Memoize:
            case Argument::Stop:
            case Argument::Put:
            case Argument::Get:
                break;
            case Argument::Fixed:
                made->kind = Value::Kind::Int;
                made->number = std::int64_t(little(o.bytes));
                if (op == 'J') made->number = std::int32_t(std::uint32_t(made->number));
                break;
            case Argument::Length: {
                const std::uint64_t length = little(o.bytes);
                skip(length);
                made->kind = Value::Kind::Text;
                made->text.assign(reinterpret_cast<const char*>(p) + at - length, length);
                break;
            }
            case Argument::Lines:
                for (int i = 0; i < o.bytes; ++i) {
                    const std::size_t from = at;
                    while (at < n && p[at] != '\n') ++at;
                    skip(1);
                    made->text +=
                        (i ? "." : "") +
                        std::string(reinterpret_cast<const char*>(p) + from, at - 1 - from);
                }
                made->kind = op == 'c' ? Value::Kind::Global : Value::Kind::Other;
                break;
        }
        // The stack: pops never below the last mark.
        const std::size_t floor = marks.empty() ? 0 : marks.back();
        std::vector<ValuePtr> popped;
        if (op == '(') {
            marks.push_back(stack.size());
        } else if (o.pops == kToMark) {
            if (marks.empty()) fail("closes a mark never opened");
            popped.assign(stack.begin() + std::ptrdiff_t(marks.back()), stack.end());
            stack.resize(marks.back());
            marks.pop_back();
            if (stack.size() < std::size_t(o.keeps) + (marks.empty() ? 0 : marks.back()))
                fail("adds to a container that is not there");
        } else if (stack.size() - floor < std::size_t(o.pops)) {
            at = start;
            fail("pops " + std::to_string(o.pops) + " from a stack holding " +
                 std::to_string(stack.size() - floor));
        } else {
            popped.assign(stack.end() - o.pops, stack.end());
            stack.resize(stack.size() - std::size_t(o.pops));
        }
        if (o.argument == Argument::Put) {
            const std::uint64_t id = little(o.bytes);
            if (id > memo.size()) fail("stores memo entry " + std::to_string(id) + " out of order");
            if (id == memo.size()) memo.push_back(popped.front());
            memo[std::size_t(id)] = popped.front();
            stack.push_back(popped.front());
        } else if (o.argument == Argument::Memoize) {
            memo.push_back(popped.front());
            stack.push_back(popped.front());
        } else if (o.argument == Argument::Get) {
            const std::uint64_t id = little(o.bytes);
            if (id >= memo.size()) fail("reads memo entry " + std::to_string(id) + " never stored");
            stack.push_back(memo[std::size_t(id)]);
        } else if (op == '2') {
            stack.insert(stack.end(), 2, popped.front());
        } else if (op == 't' || op == ')' || op == 0x85 || op == 0x86 || op == 0x87) {
            made->kind = Value::Kind::Tuple;
            made->items = std::move(popped);
            stack.push_back(made);
        } else if (op == 'Q') {
            std::string problem;
            const auto [key, size] = storage(*popped.front(), problem);
            if (!problem.empty()) fail(problem);
            storages[key] = std::max(storages[key], size);
            stack.push_back(other);
        } else if (o.argument == Argument::Stop) {
            if (!stack.empty() || !marks.empty()) fail("stops with more than one value left");
            return storages;
        } else if (o.pushes == 1) {
            stack.push_back(o.argument == Argument::None ? other : ValuePtr(made));
        }
    }
    fail("ends without STOP");
    return storages;
}

}  // namespace neurolens::pickle
