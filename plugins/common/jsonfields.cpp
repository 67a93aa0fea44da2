// SPDX-License-Identifier: Apache-2.0
#include "jsonfields.h"

#include <QDateTime>

namespace pw {

std::string text(const nlohmann::json &j, const char *key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const nlohmann::json &member(const nlohmann::json &j, const char *key)
{
    static const nlohmann::json empty = nlohmann::json::object();
    const auto it = j.find(key);
    return it != j.end() && it->is_object() ? *it : empty;
}

std::int64_t epochMsFromRfc3339(const std::string &value)
{
    if (value.empty())
        return 0;
    const QDateTime t = QDateTime::fromString(QString::fromStdString(value), Qt::ISODateWithMs);
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

std::string rfc3339(std::int64_t ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate).toStdString();
}

} // namespace pw
