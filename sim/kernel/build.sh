#!/bin/sh
# Builds one simulated kernel by hand (the test suite and the builder use
# lib/sim/kernel-build.ts, which caches). Usage:
#   sim/kernel/build.sh FLAVOUR ARCH [DWARF_VERSION] [OUT]
#   FLAVOUR: fbsd14 | fbsd12 | novimage    ARCH: amd64 | arm64
# Needs gcc + binutils for amd64, clang + ld.lld for arm64. The flags must
# stay in step with lib/sim/kernel-build.ts (which the tests use).
set -eu
flavour=${1:?flavour}
arch=${2:?arch}
dwarf=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
out=${4:-$here/../../build/sim-kernel/$flavour-$arch/kernel}

case $flavour in
fbsd14) defs="-DSIM_OSVER=14 -DVIMAGE"; dwarf=${dwarf:-5} ;;
fbsd12) defs="-DSIM_OSVER=12 -DVIMAGE"; dwarf=${dwarf:-4} ;;
novimage) defs="-DSIM_OSVER=14"; dwarf=${dwarf:-5} ;;
*) echo "unknown flavour $flavour" >&2; exit 2 ;;
esac

common="-std=gnu11 -O0 -g -gdwarf-$dwarf -ffreestanding -fno-builtin -nostdinc
 -fno-pic -fno-pie -fno-common -fno-stack-protector
 -fno-eliminate-unused-debug-types -Wall -Wextra -Werror
 -fdebug-prefix-map=$here=/usr/src/sys/sim -I$here $defs"

objdir=$(mktemp -d)
cd "$here"
trap 'rm -rf "$objdir"' EXIT
mkdir -p "$(dirname "$out")"
case $arch in
amd64)
	for c in "$here"/*.c; do
		gcc $common -mcmodel=kernel -mno-red-zone -c "$c" -o "$objdir/$(basename "$c" .c).o"
	done
	gcc -nostdlib -static -no-pie -Wl,-T,"$here/ldscript.amd64" \
	    -Wl,-z,max-page-size=0x1000 -Wl,--build-id=none -o "$out" "$objdir"/*.o
	;;
arm64)
	for c in "$here"/*.c; do
		clang --target=aarch64-unknown-freebsd $common -mgeneral-regs-only \
		    -c "$c" -o "$objdir/$(basename "$c" .c).o"
	done
	ld.lld -T "$here/ldscript.arm64" -static --no-pie -z max-page-size=4096 \
	    --build-id=none -o "$out" "$objdir"/*.o
	;;
*) echo "unknown arch $arch" >&2; exit 2 ;;
esac
echo "$out"
