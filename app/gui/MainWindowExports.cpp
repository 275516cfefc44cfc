// What the window exports: its data tables (File > Export Data, each with the settings that made
// it) and its plots (File > Export Plot).

#include "MainWindow.h"

#include "AlignmentPanel.h"
#include "BehaviourPanel.h"
#include "DataExport.h"
#include "DecoderPanel.h"
#include "EmbeddingPanel.h"
#include "PlotExport.h"
#include "RasterPanel.h"
#include "SignificancePanel.h"
#include "SweepChart.h"
#include "TrainingDock.h"
#include "TrainingJob.h"
#include "UnitPanel.h"

#include "neurolens/io/ResultTables.h"
#include "neurolens/widgets/FramePreview.h"
#include "neurolens/widgets/FrameStrip.h"
#include "neurolens/widgets/RasterView.h"
#include "neurolens/widgets/UnitView.h"
#include "neurolens/widgets/VarianceChart.h"
#include "neurolens/widgets/VtkScatterView.h"

#include <QDir>
#include <QStatusBar>

namespace neurolens {
namespace {

const char* kProducer = "neurolens window: File > Export Data";

// What every table from an analysis carries: the window as producer, the recording, the
// preprocessing.
void describeAnalysis(ResultTable& t, const Analysis& a)
{
    t.provenance.producer = kProducer;
    t.provenance.source = a.pre.recording.source;
    addPreprocessing(t.provenance, a.options);
}

}  // namespace

void MainWindow::registerDataSources()
{
    data_ = new DataExporter(this);
    data_->addSource(tr("Embedding shown in the scatter"), QStringLiteral("embedding"),
                     [this]() -> std::shared_ptr<const ResultTable> {
                         const RowMatrixXf* values = embedding_->coordinates();
                         const AnalysisPtr& analysis = embedding_->analysis();
                         if (!values || !analysis) return nullptr;
                         const std::string name = embedding_->shownName().toStdString();
                         const Recording& rec = analysis->pre.recording;
                         auto t = std::make_shared<ResultTable>(
                             embeddingTable(rec, *values, name == "pca" ? "PC" : "dim"));
                         t->attributes["method"] = name;
                         describeAnalysis(*t, *analysis);
                         t->provenance.settings["method"] = name;
                         if (const auto it = rec.results.find(name); it != rec.results.end())
                             t->provenance.settings["method_parameters"] = it->second.params;
                         return t;
                     });
    data_->addSource(tr("Decoded frames and metrics"), QStringLiteral("decoding"),
                     [this]() -> std::shared_ptr<const ResultTable> {
                         const AnalysisPtr& analysis = decoder_->resultAnalysis();
                         if (!decoder_->result() || !analysis) return nullptr;
                         auto t = std::make_shared<ResultTable>(
                             decodingTable(analysis->pre.recording, *decoder_->result()));
                         describeAnalysis(*t, *analysis);
                         return t;
                     });
    data_->addSource(tr("Decoded behaviour and metrics"), QStringLiteral("behaviour"),
                     [this]() -> std::shared_ptr<const ResultTable> {
                         const AnalysisPtr& analysis = behaviour_->resultAnalysis();
                         if (!behaviour_->result() || !analysis) return nullptr;
                         auto t = std::make_shared<ResultTable>(behaviourDecodingTable(
                             analysis->pre.recording, *behaviour_->result()));
                         describeAnalysis(*t, *analysis);
                         return t;
                     });
    data_->addSource(tr("Training history"), QStringLiteral("history"),
                     [this]() -> std::shared_ptr<const ResultTable> {
                         const auto& outcome = training_->job()->outcome();
                         if (!outcome || !outcome->model) return nullptr;
                         auto t =
                             std::make_shared<ResultTable>(historyTable(outcome->model->history()));
                         t->attributes["model"] = outcome->kind();
                         Provenance& p = t->provenance;
                         p.producer = kProducer;
                         p.settings["model"] = outcome->kind();
                         p.settings["model_parameters"] = outcome->latents.params;
                         p.trainRepeats = outcome->split.train;
                         p.testRepeats = outcome->split.test;
                         if (const AnalysisPtr& a = training_->job()->analysis()) {
                             p.source = a->pre.recording.source;
                             addPreprocessing(p, a->options);
                         }
                         return t;
                     });
    data_->addSource(tr("Alignment: R² per unit"), QStringLiteral("alignment"),
                     [this]() -> std::shared_ptr<const ResultTable> {
                         const auto& outcome = alignment_->outcome();
                         const AnalysisPtr& analysis = alignment_->outcomeAnalysis();
                         if (!outcome || !analysis) return nullptr;
                         const auto& r = outcome->result.r2PerUnit;
                         const auto& p = outcome->pca.r2PerUnit;
                         std::map<std::string, std::vector<double>> columns{
                             {"r2", std::vector<double>(r.data(), r.data() + r.size())}};
                         if (p.size() == r.size())
                             columns["r2_pca"] = std::vector<double>(p.data(), p.data() + p.size());
                         auto t = std::make_shared<ResultTable>(
                             unitTable(analysis->pre.recording.units, columns));
                         t->attributes["r2_mean"] = std::to_string(outcome->result.r2);
                         t->attributes["r2_mean_pca"] = std::to_string(outcome->pca.r2);
                         t->attributes["dims"] = std::to_string(outcome->dims);
                         describeAnalysis(*t, *analysis);
                         t->provenance.settings["embedding"] = outcome->embedding;
                         t->provenance.settings["model"] = outcome->model;
                         t->provenance.trainRepeats = outcome->result.train;
                         t->provenance.testRepeats = outcome->result.test;
                         return t;
                     });
    connect(data_, &DataExporter::exported, this, [this](const QString& path) {
        statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 8000);
    });
    connect(data_, &DataExporter::failed, this, [this](const QString&, const QString& message) {
        showError(tr("Export failed"), QString(), message);
    });
}

void MainWindow::registerPlots()
{
    plots_ = new PlotExporter(this);
    plots_->add(embedding_->view(), tr("Embedding (scatter)"));
    plots_->add(raster_->view(), tr("Raster"));
    plots_->add(variance_, tr("Explained variance"));
    plots_->add(frame_, tr("Movie frame"));
    plots_->add(decoder_->predictionChart(), tr("Decoded frame vs true frame"));
    plots_->add(decoder_->sweepChart(), tr("Decoder sweep"));
    plots_->add(decoder_->strip(), tr("Decoded frames strip"));
    plots_->add(training_->lossChart(), tr("Training loss"));
    plots_->add(training_->scoreChart(), tr("Training scores"));
    plots_->add(alignment_->histogram(), tr("Alignment R² histogram"));
    plots_->add(significance_->chart(), tr("Significance: accuracy against neurons"));
    plots_->add(behaviour_->chart(), tr("Behaviour: decoded and true"));
    plots_->add(unit_->view(), tr("Unit: responses in every repeat, mean and spread"));
    connect(plots_, &PlotExporter::exported, this, [this](const QString& path) {
        statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 8000);
    });
    connect(plots_, &PlotExporter::failed, this, [this](const QString&, const QString& message) {
        showError(tr("Export failed"), QString(), message);
    });
}

}  // namespace neurolens
