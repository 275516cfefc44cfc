#include "neurolens/data/Error.h"
#include "neurolens/jobs/Parallel.h"
#include "neurolens/jobs/Progress.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace neurolens;

TEST(Progress, SubProgressMapsOntoParentRange)
{
    std::vector<double> seen;
    Progress parent(
        [&](double done, double total, const std::string&) { seen.push_back(done / total); });
    SubProgress sub(parent, 0.5, 0.75);
    sub.report(0, 4);
    sub.report(2, 4);
    sub.report(4, 4);
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_DOUBLE_EQ(seen[0], 0.5);
    EXPECT_DOUBLE_EQ(seen[1], 0.625);
    EXPECT_DOUBLE_EQ(seen[2], 0.75);
}

TEST(Progress, CancellationReachesSubProgress)
{
    Progress parent;
    SubProgress sub(parent, 0, 1);
    EXPECT_NO_THROW(sub.checkCancelled());
    parent.cancel();
    EXPECT_TRUE(sub.cancelled());
    EXPECT_THROW(sub.checkCancelled(), CancelledError);
}

TEST(Parallel, VisitsEveryIndexOnceAndRethrows)
{
    std::vector<std::atomic<int>> hits(1000);
    parallelFor(
        1000, [&](int i) { ++hits[i]; }, 2);
    for (auto& h : hits) EXPECT_EQ(h.load(), 1);
    EXPECT_THROW(parallelFor(
                     100,
                     [](int i) {
                         if (i == 57) throw std::runtime_error("x");
                     },
                     2),
                 std::runtime_error);
}

// Loops following each other closely (the pool's threads spin between them), with more helpers
// than cores, a loop nested in a body, and loops from two threads at once: every index once.
TEST(Parallel, BackToBackNestedAndConcurrentLoops)
{
    std::atomic<long> sum{0};
    for (int loop = 0; loop < 3000; ++loop)
        parallelFor(
            7, [&](int i) { sum += i + 1; }, 1 + loop % 5);
    EXPECT_EQ(sum.load(), 3000L * 28);
    sum = 0;
    parallelFor(
        10, [&](int) { parallelFor(10, [&](int j) { sum += j; }); }, 3);
    EXPECT_EQ(sum.load(), 10L * 45);
    sum = 0;
    std::thread other([&] {
        for (int loop = 0; loop < 500; ++loop) parallelFor(9, [&](int i) { sum += i; });
    });
    for (int loop = 0; loop < 500; ++loop) parallelFor(9, [&](int i) { sum += i; });
    other.join();
    EXPECT_EQ(sum.load(), 1000L * 36);
}
