// The headers HumanEval-X's C++ harness (CodeGeeX, benchmark/utils.py IMPORT_HELPER)
// writes before every program. codeaug's cpp plugin force-includes this file
// (-include) before a `code` test program; setup.sh precompiles it.
#include<stdlib.h>
#include<algorithm>
#include<math.h>
#include<stdio.h>
#include<vector>
#include<string>
#include<climits>
#include<cstring>
#include<iostream>
