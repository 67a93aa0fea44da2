// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QUrl>
#include <QWidget>

class QWebEngineView;

namespace pw {

// Call before constructing the QApplication of any process that shows the run
// view: Qt WebEngine needs shared OpenGL contexts, and Chromium's sandbox
// refuses to start as root (containers, CI), where it is turned off.
void prepareWebEngine();

// Stands in for a QWebEngineView until one is needed: constructing the first
// web view starts Chromium (about 3 s, most of the studio's start-up), so the
// real view is made when this widget is first shown, or when asked for. Content
// given before then is kept and loaded into it.
class LazyWebView final : public QWidget {
    Q_OBJECT
public:
    explicit LazyWebView(QWidget *parent = nullptr);

    void setHtml(const QString &html, const QUrl &baseUrl = QUrl());
    void load(const QUrl &url);
    // The real view, made now if it was not yet.
    QWebEngineView *view();
    bool hasStarted() const { return m_view != nullptr; }

signals:
    void loadFinished(bool ok);

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWebEngineView *m_view = nullptr;
    // What to show once the view exists: a page, or a file to load.
    QString m_html;
    QUrl m_base, m_url;
};

} // namespace pw
