#!/bin/sh
# The C library's ABI contract (docs/c_api.md): libcaseload exports exactly
# the functions declared in caseload.h (nothing C++, nothing from the
# standard library), no STB_GNU_UNIQUE symbol (which would keep it from ever
# being unloaded), and a SONAME of the form libcaseload.so.MAJOR.MINOR.
# usage: check_exports.sh LIBRARY HEADER
set -eu
lib=$1 header=$2
exported=$(nm -D --defined-only "$lib" | awk '$2 != "A" {print $3}' | sed 's/@.*//' | sort -u)
declared=$(grep -v '#define' "$header" | grep -o 'CASELOAD_C_API[^(]*(' | sed 's/($//; s/.*[ *]//' | sort -u)
status=0
stray=$(printf '%s\n' "$exported" | grep -v '^caseload_' || true)
if [ -n "$stray" ]; then echo "exported but not C API:"; printf '  %s\n' $stray; status=1; fi
missing=$(printf '%s\n' "$declared" | while read -r f; do printf '%s\n' "$exported" | grep -qx "$f" || echo "$f"; done)
if [ -n "$missing" ]; then echo "declared in caseload.h but not exported:"; printf '  %s\n' $missing; status=1; fi
extra=$(printf '%s\n' "$exported" | while read -r f; do printf '%s\n' "$declared" | grep -qx "$f" || echo "$f"; done)
if [ -n "$extra" ]; then echo "exported but not declared in caseload.h:"; printf '  %s\n' $extra; status=1; fi
if readelf -W --dyn-syms "$lib" | grep -q UNIQUE; then echo "STB_GNU_UNIQUE symbols (the library could never be unloaded)"; status=1; fi
soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
case "$soname" in libcaseload.so.[0-9]*.[0-9]*) ;; *) echo "SONAME $soname is not libcaseload.so.MAJOR.MINOR"; status=1 ;; esac
echo "$(printf '%s\n' "$exported" | wc -l) exported functions, $(printf '%s\n' "$declared" | wc -l) declared, SONAME $soname"
exit $status
