#include <bits/stdc++.h>
#include "codeaug_json.hpp"
#line 1 "solution.cpp"
$solution
#line 1 "codeaug_harness.cpp"
// One function per case: the arguments as literals of the signature's types, the call,
// the result as JSON. Kept out of main so that -O2 does not optimise one huge function.
$cases
// `signed`, not `int`: a solution may `#define int long long`.
signed main() {
$calls
    codeaug::done();
    return 0;
}
