#pragma once
// The dataset browser: open recordings and, for the current one, its units (by area), repeats and
// blocks, movie, features and computed analyses; below, the table of analysed units (id, area,
// rate, QC columns), sortable.

#include "AnalysisController.h"
#include "DatasetController.h"

#include <QWidget>

class QSortFilterProxyModel;
class QTableView;
class QTreeWidget;

namespace neurolens {

class UnitTableModel;

class BrowserPanel : public QWidget {
    Q_OBJECT
public:
    explicit BrowserPanel(QWidget* parent = nullptr);
    void setRecordings(const std::vector<DatasetController::Entry>& entries, int current);
    void setAnalysis(AnalysisPtr analysis);
    QTreeWidget* tree() const { return tree_; }
    QTableView* table() const { return table_; }
    QTableView* units() const { return table_; }

Q_SIGNALS:
    void recordingActivated(int index);
    void closeRequested(int index);
    void unitClicked(int unit);  // a row of the unit table: the unit's index in the analysis

private:
    void rebuildTree();

    std::vector<DatasetController::Entry> entries_;
    int current_ = -1;
    AnalysisPtr analysis_;
    QTreeWidget* tree_ = nullptr;
    QTableView* table_ = nullptr;
    UnitTableModel* model_ = nullptr;
    QSortFilterProxyModel* proxy_ = nullptr;
};

}  // namespace neurolens
