// Everything in this module is `static inline` in include/CortadoShims.h.
// SwiftPM needs one source file to build a C target.
#include "CortadoShims.h"
