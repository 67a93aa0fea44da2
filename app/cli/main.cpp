// SPDX-License-Identifier: Apache-2.0
#include <iostream>

int main()
{
    std::cout << "pipewright " << PW_VERSION << "\n";
    return 0;
}
