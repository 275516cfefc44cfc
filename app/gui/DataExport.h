#pragma once
// Data export (File -> Export Data…): what the views computed, as CSV or into an HDF5 file's
// /results (core/io/ResultTables): the embedding shown, the last decoding with its metrics and
// controls, the last training history, the last alignment's per-unit R². Sources register a
// function that builds the table from what is shown now (null when there is nothing yet); the file
// is written on a worker thread.

#include "JobRunner.h"

#include "neurolens/io/ResultTables.h"

#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

class QWidget;

namespace neurolens {

class DataExporter : public QObject {
    Q_OBJECT
public:
    using MakeTable = std::function<std::shared_ptr<const ResultTable>()>;
    explicit DataExporter(QWidget* dialogParent);

    void addSource(const QString& name, const QString& defaultGroup, MakeTable make);
    QStringList available() const;  // sources with something to export now
    // Writes `source` to `path` (.csv, or .h5/.hdf5 with the group /results/<group>), on the
    // worker.
    void exportTo(const QString& source, const QString& path, const QString& group = {});
    void exportInteractively();
    JobRunner& runner() { return runner_; }

Q_SIGNALS:
    void exported(const QString& path);
    void failed(const QString& path, const QString& message);

private:
    struct Source {
        QString name, group;
        MakeTable make;
    };
    const Source* find(const QString& name) const;

    std::vector<Source> sources_;
    JobRunner runner_{QStringLiteral("neurolens-export")};
    QWidget* dialogParent_;
    QString lastFolder_;
};

}  // namespace neurolens
