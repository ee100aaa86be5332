# The ctest fixture module_builds (setup "up", cleanup "down"): every variant
# of the stand-in module (b, c-prep, c-v2, c) built once per ctest run by
# `besrig build` into a store and bundle of its own under
# BESRIG_SHARED_BUILDS (a directory under the build tree); builds.db is a
# copy of that store. A board scenario copies the build of each patch it
# asks for into its own store (seed_build in board_lib.sh): `besrig build
# --patch P` there then finds identical inputs and reuses the build (the
# bundle's files stay here) instead of compiling it again. A failed build fails this setup, and ctest
# then runs none of the scenarios that need it. Without kernel headers it
# builds nothing and exits 0; the scenarios then skip with their own reason.
set -euo pipefail
: "${BESRIG:?}" "${BESRIG_SHARED_BUILDS:?BESRIG_SHARED_BUILDS names the shared builds dir}"
export LC_ALL=C.UTF-8 NO_COLOR=1 HOME="$BESRIG_SHARED_BUILDS/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_STATE_HOME="$HOME/.local/state"
unset BESRIG_CONFIG BESRIG_SIM_DIR
cfg="$BESRIG_SHARED_BUILDS/builds.json"
case "${1:-}" in
  up)
    rm -rf "$BESRIG_SHARED_BUILDS"
    mkdir -p "$HOME"
    if ! ls /lib/modules/*/build/Makefile >/dev/null 2>&1; then
      echo "SKIPPED [module_builds]: no kernel headers; the board scenarios will skip" >&2
      exit 0
    fi
    echo '{}' > "$cfg"
    t0=$(date +%s)
    for p in b c-prep c-v2 c; do
      "$BESRIG" --config "$cfg" build --patch "$p" >/dev/null || { echo "FAIL [module_builds]: besrig build --patch $p" >&2; exit 1; }
    done
    sqlite3 "$HOME/.local/share/besrig/besrig.db" ".backup '$BESRIG_SHARED_BUILDS/builds.db'"
    sqlite3 "$BESRIG_SHARED_BUILDS/builds.db" "SELECT patch, srcversion, path FROM builds" >&2
    echo "[module_builds] 4 builds in $(( $(date +%s) - t0 )) s" >&2
    ;;
  down)
    rm -rf "$BESRIG_SHARED_BUILDS"
    ;;
  *) echo "usage: module_builds.sh up|down" >&2; exit 2 ;;
esac
