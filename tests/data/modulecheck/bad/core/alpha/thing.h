// A module that reaches into a module it does not link.
#pragma once
#include "beta/other.h"
