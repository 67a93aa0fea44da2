// SPDX-License-Identifier: Apache-2.0
#include "runview/webenginesetup.h"

#include <QCoreApplication>
#include <QVBoxLayout>
#include <QWebEngineView>

#include <unistd.h>

namespace pw {

void prepareWebEngine()
{
    if (geteuid() == 0 && qEnvironmentVariableIsEmpty("QTWEBENGINE_CHROMIUM_FLAGS"))
        qputenv("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox");
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
}

LazyWebView::LazyWebView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
}

QWebEngineView *LazyWebView::view()
{
    if (m_view)
        return m_view;
    m_view = new QWebEngineView(this);
    m_view->setContextMenuPolicy(Qt::NoContextMenu);
    connect(m_view, &QWebEngineView::loadFinished, this, &LazyWebView::loadFinished);
    layout()->addWidget(m_view);
    if (!m_url.isEmpty())
        m_view->load(m_url);
    else
        m_view->setHtml(m_html, m_base);
    return m_view;
}

void LazyWebView::setHtml(const QString &html, const QUrl &baseUrl)
{
    m_html = html;
    m_base = baseUrl;
    m_url.clear();
    if (m_view)
        m_view->setHtml(html, baseUrl);
}

void LazyWebView::load(const QUrl &url)
{
    m_url = url;
    m_html.clear();
    if (m_view)
        m_view->load(url);
}

void LazyWebView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    view();
}

} // namespace pw
