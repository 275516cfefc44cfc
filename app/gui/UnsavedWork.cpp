#include "UnsavedWork.h"

namespace neurolens {

UnsavedWork::UnsavedWork(QWidget* dialogParent)
    : QObject(dialogParent),
      dialogParent_(dialogParent),
      ask_([this](const QString& text, QMessageBox::StandardButtons buttons) {
          QMessageBox box(QMessageBox::Warning, tr("Unsaved work"), text, buttons, dialogParent_);
          box.setDefaultButton(buttons & QMessageBox::Save ? QMessageBox::Save
                                                           : QMessageBox::Cancel);
          return QMessageBox::StandardButton(box.exec());
      })
{
}

void UnsavedWork::note(const QString& what)
{
    if (items_.contains(what)) return;
    items_ << what;
    Q_EMIT changed(true);
}

void UnsavedWork::clear()
{
    if (items_.isEmpty()) return;
    items_.clear();
    Q_EMIT changed(false);
}

bool UnsavedWork::confirm(const QString& consequence, const std::function<bool()>& save)
{
    if (items_.isEmpty()) return true;
    const QString text = tr("%1: %2 will be lost unless the session is saved.")
                             .arg(consequence, items_.join(tr(", ")));
    switch (ask_(text, QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel)) {
        case QMessageBox::Save:
            return save();
        case QMessageBox::Discard:
            clear();
            return true;
        default:
            return false;
    }
}

bool UnsavedWork::confirmStopping(const QString& consequence, const QStringList& running)
{
    if (running.isEmpty()) return true;
    const QString text = tr("%1 stops %2, still running; what it has done so far is lost.")
                             .arg(consequence, running.join(tr(", ")));
    return ask_(text, QMessageBox::Discard | QMessageBox::Cancel) == QMessageBox::Discard;
}

}  // namespace neurolens
