#!/usr/bin/env bash
# One entry point for the README's two quick-start commands, on a fresh
# Debian 12 machine (or CI):
#   bash scripts/bootstrap.sh demo   # install everything, run `caseload demo`
#   bash scripts/bootstrap.sh test   # install everything, run every test (C++, C, packaging, Python)
# Idempotent: a second run reuses the apt packages, the virtual environment
# and the CMake build directory.
set -euo pipefail

mode="${1:-demo}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="${CASELOAD_VENV:-$root/.venv}"
jobs="${CASELOAD_JOBS:-$(nproc 2>/dev/null || echo 2)}"

log() { printf '\n==> %s\n' "$*"; }

install_system_packages() {
  local pkgs=(build-essential cmake ninja-build pkg-config git python3 python3-venv python3-dev
              libgtest-dev libgmock-dev libbenchmark-dev libeigen3-dev pybind11-dev)
  local missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "Installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

setup_python() {
  if [ ! -x "$venv/bin/python" ]; then
    log "Creating virtual environment $venv"
    python3 -m venv "$venv"
  fi
  "$venv/bin/python" -m pip install -q --upgrade pip
  log "Building and installing the caseload Python package (C++ core + bindings)"
  "$venv/bin/python" -m pip install -q "scikit-build-core>=0.10" "pybind11>=2.11" numpy pandas matplotlib
  "$venv/bin/python" -m pip install -q --no-build-isolation "$root"
}

run_cpp_tests() {
  log "C++ / C / packaging tests (CMake workflow preset 'release')"
  cmake --preset release -DCMAKE_PREFIX_PATH="$("$venv/bin/python" -c 'import pybind11; print(pybind11.get_cmake_dir())')" >/dev/null
  cmake --build --preset release -j "$jobs"
  ctest --preset release
}

# The whole C++ and C suite again under ASan + UBSan (halt on the first
# report, leaks included), then the thread stress test under TSan. See
# docs/hardening.md. CASELOAD_SKIP_SANITIZERS=1 skips both (local quick runs).
run_sanitizer_tests() {
  if [ "${CASELOAD_SKIP_SANITIZERS:-0}" = 1 ]; then
    log "Sanitizer builds skipped (CASELOAD_SKIP_SANITIZERS=1)"
    return 0
  fi
  log "C++ / C tests under AddressSanitizer + UndefinedBehaviorSanitizer (preset 'asan')"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$jobs"
  ctest --preset asan
  log "Thread stress test under ThreadSanitizer (preset 'tsan')"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "$jobs"
  ctest --preset tsan
}

run_python_tests() {
  log "Python tests (pytest)"
  "$venv/bin/python" -m pip install -q pytest hypothesis tqdm
  (cd "$root" && "$venv/bin/python" -m pytest -q tests/python)
}

install_system_packages
case "$mode" in
  demo)
    setup_python
    log "caseload demo"
    "$venv/bin/caseload" demo --out "$root/caseload-demo"
    ;;
  test)
    setup_python
    run_cpp_tests
    run_sanitizer_tests
    run_python_tests
    ;;
  *)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac
