// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/binding.h"
#include "model/porttype.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace pw {

// Conversions between model values and the text the inspector shows, typed
// by the port, so "42" becomes an integer for an Integer input and stays a
// string for a String input.
namespace valuetext {

QString fromJson(const nlohmann::json &value);
// nullopt when the text does not fit the type (the editor then shows why).
std::optional<nlohmann::json> toJson(const QString &text, const PortType &type, QString *why = nullptr);

// Parameter type names as documents and the KFP SDK spell them.
QStringList parameterTypeNames();
QString typeName(const PortType &type);
std::optional<PortType> typeFromName(const QString &name);

// Short human text of any binding ("trainer.model", "{epochs}", "run.created:%Y%m%d@Asia/Tokyo").
QString describe(const Binding &binding);

// "60s", "30m", "1h30m" or a number of seconds -> seconds; and back.
std::optional<qint64> parseDuration(const QString &text);
QString formatDuration(qint64 seconds);

// "a=1, b=2" <-> map, for compact key/value cells.
QString joinPairs(const std::map<std::string, std::string> &pairs);
std::map<std::string, std::string> splitPairs(const QString &text);

} // namespace valuetext

} // namespace pw
