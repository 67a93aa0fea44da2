// SPDX-License-Identifier: Apache-2.0
#include "inspector/taskenvform.h"

#include "document/commands/settingscommands.h"
#include "inspector/rowstable.h"
#include "inspector/valuetext.h"

#include <QGroupBox>
#include <QVBoxLayout>

namespace pw {

namespace {

std::string text(const QString &s)
{
    return s.trimmed().toStdString();
}

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

std::map<std::string, std::string> toMap(const QList<QStringList> &rows)
{
    std::map<std::string, std::string> m;
    for (const QStringList &r : rows)
        m[text(r[0])] = text(r[1]);
    return m;
}

QList<QStringList> fromMap(const std::map<std::string, std::string> &m)
{
    QList<QStringList> rows;
    for (const auto &[k, v] : m)
        rows << QStringList{q(k), q(v)};
    return rows;
}

template <typename T>
const T *at(const std::vector<T> &items, int i)
{
    return i >= 0 && std::size_t(i) < items.size() ? &items[std::size_t(i)] : nullptr;
}

std::map<std::string, std::string> keyMap(const std::vector<KeyToEnv> &keys)
{
    std::map<std::string, std::string> m;
    for (const KeyToEnv &k : keys)
        m[k.key] = k.envVar;
    return m;
}

// The table shows a name bound to a parameter as text; an unchanged cell keeps
// the binding instead of turning it into a constant.
Binding keptName(const QString &cell, const Binding *old)
{
    if (old && cell == valuetext::describe(*old))
        return *old;
    return Binding::constant(text(cell));
}

// A row edited in the table, keeping what the row cannot show (the name's
// binding, `optional`, key order) from the reference it was loaded from.
ObjectRef secretFromRow(const QStringList &row, const ObjectRef *old)
{
    ObjectRef ref = old ? *old : ObjectRef{};
    ref.source = ObjectRef::Source::Secret;
    ref.name = keptName(row[0], old ? &old->name : nullptr);
    if (!old || row[1] != valuetext::joinPairs(keyMap(old->keyToEnv))) {
        ref.keyToEnv.clear();
        for (const auto &[k, env] : valuetext::splitPairs(row[1]))
            ref.keyToEnv.push_back({k, env});
    }
    ref.mountPath = text(row[2]);
    return ref;
}

} // namespace

TaskEnvForm::TaskEnvForm(PipelineDocument *doc, QWidget *parent) : QWidget(parent), m_doc(doc)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_env = table(tr("Environment variables"), "task:env", {tr("Name"), tr("Value")}, "env",
                  [](Task &t, const QList<QStringList> &rows) {
                      t.settings.env.clear();
                      for (const QStringList &r : rows)
                          t.settings.env.push_back({text(r[0]), text(r[1])});
                  });
    m_secrets = table(tr("Secrets (by name; never their values)"), "task:secrets",
                      {tr("Secret"), tr("Key=ENV_VAR, …"), tr("Mount path")}, "secrets",
                      [](Task &t, const QList<QStringList> &rows) {
                          const std::vector<ObjectRef> before = std::move(t.settings.secrets);
                          t.settings.secrets.clear();
                          for (int i = 0; i < rows.size(); ++i)
                              t.settings.secrets.push_back(secretFromRow(rows[i], at(before, i)));
                      });
    m_volumes = table(tr("Volumes (persistent volume claims)"), "task:volumes", {tr("Claim"), tr("Mount path")},
                      "volumes", [](Task &t, const QList<QStringList> &rows) {
                          const std::vector<PvcMount> before = std::move(t.settings.volumes);
                          t.settings.volumes.clear();
                          for (int i = 0; i < rows.size(); ++i) {
                              const PvcMount *old = at(before, i);
                              t.settings.volumes.push_back({keptName(rows[i][0], old ? &old->claimName : nullptr),
                                                            text(rows[i][1])});
                          }
                      });
    m_labels = table(tr("Pod labels"), "task:podLabels", {tr("Label"), tr("Value")}, "pod labels",
                     [](Task &t, const QList<QStringList> &rows) { t.settings.podLabels = toMap(rows); });
    m_annotations = table(tr("Pod annotations"), "task:podAnnotations", {tr("Annotation"), tr("Value")},
                          "pod annotations",
                          [](Task &t, const QList<QStringList> &rows) { t.settings.podAnnotations = toMap(rows); });
}

RowsTable *TaskEnvForm::table(const QString &title, const QString &name, const QStringList &columns,
                              const QString &field, const std::function<void(Task &, const QList<QStringList> &)> &apply)
{
    auto *box = new QGroupBox(title, this);
    auto *l = new QVBoxLayout(box);
    auto *t = new RowsTable(name, columns, box);
    l->addWidget(t);
    layout()->addWidget(box);
    connect(t, &RowsTable::rowsEdited, this, [this, t, field, apply] {
        pushTaskEdit(m_doc, m_taskId, field, [&](Task &task) { apply(task, t->rows()); });
    });
    return t;
}

void TaskEnvForm::setTask(const QString &taskId)
{
    m_taskId = taskId;
    load();
}

void TaskEnvForm::load()
{
    const Task *t = m_doc->task(m_taskId);
    if (!t)
        return;
    const ExecutionSettings &s = t->settings;
    QList<QStringList> env;
    for (const EnvVar &e : s.env)
        env << QStringList{q(e.name), q(e.value)};
    m_env->setRows(env);
    QList<QStringList> secrets;
    for (const ObjectRef &ref : s.secrets)
        secrets << QStringList{valuetext::describe(ref.name), valuetext::joinPairs(keyMap(ref.keyToEnv)),
                               q(ref.mountPath)};
    m_secrets->setRows(secrets);
    QList<QStringList> volumes;
    for (const PvcMount &v : s.volumes)
        volumes << QStringList{valuetext::describe(v.claimName), q(v.mountPath)};
    m_volumes->setRows(volumes);
    m_labels->setRows(fromMap(s.podLabels));
    m_annotations->setRows(fromMap(s.podAnnotations));
}

} // namespace pw
