#pragma once
// The fixture of neurolens-cli's tests: running the program and one small simulated session shared
// by every test of the suite.

#include "TestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace neurolens::test {

inline CommandResult cli(const std::string& args)
{
    return run(std::string(NEUROLENS_CLI) + " " + args);
}

inline nlohmann::json parse(const CommandResult& r)
{
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return nlohmann::json::parse(r.out);
}

class CliTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        dir_ = new TempDir;
        session_ = dir_->file("s.neurolens.h5");
        const auto r = cli("simulate --out " + session_ +
                           " --units 120 --repeats 4 --frames 120 --seed 3 --json");
        ASSERT_EQ(r.exitCode, 0) << r.err;
        simulateJson_ = r.out;
    }
    static void TearDownTestSuite() { delete dir_; }
    inline static TempDir* dir_ = nullptr;
    inline static std::string session_, simulateJson_;
};

}  // namespace neurolens::test
