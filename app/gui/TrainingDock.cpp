#include "TrainingDock.h"

#include "RepeatSplitEditor.h"

#include "TrainingForms.h"
#include "TrainingJob.h"

#include "neurolens/widgets/FittedStack.h"
#include "neurolens/widgets/NiceAxis.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace neurolens {
namespace {

QChartView* makeChart(const QString& title, const QString& yTitle,
                      std::initializer_list<QLineSeries*> series, QWidget* parent)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto* ax = new QValueAxis;
    ax->setTitleText(QObject::tr("epoch"));
    auto* ay = new QValueAxis;
    ay->setTitleText(yTitle);
    chart->addAxis(ax, Qt::AlignBottom);
    chart->addAxis(ay, Qt::AlignLeft);
    for (QLineSeries* s : series) {
        s->setPointsVisible(true);
        chart->addSeries(s);
        s->attachAxis(ax);
        s->attachAxis(ay);
    }
    auto* view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(150);
    return view;
}

void fitAxes(QChartView* view)
{
    double x1 = 1, y0 = 0, y1 = 0;  // the x axis starts at 0: no run ends before it begins
    bool any = false;
    for (QAbstractSeries* a : view->chart()->series()) {
        auto* s = qobject_cast<QLineSeries*>(a);
        if (!s || !s->isVisible()) continue;
        for (const QPointF& p : s->points()) {
            if (!std::isfinite(p.y())) continue;
            x1 = std::max(x1, p.x());
            y0 = any ? std::min(y0, p.y()) : p.y();
            y1 = any ? std::max(y1, p.y()) : p.y();
            any = true;
        }
    }
    if (!any) y0 = 0, y1 = 1;
    applyNiceScale(qobject_cast<QValueAxis*>(view->chart()->axes(Qt::Horizontal).first()), 0,
                   std::max(2.0, x1));
    applyNiceScale(qobject_cast<QValueAxis*>(view->chart()->axes(Qt::Vertical).first()), y0, y1);
}

void setStepAxis(QChartView* view, const QString& title)
{
    if (!view) return;  // resetCharts() runs once before the charts exist
    view->chart()->axes(Qt::Horizontal).first()->setTitleText(title);
}

}  // namespace

TrainingDock::TrainingDock(QWidget* parent) : QWidget(parent)
{
    job_ = new TrainingJob(this);
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    seed_ = new QSpinBox(this);
    seed_->setRange(0, 1 << 30);
    seed_->setValue(1);
    seed_->setToolTip(
        tr("Seed of the weights, mini-batches and sampling: the same seed gives the same model"));
    threads_ = new QSpinBox(this);
    threads_->setRange(0, 256);
    threads_->setValue(1);
    threads_->setToolTip(
        tr("LibTorch threads (1 measured fastest for these mini-batches; 0: all cores)"));
    name_ = new QLineEdit(QStringLiteral("vae"), this);
    name_->setToolTip(tr("The name of the latents among the analysis' embeddings"));
    model_ = new QComboBox(this);
    model_->addItem(tr("VAE"), QStringLiteral("vae"));
    model_->addItem(tr("CEBRA"), QStringLiteral("cebra"));
    model_->setItemData(
        0, tr("The reproduction's VAE: encoder 512-256-256 (LeakyReLU), latent, decoder 256-512"),
        Qt::ToolTipRole);
    model_->setItemData(
        1, tr("CEBRA: a contrastive encoder trained with InfoNCE (Schneider, Lee & Mathis 2023)"),
        Qt::ToolTipRole);
    form->addRow(tr("Model:"), model_);
    forms_ = new FittedStack(this);
    vae_ = new VaeForm(forms_);
    cebra_ = new CebraForm(forms_);
    forms_->addWidget(vae_);
    forms_->addWidget(cebra_);
    form->addRow(forms_);
    split_ = new RepeatSplitEditor(this);
    form->addRow(tr("Repeats:"), split_);
    form->addRow(tr("Seed:"), seed_);
    form->addRow(tr("Threads:"), threads_);
    form->addRow(tr("Result name:"), name_);
    // Every setting in sight (the dock scrolls as a whole when the window is short).
    layout->addLayout(form);
    auto* buttons = new QHBoxLayout;
    start_ = new QPushButton(tr("Start"), this);
    pause_ = new QPushButton(tr("Pause"), this);
    pause_->setCheckable(true);
    cancel_ = new QPushButton(tr("Cancel"), this);
    save_ = new QPushButton(tr("Save checkpoint…"), this);
    load_ = new QPushButton(tr("Resume from checkpoint…"), this);
    load_->setToolTip(
        tr("Continue a saved model (same data and parameters) up to the epochs above"));
    for (QPushButton* b : {start_, pause_, cancel_}) buttons->addWidget(b);
    layout->addLayout(buttons);
    auto* files = new QHBoxLayout;
    files->addWidget(save_);
    files->addWidget(load_);
    layout->addLayout(files);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    eta_ = new QLabel(this);
    layout->addWidget(progress_);
    layout->addWidget(eta_);
    eta_->setWordWrap(true);

    loss_ = new QLineSeries;
    loss_->setName(tr("training loss"));
    setStepAxis(lossChart_, tr("epoch"));
    setStepAxis(scoreChart_, tr("epoch"));
    trainR2_ = new QLineSeries;
    trainR2_->setName(tr("train R²"));
    valR2_ = new QLineSeries;
    valR2_->setName(tr("validation R²"));
    guideTrain_ = new QLineSeries;
    guideVal_ = new QLineSeries;
    lossChart_ =
        makeChart(tr("Loss (reconstruction + β·KL + guidance)"), tr("loss"), {loss_}, this);
    scoreChart_ = makeChart(tr("Reconstruction of the responses"), tr("score"),
                            {trainR2_, valR2_, guideTrain_, guideVal_}, this);
    auto* tabs = new QTabWidget(this);
    tabs->addTab(scoreChart_, tr("Scores"));
    tabs->addTab(lossChart_, tr("Loss"));
    log_ = new QPlainTextEdit(this);
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(5000);
    tabs->addTab(log_, tr("Log"));
    heldOut_ = new QLabel(tr("A trained CEBRA's frame decoding on the test repeat(s) appears here, "
                             "next to the same model "
                             "trained on shuffled labels, the time-only CEBRA and chance."),
                          this);
    heldOut_->setWordWrap(true);
    heldOut_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    heldOut_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    heldOut_->setMargin(6);
    tabs->addTab(heldOut_, tr("Held out"));
    layout->addWidget(tabs, 1);

    connect(model_, &QComboBox::currentIndexChanged, this, [this] {
        forms_->setCurrentIndex(model_->currentIndex());
        const QString current = name_->text();
        if (current == QLatin1String("vae") || current == QLatin1String("cebra"))
            name_->setText(model_->currentData().toString());
        resetCharts();
    });
    connect(start_, &QPushButton::clicked, this, [this] { start(); });
    connect(split_, &RepeatSplitEditor::changed, this, &TrainingDock::updateButtons);
    connect(pause_, &QPushButton::toggled, this,
            [this](bool on) { on ? job_->pause() : job_->resume(); });
    connect(cancel_, &QPushButton::clicked, job_, &TrainingJob::cancel);
    connect(save_, &QPushButton::clicked, this, &TrainingDock::saveCheckpoint);
    connect(load_, &QPushButton::clicked, this, &TrainingDock::loadCheckpoint);
    connect(job_, &TrainingJob::pausedChanged, this, [this](bool paused) {
        const QSignalBlocker block(pause_);
        pause_->setChecked(paused);
        pause_->setText(paused ? tr("Resume") : tr("Pause"));
        log_->appendPlainText(paused ? tr("paused") : tr("resumed"));
    });
    connect(job_, &TrainingJob::epochDone, this, &TrainingDock::onEpoch);
    connect(job_, &TrainingJob::finished, this, &TrainingDock::onFinished);
    connect(job_, &TrainingJob::cancelled, this, [this] {
        log_->appendPlainText(tr("cancelled after %1 epochs").arg(epochsSeen_));
        eta_->setText(tr("cancelled"));
        updateButtons();
    });
    connect(job_, &TrainingJob::failed, this, [this](const QString& message) {
        log_->appendPlainText(tr("failed: %1").arg(message));
        eta_->setText(tr("failed"));
        updateButtons();
        Q_EMIT failed(message);
    });
    connect(&job_->runner(), &JobRunner::idle, this, &TrainingDock::updateButtons);
    connect(&job_->runner(), &JobRunner::progress, this, [this](double fraction, const QString&) {
        progress_->setValue(int(std::lround(1000 * fraction)));
    });
    resetCharts();
    setAnalysis(nullptr);
}

void TrainingDock::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    split_->setRepeats(analysis_ ? analysis_->pre.recording.responses.repeats() : 0);
    vae_->setAnalysis(analysis_);
    cebra_->setAnalysis(analysis_);
    updateButtons();
}

VaeOptions TrainingDock::options() const
{
    return vae_->options(std::uint64_t(seed_->value()));
}

bool TrainingDock::cebraSelected() const
{
    return model_->currentData().toString() == QLatin1String("cebra");
}

CebraOptions TrainingDock::cebraOptions() const
{
    return cebra_->options(std::uint64_t(seed_->value()),
                           split_->valid() ? split_->split() : RepeatSplit{});
}

void TrainingDock::start(const QString& resumeFrom)
{
    if (!analysis_) return;
    resetCharts();
    const QString resuming = resumeFrom.isEmpty() ? QString() : tr(", resuming %1").arg(resumeFrom);
    eta_->setText(tr("starting…"));
    if (cebraSelected()) {
        const CebraOptions c = cebraOptions();
        log_->appendPlainText(cebra_->describe(*analysis_, c) + resuming);
        log_->appendPlainText(tr("repeats: %1").arg(QString::fromStdString(c.split.describe())));
        job_->start(analysis_, c, cebra_->controls(c.seed, threads_->value()), threads_->value(),
                    resumeFrom);
        updateButtons();
        return;
    }
    log_->appendPlainText(vae_->describe(*analysis_) + resuming);
    const RepeatSplit split = split_->split();
    log_->appendPlainText(tr("repeats: %1").arg(QString::fromStdString(split.describe())));
    job_->start(analysis_, options(), split, threads_->value(), resumeFrom);
    updateButtons();
}

void TrainingDock::restoreHistory(const QString& kind, const std::vector<EpochRecord>& history,
                                  const QString& log)
{
    const int index = model_->findData(kind);
    if (index < 0 || history.empty()) return;
    model_->setCurrentIndex(index);
    resetCharts();
    for (const EpochRecord& r : history) onEpoch(r, history.back().epoch);
    log_->setPlainText(log);
    progress_->setValue(progress_->maximum());
    eta_->setText(tr("restored from the session (%1 %2)")
                      .arg(history.back().epoch * (kind == QLatin1String("cebra") ? 100 : 1))
                      .arg(kind == QLatin1String("cebra") ? tr("steps") : tr("epochs")));
}

void TrainingDock::resetCharts()
{
    for (QLineSeries* s : {loss_, trainR2_, valR2_, guideTrain_, guideVal_}) s->clear();
    epochSeconds_ = 0;
    epochsSeen_ = 0;
    progress_->setValue(0);
    if (cebraSelected()) {
        loss_->setName(tr("InfoNCE loss"));
        lossChart_->chart()->setTitle(tr("Loss (every 100 steps)"));
        setStepAxis(lossChart_, tr("step"));
        setStepAxis(scoreChart_, tr("step"));
        // Trained on behaviour, the embedding is scored on it; else on the frame.
        const bool behaviour = cebra_->conditionalName().contains(QLatin1String("behaviour:"));
        scoreChart_->chart()->setTitle(
            behaviour ? tr("Behaviour decoding of the embedding (validation repeats)")
                      : tr("Frame decoding of the embedding (validation repeats)"));
        trainR2_->setVisible(false);
        valR2_->setVisible(false);
        guideTrain_->setVisible(false);
        guideVal_->setVisible(true);
        guideVal_->setName(behaviour ? tr("kNN R² (mean over the behaviour)")
                                     : tr("kNN within 1 s"));
        return;
    }
    loss_->setName(tr("training loss"));
    setStepAxis(lossChart_, tr("epoch"));
    setStepAxis(scoreChart_, tr("epoch"));
    lossChart_->chart()->setTitle(tr("Loss (reconstruction + β·KL + guidance)"));
    scoreChart_->chart()->setTitle(tr("Reconstruction of the responses"));
    trainR2_->setVisible(true);
    valR2_->setVisible(true);
    const QString g = vae_->guidanceName();
    const bool frame = g == QLatin1String("frame"),
               features = g.startsWith(QLatin1String("features:"));
    guideTrain_->setVisible(frame || features);
    guideVal_->setVisible(frame || features);
    guideTrain_->setName(frame ? tr("train frame accuracy") : tr("train feature R²"));
    guideVal_->setName(frame ? tr("validation frame accuracy") : tr("validation feature R²"));
    epochSeconds_ = 0;
    epochsSeen_ = 0;
    progress_->setValue(0);
}

void TrainingDock::onEpoch(const EpochRecord& r, int planned)
{
    auto value = [&](const char* key) {
        const auto it = r.values.find(key);
        return it == r.values.end() ? std::nan("") : it->second;
    };
    if (cebraSelected()) {
        // CEBRA's records come every 100 steps: drawn against steps.
        const double step = 100.0 * r.epoch;
        loss_->append(step, value("loss"));
        for (const char* score : {"knn_within_1s", "behaviour_r2"})
            if (std::isfinite(value(score))) guideVal_->append(step, value(score));
        fitAxes(lossChart_);
        fitAxes(scoreChart_);
        ++epochsSeen_;
        epochSeconds_ += r.seconds;
        const double eta = (planned - r.epoch) * epochSeconds_ / std::max(1, epochsSeen_);
        eta_->setText(tr("step %1 of %2 · %3 steps a second · about %4 left")
                          .arg(r.epoch * 100)
                          .arg(planned * 100)
                          .arg(100 * epochsSeen_ / std::max(1e-9, epochSeconds_), 0, 'f', 1)
                          .arg(eta >= 90 ? tr("%1 min").arg(eta / 60, 0, 'f', 1)
                                         : tr("%1 s").arg(eta, 0, 'f', 0)));
        QString line = tr("step %1: loss %2, temperature %3")
                           .arg(r.epoch * 100)
                           .arg(value("loss"), 0, 'f', 3)
                           .arg(value("temperature"), 0, 'f', 3);
        if (std::isfinite(value("knn_within_1s")))
            line += tr(", validation kNN within 1 s %1").arg(value("knn_within_1s"), 0, 'f', 3);
        if (std::isfinite(value("behaviour_r2")))
            line += tr(", validation behaviour R² %1").arg(value("behaviour_r2"), 0, 'f', 3);
        log_->appendPlainText(line);
        return;
    }
    loss_->append(r.epoch, value("loss"));
    trainR2_->append(r.epoch, value("train_r2"));
    valR2_->append(r.epoch, value("val_r2"));
    if (guideTrain_->isVisible()) {
        guideTrain_->append(r.epoch, value("guidance_train"));
        guideVal_->append(r.epoch, value("guidance_val"));
    }
    fitAxes(lossChart_);
    fitAxes(scoreChart_);
    ++epochsSeen_;
    epochSeconds_ += r.seconds;
    const double eta = (planned - r.epoch) * epochSeconds_ / std::max(1, epochsSeen_);
    eta_->setText(tr("epoch %1 of %2 · %3 s an epoch · about %4 left")
                      .arg(r.epoch)
                      .arg(planned)
                      .arg(epochSeconds_ / epochsSeen_, 0, 'f', 2)
                      .arg(eta >= 90 ? tr("%1 min").arg(eta / 60, 0, 'f', 1)
                                     : tr("%1 s").arg(eta, 0, 'f', 0)));
    QString line = tr("epoch %1: loss %2, R² train %3, validation %4")
                       .arg(r.epoch)
                       .arg(value("loss"), 0, 'f', 3)
                       .arg(value("train_r2"), 0, 'f', 3)
                       .arg(value("val_r2"), 0, 'f', 3);
    if (guideTrain_->isVisible())
        line += tr(", guidance %1 / %2")
                    .arg(value("guidance_train"), 0, 'f', 3)
                    .arg(value("guidance_val"), 0, 'f', 3);
    log_->appendPlainText(line);
}

void TrainingDock::onFinished(const std::shared_ptr<const TrainingOutcome>& outcome)
{
    progress_->setValue(1000);
    const auto& h = outcome->model->history();
    if (const CebraResult* cebra = outcome->cebra()) {
        eta_->setText(tr("done in %1 s (step %2 kept); kNN within 1 s on the test repeat %3 (k %4, "
                         "chance %5)")
                          .arg(outcome->seconds, 0, 'f', 1)
                          .arg(cebra->keptStep)
                          .arg(cebra->knn.within, 0, 'f', 3)
                          .arg(cebra->knn.k)
                          .arg(cebra->knn.chanceWithin, 0, 'f', 3));
        heldOut_->setText(heldOutSummary(*outcome));
    } else {
        const auto it = h.empty() ? std::map<std::string, double>::const_iterator{}
                                  : h.back().values.find("val_r2");
        const double val = h.empty() || it == h.back().values.end() ? std::nan("") : it->second;
        eta_->setText(tr("done: %1 epochs in %2 s; validation R² %3, test R² %4")
                          .arg(h.size())
                          .arg(outcome->seconds, 0, 'f', 1)
                          .arg(val, 0, 'f', 3)
                          .arg(outcome->vae()->testR2, 0, 'f', 3));
    }
    log_->appendPlainText(eta_->text());
    updateButtons();
    Embedding e = outcome->latents;
    auto list = [](const std::vector<int>& v) {
        QStringList items;
        for (int r : v) items << QString::number(r);
        return QStringLiteral("[%1]").arg(items.join(QLatin1Char(',')));
    };
    e.params = QStringLiteral(
                   "{\"conditioning\":\"%1\",\"dims\":%2,\"epochs\":%3,\"split\":{\"train\":%4,"
                   "\"validation\":%5,\"test\":%6}}")
                   .arg(outcome->cebra() ? cebra_->conditionalName() : vae_->guidanceName())
                   .arg(e.values.cols())
                   .arg(h.size())
                   .arg(list(outcome->split.train), list(outcome->split.validation),
                        list(outcome->split.test))
                   .toStdString();
    const QString fallback = QString::fromStdString(outcome->kind());
    Q_EMIT modelTrained(job_->analysis(),
                        name_->text().trimmed().isEmpty() ? fallback : name_->text().trimmed(), e);
}

void TrainingDock::updateButtons()
{
    const bool busy = job_->busy();
    const bool ready = analysis_ && !busy && split_->valid();
    start_->setEnabled(ready);
    load_->setEnabled(ready);
    pause_->setEnabled(busy);
    cancel_->setEnabled(busy);
    save_->setEnabled(!busy && job_->outcome());
    if (!busy) {
        const QSignalBlocker block(pause_);
        pause_->setChecked(false);
        pause_->setText(tr("Pause"));
    }
}

void TrainingDock::saveCheckpoint()
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save the model's checkpoint"), name_->text() + ".pt",
                                     tr("LibTorch checkpoints (*.pt)"));
    if (path.isEmpty()) return;
    QString error;
    if (!job_->saveCheckpoint(path, &error))
        Q_EMIT failed(tr("Cannot save the checkpoint %1: %2").arg(path, error));
    else
        log_->appendPlainText(tr("checkpoint saved: %1").arg(path));
}

void TrainingDock::loadCheckpoint()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Resume from a checkpoint of this model"), QString(),
                                     tr("LibTorch checkpoints (*.pt);;All files (*)"));
    if (!path.isEmpty()) start(path);
}

QComboBox* TrainingDock::conditional() const
{
    return cebra_->conditional();
}
QSpinBox* TrainingDock::iterations() const
{
    return cebra_->iterations();
}
QSpinBox* TrainingDock::cebraDims() const
{
    return cebra_->dims();
}
QSpinBox* TrainingDock::cebraBatch() const
{
    return cebra_->batch();
}
QComboBox* TrainingDock::architecture() const
{
    return cebra_->architecture();
}
QSpinBox* TrainingDock::encoderShuffles() const
{
    return cebra_->encoderShuffles();
}
QCheckBox* TrainingDock::timeOnly() const
{
    return cebra_->timeOnly();
}
QComboBox* TrainingDock::guidance() const
{
    return vae_->guidance();
}
QSpinBox* TrainingDock::epochs() const
{
    return vae_->epochs();
}
QSpinBox* TrainingDock::latent() const
{
    return vae_->latent();
}

}  // namespace neurolens
