#include "LoadWorker.h"

#include "neurolens/data/Error.h"
#include "neurolens/io/ReaderRegistry.h"
#include "neurolens/jobs/Progress.h"
#include "neurolens/sim/Simulator.h"

#include <chrono>

namespace neurolens {
namespace {

// Forwards core progress as a throttled Qt signal and reads cancellation from the worker.
class SignalProgress : public Progress {
public:
    explicit SignalProgress(LoadWorker& worker) : worker_(worker) {}
    void report(double done, double total, const std::string& message) override
    {
        const auto now = std::chrono::steady_clock::now();
        if (done < total && now - last_ < std::chrono::milliseconds(40)) return;
        last_ = now;
        Q_EMIT worker_.progress(total > 0 ? done / total : 0.0, QString::fromStdString(message));
    }
    bool cancelled() const override { return worker_.cancelRequested(); }

private:
    LoadWorker& worker_;
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace

void LoadWorker::load(const QString& path, quint64 seed)
{
    SignalProgress progress(*this);
    try {
        Recording rec;
        if (path.isEmpty()) {
            SimulationOptions options;
            options.seed = seed;
            rec = simulateSession(options, progress);
        } else {
            rec = ReaderRegistry::standard().read(path.toStdString(), {}, progress);
        }
        Q_EMIT finished(path, std::make_shared<const Recording>(std::move(rec)));
    } catch (const CancelledError&) {
        Q_EMIT cancelled(path);
    } catch (const std::exception& e) {
        Q_EMIT failed(path, QString::fromStdString(e.what()));
    } catch (...) {
        Q_EMIT failed(path, tr("unexpected error"));
    }
}

}  // namespace neurolens
