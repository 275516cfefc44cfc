// The pickle check run before LibTorch's unpickler: pickles Python writes pass, and each way a
// pickle can make that unpickler allocate or pop blindly is refused with the byte it happens at.

#include "io/PickleCheck.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using neurolens::pickle::check;

namespace {

// A literal's bytes, NULs included.
template <std::size_t N>
std::vector<char> bytes(const char (&s)[N])
{
    return std::vector<char>(s, s + N - 1);
}

std::vector<char> fromHex(const std::string& hex)
{
    std::vector<char> out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(char(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
}

std::string refusal(const std::vector<char>& pickle)
{
    try {
        check(pickle);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return {};
}

}  // namespace

TEST(PickleCheck, AcceptsWhatPythonWrites)
{
    // python3 -c "import pickle; print(pickle.dumps({'a': [1, 2.5, (3, 'x')], 'b': None,
    //   'c': True, 'd': [[], {}], 'e': 70000, 'f': -1}, protocol=2).hex())"
    EXPECT_EQ(refusal(fromHex("80027d71002858010000006171015d7102284b014740040000000000004b0358010"
                              "000007871038671046558010000006271054e58010000006371068858010000006"
                              "471075d7108285d71097d710a65580100000065710b4a70110100580100000066710"
                              "c4affffffff752e")),
              "");
    // torch.save(torch.zeros(6, 3)) as in tests/core/io/fixtures/testfeat.pth.
    EXPECT_EQ(refusal(bytes("\x80\x02"
                            "ctorch._utils\n_rebuild_tensor_v2\nq\x00((X\x07\x00\x00\x00"
                            "storageq\x01"
                            "ctorch\nFloatStorage\nq\x02X\x01\x00\x00\x00"
                            "0q\x03X\x03\x00\x00\x00"
                            "cpuq\x04K\x12tq\x05QK\x00K\x06K\x03\x86q\x06"
                            "K\x03K\x01\x86q\x07\x89"
                            "ccollections\nOrderedDict\nq\x08)Rq\ttq\nRq\x0b.")),
              "");
}

TEST(PickleCheck, SaysWhichStoragesThePickleReadsAndHowLarge)
{
    const std::vector<char> pickle = bytes(
        "\x80\x02(X\x07\x00\x00\x00storagectorch\nDoubleStorage\nX\x01\x00\x00\x00"
        "7X\x03\x00\x00\x00"
        "cpuM\x00\x01tQ.");
    const auto storages = check(pickle);
    ASSERT_EQ(storages.size(), 1u);
    EXPECT_EQ(storages.at("7"), 256u * 8u);
}

TEST(PickleCheck, RefusesWhatWouldMakeLibTorchAllocateOrPopBlindly)
{
    const std::vector<std::pair<std::vector<char>, std::string>> cases = {
        {bytes("\x80\x02X\xff\xff\xff\x7f"
               "abc."),
         "runs past its end at byte 7"},
        {bytes("\x80\x02K\x01r\xff\xff\xff\xff."), "stores memo entry 4294967295 out of order"},
        {bytes("\x80\x02h\x00."), "reads memo entry 0 never stored"},
        {bytes("\x80\x02K\x01R."), "pops 2 from a stack holding 1 at byte 4"},
        {bytes("\x80\x02K\x01(K\x02\x86."), "pops 2 from a stack holding 1"},  // across a mark
        {bytes("\x80\x02K\x01K\x02."), "stops with more than one value left"},
        {bytes("\x80\x02(K\x01."), "stops with more than one value left"},
        {bytes("\x80\x02K\x01t."), "closes a mark never opened"},
        {bytes("\x80\x02(K\x01"
               "e."),
         "adds to a container that is not there"},
        {bytes("\x80\x02K\x01"), "ends without STOP"},
        {bytes("\x80\x02K\x01Q."), "has a persistent id torch.save does not write"},
        {bytes("\x80\x02(X\x07\x00\x00\x00storagecos\nsystem\nX\x01\x00\x00\x00"
               "0X\x03\x00\x00\x00"
               "cpuK\x01tQ."),
         "holds a os.system, which is not a tensor storage"},
        {bytes("\x80\x02\xff."), "has an opcode LibTorch does not read (255)"},
        {bytes("\x80\x02"
               "ctorch\nFloat"),
         "runs past its end"},
    };
    for (const auto& [pickle, expected] : cases)
        EXPECT_NE(refusal(pickle).find(expected), std::string::npos)
            << "expected “" << expected << "”, got “" << refusal(pickle) << "”";
}
