# Sourced by the panama-mlp launcher (POSIX sh), before the JVM starts. Written by the build; see the
# README's "OpenBLAS kernel" section.
#
# OpenBLAS 0.3.21 and older pick their CPU kernel from the CPU's family and model when they load, and fall
# back to an older kernel on CPUs they do not know (Haswell on AMD Zen 5, Prescott on some new Xeons). They
# read OPENBLAS_CORETYPE at that moment and do not check that the CPU can run the kernel named, so a kernel
# is named here only when the dynamic loader reports the matching glibc-hwcaps level as supported: glibc
# tests CPUID and, for the AVX and AVX-512 registers, that the OS enabled them (XCR0). x86-64-v4 covers
# exactly the AVX-512 subsets the SkylakeX kernel uses (F, CD, BW, DQ, VL), x86-64-v3 the AVX2 and FMA of
# Haswell.
#
# Nothing happens when OPENBLAS_CORETYPE is set (yours wins), when PANAMA_MLP_CORETYPE=off or
# -Dpanamamlp.coretype=off is in PANAMA_MLP_OPTS or JAVA_TOOL_OPTIONS, off x86-64 Linux, or when OpenBLAS's
# own choice is already as new. When it sets OPENBLAS_CORETYPE it also sets PANAMA_MLP_CORETYPE_SET to
# "chosen:openblas-own" so that OpenBlas.info() can say why.

# The instruction-set level of an OpenBLAS x86-64 kernel: 4 AVX-512, 3 AVX2, 2 AVX, 1 SSE; 9 for a name not
# known here (another architecture, a newer OpenBLAS), which is never replaced.
panama_mlp_kernel_level() {
  case "$1" in
    SkylakeX|Cooperlake|SapphireRapids) echo 4 ;;
    Haswell|Zen) echo 3 ;;
    Sandybridge|Bulldozer|Piledriver|Steamroller|Excavator) echo 2 ;;
    Katmai|Coppermine|Northwood|Prescott|Banias|Atom|Core2|Penryn|Dunnington|Nehalem|Athlon|Opteron|Opteron_SSE3|Barcelona|Nano|Bobcat) echo 1 ;;
    *) echo 9 ;;
  esac
}

# panama_mlp_pick OWN HWCAPS: prints the kernel to name, or nothing. OWN is the kernel OpenBLAS picks by
# itself, HWCAPS the output of "ld.so --help".
panama_mlp_pick() {
  case "$2" in
    *"x86-64-v4 (supported"*) want=SkylakeX; need=4 ;;
    *"x86-64-v3 (supported"*) want=Haswell; need=3 ;;
    *) return 0 ;;
  esac
  [ -n "$1" ] && [ "$(panama_mlp_kernel_level "$1")" -lt "$need" ] && echo "$want"
  return 0
}

# Sets OPENBLAS_CORETYPE if OpenBLAS would pick an older kernel than this CPU and OS run.
panama_mlp_choose_kernel() {
  [ -z "${OPENBLAS_CORETYPE+set}" ] || return 0
  [ "${PANAMA_MLP_CORETYPE:-auto}" != off ] || return 0
  case " $PANAMA_MLP_OPTS $JAVA_TOOL_OPTIONS " in *" -Dpanamamlp.coretype=off "*) return 0 ;; esac
  [ -x /lib64/ld-linux-x86-64.so.2 ] && [ -x /bin/true ] || return 0
  lib=${PANAMA_MLP_OPENBLAS:-libopenblas.so.0}
  case "$lib" in *[[:space:]:]*) return 0 ;; esac
  hwcaps=$(/lib64/ld-linux-x86-64.so.2 --help 2>/dev/null) || return 0
  # OpenBLAS's own choice, from the library itself: with OPENBLAS_VERBOSE=2 it prints "Core: <name>" when it
  # loads, here into /bin/true, which costs about 10 ms.
  own=$(OPENBLAS_VERBOSE=2 LD_PRELOAD="$lib" /bin/true 2>&1)
  case "$own" in *"Core: "*) own=${own##*Core: }; own=${own%%[!A-Za-z0-9_]*} ;; *) return 0 ;; esac
  pick=$(panama_mlp_pick "$own" "$hwcaps")
  if [ -n "$pick" ]; then
    OPENBLAS_CORETYPE=$pick
    PANAMA_MLP_CORETYPE_SET="$pick:$own"
    export OPENBLAS_CORETYPE PANAMA_MLP_CORETYPE_SET
  fi
  return 0
}
