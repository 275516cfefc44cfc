#include "TrainingDock.h"

#include "RepeatSplitEditor.h"

#include "TrainingJob.h"

#include "neurolens/features/GaborFeatures.h"

#include <QCheckBox>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTabWidget>
#include <QChart>
#include <QChartView>
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
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>

namespace neurolens {
namespace {

QChartView* makeChart(const QString& title, const QString& yTitle, std::initializer_list<QLineSeries*> series, QWidget* parent)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto* ax = new QValueAxis;
    ax->setTitleText(QObject::tr("epoch"));
    ax->setLabelFormat(QStringLiteral("%d"));
    ax->setTickCount(5);
    auto* ay = new QValueAxis;
    ay->setTitleText(yTitle);
    ay->setLabelFormat(QStringLiteral("%.3g"));
    ay->setTickCount(5);
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
    double x1 = 1, y0 = 0, y1 = 0;
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
    const double pad = y1 > y0 ? 0.05 * (y1 - y0) : 0.05;
    view->chart()->axes(Qt::Horizontal).first()->setRange(1, std::max(2.0, x1));
    view->chart()->axes(Qt::Vertical).first()->setRange(y0 - pad, y1 + pad);
}

}  // namespace

TrainingDock::TrainingDock(QWidget* parent) : QWidget(parent)
{
    job_ = new TrainingJob(this);
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    guidance_ = new QComboBox(this);
    guidance_->setToolTip(tr("A head on the latent mean: none; frame ID (a classifier over the movie's frames, "
                             "cross-entropy); or image features (regression onto their first 32 PCs, MSE)"));
    latent_ = new QSpinBox(this);
    latent_->setRange(1, 4096);
    latent_->setValue(128);
    latent_->setToolTip(tr("Latent dimensions (the report: 128, as CEBRA's)"));
    epochs_ = new QSpinBox(this);
    epochs_->setRange(1, 100000);
    epochs_->setValue(200);
    epochs_->setToolTip(tr("Passes over the training repeats (the report: 200)"));
    beta_ = new QDoubleSpinBox(this);
    beta_->setDecimals(3);
    beta_->setRange(0, 100);
    beta_->setValue(0.05);
    beta_->setToolTip(tr("Weight of the KL term (the report's best: 0.05)"));
    batch_ = new QSpinBox(this);
    batch_->setRange(1, 100000);
    batch_->setValue(128);
    batch_->setToolTip(tr("Mini-batch size"));
    lr_ = new QDoubleSpinBox(this);
    lr_->setDecimals(5);
    lr_->setRange(1e-6, 1);
    lr_->setSingleStep(1e-4);
    lr_->setValue(1e-3);
    lr_->setToolTip(tr("Adam learning rate"));
    weight_ = new QDoubleSpinBox(this);
    weight_->setRange(0, 1000);
    weight_->setValue(1);
    weight_->setToolTip(tr("Weight of the guidance loss"));
    seed_ = new QSpinBox(this);
    seed_->setRange(0, 1 << 30);
    seed_->setValue(1);
    seed_->setToolTip(tr("Seed of the weights, mini-batches and sampling: the same seed gives the same model"));
    threads_ = new QSpinBox(this);
    threads_->setRange(0, 256);
    threads_->setValue(1);
    threads_->setToolTip(tr("LibTorch threads (1 measured fastest for these mini-batches; 0: all cores)"));
    name_ = new QLineEdit(QStringLiteral("vae"), this);
    name_->setToolTip(tr("The name of the latents among the analysis' embeddings"));
    model_ = new QComboBox(this);
    model_->addItem(tr("VAE"), QStringLiteral("vae"));
    model_->addItem(tr("CEBRA"), QStringLiteral("cebra"));
    model_->setItemData(0, tr("The seed report's VAE: encoder 512-256-256 (LeakyReLU), latent, decoder 256-512"), Qt::ToolTipRole);
    model_->setItemData(1, tr("CEBRA: a contrastive encoder trained with InfoNCE (Schneider, Lee & Mathis 2023)"), Qt::ToolTipRole);
    form->addRow(tr("Model:"), model_);
    forms_ = new QStackedWidget(this);
    auto* vaePage = new QWidget(forms_);
    auto* vaeForm = new QFormLayout(vaePage);
    vaeForm->setContentsMargins(0, 0, 0, 0);
    vaeForm->addRow(tr("Guidance:"), guidance_);
    vaeForm->addRow(tr("Latent:"), latent_);
    vaeForm->addRow(tr("Epochs:"), epochs_);
    vaeForm->addRow(tr("Beta:"), beta_);
    vaeForm->addRow(tr("Batch:"), batch_);
    vaeForm->addRow(tr("Learning rate:"), lr_);
    vaeForm->addRow(tr("Guidance weight:"), weight_);
    forms_->addWidget(vaePage);

    auto* cebraPage = new QWidget(forms_);
    auto* cebraForm = new QFormLayout(cebraPage);
    cebraForm->setContentsMargins(0, 0, 0, 0);
    architecture_ = new QComboBox(cebraPage);
    for (const CebraArchitectureSpec& a : cebraArchitectures()) {
        architecture_->addItem(QString::fromStdString(a.title), QString::fromStdString(a.name));
        architecture_->setItemData(architecture_->count() - 1, QString::fromStdString(a.help), Qt::ToolTipRole);
    }
    architecture_->setToolTip(tr("The encoder network (hover an entry for what it sees)"));
    conditional_ = new QComboBox(cebraPage);
    conditional_->setToolTip(tr("How positives are drawn: a time offset later (CEBRA-Time), the same frame in another "
                                "repeat, or the nearest per-frame image features (CEBRA's time_delta)"));
    cebraDims_ = new QSpinBox(cebraPage);
    cebraDims_->setRange(1, 4096);
    cebraDims_->setValue(32);
    cebraDims_->setToolTip(tr("Output dimensions (the paper: up to 128)"));
    iterations_ = new QSpinBox(cebraPage);
    iterations_->setRange(1, 10000000);
    iterations_->setSingleStep(500);
    iterations_->setValue(2000);
    iterations_->setToolTip(tr("Training steps (the paper: 10 000); the charts update every 100"));
    cebraBatch_ = new QSpinBox(cebraPage);
    cebraBatch_->setRange(2, 100000);
    cebraBatch_->setValue(512);
    cebraLr_ = new QDoubleSpinBox(cebraPage);
    cebraLr_->setDecimals(5);
    cebraLr_->setRange(1e-6, 1);
    cebraLr_->setValue(3e-4);
    temperature_ = new QDoubleSpinBox(cebraPage);
    temperature_->setDecimals(3);
    temperature_->setRange(0.001, 100);
    temperature_->setValue(1);
    learnable_ = new QCheckBox(tr("learnable (down to 0.1)"), cebraPage);
    timeOffset_ = new QSpinBox(cebraPage);
    timeOffset_->setRange(1, 10000);
    timeOffset_->setValue(1);
    cebraForm->addRow(tr("Architecture:"), architecture_);
    cebraForm->addRow(tr("Conditional:"), conditional_);
    cebraForm->addRow(tr("Output dims:"), cebraDims_);
    cebraForm->addRow(tr("Steps:"), iterations_);
    cebraForm->addRow(tr("Batch:"), cebraBatch_);
    cebraForm->addRow(tr("Learning rate:"), cebraLr_);
    cebraForm->addRow(tr("Temperature:"), temperature_);
    cebraForm->addRow(QString(), learnable_);
    cebraForm->addRow(tr("Time offset:"), timeOffset_);
    shuffles_ = new QSpinBox(cebraPage);
    shuffles_->setRange(0, 20);
    shuffles_->setValue(2);
    shuffles_->setToolTip(tr("After the model, train it again on frame labels circularly shifted per training repeat (a fresh "
                             "shift per run) and decode it the same way: a score these controls reach is not evidence"));
    timeOnly_ = new QCheckBox(tr("and the time-only CEBRA"), cebraPage);
    timeOnly_->setChecked(true);
    timeOnly_->setToolTip(tr("The unsupervised CEBRA-Time with the same architecture and split, as a baseline"));
    auto* controls = new QHBoxLayout;
    controls->addWidget(shuffles_);
    controls->addWidget(timeOnly_, 1);
    cebraForm->addRow(tr("Shuffled-label runs:"), controls);
    forms_->addWidget(cebraPage);
    form->addRow(forms_);
    split_ = new RepeatSplitEditor(this);
    form->addRow(tr("Repeats:"), split_);
    form->addRow(tr("Seed:"), seed_);
    form->addRow(tr("Threads:"), threads_);
    form->addRow(tr("Result name:"), name_);
    // The form scrolls, so the curves keep their room however tall the parameters get.
    auto* formHost = new QWidget(this);
    formHost->setLayout(form);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(formHost);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMaximumHeight(360);
    layout->addWidget(scroll);
    auto* buttons = new QHBoxLayout;
    start_ = new QPushButton(tr("Start"), this);
    pause_ = new QPushButton(tr("Pause"), this);
    pause_->setCheckable(true);
    cancel_ = new QPushButton(tr("Cancel"), this);
    save_ = new QPushButton(tr("Save checkpoint…"), this);
    load_ = new QPushButton(tr("Resume from checkpoint…"), this);
    load_->setToolTip(tr("Continue a saved model (same data and parameters) up to the epochs above"));
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
    trainR2_ = new QLineSeries;
    trainR2_->setName(tr("train R²"));
    valR2_ = new QLineSeries;
    valR2_->setName(tr("validation R²"));
    guideTrain_ = new QLineSeries;
    guideVal_ = new QLineSeries;
    lossChart_ = makeChart(tr("Loss (reconstruction + β·KL + guidance)"), tr("loss"), {loss_}, this);
    scoreChart_ = makeChart(tr("Reconstruction of the responses"), tr("score"), {trainR2_, valR2_, guideTrain_, guideVal_}, this);
    auto* tabs = new QTabWidget(this);
    tabs->addTab(scoreChart_, tr("Scores"));
    tabs->addTab(lossChart_, tr("Loss"));
    log_ = new QPlainTextEdit(this);
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(5000);
    tabs->addTab(log_, tr("Log"));
    heldOut_ = new QLabel(tr("A trained CEBRA's frame decoding on the test repeat(s) appears here, next to the same model "
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
        if (current == QLatin1String("vae") || current == QLatin1String("cebra")) name_->setText(model_->currentData().toString());
        resetCharts();
    });
    connect(start_, &QPushButton::clicked, this, [this] { start(); });
    connect(split_, &RepeatSplitEditor::changed, this, &TrainingDock::updateButtons);
    connect(pause_, &QPushButton::toggled, this, [this](bool on) { on ? job_->pause() : job_->resume(); });
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
    connect(&job_->runner(), &JobRunner::progress, this,
            [this](double fraction, const QString&) { progress_->setValue(int(std::lround(1000 * fraction))); });
    resetCharts();
    setAnalysis(nullptr);
}

void TrainingDock::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    split_->setRepeats(analysis_ ? analysis_->pre.recording.responses.repeats() : 0);
    const QString previous = guidance_->currentData().toString();
    guidance_->clear();
    guidance_->addItem(tr("None"), QStringLiteral("none"));
    guidance_->addItem(tr("Frame ID"), QStringLiteral("frame"));
    if (analysis_) {
        // Loaded features (e.g. DINO) first; the built-in Gabor energy features when there is a movie.
        for (const auto& [name, f] : analysis_->pre.recording.features)
            guidance_->addItem(tr("Image features: %1").arg(QString::fromStdString(name)), QString::fromStdString("features:" + name));
        if (analysis_->pre.recording.movie && !analysis_->pre.recording.features.count(kGaborFeatures))
            guidance_->addItem(tr("Image features: built-in Gabor energy"), QStringLiteral("features:") + kGaborFeatures);
    }
    guidance_->setCurrentIndex(std::max(0, guidance_->findData(previous)));
    const QString previousConditional = conditional_->currentData().toString();
    conditional_->clear();
    conditional_->addItem(tr("Time (CEBRA-Time)"), QStringLiteral("time"));
    conditional_->addItem(tr("Frame ID"), QStringLiteral("frame"));
    for (int i = 2; i < guidance_->count(); ++i)  // the same feature sets as the VAE's guidance
        conditional_->addItem(guidance_->itemText(i), guidance_->itemData(i));
    conditional_->setCurrentIndex(std::max(0, conditional_->findData(previousConditional)));
    updateButtons();
}

VaeOptions TrainingDock::options() const
{
    VaeOptions o;
    o.latent = latent_->value();
    o.epochs = epochs_->value();
    o.beta = beta_->value();
    o.batchSize = batch_->value();
    o.learningRate = lr_->value();
    o.guidanceWeight = weight_->value();
    o.seed = std::uint64_t(seed_->value());
    const QString g = guidance_->currentData().toString();
    if (g == QLatin1String("frame")) o.guidance = VaeOptions::Guidance::Frame;
    else if (g.startsWith(QLatin1String("features:"))) {
        o.guidance = VaeOptions::Guidance::Features;
        o.features = g.mid(9).toStdString();
    }
    return o;
}

bool TrainingDock::cebraSelected() const { return model_->currentData().toString() == QLatin1String("cebra"); }

CebraOptions TrainingDock::cebraOptions() const
{
    CebraOptions o;
    o.architecture = cebraArchitecture(architecture_->currentData().toString().toStdString());
    o.output = cebraDims_->value();
    o.hidden = std::max(2, std::max(o.output, 32));
    o.iterations = iterations_->value();
    o.batchSize = cebraBatch_->value();
    o.learningRate = cebraLr_->value();
    o.temperature = temperature_->value();
    o.learnableTemperature = learnable_->isChecked();
    o.timeOffset = timeOffset_->value();
    o.seed = std::uint64_t(seed_->value());
    o.validateEvery = 5;  // a kNN score on the validation repeats every 500 steps
    if (split_->valid()) o.split = split_->split();
    const QString c = conditional_->currentData().toString();
    if (c == QLatin1String("frame")) o.conditional = CebraOptions::Conditional::Frame;
    else if (c.startsWith(QLatin1String("features:"))) {
        o.conditional = CebraOptions::Conditional::Features;
        o.features = c.mid(9).toStdString();
    }
    return o;
}

void TrainingDock::start(const QString& resumeFrom)
{
    if (!analysis_) return;
    resetCharts();
    if (cebraSelected()) {
        const CebraOptions c = cebraOptions();
        log_->appendPlainText(tr("CEBRA %1 on %2 units × %3 samples; conditional %4, %5 dims, %6 steps%7")
                                  .arg(architecture_->currentData().toString())
                                  .arg(analysis_->pre.recording.responses.units())
                                  .arg(analysis_->pre.recording.responses.samples())
                                  .arg(conditional_->currentText())
                                  .arg(c.output)
                                  .arg(c.iterations)
                                  .arg(resumeFrom.isEmpty() ? QString() : tr(", resuming %1").arg(resumeFrom)));
        eta_->setText(tr("starting…"));
        CebraControlOptions controls;
        controls.shuffles = shuffles_->value();
        controls.timeOnly = timeOnly_->isChecked();
        controls.seed = c.seed;
        controls.threads = threads_->value();
        log_->appendPlainText(tr("repeats: %1").arg(QString::fromStdString(c.split.describe())));
        job_->start(analysis_, c, controls, threads_->value(), resumeFrom);
        updateButtons();
        return;
    }
    const VaeOptions o = options();
    log_->appendPlainText(tr("VAE on %1 units × %2 samples; guidance %3, latent %4, β %5, %6 epochs%7")
                              .arg(analysis_->pre.recording.responses.units())
                              .arg(analysis_->pre.recording.responses.samples())
                              .arg(guidance_->currentText())
                              .arg(o.latent)
                              .arg(o.beta)
                              .arg(o.epochs)
                              .arg(resumeFrom.isEmpty() ? QString() : tr(", resuming %1").arg(resumeFrom)));
    eta_->setText(tr("starting…"));
    const RepeatSplit split = split_->split();
    log_->appendPlainText(tr("repeats: %1").arg(QString::fromStdString(split.describe())));
    job_->start(analysis_, o, split, threads_->value(), resumeFrom);
    updateButtons();
}

void TrainingDock::resetCharts()
{
    for (QLineSeries* s : {loss_, trainR2_, valR2_, guideTrain_, guideVal_}) s->clear();
    epochSeconds_ = 0;
    epochsSeen_ = 0;
    progress_->setValue(0);
    if (cebraSelected()) {
        loss_->setName(tr("InfoNCE loss"));
        lossChart_->chart()->setTitle(tr("Loss (per 100 steps)"));
        scoreChart_->chart()->setTitle(tr("Frame decoding of the embedding (validation repeats)"));
        trainR2_->setVisible(false);
        valR2_->setVisible(false);
        guideTrain_->setVisible(false);
        guideVal_->setVisible(true);
        guideVal_->setName(tr("kNN within 1 s"));
        return;
    }
    loss_->setName(tr("training loss"));
    lossChart_->chart()->setTitle(tr("Loss (reconstruction + β·KL + guidance)"));
    scoreChart_->chart()->setTitle(tr("Reconstruction of the responses"));
    trainR2_->setVisible(true);
    valR2_->setVisible(true);
    const QString g = guidance_->currentData().toString();
    const bool frame = g == QLatin1String("frame"), features = g.startsWith(QLatin1String("features:"));
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
        loss_->append(r.epoch, value("loss"));
        if (std::isfinite(value("knn_within_1s"))) guideVal_->append(r.epoch, value("knn_within_1s"));
        fitAxes(lossChart_);
        fitAxes(scoreChart_);
        ++epochsSeen_;
        epochSeconds_ += r.seconds;
        const double eta = (planned - r.epoch) * epochSeconds_ / std::max(1, epochsSeen_);
        eta_->setText(tr("step %1 of %2 · %3 steps a second · about %4 left")
                          .arg(r.epoch * 100)
                          .arg(planned * 100)
                          .arg(100 * epochsSeen_ / std::max(1e-9, epochSeconds_), 0, 'f', 1)
                          .arg(eta >= 90 ? tr("%1 min").arg(eta / 60, 0, 'f', 1) : tr("%1 s").arg(eta, 0, 'f', 0)));
        QString line = tr("step %1: loss %2, temperature %3").arg(r.epoch * 100).arg(value("loss"), 0, 'f', 3).arg(value("temperature"), 0, 'f', 3);
        if (std::isfinite(value("knn_within_1s"))) line += tr(", validation kNN within 1 s %1").arg(value("knn_within_1s"), 0, 'f', 3);
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
                      .arg(eta >= 90 ? tr("%1 min").arg(eta / 60, 0, 'f', 1) : tr("%1 s").arg(eta, 0, 'f', 0)));
    QString line = tr("epoch %1: loss %2, R² train %3, validation %4")
                       .arg(r.epoch)
                       .arg(value("loss"), 0, 'f', 3)
                       .arg(value("train_r2"), 0, 'f', 3)
                       .arg(value("val_r2"), 0, 'f', 3);
    if (guideTrain_->isVisible())
        line += tr(", guidance %1 / %2").arg(value("guidance_train"), 0, 'f', 3).arg(value("guidance_val"), 0, 'f', 3);
    log_->appendPlainText(line);
}

void TrainingDock::onFinished(const std::shared_ptr<const TrainingOutcome>& outcome)
{
    progress_->setValue(1000);
    const auto& h = outcome->model->history();
    if (const CebraResult* cebra = outcome->cebra()) {
        eta_->setText(tr("done in %1 s (step %2 kept); kNN within 1 s on the test repeat %3 (k %4, chance %5)")
                          .arg(outcome->seconds, 0, 'f', 1)
                          .arg(cebra->keptStep)
                          .arg(cebra->knn.within, 0, 'f', 3)
                          .arg(cebra->knn.k)
                          .arg(cebra->knn.chanceWithin, 0, 'f', 3));
        heldOut_->setText(heldOutSummary(*outcome));
    } else {
        const auto it = h.empty() ? std::map<std::string, double>::const_iterator{} : h.back().values.find("val_r2");
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
    e.params = QStringLiteral("{\"conditioning\":\"%1\",\"dims\":%2,\"epochs\":%3,\"split\":{\"train\":%4,\"validation\":%5,\"test\":%6}}")
                   .arg(outcome->cebra() ? conditional_->currentData().toString() : guidance_->currentData().toString())
                   .arg(e.values.cols())
                   .arg(h.size())
                   .arg(list(outcome->split.train), list(outcome->split.validation), list(outcome->split.test))
                   .toStdString();
    const QString fallback = QString::fromStdString(outcome->kind());
    Q_EMIT modelTrained(job_->analysis(), name_->text().trimmed().isEmpty() ? fallback : name_->text().trimmed(), e);
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
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the model's checkpoint"), name_->text() + ".pt",
                                                      tr("LibTorch checkpoints (*.pt)"));
    if (path.isEmpty()) return;
    QString error;
    if (!job_->saveCheckpoint(path, &error)) Q_EMIT failed(tr("Cannot save the checkpoint %1: %2").arg(path, error));
    else log_->appendPlainText(tr("checkpoint saved: %1").arg(path));
}

void TrainingDock::loadCheckpoint()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Resume from a checkpoint of this model"), QString(),
                                                      tr("LibTorch checkpoints (*.pt);;All files (*)"));
    if (!path.isEmpty()) start(path);
}

}  // namespace neurolens
