// SPDX-License-Identifier: Apache-2.0
#include "inspector/valuetext.h"

#include "validate/rules.h"

#include <QObject>

namespace pw::valuetext {

QString fromJson(const nlohmann::json &value)
{
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    return QString::fromStdString(value.dump());
}

std::optional<nlohmann::json> toJson(const QString &text, const PortType &type, QString *why)
{
    auto fail = [&](const QString &reason) -> std::optional<nlohmann::json> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    if (type.isArtifact())
        return fail(QObject::tr("Artifacts come from an upstream output or an importer, not a constant"));
    const QString t = text.trimmed();
    switch (type.parameter) {
    case ParameterType::String:
        return nlohmann::json(text.toStdString());
    case ParameterType::Integer: {
        bool ok = false;
        const qlonglong v = t.toLongLong(&ok);
        if (!ok)
            return fail(QObject::tr("'%1' is not a whole number").arg(t));
        return nlohmann::json(v);
    }
    case ParameterType::Double: {
        bool ok = false;
        const double v = t.toDouble(&ok);
        if (!ok)
            return fail(QObject::tr("'%1' is not a number").arg(t));
        return nlohmann::json(v);
    }
    case ParameterType::Boolean:
        if (t == "true" || t == "True")
            return nlohmann::json(true);
        if (t == "false" || t == "False")
            return nlohmann::json(false);
        return fail(QObject::tr("Use true or false"));
    case ParameterType::List:
    case ParameterType::Struct: {
        auto j = nlohmann::json::parse(t.toStdString(), nullptr, false);
        const bool list = type.parameter == ParameterType::List;
        if (j.is_discarded() || (list && !j.is_array()) || (!list && !j.is_object()))
            return fail(list ? QObject::tr("Write a JSON list, e.g. [1, 2]")
                             : QObject::tr("Write a JSON object, e.g. {\"a\": 1}"));
        return j;
    }
    case ParameterType::TaskFinalStatus:
        return fail(QObject::tr("The final status is set by the exit handler"));
    }
    return fail(QObject::tr("Unsupported type"));
}

QStringList parameterTypeNames()
{
    return {"String", "Integer", "Float", "Boolean", "List", "Dict"};
}

QString typeName(const PortType &type)
{
    if (type.isArtifact())
        return QString::fromStdString(type.schemaTitle);
    // Without the v1 source name, the display name is the KFP SDK's own spelling.
    return QString::fromStdString(PortType::param(type.parameter).displayName());
}

std::optional<PortType> typeFromName(const QString &name)
{
    const QString n = name.trimmed();
    if (n == "String" || n.isEmpty())
        return PortType::param(ParameterType::String);
    if (n == "Integer")
        return PortType::param(ParameterType::Integer);
    if (n == "Float" || n == "Double")
        return PortType::param(ParameterType::Double);
    if (n == "Boolean")
        return PortType::param(ParameterType::Boolean);
    if (n == "List")
        return PortType::param(ParameterType::List);
    if (n == "Dict" || n == "Struct")
        return PortType::param(ParameterType::Struct);
    if (n.contains('.'))
        return PortType::artifact(n.toStdString());
    return std::nullopt;
}

QString describe(const Binding &b)
{
    switch (b.kind) {
    case Binding::Kind::None:
        return QObject::tr("(unset)");
    case Binding::Kind::Constant:
        return fromJson(b.value);
    case Binding::Kind::Parameter:
        return QStringLiteral("{%1}").arg(QString::fromStdString(b.name));
    case Binding::Kind::TaskOutput:
        return QStringLiteral("%1.%2").arg(QString::fromStdString(b.task), QString::fromStdString(b.name));
    case Binding::Kind::LoopItem:
        return QObject::tr("item of %1%2")
            .arg(QString::fromStdString(b.group), b.field.empty() ? QString() : "." + QString::fromStdString(b.field));
    case Binding::Kind::RunValue:
        return QString::fromStdString(b.run.toSpec());
    case Binding::Kind::TaskStatus:
        return QObject::tr("status of %1").arg(QString::fromStdString(b.task));
    case Binding::Kind::OneOf:
    case Binding::Kind::Template: {
        QStringList parts;
        for (const Binding &o : b.options)
            parts << describe(o);
        return (b.kind == Binding::Kind::OneOf ? QObject::tr("one of ") : QString()) + parts.join(
                                                                                         b.kind == Binding::Kind::OneOf ? ", " : "");
    }
    }
    return {};
}

std::optional<qint64> parseDuration(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return 0;
    bool ok = false;
    const qint64 plain = t.toLongLong(&ok);
    if (ok)
        return plain;
    auto d = parseDurationSeconds(t.toStdString());
    if (!d)
        return std::nullopt;
    return qint64(*d);
}

QString formatDuration(qint64 seconds)
{
    if (seconds <= 0)
        return {};
    if (seconds % 3600 == 0)
        return QStringLiteral("%1h").arg(seconds / 3600);
    if (seconds % 60 == 0)
        return QStringLiteral("%1m").arg(seconds / 60);
    return QStringLiteral("%1s").arg(seconds);
}

QString joinPairs(const std::map<std::string, std::string> &pairs)
{
    QStringList items;
    for (const auto &[k, v] : pairs)
        items << QString::fromStdString(k) + "=" + QString::fromStdString(v);
    return items.join(", ");
}

std::map<std::string, std::string> splitPairs(const QString &text)
{
    std::map<std::string, std::string> pairs;
    for (const QString &item : text.split(',', Qt::SkipEmptyParts)) {
        const int eq = item.indexOf('=');
        const QString key = (eq < 0 ? item : item.left(eq)).trimmed();
        if (!key.isEmpty())
            pairs[key.toStdString()] = eq < 0 ? std::string() : item.mid(eq + 1).trimmed().toStdString();
    }
    return pairs;
}

} // namespace pw::valuetext
