#include "neurolens/jobs/ThreadEnvironment.h"

#include <unistd.h>
#include <cstdlib>

namespace neurolens {

void settleThreadEnvironment(char** argv)
{
    if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
    if (setenv("OMP_WAIT_POLICY", "PASSIVE", 0) != 0) return;
    execv("/proc/self/exe", argv);
    // execv returned: it failed (no /proc); carry on with the runtime as it is.
}

}  // namespace neurolens
