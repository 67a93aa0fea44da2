// SPDX-License-Identifier: Apache-2.0
#include "tokenprovider.h"

namespace pw {

Result<Secret> CredentialTokenProvider::token()
{
    std::lock_guard lock(m_mutex);
    if (!m_token) {
        auto fresh = readCredential(m_source);
        if (!fresh.ok())
            return fresh.error();
        m_token = std::move(fresh).value();
    }
    return *m_token;
}

void CredentialTokenProvider::invalidate()
{
    std::lock_guard lock(m_mutex);
    m_token.reset();
}

} // namespace pw
