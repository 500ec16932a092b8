#include "codeaug_json.h"
#line 1 "solution.c"
$solution
#line 1 "codeaug_harness.c"
int main(void) {
$cases
    codeaug_done();
    return 0;
}
