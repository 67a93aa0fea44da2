// SPDX-License-Identifier: Apache-2.0
#include "googlecredentialsfor.h"

#include "googleauthdefault.h"

namespace pw::google {

Result<GoogleCredentials> credentialsFor(const BackendConfig &config)
{
    if (const std::string file = config.setting("googleCredentials"); !file.empty())
        return GoogleCredentials::fromFile(file);
    if (!config.credential.empty())
        return GoogleCredentials::fromTokenSource(config.credential);
    return ApplicationDefaultCredentials::load();
}

} // namespace pw::google
