#!/bin/sh
# Builds and runs two consumers of an installed caseload using only
# pkg-config: the C99 program consumer.c (gcc -std=c99 -Wall -Wextra
# -pedantic -Werror) against caseload (the C API) and the C++ consumer
# ../consumer/main.cpp against caseload-cpp (the C++ API).
# usage: pkgconfig_consumers.sh PREFIX LIBDIR WORKDIR CC CXX [EXTRA_FLAGS]
# EXTRA_FLAGS carries sanitizer flags in sanitizer builds, since the
# installed library then needs its runtime linked into the program.
set -eu
prefix=$1 libdir=$2 work=$3 cc=$4 cxx=$5 extra=${6:-}
here=$(cd "$(dirname "$0")" && pwd)
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
mkdir -p "$work"
flags=$(pkg-config --cflags --libs caseload)
cxxflags=$(pkg-config --cflags --libs caseload-cpp)
version=$(pkg-config --modversion caseload)
echo "pkg-config caseload $version: $flags; caseload-cpp: $cxxflags"
case "$flags" in *"$prefix/$libdir/pkgconfig/"*) ;; *) echo "pkg-config flags do not point into $prefix" >&2; exit 1 ;; esac
# shellcheck disable=SC2086
"$cc" -std=c99 -Wall -Wextra -pedantic -Werror $extra "$here/consumer.c" -o "$work/c99_consumer" $flags
# shellcheck disable=SC2086
"$cxx" -Wall -Wextra $extra "$here/../consumer/main.cpp" -o "$work/cxx_consumer" $cxxflags
LD_LIBRARY_PATH="$prefix/$libdir" "$work/c99_consumer"
LD_LIBRARY_PATH="$prefix/$libdir" "$work/cxx_consumer"
