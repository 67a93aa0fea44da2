// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>

class QAction;
class QWidget;

namespace pw {

class CanvasView;

// Zoom in/out, fit, actual size, and Graphviz auto-layout left-to-right or
// top-to-bottom (an undoable move of every node).
class ViewController final : public QObject {
    Q_OBJECT
public:
    ViewController(CanvasView *view, QWidget *window);
    QList<QAction *> actions() const { return m_actions; }
    QList<QAction *> layoutActions() const { return m_layoutActions; }
    // Returns false when the layout moved nothing.
    bool autoLayout(bool leftToRight);

private:
    CanvasView *m_view;
    QList<QAction *> m_actions, m_layoutActions;
};

} // namespace pw
