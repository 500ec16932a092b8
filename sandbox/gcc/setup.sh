# Runs as root at image build (no network): precompiled headers for the cpp plugin.
# CXXFLAGS must equal plugins/cpp_language.py CXXFLAGS (a unit test checks it): g++
# only uses a PCH built with the same -std/-O flags.
CXXFLAGS="-std=c++17 -O2"
OUT=/opt/codeaug/gcc
mkdir -p "$OUT/pch/bits"
# <bits/stdc++.h>: found through -I$OUT/pch by any source whose first include it is
# (the calls harness, most competitive-programming code).
STDCXX=$(echo '#include <bits/stdc++.h>' | g++ $CXXFLAGS -x c++ -E -H - 2>&1 >/dev/null \
         | sed -n 's/^\. //p' | head -n 1)
g++ $CXXFLAGS -x c++-header "$STDCXX" -o "$OUT/pch/bits/stdc++.h.gch"
# HumanEval-X's prelude, force-included (-include) before `code` test programs.
cp /opt/codeaug/definition/humaneval_x_prelude.h "$OUT/"
g++ $CXXFLAGS -x c++-header "$OUT/humaneval_x_prelude.h" -o "$OUT/humaneval_x_prelude.h.gch"
chmod -R a+rX "$OUT"
