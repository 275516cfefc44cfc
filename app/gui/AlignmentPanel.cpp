#include "AlignmentPanel.h"

#include "RepeatSplitEditor.h"

#include "neurolens/embed/Pca.h"
#include "neurolens/embed/Tsne.h"
#include "neurolens/preprocess/RepeatSplit.h"
#include "neurolens/widgets/NiceAxis.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace neurolens {

AlignmentPanel::AlignmentPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    embedding_ = new QComboBox(this);
    embedding_->setToolTip(
        tr("A stored embedding of the analysed samples (trained here or loaded with the file)"));
    model_ = new QComboBox(this);
    model_->addItem(tr("Ridge (penalty chosen on the validation repeats)"),
                    QStringLiteral("ridge"));
    model_->addItem(tr("MLP (one hidden layer, stopped on the validation repeats)"),
                    QStringLiteral("mlp"));
    run_ = new QPushButton(tr("Align"), this);
    form->addRow(tr("Embedding:"), embedding_);
    form->addRow(tr("Decoder:"), model_);
    form->addRow(run_);
    layout->addLayout(form);
    summary_ = new QLabel(
        tr("Does the embedding explain the neurons? A decoder from it back to the responses, "
           "scored per unit on the test repeat, next to PCA of the same dimension."),
        this);
    summary_->setWordWrap(true);
    layout->addWidget(summary_);
    auto* chart = new QChart;
    chart->setTitle(tr("Per-unit R² on the test repeat"));
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->legend()->setAlignment(Qt::AlignBottom);
    histogram_ = new QChartView(chart, this);
    histogram_->setRenderHint(QPainter::Antialiasing);
    histogram_->setMinimumHeight(200);
    layout->addWidget(histogram_, 1);
    colourRaster_ = new QCheckBox(tr("Colour the raster's units by R²"), this);
    colourRaster_->setEnabled(false);
    layout->addWidget(colourRaster_);
    table_ = new QTableWidget(0, 4, this);
    table_->setHorizontalHeaderLabels({tr("unit"), tr("area"), tr("R²"), QString()});
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    layout->addWidget(table_, 1);

    connect(run_, &QPushButton::clicked, this, &AlignmentPanel::run);
    connect(table_, &QTableWidget::cellClicked, this, [this](int row, int) {
        if (const QTableWidgetItem* item = table_->item(row, 0))
            Q_EMIT unitClicked(item->data(Qt::UserRole).toInt());
    });
    connect(colourRaster_, &QCheckBox::toggled, this, [this] { emitScores(); });
    connect(&runner_, &JobRunner::finished, this, [this](const QString&, const JobResult& r) {
        if (sameData(jobAnalysis_, analysis_))
            show(std::static_pointer_cast<const AlignmentComparison>(r));
    });
    connect(&runner_, &JobRunner::failed, this,
            [this](const QString&, const QString& message) { Q_EMIT failed(message); });
    setAnalysis(nullptr);
}

void AlignmentPanel::setAnalysis(AnalysisPtr analysis)
{
    if (!sameData(analysis, analysis_) && outcome_) {
        outcome_.reset();
        table_->setRowCount(0);
        histogram_->chart()->removeAllSeries();
        colourRaster_->setChecked(false);
        colourRaster_->setEnabled(false);
    }
    analysis_ = std::move(analysis);
    const QString previous = embedding_->currentData().toString();
    embedding_->clear();
    if (analysis_)
        for (const auto& [name, e] : analysis_->pre.recording.results)
            embedding_->addItem(QStringLiteral("%1 (%2 dims)")
                                    .arg(QString::fromStdString(name))
                                    .arg(e.values.cols()),
                                QString::fromStdString(name));
    const int inView = embedding_->findData(preferred_);
    embedding_->setCurrentIndex(inView >= 0 ? inView : std::max(0, embedding_->findData(previous)));
    run_->setEnabled(analysis_ && embedding_->count() > 0);
}

void AlignmentPanel::preferEmbedding(const QString& name)
{
    preferred_ = name;
    if (const int index = embedding_->findData(name); index >= 0)
        embedding_->setCurrentIndex(index);
}

void AlignmentPanel::run()
{
    if (!analysis_ || embedding_->count() == 0) return;
    const AnalysisPtr analysis = analysis_;
    jobAnalysis_ = analysis_;
    const std::string name = embedding_->currentData().toString().toStdString();
    AlignmentOptions o;
    o.model = model_->currentData().toString() == QLatin1String("mlp")
                  ? AlignmentOptions::Model::Mlp
                  : AlignmentOptions::Model::Ridge;
    // A trained model's latents are scored on the repeats it never saw: its own split.
    const auto stored = analysis->pre.recording.results.find(name);
    if (stored != analysis->pre.recording.results.end())
        if (const auto split = storedSplit(stored->second); split && !split->validation.empty())
            o.split = *split;
    runner_.start(
        QStringLiteral("alignment"), [analysis, name, o](Progress& progress) -> JobResult {
            const Recording& rec = analysis->pre.recording;
            const RowMatrixXf latents = embeddingInput(rec, name);
            auto out = std::make_shared<AlignmentComparison>();
            out->dims = int(latents.cols());
            out->embedding = name;
            out->model = o.model == AlignmentOptions::Model::Mlp ? "mlp" : "ridge";
            SubProgress first(progress, 0.0, 0.5);
            out->result = alignLatents(rec, latents, o, first);
            const RowMatrixXf X = rec.responses.sampleMatrix();
            const int k =
                std::max(1, int(std::min<Eigen::Index>({latents.cols(), X.cols(), X.rows() - 1})));
            const PcaResult pca = fitPca(gatherRepeats(rec.responses, out->result.train), k);
            SubProgress second(progress, 0.5, 1.0);
            out->pca = alignLatents(rec, pca.transform(X, k), o, second);
            return std::shared_ptr<const AlignmentComparison>(out);
        });
}

bool AlignmentPanel::restore(const std::shared_ptr<const AlignmentComparison>& c)
{
    if (!c || !analysis_) return false;
    const int index = embedding_->findData(QString::fromStdString(c->embedding));
    if (index < 0 ||
        c->result.r2PerUnit.size() != Eigen::Index(analysis_->pre.recording.units.size()))
        return false;
    for (const std::vector<int>* set : {&c->result.train, &c->result.validation, &c->result.test})
        for (int r : *set)
            if (r < 0 || r >= analysis_->repeats()) return false;
    embedding_->setCurrentIndex(index);
    model_->setCurrentIndex(std::max(0, model_->findData(QString::fromStdString(c->model))));
    jobAnalysis_ = analysis_;
    show(c);
    return true;
}

void AlignmentPanel::show(const std::shared_ptr<const AlignmentComparison>& out)
{
    outcome_ = out;
    const Eigen::VectorXd& r2 = out->result.r2PerUnit;
    const Eigen::VectorXd& base = out->pca.r2PerUnit;
    summary_->setText(tr("%1: test R² %2 (validation %3) · PCA of the same %4 dimensions: %5")
                          .arg(embedding_->currentText())
                          .arg(out->result.r2, 0, 'f', 3)
                          .arg(out->result.validationR2, 0, 'f', 3)
                          .arg(out->dims)
                          .arg(out->pca.r2, 0, 'f', 3));
    // Histogram of both, in bins of 0.05 over their common range.
    const double lo = std::floor(std::min(r2.minCoeff(), base.minCoeff()) * 20) / 20;
    const double hi = std::ceil(std::max(r2.maxCoeff(), base.maxCoeff()) * 20) / 20 + 1e-9;
    const int bins = std::max(1, int(std::lround((hi - lo) / 0.05)));
    std::vector<int> ca(std::size_t(bins), 0), cb(std::size_t(bins), 0);
    for (Eigen::Index u = 0; u < r2.size(); ++u)
        ++ca[std::size_t(std::clamp(int((r2[u] - lo) / 0.05), 0, bins - 1))];
    for (Eigen::Index u = 0; u < base.size(); ++u)
        ++cb[std::size_t(std::clamp(int((base[u] - lo) / 0.05), 0, bins - 1))];
    // Step outlines (a histogram that reads at any width), the embedding's filled.
    auto steps = [&](const std::vector<int>& counts, const QString& name, const QColor& colour,
                     qreal width) {
        auto* line = new QLineSeries;
        line->setName(name);
        line->setPen(QPen(colour, width));
        line->append(lo, 0);
        for (int i = 0; i < bins; ++i) {
            line->append(lo + 0.05 * i, counts[std::size_t(i)]);
            line->append(lo + 0.05 * (i + 1), counts[std::size_t(i)]);
        }
        line->append(lo + 0.05 * bins, 0);
        return line;
    };
    int top = 1;
    for (int i = 0; i < bins; ++i) top = std::max({top, ca[std::size_t(i)], cb[std::size_t(i)]});
    QChart* chart = histogram_->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    auto* ax = new QValueAxis;
    applyNiceScale(ax, lo, lo + 0.05 * bins);
    ax->setTitleText(tr("R² (bins of 0.05)"));
    auto* ay = new QValueAxis;
    applyNiceScale(ay, 0, top);
    ay->setTitleText(tr("units"));
    chart->addAxis(ax, Qt::AlignBottom);
    chart->addAxis(ay, Qt::AlignLeft);
    for (QLineSeries* line :
         {steps(cb, tr("PCA, same dimension"), QColor(150, 150, 150), 1.5),
          steps(ca, embedding_->currentData().toString(), QColor(31, 119, 180), 2.0)}) {
        chart->addSeries(line);
        line->attachAxis(ax);
        line->attachAxis(ay);
    }

    // The best and worst explained units.
    std::vector<int> order(static_cast<std::size_t>(r2.size()));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return r2[x] > r2[y]; });
    const int shown = std::min<int>(10, int(order.size()));
    std::vector<std::pair<int, QString>> rows;
    rows.reserve(2 * std::size_t(shown));
    for (int i = 0; i < shown; ++i) rows.emplace_back(order[std::size_t(i)], tr("best"));
    for (int i = int(order.size()) - shown; i < int(order.size()); ++i)
        rows.emplace_back(order[std::size_t(i)], tr("worst"));
    table_->setRowCount(int(rows.size()));
    const auto& units = analysis_->pre.recording.units;
    for (int i = 0; i < int(rows.size()); ++i) {
        const int u = rows[std::size_t(i)].first;
        auto* idItem = new QTableWidgetItem(QString::number(units.id[std::size_t(u)]));
        idItem->setData(Qt::UserRole, u);
        table_->setItem(i, 0, idItem);
        table_->setItem(i, 1,
                        new QTableWidgetItem(QString::fromStdString(units.area[std::size_t(u)])));
        table_->setItem(i, 2, new QTableWidgetItem(QString::number(r2[u], 'f', 3)));
        table_->setItem(i, 3, new QTableWidgetItem(rows[std::size_t(i)].second));
    }
    colourRaster_->setEnabled(true);
    emitScores();
    Q_EMIT aligned();
}

void AlignmentPanel::emitScores()
{
    if (!outcome_ || !colourRaster_->isChecked()) {
        Q_EMIT unitScores({}, QString());
        return;
    }
    const Eigen::VectorXd& r2 = outcome_->result.r2PerUnit;
    std::vector<float> v(static_cast<std::size_t>(r2.size()));
    for (Eigen::Index u = 0; u < r2.size(); ++u) v[std::size_t(u)] = float(r2[u]);
    Q_EMIT unitScores(v, tr("R²"));
}

}  // namespace neurolens
