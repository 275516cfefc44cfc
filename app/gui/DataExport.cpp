#include "DataExport.h"

#include "neurolens/data/Error.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>

namespace neurolens {

DataExporter::DataExporter(QWidget* dialogParent)
    : QObject(dialogParent), dialogParent_(dialogParent), lastFolder_(QDir::homePath())
{
    connect(&runner_, &JobRunner::finished, this,
            [this](const QString& label, const JobResult&) { Q_EMIT exported(label); });
    connect(
        &runner_, &JobRunner::failed, this,
        [this](const QString& label, const QString& message) { Q_EMIT failed(label, message); });
}

void DataExporter::addSource(const QString& name, const QString& defaultGroup, MakeTable make)
{
    sources_.push_back({name, defaultGroup, std::move(make)});
}

const DataExporter::Source* DataExporter::find(const QString& name) const
{
    for (const Source& s : sources_)
        if (s.name == name) return &s;
    return nullptr;
}

QStringList DataExporter::available() const
{
    QStringList out;
    for (const Source& s : sources_)
        if (s.make()) out << s.name;
    return out;
}

void DataExporter::exportTo(const QString& sourceName, const QString& path, const QString& group)
{
    const Source* source = find(sourceName);
    std::shared_ptr<const ResultTable> table = source ? source->make() : nullptr;
    if (!table) {
        Q_EMIT failed(path, tr("%1: nothing to export for '%2' yet").arg(path, sourceName));
        return;
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    const bool csv = suffix == QLatin1String("csv");
    if (!csv && suffix != QLatin1String("h5") && suffix != QLatin1String("hdf5")) {
        Q_EMIT failed(path, tr("%1: data are exported as .csv, .h5 or .hdf5").arg(path));
        return;
    }
    const std::string file = path.toStdString(),
                      name = (group.isEmpty() ? source->group : group).toStdString();
    runner_.start(path, [table, file, name, csv](Progress& progress) -> JobResult {
        progress.report(0, 1, "writing " + file);
        if (csv)
            writeTableCsv(*table, file);
        else
            writeTableHdf5(*table, file, name);
        return std::make_shared<int>(0);
    });
}

void DataExporter::exportInteractively()
{
    const QStringList sources = available();
    if (sources.isEmpty()) {
        Q_EMIT failed(QString(), tr("Nothing to export yet: open a recording first."));
        return;
    }
    QDialog dialog(dialogParent_);
    dialog.setWindowTitle(tr("Export Data"));
    auto* form = new QFormLayout(&dialog);
    auto* which = new QComboBox(&dialog);
    which->addItems(sources);
    auto* path = new QLineEdit(&dialog);
    path->setMinimumWidth(380);
    auto* format = new QComboBox(&dialog);
    format->addItem(tr("CSV table"), QStringLiteral("csv"));
    format->addItem(tr("HDF5, into /results"), QStringLiteral("h5"));
    auto* browse = new QPushButton(tr("Browse…"), &dialog);
    auto* row = new QHBoxLayout;
    row->addWidget(path);
    row->addWidget(browse);
    auto* group = new QLineEdit(&dialog);
    group->setToolTip(
        tr("HDF5 only: the data go to /results/<name> (a native file keeps everything else)"));
    auto suggest = [&] {
        const Source* s = find(which->currentText());
        group->setText(s ? s->group : QString());
        const QString suffix =
            path->text().isEmpty() ? QStringLiteral("csv") : QFileInfo(path->text()).suffix();
        const QString folder =
            path->text().isEmpty() ? lastFolder_ : QFileInfo(path->text()).absolutePath();
        path->setText(QDir(folder).filePath(group->text() + QLatin1Char('.') + suffix));
    };
    QObject::connect(which, &QComboBox::currentTextChanged, &dialog, suggest);
    QObject::connect(path, &QLineEdit::textChanged, &dialog, [&] {
        const QString suffix = QFileInfo(path->text()).suffix().toLower();
        group->setEnabled(suffix != QLatin1String("csv"));
        const int i =
            format->findData(suffix == QLatin1String("hdf5") ? QStringLiteral("h5") : suffix);
        if (i >= 0 && i != format->currentIndex()) format->setCurrentIndex(i);
    });
    QObject::connect(format, &QComboBox::currentIndexChanged, &dialog, [&] {
        const QFileInfo info(path->text());
        const QString wanted = format->currentData().toString(), suffix = info.suffix().toLower();
        if (suffix != wanted && !(wanted == QLatin1String("h5") && suffix == QLatin1String("hdf5")))
            path->setText(info.dir().filePath(info.completeBaseName() + QLatin1Char('.') + wanted));
    });
    QObject::connect(browse, &QPushButton::clicked, &dialog, [&] {
        const QString chosen =
            QFileDialog::getSaveFileName(&dialog, tr("Export data"), path->text(),
                                         tr("CSV table (*.csv);;HDF5, into /results (*.h5 *.hdf5)"),
                                         nullptr, QFileDialog::DontConfirmOverwrite);
        if (!chosen.isEmpty()) path->setText(chosen);
    });
    suggest();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(tr("Data:"), which);
    form->addRow(tr("Format:"), format);
    form->addRow(tr("File:"), row);
    form->addRow(tr("HDF5 group:"), group);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted) return;
    const QFileInfo target(path->text());
    if (target.suffix().toLower() == QLatin1String("csv") && target.exists() &&
        QMessageBox::question(dialogParent_, tr("Export Data"),
                              tr("%1 exists. Replace it?").arg(target.fileName())) !=
            QMessageBox::Yes)
        return;
    lastFolder_ = QFileInfo(path->text()).absolutePath();
    exportTo(which->currentText(), path->text(), group->text());
}

}  // namespace neurolens
