#include "BrowserPanel.h"

#include "neurolens/widgets/UnitTableModel.h"

#include <QHeaderView>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <map>

namespace neurolens {

BrowserPanel::BrowserPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto* split = new QSplitter(Qt::Vertical, this);
    tree_ = new QTreeWidget(split);
    tree_->setHeaderLabels({tr("Item"), tr("Details")});
    tree_->setColumnCount(2);
    tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    table_ = new QTableView(split);
    model_ = new UnitTableModel(this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(Qt::UserRole);
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(0, Qt::AscendingOrder);
    table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setAlternatingRowColors(true);
    table_->horizontalHeader()->setResizeContentsPrecision(64);  // measure 64 rows, not all of them
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    layout->addWidget(split);
    connect(tree_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        while (item->parent()) item = item->parent();
        Q_EMIT recordingActivated(tree_->indexOfTopLevelItem(item));
    });
    connect(table_, &QTableView::clicked, this, [this](const QModelIndex& index) {
        Q_EMIT unitClicked(proxy_->mapToSource(index).row());
    });
    // A recording's context menu: show it, or close it.
    tree_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(tree_, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        QTreeWidgetItem* item = tree_->itemAt(at);
        if (!item) return;
        while (item->parent()) item = item->parent();
        const int index = tree_->indexOfTopLevelItem(item);
        QMenu menu(this);
        menu.addAction(tr("Show"), this, [this, index] { Q_EMIT recordingActivated(index); });
        QAction* close =
            menu.addAction(tr("Close"), this, [this, index] { Q_EMIT closeRequested(index); });
        close->setEnabled(entries_.size() > 1);
        if (entries_.size() < 2) close->setToolTip(tr("The only recording open stays open"));
        menu.exec(tree_->viewport()->mapToGlobal(at));
    });
}

void BrowserPanel::setRecordings(const std::vector<DatasetController::Entry>& entries, int current)
{
    entries_ = entries;
    current_ = current;
    rebuildTree();
}

void BrowserPanel::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    if (analysis_)
        model_->setUnits(
            analysis_->pre.recording.units, analysis_->rateHz,
            analysis_->pre.recording.responses.continuous() ? tr("mean value") : tr("rate (Hz)"));
    table_->resizeColumnsToContents();
    rebuildTree();
}

void BrowserPanel::rebuildTree()
{
    tree_->clear();
    for (int i = 0; i < int(entries_.size()); ++i) {
        const auto& e = entries_[std::size_t(i)];
        const Recording& rec = *e.recording;
        auto* top = new QTreeWidgetItem(tree_, {e.name, QString::fromStdString(rec.format)});
        top->setToolTip(0, e.path.isEmpty() ? QString::fromStdString(rec.source) : e.path);
        QFont bold = top->font(0);
        bold.setBold(i == current_);
        top->setFont(0, bold);
        if (i != current_) continue;
        const Responses& r = rec.responses;
        auto* units = new QTreeWidgetItem(top, {tr("Units"), QString::number(r.units())});
        for (const auto& [area, count] : rec.units.areaCounts())
            new QTreeWidgetItem(units, {QString::fromStdString(area), QString::number(count)});
        std::map<int, int> blocks;
        for (int b : rec.stimulus.block) ++blocks[b];
        auto* repeats = new QTreeWidgetItem(
            top, {tr("Repeats"), tr("%1 in %2 block(s)").arg(r.repeats()).arg(blocks.size())});
        for (const auto& [b, n] : blocks)
            new QTreeWidgetItem(repeats, {tr("Block %1").arg(b), tr("%1 repeats").arg(n)});
        new QTreeWidgetItem(top, {tr("Timing"), tr("%1 frames, %2 bins/frame, %3 Hz")
                                                    .arg(rec.frames())
                                                    .arg(r.binsPerFrame())
                                                    .arg(r.binRateHz(), 0, 'g', 4)});
        new QTreeWidgetItem(top, {tr("Movie"), rec.movie ? tr("%1 × %2 × %3")
                                                               .arg(rec.movie->frames)
                                                               .arg(rec.movie->height)
                                                               .arg(rec.movie->width)
                                                         : tr("none")});
        auto* features = new QTreeWidgetItem(
            top, {tr("Features"),
                  rec.features.empty() ? tr("none") : QString::number(rec.features.size())});
        for (const auto& [name, f] : rec.features)
            new QTreeWidgetItem(features,
                                {QString::fromStdString(name), tr("%1 dims").arg(f.values.cols())});
        if (e.nwb) {
            auto* file = new QTreeWidgetItem(top, {tr("Session file"), QString()});
            if (e.nwb->units == 0 && !e.nwb->traces.empty()) {
                // A two-photon file: its ROI response series, each an imaging plane's ROIs.
                file->setText(1, tr("%n ROI response series", "", int(e.nwb->traces.size())));
                for (const auto& t : e.nwb->traces)
                    new QTreeWidgetItem(file, {QString::fromStdString(t.name),
                                               tr("%1 ROIs (%2), %3 samples at %4 Hz")
                                                   .arg(t.rois)
                                                   .arg(QString::fromStdString(t.area))
                                                   .arg(t.samples)
                                                   .arg(t.rateHz, 0, 'f', 1)});
            } else {
                file->setText(1, tr("%1 units, %2 pass the filter")
                                     .arg(e.nwb->units)
                                     .arg(e.nwb->unitsPassingQc));
                for (const auto& [area, count] : e.nwb->areas)
                    new QTreeWidgetItem(
                        file, {QString::fromStdString(area),
                               tr("%1 units, %2 pass")
                                   .arg(count)
                                   .arg(e.nwb->areasQc.count(area) ? e.nwb->areasQc.at(area) : 0)});
            }
            for (const auto& t : e.nwb->stimuli) {
                QStringList perBlock;
                for (int count : t.repeatsPerBlock) perBlock << QString::number(count);
                new QTreeWidgetItem(
                    file, {QString::fromStdString(t.name), tr("%1 frames; repeats per block: %2")
                                                               .arg(t.framesPerRepeat)
                                                               .arg(perBlock.join(", "))});
            }
        }
        auto* analyses = new QTreeWidgetItem(top, {tr("Analyses"), QString()});
        for (const auto& [name, e2] : rec.results)
            new QTreeWidgetItem(analyses, {QString::fromStdString(name),
                                           tr("stored, %1 dims").arg(e2.values.cols())});
        if (analysis_ && analysis_->source == e.recording) {
            const auto& pre = analysis_->pre;
            new QTreeWidgetItem(analyses,
                                {tr("PCA"), tr("90 %: %1 PCs, 95 %: %2 PCs")
                                                .arg(analysis_->pca.componentsFor(0.90))
                                                .arg(analysis_->pca.componentsFor(0.95))});
            new QTreeWidgetItem(
                analyses, {tr("Analysed units"), tr("%1 (silent dropped %2, area %3, variance %4)")
                                                     .arg(pre.recording.responses.units())
                                                     .arg(pre.droppedSilent)
                                                     .arg(pre.droppedByArea)
                                                     .arg(pre.droppedByVariance)});
        }
        top->setExpanded(true);
        analyses->setExpanded(true);
    }
}

}  // namespace neurolens
