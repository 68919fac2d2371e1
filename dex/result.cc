// error_code_name lives in the header; this file anchors the dex library's object code.
#include "dex/result.h"
