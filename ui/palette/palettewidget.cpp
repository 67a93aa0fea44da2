// SPDX-License-Identifier: Apache-2.0
#include "palette/palettewidget.h"

#include "palette/palettetree.h"

#include <QCryptographicHash>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace pw {

namespace {
const char *kUserPathsKey = "palette/userPaths";
}

PaletteWidget::PaletteWidget(QWidget *parent) : QWidget(parent)
{
    setObjectName("palette");
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_search = new QLineEdit(this);
    m_search->setObjectName("paletteSearch");
    m_search->setPlaceholderText(tr("Search components"));
    m_search->setClearButtonEnabled(true);
    layout->addWidget(m_search);
    m_tree = new PaletteTree(this);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    layout->addWidget(m_tree, 1);

    auto *buttons = new QHBoxLayout;
    auto addButton = [&](const QString &text, const QString &tip, auto slot) {
        auto *b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        connect(b, &QToolButton::clicked, this, slot);
        buttons->addWidget(b);
    };
    addButton(tr("+ File"), tr("Add a component.yaml file to the palette"), [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Add component"), {}, tr("Components (*.yaml *.yml)"));
        if (!f.isEmpty())
            addUserPath(f);
    });
    addButton(tr("+ Folder"), tr("Add every component in a folder"), [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Add component folder"));
        if (!d.isEmpty())
            addUserPath(d);
    });
    addButton(tr("+ URL"), tr("Download a component from a URL"), [this] {
        bool ok = false;
        const QString u = QInputDialog::getText(this, tr("Add component URL"), tr("URL of a component.yaml:"),
                                                QLineEdit::Normal, {}, &ok);
        if (ok && !u.trimmed().isEmpty())
            addUrl(QUrl(u.trimmed()));
    });
    buttons->addStretch();
    layout->addLayout(buttons);

    connect(m_search, &QLineEdit::textChanged, this, &PaletteWidget::applyFilter);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QString path = item->data(0, Qt::UserRole).toString();
        if (!path.isEmpty())
            emit componentActivated(path);
    });
    connect(m_tree, &QWidget::customContextMenuRequested, this, &PaletteWidget::showContextMenu);
    reload();
}

QStringList PaletteWidget::userPaths() const
{
    return QSettings().value(kUserPathsKey).toStringList();
}

void PaletteWidget::reload()
{
    m_library.reload(userPaths());
    populate();
}

void PaletteWidget::addUserPath(const QString &path)
{
    QStringList paths = userPaths();
    const QString abs = QFileInfo(path).absoluteFilePath();
    if (!paths.contains(abs)) {
        paths << abs;
        QSettings().setValue(kUserPathsKey, paths);
    }
    reload();
}

void PaletteWidget::addUrl(const QUrl &url)
{
    if (url.isLocalFile()) {
        addUserPath(url.toLocalFile());
        return;
    }
    if (url.scheme() != "https" && url.scheme() != "http") {
        emit message(tr("Only file, http and https URLs can be added"));
        return;
    }
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    QNetworkReply *reply = m_network->get(QNetworkRequest(url));
    connect(reply, &QNetworkReply::finished, this, [this, reply, url] {
        reply->deleteLater();
        if (reply->error() != QNetworkReply::NoError) {
            emit message(tr("Could not download %1: %2").arg(url.toString(), reply->errorString()));
            return;
        }
        // Kept under its URL's hash, so adding the same URL twice reuses the file.
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/components";
        QDir().mkpath(dir);
        const QString name =
            QCryptographicHash::hash(url.toString().toUtf8(), QCryptographicHash::Sha256).toHex().left(16) + "-" +
            QFileInfo(url.path()).fileName();
        QSaveFile file(dir + "/" + name);
        if (!file.open(QIODevice::WriteOnly) || file.write(reply->readAll()) < 0 || !file.commit()) {
            emit message(tr("Could not store %1").arg(url.toString()));
            return;
        }
        addUserPath(dir + "/" + name);
        emit message(tr("Added %1").arg(url.toString()));
    });
}

void PaletteWidget::populate()
{
    m_tree->clear();
    QHash<QString, QTreeWidgetItem *> categories;
    for (const ComponentLibrary::Entry &e : m_library.entries()) {
        QTreeWidgetItem *cat = categories.value(e.category);
        if (!cat) {
            cat = new QTreeWidgetItem(m_tree, {e.category});
            cat->setFlags(Qt::ItemIsEnabled);
            QFont f = cat->font(0);
            f.setBold(true);
            cat->setFont(0, f);
            categories.insert(e.category, cat);
        }
        auto *item = new QTreeWidgetItem(cat, {e.name});
        item->setData(0, Qt::UserRole, e.path);
        item->setToolTip(0, ComponentLibrary::describe(e));
        if (e.error.isEmpty()) {
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
        } else {
            item->setFlags(Qt::ItemIsEnabled);
            item->setForeground(0, QColor(0xd3, 0x2f, 0x2f));
        }
    }
    m_tree->expandAll();
    applyFilter(m_search->text());
}

void PaletteWidget::applyFilter(const QString &text)
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *cat = m_tree->topLevelItem(i);
        bool any = false;
        for (int j = 0; j < cat->childCount(); ++j) {
            QTreeWidgetItem *item = cat->child(j);
            const bool match = text.isEmpty() || item->text(0).contains(text, Qt::CaseInsensitive) ||
                               item->toolTip(0).contains(text, Qt::CaseInsensitive);
            item->setHidden(!match);
            any = any || match;
        }
        cat->setHidden(!any);
    }
}

QTreeWidgetItem *PaletteWidget::itemFor(const QString &name) const
{
    const auto found = m_tree->findItems(name, Qt::MatchExactly | Qt::MatchRecursive);
    for (QTreeWidgetItem *item : found)
        if (!item->data(0, Qt::UserRole).toString().isEmpty())
            return item;
    return nullptr;
}

void PaletteWidget::showContextMenu(const QPoint &pos)
{
    QTreeWidgetItem *item = m_tree->itemAt(pos);
    const QString path = item ? item->data(0, Qt::UserRole).toString() : QString();
    QMenu menu(this);
    if (!path.isEmpty()) {
        menu.addAction(tr("Add to canvas"), this, [this, path] { emit componentActivated(path); });
        menu.addAction(tr("Open YAML"), this, [path] { QDesktopServices::openUrl(QUrl::fromLocalFile(path)); });
        const ComponentLibrary::Entry *e = m_library.find(path);
        if (e && !e->builtIn) {
            menu.addAction(tr("Remove from palette"), this, [this, path] {
                QStringList paths = userPaths();
                paths.removeAll(path);
                QSettings().setValue(kUserPathsKey, paths);
                reload();
            });
        }
        menu.addSeparator();
    }
    menu.addAction(tr("Reload library"), this, &PaletteWidget::reload);
    menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

} // namespace pw
