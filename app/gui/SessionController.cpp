#include "SessionController.h"

#include "AlignmentPanel.h"
#include "AnalysisController.h"
#include "DatasetController.h"
#include "DecoderPanel.h"
#include "EmbeddingPanel.h"
#include "PreprocessPanel.h"
#include "TrainingDock.h"
#include "TrainingJob.h"

#include "neurolens/data/Error.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMainWindow>
#include <QPlainTextEdit>

#include <algorithm>
#include <cmath>

namespace neurolens {

SessionController::SessionController(SessionParts parts, QObject* parent)
    : QObject(parent), parts_(parts)
{
    connect(&parts_.datasets, &DatasetController::idle, this, &SessionController::onIdle);
}

QString SessionController::viewState() const
{
    QJsonObject o;
    const EmbeddingPanel* e = &parts_.embedding;
    o[QStringLiteral("method")] = e->method()->currentData().toString();
    o[QStringLiteral("colour_by")] = e->colourBy()->currentText();
    o[QStringLiteral("dims")] = e->dims()->currentText();
    // The decoder chosen and its parameters, by the registry's names.
    const DecoderPanel* d = &parts_.decoder;
    QJsonObject parameters;
    const Parameters p = d->parameters();
    for (const auto& [name, v] : p.numbers) parameters[QString::fromStdString(name)] = v;
    for (const auto& [name, v] : p.choices)
        parameters[QString::fromStdString(name)] = QString::fromStdString(v);
    o[QStringLiteral("decoder")] = QJsonObject{{QStringLiteral("name"), d->decoder()},
                                               {QStringLiteral("parameters"), parameters}};
    const Sample s = parts_.selection.current();
    o[QStringLiteral("selection")] = QJsonArray{s.repeat, s.bin};
    o[QStringLiteral("geometry")] = QString::fromLatin1(parts_.window.saveGeometry().toBase64());
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

void SessionController::applyViewState(const QString& json)
{
    const QJsonObject o = QJsonDocument::fromJson(json.toUtf8()).object();
    EmbeddingPanel* e = &parts_.embedding;
    auto choose = [](QComboBox* box, const QString& text) {
        const int i = box->findText(text);
        if (i >= 0) box->setCurrentIndex(i);
    };
    choose(e->dims(), o.value(QStringLiteral("dims")).toString());
    // By the method's name (the registry's, or result:NAME); sessions saved before named it by its
    // title.
    const QString method = o.value(QStringLiteral("method")).toString();
    if (const int i = e->method()->findData(method); i >= 0)
        e->method()->setCurrentIndex(i);
    else
        choose(e->method(), method);
    choose(e->colourBy(), o.value(QStringLiteral("colour_by")).toString());
    const QJsonObject decoder = o.value(QStringLiteral("decoder")).toObject();
    if (!decoder.isEmpty()) {
        // Values the registry no longer accepts keep the form's; an unknown decoder leaves the
        // panel as it is.
        const QJsonObject saved = decoder.value(QStringLiteral("parameters")).toObject();
        Parameters p;
        for (auto it = saved.begin(); it != saved.end(); ++it) {
            if (it.value().isDouble())
                p.numbers[it.key().toStdString()] = it.value().toDouble();
            else if (it.value().isString())
                p.choices[it.key().toStdString()] = it.value().toString().toStdString();
        }
        parts_.decoder.setDecoder(decoder.value(QStringLiteral("name")).toString(), p);
    }
    const QJsonArray sel = o.value(QStringLiteral("selection")).toArray();
    if (sel.size() == 2 && parts_.analyses.current()) {
        const Sample s{sel[0].toInt(-1), sel[1].toInt(-1)};
        if (s.valid() && s.repeat < parts_.analyses.current()->repeats() &&
            s.bin < parts_.analyses.current()->bins())
            parts_.selection.select(s);
    }
    const QByteArray geometry =
        QByteArray::fromBase64(o.value(QStringLiteral("geometry")).toString().toLatin1());
    if (!geometry.isEmpty()) parts_.window.restoreGeometry(geometry);
}

namespace {

// A training's curves and log as JSON: {"history": [{"epoch", "seconds", "values": {...}}], "log"}.
std::string trainingJson(const std::vector<EpochRecord>& history, const QString& log)
{
    QJsonArray epochs;
    for (const EpochRecord& r : history) {
        QJsonObject values;
        for (const auto& [k, v] : r.values)
            values[QString::fromStdString(k)] = std::isfinite(v) ? QJsonValue(v) : QJsonValue();
        epochs.append(QJsonObject{{QStringLiteral("epoch"), r.epoch},
                                  {QStringLiteral("seconds"), r.seconds},
                                  {QStringLiteral("values"), values}});
    }
    const QJsonObject o{{QStringLiteral("history"), epochs}, {QStringLiteral("log"), log}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

}  // namespace

void SessionController::restoreTraining(const QString& kind, const std::string& json)
{
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
    std::vector<EpochRecord> history;
    const QJsonArray epochs = o.value(QStringLiteral("history")).toArray();
    for (const auto& e : epochs) {
        const QJsonObject epoch = e.toObject();
        EpochRecord r;
        r.epoch = epoch.value(QStringLiteral("epoch")).toInt();
        r.seconds = epoch.value(QStringLiteral("seconds")).toDouble();
        const QJsonObject values = epoch.value(QStringLiteral("values")).toObject();
        for (auto it = values.begin(); it != values.end(); ++it)
            r.values[it.key().toStdString()] =
                it.value().isDouble() ? it.value().toDouble() : std::nan("");
        history.push_back(std::move(r));
    }
    parts_.training.restoreHistory(kind, history, o.value(QStringLiteral("log")).toString());
}

QString SessionController::save(const QString& path)
{
    Session s;
    for (const DatasetController::Entry& entry : parts_.datasets.recordings()) {
        SessionRecording r;
        r.path = entry.path.toStdString();
        r.options = entry.options;
        for (const QString& a : entry.attached) r.attached.push_back(a.toStdString());
        if (entry.simulated) {
            r.simulated = true;
            r.seed = entry.simulated->seed;
            r.units = entry.simulated->units;
            r.repeats = entry.simulated->repeats;
            r.frames = entry.simulated->frames;
        }
        s.recordings.push_back(r);
    }
    s.current = std::max(0, parts_.datasets.currentIndex());
    s.preprocess = parts_.preprocessing.options();
    const AnalysisPtr analysis = parts_.analyses.current();
    if (analysis) {
        s.results = analysis->pre.recording.results;
        // The layouts computed in the view (t-SNE, factor analysis, ...), as stored results named
        // by their method (unless a result by that name exists).
        for (const auto& [method, layout] : parts_.embedding.layouts())
            if (layout && !s.results.count(method) &&
                layout->rows() == analysis->pre.recording.responses.samples())
                s.results[method] = Embedding{method, "{}", 0, *layout};
    }
    if (const auto& decoding = parts_.decoder.result();
        decoding && sameData(parts_.decoder.resultAnalysis(), analysis))
        s.decoding = *decoding;
    if (const auto& sweep = parts_.decoder.sweepResult();
        sweep && sameData(parts_.decoder.sweepAnalysis(), analysis))
        s.sweep = *sweep;
    if (const auto& alignment = parts_.alignment.outcome();
        alignment && sameData(parts_.alignment.outcomeAnalysis(), analysis))
        s.alignment = *alignment;
    if (const auto& outcome = parts_.training.job()->outcome(); outcome && outcome->model) {
        const QTemporaryDir temp;
        const QString file = temp.filePath(QStringLiteral("model.pt"));
        try {
            outcome->model->save(file.toStdString());
            QFile f(file);
            if (f.open(QIODevice::ReadOnly)) {
                const QByteArray bytes = f.readAll();
                SessionModel m;
                m.kind = outcome->kind();
                m.options = "{\"name\":\"" + outcome->latents.method + "\"}";
                m.checkpoint.assign(bytes.begin(), bytes.end());
                m.training =
                    trainingJson(outcome->model->history(), parts_.training.log()->toPlainText());
                s.models[m.kind] = std::move(m);
            }
        } catch (const Error&) {
            // A model that cannot be saved is left out; the session keeps its latents among the
            // results.
        }
    }
    s.viewState = viewState().toStdString();
    s.layout = parts_.window.saveState().toBase64().toStdString();
    try {
        saveSession(s, path.toStdString());
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

bool SessionController::open(const QString& path, QString* error)
{
    Session s;
    try {
        s = loadSession(path.toStdString());
    } catch (const Error& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    if (s.recordings.empty()) {
        if (error) *error = tr("%1: the session holds no recording").arg(path);
        return false;
    }
    // Models: their checkpoints, written where Training -> Resume from checkpoint… can take them.
    checkpoints_.clear();
    if (!s.models.empty()) {
        modelDir_ = std::make_unique<QTemporaryDir>();
        for (const auto& [name, m] : s.models) {
            const QString file =
                modelDir_->filePath(QString::fromStdString(name) + QStringLiteral(".pt"));
            QFile f(file);
            if (f.open(QIODevice::WriteOnly) &&
                f.write(reinterpret_cast<const char*>(m.checkpoint.data()),
                        qint64(m.checkpoint.size())) == qint64(m.checkpoint.size()))
                checkpoints_ << file;
        }
    }
    parts_.window.restoreState(QByteArray::fromBase64(QByteArray::fromStdString(s.layout)));
    parts_.preprocessing.setOptions(s.preprocess);
    pending_ = std::move(s);
    pendingPath_ = path;
    firstIndex_ = int(parts_.datasets.recordings().size());
    stage_ = Stage::Loading;
    for (const SessionRecording& r : pending_->recordings) {
        if (r.simulated)
            parts_.datasets.openSimulatedSession(r.seed, r.units, r.repeats, r.frames);
        else
            parts_.datasets.openFile(QString::fromStdString(r.path), r.options);
        QStringList attached;
        for (const std::string& a : r.attached) attached << QString::fromStdString(a);
        if (!attached.isEmpty()) parts_.datasets.openFiles(attached);
    }
    return true;
}

void SessionController::onIdle()
{
    if (!pending_ || stage_ != Stage::Loading) return;
    // Every recording of the session has loaded (or failed): the saved one becomes current,
    // analysed with the saved preprocessing.
    const int opened = int(parts_.datasets.recordings().size());
    stage_ = Stage::Analysing;
    // The saved current one (or the last that opened, when one of the session's files failed to
    // read).
    const int wanted = std::min(firstIndex_ + pending_->current, opened - 1);
    if (wanted >= 0 && wanted < opened) {
        if (wanted == parts_.datasets.currentIndex())
            parts_.analyses.analyse(parts_.datasets.current(), pending_->preprocess);
        else
            parts_.datasets.setCurrent(wanted);
    }
}

void SessionController::viewsReady()
{
    if (!pending_) return;
    const AnalysisPtr analysis = parts_.analyses.current();
    if (!analysis) return;
    if (stage_ == Stage::Analysing) {
        stage_ = Stage::AddingResults;
        if (!pending_->results.empty()) {
            parts_.analyses.addResults(analysis, pending_->results);
            return;  // the extended analysis is shown next
        }
    }
    if (stage_ == Stage::AddingResults) {
        stage_ = Stage::Views;
        applyViewState(QString::fromStdString(pending_->viewState));
        for (const auto& [name, m] : pending_->models)
            if (!m.training.empty()) restoreTraining(QString::fromStdString(m.kind), m.training);
        // A kept result made on other repeats, frames or units than the restored analysis is
        // not shown, and said so.
        QStringList refused;
        if (pending_->decoding &&
            !parts_.decoder.restore(std::make_shared<const DecodeResult>(*pending_->decoding)))
            refused << tr("decoding");
        if (pending_->sweep &&
            !parts_.decoder.restoreSweep(std::make_shared<const SweepResult>(*pending_->sweep)))
            refused << tr("sweep");
        if (pending_->alignment &&
            !parts_.alignment.restore(
                std::make_shared<const AlignmentComparison>(*pending_->alignment)))
            refused << tr("alignment");
        const QString note =
            refused.isEmpty()
                ? QString()
                : tr("Its %1 was made on other repeats, frames or units than these, and is not "
                     "shown.")
                      .arg(refused.join(tr(", ")));
        for (const QString& file : checkpoints_)
            parts_.training.log()->appendPlainText(
                tr("The session's trained model was restored as the checkpoint %1: Resume from "
                   "checkpoint… continues it.")
                    .arg(file));
        pending_.reset();
        Q_EMIT sessionRestored(pendingPath_, note);
    }
}

}  // namespace neurolens
