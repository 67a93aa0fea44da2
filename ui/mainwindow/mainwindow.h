// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMainWindow>
#include <QTimer>

class QDockWidget;
class QLabel;
class QTabWidget;

namespace pw {

class CanvasView;
class CompilePreview;
class EditController;
class FileController;
class InspectorPanel;
class PaletteWidget;
class PipelineDocument;
class PipelineScene;
class ProblemsPanel;
class RunPage;
class ViewController;

// The studio window: the canvas in the middle, palette, inspector, problems
// and compile preview in docks. Menus and shortcuts come from the per-area
// controllers (files, edit, view); this class wires them to the document and
// keeps the window-level state (title, dock layout, selection -> inspector).
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    PipelineDocument *document() const { return m_doc; }
    PipelineScene *scene() const { return m_scene; }
    CanvasView *canvas() const { return m_view; }
    PaletteWidget *palette() const { return m_palette; }
    InspectorPanel *inspector() const { return m_inspector; }
    ProblemsPanel *problems() const { return m_problems; }
    CompilePreview *preview() const { return m_preview; }
    FileController *files() const { return m_files; }
    EditController *edits() const { return m_edits; }
    ViewController *views() const { return m_viewController; }
    RunPage *runs() const { return m_runPage; }

    // The central pages: the pipeline canvas and the runs.
    enum class Page { Pipeline, Runs };
    void showPage(Page page);

    // Adds a task for the component file at `scenePos` (drag and drop,
    // palette activation); returns the new task id, empty on failure.
    QString addComponent(const QString &path, const QPointF &scenePos);
    // Validates now instead of after the debounce.
    void validateNow();
    // Offers the recovery files a crashed session left (at startup).
    void offerRecovery();

private slots:
    // A message from a controller, shown for a while (not until the next one).
    void showStatus(const QString &text);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createDocks();
    void createMenus();
    void updateTitle();
    void syncInspector();
    void pageChanged(int index);
    QDockWidget *dock(const QString &title, const QString &name, QWidget *widget, Qt::DockWidgetArea area,
                      const QKeySequence &toggle);

    PipelineDocument *m_doc;
    PipelineScene *m_scene;
    CanvasView *m_view;
    PaletteWidget *m_palette;
    InspectorPanel *m_inspector;
    ProblemsPanel *m_problems;
    CompilePreview *m_preview;
    FileController *m_files;
    EditController *m_edits;
    ViewController *m_viewController;
    RunPage *m_runPage;
    QTabWidget *m_pages;
    QByteArray m_designDocks; // dock layout of the pipeline page while the runs page shows
    QList<QDockWidget *> m_docks;
    QLabel *m_counts;
    QTimer m_validate;
};

} // namespace pw
