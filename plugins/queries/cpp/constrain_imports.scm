; Headers for `imports-only`: `#include <x>` and `#include "x"`.
(preproc_include path: (_) @module)
