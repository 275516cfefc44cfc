#include "TrainingJob.h"

#include <QStringList>

#include <chrono>

namespace neurolens {

TrainingJob::TrainingJob(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<neurolens::EpochRecord>();
    qRegisterMetaType<std::shared_ptr<const neurolens::TrainingOutcome>>();
    connect(&runner_, &JobRunner::finished, this, [this](const QString&, const JobResult& result) {
        outcome_ = std::static_pointer_cast<const TrainingOutcome>(result);
        Q_EMIT finished(outcome_);
    });
    connect(&runner_, &JobRunner::failed, this,
            [this](const QString&, const QString& message) { Q_EMIT failed(message); });
    connect(&runner_, &JobRunner::cancelled, this, [this](const QString&) {
        if (!runner_.hasQueued()) Q_EMIT cancelled();  // not when superseded by a new start
    });
}

void TrainingJob::start(const AnalysisPtr& analysis, const VaeOptions& options,
                        const RepeatSplit& split, int threads, const QString& resumeFrom)
{
    auto test = std::make_shared<std::vector<int>>();
    launch(
        analysis, threads, resumeFrom,
        [options, split, test](const Recording& rec) -> std::shared_ptr<TrainableModel> {
            VaeData data = prepareVaeData(rec, options, split);
            *test = data.test;
            return std::make_shared<Vae>(std::move(data), options);
        },
        [options, split, test](TrainableModel& model, const Recording&, TrainingOutcome& out,
                               Progress&) {
            auto& vae = static_cast<Vae&>(model);
            out.latents.method = "vae";
            out.latents.seed = options.seed;
            out.latents.values = vae.latents();
            out.split = split;
            VaeResult result;
            if (!test->empty()) result.testR2 = vae.reconstructionR2(*test);
            out.result = result;
        });
}

void TrainingJob::start(const AnalysisPtr& analysis, const CebraOptions& options,
                        const CebraControlOptions& controls, int threads, const QString& resumeFrom)
{
    const bool labelled = options.conditional != CebraOptions::Conditional::Time;
    const int runs = labelled ? controls.shuffles + (controls.timeOnly ? 1 : 0) : 0;
    launch(
        analysis, threads, resumeFrom,
        [options](const Recording& rec) -> std::shared_ptr<TrainableModel> {
            return std::make_shared<Cebra>(rec, options);
        },
        [options, controls](TrainableModel& model, const Recording& rec, TrainingOutcome& out,
                            Progress& progress) {
            auto& cebra = static_cast<Cebra&>(model);
            out.latents.method = "cebra";
            out.latents.seed = options.seed;
            out.latents.values = cebra.transform();
            out.split = cebra.split();
            CebraResult result;
            result.keptStep = cebra.keptStep();
            // The paper's decoding on the model's own split: k on the validation repeats, scored on
            // the test repeat(s), which training never sampled; then the same on the controls.
            result.knn =
                decodeFramesByKnn(rec, out.latents.values, cebra.split(), 30, 3, options.seed);
            result.controls =
                trainCebraControls(rec, cebra.options(), result.knn.within, controls, progress);
            out.result = result;
        },
        1.0 / (1 + runs));
}

void TrainingJob::launch(const AnalysisPtr& analysis, int threads, const QString& resumeFrom,
                         const ModelFactory& make, const Finisher& finish, double trainShare)
{
    if (!analysis) return;
    analysis_ = analysis;
    const int generation = ++generation_;
    resume();
    auto pause = pause_;
    const std::string resumePath = resumeFrom.toStdString();
    runner_.start(
        QStringLiteral("training"),
        [this, analysis, threads, pause, resumePath, generation, make, finish,
         trainShare](Progress& progress) -> JobResult {
            const auto start = std::chrono::steady_clock::now();
            const Recording& rec = analysis->pre.recording;
            std::shared_ptr<TrainableModel> model = make(rec);
            if (!resumePath.empty()) model->load(resumePath);
            TrainerOptions t;
            t.threads = threads;
            t.pauseFlag = pause;
            Trainer trainer(*model, t);
            const int planned = model->epochsPlanned();
            SubProgress training(progress, 0, trainShare);
            trainer.run(training, [&](const EpochRecord& record) {
                QMetaObject::invokeMethod(
                    this,
                    [this, record, generation, planned] {
                        if (generation == generation_) Q_EMIT epochDone(record, planned);
                    },
                    Qt::QueuedConnection);
            });
            auto outcome = std::make_shared<TrainingOutcome>();
            outcome->model = model;
            SubProgress finishing(progress, trainShare, 1);
            finish(*model, rec, *outcome, finishing);
            outcome->seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            return std::shared_ptr<const TrainingOutcome>(outcome);
        });
}

void TrainingJob::pause()
{
    if (pause_->exchange(true)) return;
    Q_EMIT pausedChanged(true);
}

void TrainingJob::resume()
{
    if (!pause_->exchange(false)) return;
    Q_EMIT pausedChanged(false);
}

bool TrainingJob::saveCheckpoint(const QString& path, QString* error) const
{
    if (!outcome_ || !outcome_->model) {
        if (error) *error = tr("no trained model yet");
        return false;
    }
    try {
        outcome_->model->save(path.toStdString());
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

QString heldOutSummary(const TrainingOutcome& outcome)
{
    const CebraResult& o = *outcome.cebra();
    auto score = [](double v) { return QString::number(v, 'f', 3); };
    QString rows =
        QObject::tr("<tr><td>CEBRA</td><td align=right><b>%1</b></td><td>[%2, %3], k %4</td></tr>")
            .arg(score(o.knn.within), score(o.knn.withinLow), score(o.knn.withinHigh))
            .arg(o.knn.k);
    if (!o.controls.shuffleWithin.empty()) {
        QStringList runs;
        double mean = 0;
        for (double w : o.controls.shuffleWithin) {
            runs << score(w);
            mean += w / double(o.controls.shuffleWithin.size());
        }
        rows +=
            QObject::tr(
                "<tr><td>CEBRA, shuffled labels</td><td align=right>%1</td><td>%2 runs: %3; "
                "permutation p %4</td></tr>")
                .arg(score(mean))
                .arg(runs.size())
                .arg(runs.join(QStringLiteral(", ")), QString::number(o.controls.shuffleP, 'f', 2));
    }
    if (o.controls.timeOnlyRan)
        rows +=
            QObject::tr("<tr><td>CEBRA-Time (no labels)</td><td align=right>%1</td><td></td></tr>")
                .arg(score(o.controls.timeOnlyWithin));
    rows += QObject::tr(
                "<tr><td>kNN on shifted labels</td><td align=right>%1</td><td>the embedding, "
                "labels shifted per repeat</td></tr>")
                .arg(score(o.knn.shuffleWithin));
    rows += QObject::tr("<tr><td>chance</td><td align=right>%1</td><td></td></tr>")
                .arg(score(o.knn.chanceWithin));
    return QObject::tr(
               "<p>Frame decoding within 1 s on the test repeat(s) (%1), which no training or "
               "choice saw:</p>"
               "<table cellspacing=4>%2</table>")
        .arg(QString::fromStdString(outcome.split.describe()), rows);
}

}  // namespace neurolens
