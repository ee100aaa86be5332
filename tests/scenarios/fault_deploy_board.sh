# The ctest fixture (setup "up", cleanup "down") behind the scenarios that
# share a board (Phase 6, Phase 7, the nightly, deploy identity and the
# deploy faults; labels e2e, faults): one simulated board, booted
# once into BESRIG_SHARED_BOARD (a state dir under the build tree) and shared
# by the scenarios that require the fixture, which take turns (RESOURCE_LOCK)
# and each restore the board they changed. Without QEMU it boots nothing and
# exits 0; the scenarios then skip loudly with their own reason.
set -euo pipefail
: "${BESRIG:?}" "${BESRIG_SHARED_BOARD:?BESRIG_SHARED_BOARD names the shared sim dir}"
export BESRIG_SIM_DIR="$BESRIG_SHARED_BOARD" LC_ALL=C.UTF-8 NO_COLOR=1
export HOME="$BESRIG_SHARED_BOARD/home" XDG_STATE_HOME="$BESRIG_SHARED_BOARD/home/.local/state"
cfg="$BESRIG_SHARED_BOARD/fixture.json"
case "${1:-}" in
  up)
    "$BESRIG" --config "$cfg" sim down >/dev/null 2>&1 || true
    rm -rf "$BESRIG_SHARED_BOARD"
    mkdir -p "$HOME"
    echo '{ "board": { "kind": "sim", "sim_name": "ohm" } }' > "$cfg"
    if ! command -v qemu-system-x86_64 >/dev/null || ! qemu-system-x86_64 -accel tcg -machine help >/dev/null 2>&1; then
      echo "SKIPPED [fault_deploy_board]: qemu-system-x86_64 cannot run here; the board scenarios will skip" >&2
      exit 0
    fi
    "$BESRIG" --config "$cfg" sim up --boot-timeout 300
    ;;
  down)
    [ -f "$cfg" ] && "$BESRIG" --config "$cfg" sim down
    rm -rf "$BESRIG_SHARED_BOARD"
    ;;
  *) echo "usage: fault_deploy_board.sh up|down" >&2; exit 2 ;;
esac
