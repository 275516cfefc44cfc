#pragma once
// Work a saved session keeps (trained models' latents, computed layouts) that has not been saved:
// noted as it is made, forgotten when a session is saved or opened, and asked about before anything
// would discard it (Preprocessing → Apply, closing the window): Save, Discard or Cancel. Work still
// running is asked about before closing stops it.

#include <QMessageBox>
#include <QObject>
#include <QStringList>

#include <functional>

namespace neurolens {

class UnsavedWork : public QObject {
    Q_OBJECT
public:
    // Shows `text` and returns the button chosen among `buttons`.
    using Ask = std::function<QMessageBox::StandardButton(const QString& text,
                                                          QMessageBox::StandardButtons buttons)>;

    explicit UnsavedWork(QWidget* dialogParent);
    void note(const QString& what);
    void clear();
    const QStringList& items() const { return items_; }
    // The default asks in a dialog; tests (and screenshots) answer here.
    void setAsk(Ask ask) { ask_ = std::move(ask); }
    // Whether to go on with what `consequence` describes ("Applying recomputes the analysis"):
    // true when nothing is unsaved, when the user discards it (it is then forgotten), or when
    // `save` saved it; false on Cancel or a failed save.
    bool confirm(const QString& consequence, const std::function<bool()>& save);
    // Whether to go on although it stops the work still `running` ("the CEBRA training"), which is
    // then lost: true when nothing runs or the user chooses to discard it; false on Cancel.
    bool confirmStopping(const QString& consequence, const QStringList& running);

Q_SIGNALS:
    void changed(bool unsaved);

private:
    QWidget* dialogParent_;
    QStringList items_;
    Ask ask_;
};

}  // namespace neurolens
